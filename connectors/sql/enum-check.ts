/**
 * `c360 check` for enum maps: the distinct values each mapped enum column holds, against
 * the map. A stored value that no rule claims reads as null (closed set) or OTHER (open
 * set) on every row that holds it; a mapped value that no row holds beside an unmapped one
 * that looks like it is a typo in c360.yaml (`completed:` for `wc-completed`).
 */
import type { MappingProblem } from '../contract.js';
import type { EntityMapping } from '../mapping.js';
import { OTHER, translates } from './enum.js';
import { conditionSql } from './filter.js';
import { param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { column, createEntityScope, staticConditions, table, type ColumnMapping } from './scope.js';
import type { SqlDialect } from './dialect.js';
import { rawFieldOf } from '../../src/config/canonical.js';
import { editDistance } from '../../src/config/parse.js';

/** Distinct values read per column at most; a column with more is no enum. */
const MAX_DISTINCT = 500;

export interface EnumColumn {
  readonly entity: string;
  readonly field: string;
  readonly mapping: ColumnMapping;
  readonly statement: Fragment;
}

/** The enum-mapped columns of a source's entities, each with its `value, rows` GROUP BY. */
export function enumColumns(source: string, dialect: SqlDialect, entities: ReadonlyArray<EntityMapping>): ReadonlyArray<EnumColumn> {
  return entities.flatMap((mapping) => {
    const scope = createEntityScope(source, mapping, dialect);
    return Object.entries(mapping.fields).flatMap(([field, fieldMapping]): EnumColumn[] => {
      if (fieldMapping.kind !== 'column' || (!translates(fieldMapping) && fieldMapping.enum === undefined)) return [];
      const value = dialect.asText(column(scope, fieldMapping));
      const q = (name: string): Fragment => raw(dialect.quoteName(name));
      const statement = sql`${raw(dialect.select)} ${value} AS ${q('value')}, COUNT(*) AS ${q('rows')} FROM ${table(scope)} WHERE ${conditionSql(
        staticConditions(scope),
      )} GROUP BY 1 ORDER BY 2 DESC LIMIT ${param(MAX_DISTINCT)}`;
      return [{ entity: mapping.entity, field, mapping: fieldMapping, statement }];
    });
  });
}

export function enumProblems(column: EnumColumn, records: ReadonlyArray<Readonly<Record<string, unknown>>>): MappingProblem[] {
  const { mapping, entity, field } = column;
  const held = records.flatMap((record) =>
    record.value === null || record.value === undefined ? [] : [{ value: textOf(record.value), rows: Number(record.rows) }],
  );
  const values = mapping.values ?? {};
  const canonical = mapping.enum?.canonical ?? [];
  const claims = (stored: string): boolean => Object.hasOwn(values, stored) || canonical.includes(stored);
  const unclaimed = held.filter(({ value }) => !claims(value));
  const problems: MappingProblem[] = [];
  // A mapped value no row holds, beside an unclaimed one that looks like it: a typo.
  const heldValues = new Set(held.map(({ value }) => value));
  for (const mapped of Object.keys(values)) {
    if (heldValues.has(mapped)) continue;
    const meant = unclaimed.find(({ value }) => looksLike(mapped, value));
    if (meant === undefined) continue;
    problems.push({
      entity,
      field,
      message: `mapped value "${mapped}" is held by no row, and "${meant.value}" (${rows(meant.rows)}) is not mapped (did you mean "${meant.value}"?)`,
    });
  }
  if (unclaimed.length > 0 && mapping.otherwise === undefined) {
    const total = unclaimed.reduce((sum, { rows: count }) => sum + count, 0);
    const all = held.reduce((sum, { rows: count }) => sum + count, 0);
    const listed = unclaimed
      .slice(0, 10)
      .map(({ value, rows: count }) => `"${value}" (${rows(count)})`)
      .join(', ');
    const more = unclaimed.length > 10 ? ` and ${unclaimed.length - 10} more` : '';
    const share = all === 0 ? 0 : Math.round((100 * total) / all);
    const open = mapping.enum?.open === true;
    const readAs = open ? `read as ${OTHER} (the stored value stays in ${rawFieldOf(field)})` : 'read as null';
    problems.push({
      entity,
      field,
      message: `${unclaimed.length} stored value${unclaimed.length === 1 ? ' is' : 's are'} not mapped and ${readAs} on ${rows(total)} (${share}%): ${listed}${more}; map ${unclaimed.length === 1 ? 'it' : 'them'} under values, or set otherwise`,
      ...(open ? { severity: 'warning' as const } : {}),
    });
  }
  return problems;
}

function rows(count: number): string {
  return `${count} row${count === 1 ? '' : 's'}`;
}

function textOf(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** Close enough to be the value meant: one holds the other ("completed", "wc-completed"), or a few edits apart. */
function looksLike(mapped: string, stored: string): boolean {
  const a = mapped.toLowerCase();
  const b = stored.toLowerCase();
  if (a.length >= 3 && (b.includes(a) || a.includes(b))) return true;
  return editDistance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
}
