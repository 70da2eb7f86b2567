/**
 * Whether an index serves each probabilistic blocking rule's load, for `c360 check`. A rule
 * is one field (`lastName`) or a compound (`[lastName, birthYear]`): its load compares every
 * part on its own (./compile.ts compoundKey), so it is served by an index whose leading
 * keys are the parts, in any order but with a year (a range on the date) last. A
 * case-insensitive part is the declared normalized column where the mapping names one,
 * else on PostgreSQL the expression `LOWER(TRIM(CAST(col AS TEXT)))`; MariaDB/MySQL
 * indexes no expression, so the advice adds a virtual column holding it, to be declared
 * in `normalizedColumns`. The advised index ends with the entity key: the rows a block
 * keeps are the first by key (`ORDER BY id LIMIT n`), which the index then serves.
 */
import type { KeyPart, LookupReport } from '../contract.js';
import type { EntityMapping } from '../mapping.js';
import { qualify, type QualifiedTable } from './check.js';
import { flattenIndexKey as flatten, schemaTableMatch } from './lookup-indexes.js';
import type { SqlDialect } from './dialect.js';
import { raw, sql, type Fragment } from './fragment.js';
import { runStatement, type SqlDriver } from './run.js';

/** One blocking rule's load on one entity: `name` as the config spells the rule. */
export interface BlockingLookup {
  readonly entity: string;
  readonly name: string;
  readonly parts: ReadonlyArray<KeyPart>;
}

function postgresIndexColumns(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  return sql`${raw(dialect.select)} n.nspname AS "schema", c.relname AS "table", ic.relname AS "index", k.n AS "position", pg_get_indexdef(i.indexrelid, k.n, true) AS "key" FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n) WHERE i.indpred IS NULL AND ${dialect.matchAny(
    raw('c.relname'),
    [...new Set(tables.map(({ table }) => table))],
  )}`;
}

function mysqlIndexColumns(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  return sql`${raw(dialect.select)} table_schema AS \`schema\`, table_name AS \`table\`, index_name AS \`index\`, seq_in_index AS \`position\`, column_name AS \`key\` FROM information_schema.statistics WHERE ${schemaTableMatch(dialect, tables)}`;
}

/** What an index key must be to serve a part (flattened), and how the advice writes it. */
function partKey(dialect: SqlDialect, mapping: EntityMapping, part: KeyPart): { readonly key: string; readonly sql: string; readonly virtual?: string } {
  const field = mapping.fields[part.field];
  const column = field?.kind === 'column' ? field.column : part.field;
  const declared = part.keyMatch === 'caseInsensitive' ? mapping.normalizedColumns?.[part.field]?.caseInsensitive : undefined;
  if (declared !== undefined) return { key: declared.toLowerCase(), sql: dialect.quoteName(declared) };
  if (part.keyMatch !== 'caseInsensitive') return { key: column.toLowerCase(), sql: dialect.quoteName(column) };
  if (dialect.kind === 'postgres') {
    const expression = `LOWER(TRIM(CAST(${dialect.quoteName(column)} AS TEXT)))`;
    return { key: flatten(expression), sql: `(${expression})` };
  }
  // Undeclared, the load compares LOWER(TRIM(col)), which no MariaDB/MySQL index serves (none matches this key).
  const virtual = `${column}_key`;
  return { key: '\u0000', sql: dialect.quoteName(virtual), virtual };
}

/** Reads every index's key columns of the blocking lookups' tables, and says which serves each lookup. */
export async function describeBlockingLookups(
  driver: SqlDriver,
  dialect: SqlDialect,
  source: string,
  mappings: ReadonlyArray<EntityMapping>,
  defaultSchema: string,
  lookups: ReadonlyArray<BlockingLookup>,
  signal: AbortSignal,
): Promise<LookupReport[]> {
  const asked = lookups.flatMap((lookup) => {
    const mapping = mappings.find((candidate) => candidate.entity === lookup.entity);
    return mapping === undefined ? [] : [{ lookup, mapping, table: qualify(mapping.table, defaultSchema) }];
  });
  if (asked.length === 0) return [];
  const tables = asked.map(({ table }) => table);
  const statement = dialect.kind === 'postgres' ? postgresIndexColumns(dialect, tables) : mysqlIndexColumns(dialect, tables);
  const records = await runStatement(driver, dialect.placeholder, { source, entity: 'the blocking indexes' }, statement, { signal });
  // Index key columns in order, by table.
  const indexes = new Map<string, Map<string, string[]>>();
  for (const record of records) {
    const table = `${String(record.schema)}\u0000${String(record.table)}`;
    const byIndex = indexes.get(table) ?? new Map<string, string[]>();
    const keys = byIndex.get(String(record.index)) ?? [];
    keys[Number(record.position) - 1] = flatten(String(record.key));
    byIndex.set(String(record.index), keys);
    indexes.set(table, byIndex);
  }
  return asked.map(({ lookup, mapping, table }) => {
    // A year (a range) last: the index then holds the equal parts first.
    const parts = [...lookup.parts].sort((a, b) => Number(a.year === true) - Number(b.year === true));
    const wanted = parts.map((part) => partKey(dialect, mapping, part));
    const ranges = new Set(parts.flatMap((part, i) => (part.year === true ? [wanted[i]!.key] : [])));
    const byIndex = indexes.get(`${table.schema}\u0000${table.table}`) ?? new Map<string, string[]>();
    const serving = [...byIndex.entries()].find(([, keys]) => {
      const leading = keys.slice(0, wanted.length);
      if (leading.length < wanted.length || leading.some((key) => key === undefined)) return false;
      const wantedKeys = new Set(wanted.map((part) => part.key));
      if (!leading.every((key) => wantedKeys.has(key)) || new Set(leading).size !== wanted.length) return false;
      // A range part must be the last of the leading keys (an equality after it is not served).
      return leading.every((key, i) => !ranges.has(key) || i === leading.length - 1);
    });
    const what = `${lookup.entity} blocking rule ${lookup.name} (${mapping.table}: ${wanted.map((part) => part.sql).join(', ')})`;
    if (serving !== undefined) return { served: true, message: `${what}: served by index ${serving[0]}` };
    return { served: false, message: `${what}: no index serves it; run: ${advice(dialect, mapping, lookup, parts, wanted)}` };
  });
}

function advice(
  dialect: SqlDialect,
  mapping: EntityMapping,
  lookup: BlockingLookup,
  parts: ReadonlyArray<KeyPart>,
  wanted: ReadonlyArray<{ sql: string; virtual?: string }>,
): string {
  const table = dialect.quoteTable(mapping.table);
  const keyField = mapping.fields[mapping.key];
  const key = keyField?.kind === 'column' ? [dialect.quoteName(keyField.column)] : [];
  const bare = mapping.table.split('.').at(-1)!;
  const name = dialect.quoteName(`${bare}_${lookup.name.replace(/\W/g, '_').toLowerCase()}_block_idx`);
  if (dialect.kind === 'postgres') return `CREATE INDEX ${name} ON ${table} (${[...wanted.map((part) => part.sql), ...key].join(', ')})`;
  // MariaDB/MySQL: a virtual column per case-insensitive part without a declared one, then the index (InnoDB appends the key).
  const virtuals = parts.flatMap((part, i) => {
    const virtual = wanted[i]!.virtual;
    const field = mapping.fields[part.field];
    return virtual === undefined || field?.kind !== 'column' ? [] : [{ virtual, column: field.column, field: part.field }];
  });
  const adds = virtuals.map(
    ({ virtual, column }) => `ADD COLUMN ${dialect.quoteName(virtual)} VARCHAR(255) AS (LOWER(TRIM(${dialect.quoteName(column)}))) VIRTUAL, `,
  );
  const declare =
    virtuals.length === 0
      ? ''
      : ` -- then declare normalizedColumns: { ${virtuals.map(({ virtual, field }) => `${field}: { caseInsensitive: ${virtual} }`).join(', ')} } (a column already holding the value: declare it, and index it with the other parts)`;
  return `ALTER TABLE ${table} ${adds.join('')}ADD INDEX ${name} (${wanted.map((part) => part.sql).join(', ')})${declare}`;
}
