/**
 * Filter -> WHERE condition over the operator's columns. Filters name canonical fields
 * and canonical values; this is where they become source columns and source values.
 *
 * Logic is two-valued, as the gateway evaluates residual filters: a comparison with a
 * NULL column is false, so `not(eq)` keeps rows whose column is NULL.
 */
import { UnreachableCaseError } from '../contract.js';
import type { Filter, Scalar } from '../contract.js';
import type { FieldMapping } from '../mapping.js';
import { foldForPrefix } from './fold.js';
import { param, raw, sql } from './fragment.js';
import { allOf, anyOf, type Condition } from './condition.js';
import type { Fragment } from './fragment.js';
import { column as columnSql } from './scope.js';
import type { EntityScope } from './scope.js';
import { storedMatching, translates } from './enum.js';

export { allOf, anyOf, conditionSql, type Condition } from './condition.js';

type Leaf = Extract<Filter, { readonly field: string }>;

export function compileFilter(filter: Filter, scope: EntityScope): Condition {
  switch (filter.op) {
    case 'and':
      return allOf(filter.filters.map((inner) => compileFilter(inner, scope)));
    case 'or':
      return compileOr(filter.filters, scope);
    case 'not': {
      const inner = compileFilter(filter.filter, scope);
      return typeof inner === 'boolean' ? !inner : sql`NOT COALESCE(${inner}, FALSE)`;
    }
    case 'eq':
    case 'in':
    case 'range':
    case 'prefix':
    case 'isNull':
      return compileLeaf(filter, scope);
    default:
      throw new UnreachableCaseError(filter);
  }
}

/**
 * An OR, where the prefixes on one column become one `foldedPrefixAny`, so that the dialect
 * need not fold the column once per prefix (the data-quality report asks a few dozen
 * placeholder prefixes of every email). Other branches compile one by one.
 */
function compileOr(filters: ReadonlyArray<Filter>, scope: EntityScope): Condition {
  const prefixes = new Map<string, { readonly text: Fragment; readonly values: string[] }>();
  const others: Filter[] = [];
  for (const inner of filters) {
    const mapping = inner.op === 'prefix' ? scope.field(inner.field) : undefined;
    // A const field is decided here, and an enum field compares stored values (compileLeaf).
    if (inner.op !== 'prefix' || mapping === undefined || mapping.kind === 'const' || translates(mapping)) {
      others.push(inner);
      continue;
    }
    const group = prefixes.get(inner.field) ?? { text: scope.dialect.asText(columnSql(scope, mapping)), values: [] };
    prefixes.set(inner.field, group);
    group.values.push(inner.value);
  }
  return anyOf([
    ...[...prefixes.values()].map(({ text, values }) =>
      values.length === 1 ? scope.dialect.foldedPrefix(text, values[0]!) : scope.dialect.foldedPrefixAny(text, values),
    ),
    ...others.map((inner) => compileFilter(inner, scope)),
  ]);
}

function compileLeaf(leaf: Leaf, scope: EntityScope): Condition {
  const mapping = scope.field(leaf.field);
  if (mapping.kind === 'const') return matchesLeaf(leaf, mapping.value);
  const column = columnSql(scope, mapping);
  if (!translates(mapping) || leaf.op === 'isNull') return leafSql(leaf, column, mapping, scope);
  // Stored values are decided here (./enum.ts): each reads as one canonical value, so the
  // leaf becomes an IN list of stored values. Both compare as text, as enum values are
  // read: `status = 'PAID'` on an integer column would be an error on PostgreSQL.
  const text = scope.dialect.asText(column);
  return anyOf([
    ...storedMatching(
      scope.dialect,
      text,
      mapping,
      (canonical) => matchesLeaf(leaf, canonical),
      () => leafSql(leaf, text, mapping, scope),
    ),
    matchesLeaf(leaf, null) ? sql`${text} IS NULL` : false,
  ]);
}

function leafSql(leaf: Leaf, column: Fragment, mapping: FieldMapping, scope: EntityScope): Condition {
  const bind = (value: Scalar): Fragment => param(toSourceParam(value, mapping, scope));
  switch (leaf.op) {
    case 'eq':
      return leaf.value === null ? sql`${column} IS NULL` : sql`${column} = ${bind(leaf.value)}`;
    case 'in': {
      const present = leaf.values.filter((value): value is Exclude<Scalar, null> => value !== null);
      return anyOf([
        present.length === 0
          ? false
          : scope.dialect.matchAny(
              column,
              present.map((value) => toSourceParam(value, mapping, scope)),
            ),
        leaf.values.includes(null) ? sql`${column} IS NULL` : false,
      ]);
    }
    case 'range': {
      const bounds: Array<[Scalar | undefined, string]> = [
        [leaf.gt, '>'],
        [leaf.gte, '>='],
        [leaf.lt, '<'],
        [leaf.lte, '<='],
      ];
      const present = bounds.filter(([bound]) => bound !== undefined);
      if (present.some(([bound]) => bound === null)) return false;
      if (present.length === 0) return sql`${column} IS NOT NULL`;
      return allOf(present.map(([bound, operator]) => sql`${column} ${raw(operator)} ${bind(bound ?? null)}`));
    }
    case 'prefix':
      return scope.dialect.foldedPrefix(scope.dialect.asText(column), leaf.value);
    case 'isNull':
      return sql`${column} IS NULL`;
    default:
      throw new UnreachableCaseError(leaf);
  }
}

function toSourceParam(value: Scalar, mapping: FieldMapping, scope: EntityScope): Scalar {
  if (mapping.type === 'datetime' && typeof value === 'string') {
    return scope.dialect.datetimeParam(value, mapping.kind === 'column' ? mapping.timezone : undefined);
  }
  return value;
}

/** The same test as the SQL, on a value known here (a const field, a mapped enum value). */
export function matchesLeaf(leaf: Leaf, value: Scalar): boolean {
  switch (leaf.op) {
    case 'eq':
      return leaf.value === null ? value === null : value !== null && sameScalar(value, leaf.value);
    case 'in':
      return leaf.values.some((candidate) => (candidate === null ? value === null : value !== null && sameScalar(value, candidate)));
    case 'range':
      return (
        value !== null &&
        (leaf.gt === undefined || (leaf.gt !== null && compareScalars(value, leaf.gt) > 0)) &&
        (leaf.gte === undefined || (leaf.gte !== null && compareScalars(value, leaf.gte) >= 0)) &&
        (leaf.lt === undefined || (leaf.lt !== null && compareScalars(value, leaf.lt) < 0)) &&
        (leaf.lte === undefined || (leaf.lte !== null && compareScalars(value, leaf.lte) <= 0))
      );
    case 'prefix':
      return value !== null && foldForPrefix(String(value)).startsWith(foldForPrefix(leaf.value));
    case 'isNull':
      return value === null;
    default:
      throw new UnreachableCaseError(leaf);
  }
}

function sameScalar(a: Exclude<Scalar, null>, b: Exclude<Scalar, null>): boolean {
  return compareScalars(a, b) === 0;
}

function compareScalars(a: Exclude<Scalar, null>, b: Exclude<Scalar, null>): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const difference = Number(a) - Number(b);
    if (!Number.isNaN(difference)) return Math.sign(difference);
  }
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
