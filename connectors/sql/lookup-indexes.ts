/**
 * Identity lookups an index can serve. c360 matches e-mails trimmed and lower-cased
 * (`LOWER(TRIM(email)) = ANY($1)`), which no ordinary index serves: each lookup would scan
 * the table. Read once per connector (and by `c360 check`), the table's indexes and column
 * collations say which predicate an existing index serves:
 *
 * - an index on exactly the normalization (PostgreSQL `lower(trim(email))`): the normal
 *   predicate already uses it;
 * - an index on `lower(email)` (PostgreSQL): `lower(email) = ANY(keys)`;
 * - an index on the column under a case-insensitive collation (MariaDB/MySQL `_ci`):
 *   `email IN (keys)`;
 * - an indexed generated column holding `lower(trim(email))` (MariaDB): equality on it.
 *
 * The last three do not trim, so the keys are sent with the surrounding spaces the column
 * actually holds: a probe at the same time reads the most leading and trailing spaces of
 * any stored value, and each key goes out in every such padding (at most MAX_PADDING each
 * side; beyond it the lookup keeps the exact, scanning predicate). The exact normalization
 * stays in the statement as the returned key, so a row the wider predicate finds but the
 * exact one would not is dropped by the connector: results are those of the exact match.
 * Where nothing serves a lookup, `c360 check` prints the statement to run.
 */
import type { KeyMatch } from '../contract.js';
import type { EntityMapping } from '../mapping.js';
import { qualify, type QualifiedTable } from './check.js';
import type { SqlDialect } from './dialect.js';
import { mailboxKeySql } from './email-key.js';
import { join, param, raw, render, sql, type Fragment } from './fragment.js';
import { runStatement, type DriverRecord, type SqlDriver } from './run.js';

/** Most spaces on either side of a stored value that keys are still padded for. */
export const MAX_PADDING = 2;

export type LookupService =
  /** An index on the exact normalization: the normal predicate is index-served. */
  | 'expression'
  /** PostgreSQL index on lower(column). */
  | 'lowerIndex'
  /** Index on the column under a case-insensitive collation (MySQL/MariaDB). */
  | 'collation'
  /** Indexed generated column holding the normalization (MySQL/MariaDB). */
  | 'generatedColumn'
  /** A plain index on the column (exact lookups). */
  | 'column'
  /** A normalized column the mapping declares (`normalizedColumns`), indexed: the lookup names it. */
  | 'declaredColumn'
  | 'none';

export interface LookupPlan {
  readonly entity: string;
  readonly field: string;
  readonly keyMatch: KeyMatch;
  readonly table: string;
  readonly column: string;
  readonly service: LookupService;
  /** The index that serves it, when one does. */
  readonly index?: string;
  readonly generatedColumn?: string;
  /** Spaces stored around values (from the probe), keys are padded for them. */
  readonly leadingSpaces: number;
  readonly trailingSpaces: number;
  /** MySQL collations that ignore trailing spaces (PAD SPACE): no trailing padding needed. */
  readonly padSpace: boolean;
  /**
   * MySQL: the column is of an integer type, so a long IN list of its values is sent as
   * numbers (a list of quoted strings against an INT column compares each row as DECIMAL,
   * about five times slower on the cube bench).
   */
  readonly integerColumn?: boolean;
  /** Why the lookup is not index-served, and what the operator can run. */
  readonly advice?: string;
}

export type LookupPlans = ReadonlyMap<string, LookupPlan>;

export function lookupKey(entity: string, field: string, keyMatch: KeyMatch): string {
  return `${entity}\u0000${field}\u0000${keyMatch}`;
}

/** Fields besides each entity's key that rows are loaded by: identifiers and foreign keys. */
const LOOKUP_KEY_FIELDS: ReadonlySet<string> = new Set(['externalId', 'contactId', 'customerId', 'orderId', 'accountId']);

/** The (field, match) pairs c360 looks records up by: identifiers, and the keys children load by. */
const INTEGER_TYPES: ReadonlySet<string> = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);

function lookupsOf(mapping: EntityMapping): Array<{ field: string; column: string; keyMatch: KeyMatch }> {
  const found: Array<{ field: string; column: string; keyMatch: KeyMatch }> = [];
  for (const [field, fieldMapping] of Object.entries(mapping.fields)) {
    // A related table's field (./scope.ts) is looked up through its subquery: see relatedLookups.
    if (fieldMapping.kind !== 'column' || fieldMapping.related !== undefined) continue;
    // Identity looks e-mails up by mailbox key (every spelling of one mailbox); customerBy(email)
    // on a source without that match, and other readers, by the trimmed lower-cased address.
    if (field === 'email')
      found.push({ field, column: fieldMapping.column, keyMatch: 'email' }, { field, column: fieldMapping.column, keyMatch: 'caseInsensitive' });
    else if (field === 'phone' || field === 'mobile') found.push({ field, column: fieldMapping.column, keyMatch: 'digits' });
    else if (field === mapping.key || LOOKUP_KEY_FIELDS.has(field)) found.push({ field, column: fieldMapping.column, keyMatch: 'exact' });
  }
  // Every declared normalized column (blocking keys too: lastName, firstName): is it indexed?
  for (const [field, byMatch] of Object.entries(mapping.normalizedColumns ?? {})) {
    const fieldMapping = mapping.fields[field];
    if (fieldMapping?.kind !== 'column') continue;
    for (const keyMatch of Object.keys(byMatch) as KeyMatch[]) {
      if (!found.some((lookup) => lookup.field === field && lookup.keyMatch === keyMatch)) found.push({ field, column: fieldMapping.column, keyMatch });
    }
  }
  return found;
}

/** Identity lookups on a related table's field: a semi-join on the related table (./compile.ts relatedPrefilter), which no plan of the entity's table describes. */
export function relatedLookups(mappings: ReadonlyArray<EntityMapping>): ReadonlyArray<string> {
  return mappings.flatMap((mapping) =>
    Object.entries(mapping.fields).flatMap(([field, fieldMapping]) =>
      fieldMapping.kind === 'column' && fieldMapping.related !== undefined && ['email', 'phone', 'mobile', 'externalId'].includes(field)
        ? [
            `${mapping.entity}.${field} (${fieldMapping.related.table}.${fieldMapping.column}, the ${fieldMapping.related.pick} row by ${fieldMapping.related.orderBy}): read through a related table: each lookup is a semi-join on ${fieldMapping.related.table}.${fieldMapping.column}, which scans ${fieldMapping.related.table} unless an index serves the comparison`,
          ]
        : [],
    ),
  );
}

/**
 * Index key text with quotes, casts, spaces and parentheses removed, each server's spelling
 * of one function read as one: `lower((email)::text)` -> `loweremail`, `btrim(x)` and
 * `TRIM(BOTH FROM x)` -> `trimx`. Also ./blocking-indexes.ts's.
 */
export function flattenIndexKey(expression: string): string {
  return expression
    .toLowerCase()
    .replace(/cast\(([^()]*) as [a-z ]+\)/g, '$1')
    .replace(/::[a-z_ ]+/g, '')
    .replace(/lcase/g, 'lower')
    .replace(/trim\(both from /g, 'trim(')
    .replace(/btrim\(/g, 'trim(')
    .replace(/["`()\s]/g, '');
}

const flatten = flattenIndexKey;

interface IndexKey {
  readonly table: string;
  readonly index: string;
  /** The index's first key, flattened. */
  readonly key: string;
}

interface ColumnFacts {
  readonly collation: string | null;
  /** information_schema DATA_TYPE, lower case (MySQL). */
  readonly type: string | null;
  readonly generated: string | null;
  /** An index whose first column this is. */
  readonly index: string | null;
}

function postgresIndexQuery(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  return sql`${raw(dialect.select)} n.nspname AS "schema", c.relname AS "table", ic.relname AS "index", pg_get_indexdef(i.indexrelid, 1, true) AS "key" FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indpred IS NULL AND ${dialect.matchAny(
    raw('c.relname'),
    [...new Set(tables.map(({ table }) => table))],
  )}`;
}

export function schemaTableMatch(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  // The schema first: MariaDB then opens only that database's tables, not every table of the server.
  const schemas = [...new Set(tables.map(({ schema }) => schema))];
  return sql`${dialect.matchAny(raw('table_schema'), schemas)} AND ${dialect.matchAny(raw('table_name'), [...new Set(tables.map(({ table }) => table))])}`;
}

function mysqlColumnQuery(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  return sql`${raw(dialect.select)} table_schema AS \`schema\`, table_name AS \`table\`, column_name AS \`column\`, collation_name AS \`collation\`, data_type AS \`type\`, generation_expression AS \`generated\` FROM information_schema.columns WHERE ${schemaTableMatch(dialect, tables)}`;
}

function mysqlIndexQuery(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  return sql`${raw(dialect.select)} table_schema AS \`schema\`, table_name AS \`table\`, column_name AS \`column\`, index_name AS \`index\` FROM information_schema.statistics WHERE seq_in_index = 1 AND ${schemaTableMatch(dialect, tables)}`;
}

/** One statement per table: the most spaces stored before and after each value of `columns`. */
function paddingQuery(dialect: SqlDialect, table: string, columns: ReadonlyArray<string>): Fragment {
  const length = dialect.kind === 'postgres' ? 'LENGTH' : 'CHAR_LENGTH';
  const parts = columns.flatMap((name, index) => {
    const value = dialect.asText(raw(dialect.quoteName(name)));
    return [
      sql`COALESCE(MAX(${raw(length)}(${value}) - ${raw(length)}(LTRIM(${value}))), 0) AS ${raw(dialect.quoteName(`lead${index}`))}`,
      sql`COALESCE(MAX(${raw(length)}(${value}) - ${raw(length)}(RTRIM(${value}))), 0) AS ${raw(dialect.quoteName(`trail${index}`))}`,
    ];
  });
  return sql`${raw(dialect.select)} ${join(parts, ', ')} FROM ${raw(dialect.quoteTable(table))}`;
}

/** The mailbox-key expression of `column` as SQL text (what an index or generated column must hold). */
function mailboxKeyText(dialect: SqlDialect, column: string): string {
  return render(mailboxKeySql(dialect, raw(dialect.quoteName(column))), dialect.placeholder).text;
}

function adviceFor(dialect: SqlDialect, table: string, column: string, keyMatch: KeyMatch): string {
  const quotedTable = dialect.quoteTable(table);
  const quoted = dialect.quoteName(column);
  const bare = table.split('.').at(-1)!;
  if (keyMatch === 'email') {
    if (dialect.kind === 'postgres')
      return `CREATE INDEX ${dialect.quoteName(`${bare}_${column}_mailbox_idx`)} ON ${quotedTable} ((${mailboxKeyText(dialect, column)}))`;
    const generated = `${column}_mailbox`;
    return `ALTER TABLE ${quotedTable} ADD COLUMN ${dialect.quoteName(generated)} VARCHAR(320) AS (${mailboxKeyText(dialect, column)}) PERSISTENT, ADD INDEX (${dialect.quoteName(generated)}) -- the lookup names it; or declare it: normalizedColumns: { ${'email'}: { email: ${generated} } }`;
  }
  if (dialect.kind === 'postgres') {
    const expression =
      keyMatch === 'caseInsensitive'
        ? `LOWER(TRIM(CAST(${quoted} AS TEXT)))`
        : keyMatch === 'digits'
          ? `REGEXP_REPLACE(CAST(${quoted} AS TEXT), '[^0-9]', '', 'g')`
          : quoted;
    return `CREATE INDEX ${dialect.quoteName(`${bare}_${column}_lookup_idx`)} ON ${quotedTable} (${keyMatch === 'exact' ? expression : `(${expression})`})`;
  }
  if (keyMatch === 'exact') return `CREATE INDEX ${dialect.quoteName(`${bare}_${column}_idx`)} ON ${quotedTable} (${quoted})`;
  if (keyMatch === 'caseInsensitive')
    return `CREATE INDEX ${dialect.quoteName(`${bare}_${column}_idx`)} ON ${quotedTable} (${quoted}) -- the column's collation is case-insensitive (_ci)`;
  const generated = `${column}_digits`;
  return `ALTER TABLE ${quotedTable} ADD COLUMN ${dialect.quoteName(generated)} VARCHAR(32) AS (REGEXP_REPLACE(${quoted}, '[^0-9]', '')) PERSISTENT, ADD INDEX (${dialect.quoteName(generated)})`;
}

/**
 * Reads the indexes, collations and stored padding of every mapped table, and plans each
 * lookup. Catalog and probe statements go through `runStatement` without a caller's
 * `onCall`, so they never show in a request's trace.
 */
export async function readLookupPlans(
  driver: SqlDriver,
  dialect: SqlDialect,
  source: string,
  mappings: ReadonlyArray<EntityMapping>,
  defaultSchema: string,
  signal: AbortSignal,
): Promise<LookupPlans> {
  const context = { source, entity: 'the lookup indexes' };
  const options = { signal };
  const tables = mappings.map((mapping) => qualify(mapping.table, defaultSchema));
  const plans = new Map<string, LookupPlan>();
  if (tables.length === 0) return plans;
  const keyOfTable = (schema: unknown, table: unknown): string => `${String(schema)}\u0000${String(table)}`;
  const indexKeys = new Map<string, IndexKey[]>();
  const columns = new Map<string, ColumnFacts>();
  if (dialect.kind === 'postgres') {
    for (const record of await runStatement(driver, dialect.placeholder, context, postgresIndexQuery(dialect, tables), options)) {
      const tableKey = keyOfTable(record.schema, record.table);
      const list = indexKeys.get(tableKey) ?? [];
      list.push({ table: String(record.table), index: String(record.index), key: flatten(String(record.key)) });
      indexKeys.set(tableKey, list);
    }
  } else {
    const [columnRecords, indexRecords] = await Promise.all([
      runStatement(driver, dialect.placeholder, context, mysqlColumnQuery(dialect, tables), options),
      runStatement(driver, dialect.placeholder, context, mysqlIndexQuery(dialect, tables), options),
    ]);
    const columnKey = (record: DriverRecord): string => `${keyOfTable(record.schema, record.table)}\u0000${String(record.column).toLowerCase()}`;
    const indexes = new Map<string, string>();
    for (const record of indexRecords) if (!indexes.has(columnKey(record))) indexes.set(columnKey(record), String(record.index));
    for (const record of columnRecords) {
      columns.set(columnKey(record), {
        collation: stringOrNull(record.collation),
        type: stringOrNull(record.type)?.toLowerCase() ?? null,
        generated: stringOrNull(record.generated),
        index: indexes.get(columnKey(record)) ?? null,
      });
    }
  }

  const pending: Array<{ plan: Omit<LookupPlan, 'leadingSpaces' | 'trailingSpaces'>; probe: boolean }> = [];
  mappings.forEach((mapping, position) => {
    const { schema, table } = tables[position]!;
    const tableKey = keyOfTable(schema, table);
    for (const lookup of lookupsOf(mapping)) {
      const column = lookup.column.toLowerCase();
      const type = dialect.kind === 'mysql' ? columns.get(`${tableKey}\u0000${column}`)?.type : undefined;
      const base = {
        entity: mapping.entity,
        field: lookup.field,
        keyMatch: lookup.keyMatch,
        table: mapping.table,
        column: lookup.column,
        ...(type != null && INTEGER_TYPES.has(type) ? { integerColumn: true } : {}),
      };
      if (dialect.kind === 'postgres') {
        const keys = indexKeys.get(tableKey) ?? [];
        const exact =
          lookup.keyMatch === 'caseInsensitive'
            ? [`lowertrimbothfrom${column}`, `lowerbtrim${column}`]
            : lookup.keyMatch === 'digits'
              ? [`regexp_replace${column},'[^0-9]','','g'`]
              : lookup.keyMatch === 'email'
                ? [flatten(mailboxKeyText(dialect, lookup.column)), flatten(mailboxKeyText(dialect, lookup.column)).replace(/lowertrim/g, 'lowertrimbothfrom')]
                : [column];
        const declared = declaredColumnOf(mapping, lookup.field, lookup.keyMatch);
        const declaredIndex = declared === undefined ? undefined : keys.find((key) => key.key === declared.toLowerCase());
        if (declared !== undefined) {
          pending.push({
            plan:
              declaredIndex === undefined
                ? {
                    ...base,
                    service: 'none',
                    padSpace: false,
                    advice: `CREATE INDEX ${dialect.quoteName(`${table}_${declared}_idx`)} ON ${dialect.quoteTable(mapping.table)} (${dialect.quoteName(declared)}) -- the declared normalized column ${declared} has no index`,
                  }
                : { ...base, service: 'declaredColumn', generatedColumn: declared, index: declaredIndex.index, padSpace: false },
            probe: false,
          });
          continue;
        }
        const served = keys.find((key) => exact.includes(key.key));
        const lower = lookup.keyMatch === 'caseInsensitive' ? keys.find((key) => key.key === `lower${column}`) : undefined;
        if (served !== undefined)
          pending.push({
            plan: { ...base, service: lookup.keyMatch === 'exact' ? 'column' : 'expression', index: served.index, padSpace: false },
            probe: false,
          });
        else if (lower !== undefined) pending.push({ plan: { ...base, service: 'lowerIndex', index: lower.index, padSpace: false }, probe: true });
        else
          pending.push({
            plan: { ...base, service: 'none', padSpace: false, advice: adviceFor(dialect, mapping.table, lookup.column, lookup.keyMatch) },
            probe: false,
          });
        continue;
      }
      const facts = columns.get(`${tableKey}\u0000${column}`);
      const padSpace = !(facts?.collation ?? '').includes('nopad');
      const declared = declaredColumnOf(mapping, lookup.field, lookup.keyMatch);
      if (declared !== undefined) {
        const declaredIndex = columns.get(`${tableKey}\u0000${declared.toLowerCase()}`)?.index ?? null;
        pending.push({
          plan:
            declaredIndex === null
              ? {
                  ...base,
                  service: 'none',
                  padSpace,
                  advice: `ALTER TABLE ${dialect.quoteTable(mapping.table)} ADD INDEX (${dialect.quoteName(declared)}) -- the declared normalized column ${declared} has no index`,
                }
              : { ...base, service: 'declaredColumn', generatedColumn: declared, index: declaredIndex, padSpace },
          probe: false,
        });
        continue;
      }
      const normalization =
        lookup.keyMatch === 'caseInsensitive'
          ? `lowertrim${column}`
          : lookup.keyMatch === 'digits'
            ? `regexp_replace${column},'[^0-9]',''`
            : lookup.keyMatch === 'email'
              ? flatten(mailboxKeyText(dialect, lookup.column))
              : undefined;
      const generated =
        normalization === undefined
          ? undefined
          : [...columns.entries()].find(
              ([name, other]) =>
                name.startsWith(`${tableKey}\u0000`) && other.index !== null && other.generated !== null && flatten(other.generated) === normalization,
            );
      if (generated !== undefined) {
        pending.push({
          plan: { ...base, service: 'generatedColumn', generatedColumn: generated[0].split('\u0000').at(-1)!, index: generated[1].index!, padSpace },
          probe: false,
        });
      } else if (facts?.index != null && (lookup.keyMatch === 'exact' || (lookup.keyMatch === 'caseInsensitive' && /_ci$/.test(facts.collation ?? '')))) {
        pending.push({
          plan: { ...base, service: lookup.keyMatch === 'exact' ? 'column' : 'collation', index: facts.index, padSpace },
          probe: lookup.keyMatch === 'caseInsensitive',
        });
      } else {
        pending.push({ plan: { ...base, service: 'none', padSpace, advice: adviceFor(dialect, mapping.table, lookup.column, lookup.keyMatch) }, probe: false });
      }
    }
  });

  // The padding probe: one statement per table with a lookup that does not trim.
  const probed = new Map<string, { lead: number; trail: number }>();
  const byTable = new Map<string, string[]>();
  for (const { plan, probe } of pending) if (probe) byTable.set(plan.table, [...new Set([...(byTable.get(plan.table) ?? []), plan.column])]);
  await Promise.all(
    [...byTable].map(async ([table, names]) => {
      const record: DriverRecord = (await runStatement(driver, dialect.placeholder, context, paddingQuery(dialect, table, names), options))[0] ?? {};
      names.forEach((name, index) =>
        probed.set(`${table}\u0000${name}`, { lead: Number(record[`lead${index}`] ?? 0), trail: Number(record[`trail${index}`] ?? 0) }),
      );
    }),
  );
  for (const { plan, probe } of pending) {
    const padding = probe ? (probed.get(`${plan.table}\u0000${plan.column}`) ?? { lead: 0, trail: 0 }) : { lead: 0, trail: 0 };
    const trailing = plan.service === 'collation' && plan.padSpace ? 0 : padding.trail;
    const tooPadded = padding.lead > MAX_PADDING || trailing > MAX_PADDING;
    const final: LookupPlan = tooPadded
      ? {
          ...plan,
          service: 'none',
          leadingSpaces: padding.lead,
          trailingSpaces: trailing,
          advice: `values are stored with up to ${Math.max(padding.lead, trailing)} surrounding spaces: trim them (UPDATE ${plan.table} SET ${plan.column} = TRIM(${plan.column})), or ${adviceFor(dialect, plan.table, plan.column, plan.keyMatch)}`,
        }
      : { ...plan, leadingSpaces: padding.lead, trailingSpaces: trailing };
    plans.set(lookupKey(plan.entity, plan.field, plan.keyMatch), final);
  }
  return plans;
}

/** Each key with every padding stored values have (keys arrive trimmed and lower-cased). */
export function paddedKeys(plan: LookupPlan, keys: ReadonlyArray<string>): string[] {
  if (plan.leadingSpaces === 0 && plan.trailingSpaces === 0) return [...keys];
  const padded: string[] = [];
  for (const key of keys) {
    for (let lead = 0; lead <= plan.leadingSpaces; lead++) {
      for (let trail = 0; trail <= plan.trailingSpaces; trail++) padded.push(`${' '.repeat(lead)}${key}${' '.repeat(trail)}`);
    }
  }
  return padded;
}

/**
 * The index-served WHERE term of a lookup by `keys`, or undefined when the exact predicate
 * is already index-served or nothing serves it (the caller keeps the exact one).
 */
export function compileServedMatch(dialect: SqlDialect, plan: LookupPlan | undefined, keys: ReadonlyArray<string>): Fragment | undefined {
  if (plan === undefined || plan.keyMatch === 'exact' || plan.service === 'declaredColumn') return undefined;
  // Digits and mailbox keys: only a generated column holding them serves (by name); no padding, they trim.
  if (plan.keyMatch === 'digits' || plan.keyMatch === 'email')
    return plan.service === 'generatedColumn' ? dialect.matchAny(raw(dialect.quoteName(plan.generatedColumn!)), keys) : undefined;
  switch (plan.service) {
    case 'lowerIndex':
      return sql`LOWER(${raw(dialect.quoteName(plan.column))}) = ANY(${param(paddedKeys(plan, keys))})`;
    case 'collation':
      return dialect.matchAny(raw(dialect.quoteName(plan.column)), paddedKeys(plan, keys));
    case 'generatedColumn':
      return dialect.matchAny(raw(dialect.quoteName(plan.generatedColumn!)), keys);
    default:
      return undefined;
  }
}

/** One line per lookup for `c360 check`. */
export function describePlan(plan: LookupPlan): string {
  const what = `${plan.entity}.${plan.field} (${plan.table}.${plan.column}, ${plan.keyMatch})`;
  const padding =
    plan.leadingSpaces + plan.trailingSpaces > 0 ? `; keys padded for ${plan.leadingSpaces} leading / ${plan.trailingSpaces} trailing stored spaces` : '';
  switch (plan.service) {
    case 'expression':
    case 'column':
      return `${what}: served by index ${plan.index}`;
    case 'lowerIndex':
      return `${what}: served by index ${plan.index} on lower(${plan.column})${padding}`;
    case 'collation':
      return `${what}: served by index ${plan.index} under its case-insensitive collation${padding}`;
    case 'generatedColumn':
      return `${what}: served by index ${plan.index} on generated column ${plan.generatedColumn}`;
    case 'declaredColumn':
      return `${what}: served by index ${plan.index} on the declared normalized column ${plan.generatedColumn}`;
    case 'none':
      return `${what}: no index serves it, each lookup scans the table; run: ${plan.advice}`;
  }
}

/** The column the mapping declares for `field` matched by `keyMatch` (`normalizedColumns`). */
function declaredColumnOf(mapping: EntityMapping, field: string, keyMatch: KeyMatch): string | undefined {
  return mapping.normalizedColumns?.[field]?.[keyMatch];
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
