/**
 * How a stored value becomes a canonical enum value, in one place for the row reader and
 * for every statement that filters or groups on the canonical value:
 *   1. a value `values` maps reads as its mapping;
 *   2. else `otherwise`, when set (null: read as null);
 *   3. else a canonical name reads as itself;
 *   4. else OTHER on an open value set (channels, statuses), the stored value as it is on
 *      a closed one (the gateway then reads it as null).
 */
import type { Scalar } from '../contract.js';
import type { FieldMapping } from '../mapping.js';
import { param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import type { Condition } from './condition.js';
import type { SqlDialect } from './dialect.js';

export const OTHER = 'OTHER';

type ColumnMapping = Extract<FieldMapping, { readonly kind: 'column' }>;

/** Whether the mapping translates stored values at all (a plain column reads as stored). */
export function translates(mapping: ColumnMapping): boolean {
  return mapping.values !== undefined || mapping.otherwise !== undefined || mapping.enum?.open === true;
}

/** What a stored value that no rule claims reads as: a constant, or the stored value itself. */
function fallback(mapping: ColumnMapping): { readonly constant: true; readonly value: string | null } | { readonly constant: false } {
  if (mapping.otherwise !== undefined) return { constant: true, value: mapping.otherwise };
  if (mapping.enum?.open === true) return { constant: true, value: OTHER };
  return { constant: false };
}

/** Canonical names that read as themselves: not claimed by `values`, and only where the fallback is a constant. */
function passThrough(mapping: ColumnMapping): ReadonlyArray<string> {
  if (!fallback(mapping).constant) return [];
  const values = mapping.values ?? {};
  return (mapping.enum?.canonical ?? []).filter((name) => name !== OTHER && !Object.hasOwn(values, name));
}

export function readEnum(stored: string, mapping: ColumnMapping): string | null {
  const values = mapping.values;
  // hasOwn, or a stored "constructor" would read as Object.prototype's.
  if (values !== undefined && Object.hasOwn(values, stored)) return values[stored] ?? stored;
  if (mapping.otherwise !== undefined) return mapping.otherwise;
  const canonical = mapping.enum?.canonical;
  if (canonical !== undefined && canonical.includes(stored)) return stored;
  return mapping.enum?.open === true ? OTHER : stored;
}

/** The canonical value in SQL (for GROUP BY and CASE), NULL staying NULL. */
export function canonicalSql(dialect: SqlDialect, text: Fragment, mapping: ColumnMapping): Fragment {
  const cases: Fragment[] = Object.entries(mapping.values ?? {}).map(([stored, canonical]) => sql`WHEN ${param(stored)} THEN ${param(canonical)}`);
  for (const name of passThrough(mapping)) cases.push(sql`WHEN ${param(name)} THEN ${param(name)}`);
  const rest = fallback(mapping);
  const otherwise = rest.constant ? (rest.value === null ? raw('NULL') : param(rest.value)) : text;
  if (cases.length === 0) return rest.constant ? sql`CASE WHEN ${text} IS NULL THEN NULL ELSE ${otherwise} END` : text;
  const body = sql`CASE ${text} ${joinFragments(cases)} ELSE ${otherwise} END`;
  void dialect;
  return rest.constant ? sql`CASE WHEN ${text} IS NULL THEN NULL ELSE ${body} END` : body;
}

/**
 * The rows whose canonical value passes `test`, as a condition on the stored text:
 * one IN list of the stored values that read as a passing value, plus the fallback's
 * branch (`asStored`: the test on the stored value itself, for a closed set without otherwise).
 */
export function storedMatching(
  dialect: SqlDialect,
  text: Fragment,
  mapping: ColumnMapping,
  test: (canonical: Scalar) => boolean,
  asStored: () => Condition,
): ReadonlyArray<Condition> {
  const values = mapping.values ?? {};
  const claimed = [...Object.keys(values), ...passThrough(mapping)];
  const passing = [
    ...Object.entries(values)
      .filter(([, canonical]) => test(canonical))
      .map(([stored]) => stored),
    ...passThrough(mapping).filter((name) => test(name)),
  ];
  const rest = fallback(mapping);
  const unclaimed = claimed.length === 0 ? sql`${text} IS NOT NULL` : sql`${text} IS NOT NULL AND NOT (${dialect.matchAny(text, claimed)})`;
  const branches: Condition[] = [passing.length === 0 ? false : dialect.matchAny(text, passing)];
  if (rest.constant) branches.push(test(rest.value) ? sql`(${unclaimed})` : false);
  else {
    const stored = asStored();
    branches.push(
      stored === false
        ? false
        : claimed.length === 0
          ? stored
          : stored === true
            ? sql`NOT (${dialect.matchAny(text, claimed)})`
            : sql`(NOT (${dialect.matchAny(text, claimed)}) AND ${stored})`,
    );
  }
  return branches;
}

function joinFragments(fragments: ReadonlyArray<Fragment>): Fragment {
  return sql`${fragments.reduce((all, next, index) => (index === 0 ? next : sql`${all} ${next}`), raw(''))}`;
}
