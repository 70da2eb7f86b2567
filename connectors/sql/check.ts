/**
 * Does every mapped table and column exist? One information_schema query for the whole
 * source, so an operator sees every mistake in c360.yaml at once.
 */
import type { MappingProblem } from '../contract.js';
import type { EntityMapping, RelatedColumn } from '../mapping.js';
import type { SqlDialect } from './dialect.js';
import { raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';

export interface QualifiedTable {
  readonly schema: string;
  readonly table: string;
}

/** "crm.res_partner" -> crm / res_partner; an unqualified name is in `defaultSchema`. */
export function qualify(name: string, defaultSchema: string): QualifiedTable {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? { schema: defaultSchema, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

export function compileColumnsQuery(dialect: SqlDialect, tables: ReadonlyArray<QualifiedTable>): Fragment {
  const alias = (name: string): Fragment => raw(dialect.quoteName(name));
  const names = [...new Set(tables.map(({ table }) => table))];
  return sql`${raw(dialect.select)} table_schema AS ${alias('schema')}, table_name AS ${alias('table')}, column_name AS ${alias(
    'column',
  )} FROM information_schema.columns WHERE ${dialect.matchAny(raw('table_name'), names)}`;
}

export function findMappingProblems(
  dialect: SqlDialect,
  entities: ReadonlyArray<EntityMapping>,
  defaultSchema: string,
  records: ReadonlyArray<Readonly<Record<string, unknown>>>,
): ReadonlyArray<MappingProblem> {
  // MySQL column names are case-insensitive; PostgreSQL's quoted names are not.
  const fold = (name: string): string => (dialect.kind === 'mysql' ? name.toLowerCase() : name);
  const columnsByTable = new Map<string, Set<string>>();
  for (const record of records) {
    const tableKey = `${String(record.schema)}\u0000${String(record.table)}`;
    const columns = columnsByTable.get(tableKey) ?? new Set<string>();
    columns.add(fold(String(record.column)));
    columnsByTable.set(tableKey, columns);
  }

  const columnsOf = (name: string): Set<string> | undefined => {
    const { schema, table } = qualify(name, defaultSchema);
    return columnsByTable.get(`${schema}\u0000${table}`);
  };
  return entities.flatMap((mapping): MappingProblem[] => {
    const columns = columnsOf(mapping.table);
    if (columns === undefined) {
      return [{ entity: mapping.entity, field: 'table', message: `table "${mapping.table}" does not exist (mapped from ${mapping.entity})` }];
    }
    const missing = (column: string): boolean => !columns.has(fold(column));
    const fieldProblems = Object.entries(mapping.fields).flatMap(([field, fieldMapping]): MappingProblem[] =>
      fieldMapping.kind === 'column' && fieldMapping.related !== undefined
        ? relatedProblems(mapping, field, fieldMapping.column, fieldMapping.related, missing, columnsOf(fieldMapping.related.table), fold)
        : fieldMapping.kind === 'column' && missing(fieldMapping.column)
          ? [
              {
                entity: mapping.entity,
                field,
                message: `table "${mapping.table}" has no column "${fieldMapping.column}" (mapped from ${mapping.entity}.${field})`,
              },
            ]
          : [],
    );
    const whereProblems = mapping.where
      .filter(({ column }) => missing(column))
      .map(({ column }) => ({
        entity: mapping.entity,
        field: 'where',
        message: `table "${mapping.table}" has no column "${column}" (in the static conditions of ${mapping.entity})`,
      }));
    return [...fieldProblems, ...whereProblems, ...normalizedColumnProblems(mapping, missing)];
  });
}

/** A related table's field (./scope.ts): the table, its columns, and this table's column it joins on. */
function relatedProblems(
  mapping: EntityMapping,
  field: string,
  column: string,
  related: RelatedColumn,
  missingHere: (column: string) => boolean,
  columns: Set<string> | undefined,
  fold: (name: string) => string,
): MappingProblem[] {
  const at = (key: string): string => `(related.${key} of ${mapping.entity}.${field})`;
  if (columns === undefined) return [{ entity: mapping.entity, field, message: `table "${related.table}" does not exist ${at('table')}` }];
  const problems: MappingProblem[] = [];
  const named = [
    [column, 'column'],
    [related.joinColumn, 'joinOn'],
    [related.orderBy, 'orderBy'],
    ...related.where.map((condition) => [condition.column, 'where'] as const),
  ] as const;
  for (const [name, role] of named) {
    if (!columns.has(fold(name))) problems.push({ entity: mapping.entity, field, message: `table "${related.table}" has no column "${name}" ${at(role)}` });
  }
  if (missingHere(related.localColumn))
    problems.push({ entity: mapping.entity, field, message: `table "${mapping.table}" has no column "${related.localColumn}" ${at('localColumn')}` });
  return problems;
}

/** Every table a source's mappings read: the entities' and their related tables. */
export function mappedTables(entities: ReadonlyArray<EntityMapping>): ReadonlyArray<string> {
  return [
    ...new Set(
      entities.flatMap((mapping) => [
        mapping.table,
        ...Object.values(mapping.fields).flatMap((field) => (field.kind === 'column' && field.related !== undefined ? [field.related.table] : [])),
      ]),
    ),
  ];
}

/** Declared normalized columns (./normalized-columns.ts) that the table lacks. */
function normalizedColumnProblems(mapping: EntityMapping, missing: (column: string) => boolean): MappingProblem[] {
  return Object.entries(mapping.normalizedColumns ?? {}).flatMap(([field, byMatch]) =>
    Object.entries(byMatch ?? {})
      .filter(([, column]) => column !== undefined && missing(column))
      .map(([match, column]) => ({
        entity: mapping.entity,
        field,
        message: `table "${mapping.table}" has no column "${column}" (declared as the ${match} normalized column of ${mapping.entity}.${field})`,
      })),
  );
}
