/**
 * One entity of one source as the compiler sees it: its mapping, the dialect, and the
 * lookups every compiled part shares. A field the mapping does not name is a request
 * the connector cannot serve, so it fails with the named error.
 */
import { markUnreadable, UnreachableCaseError, UnsupportedRequestError } from '../contract.js';
import type { JsonValue, Row } from '../contract.js';
import type { EntityMapping, FieldMapping, RelatedColumn, WhereCondition } from '../mapping.js';
import { readField } from './coerce.js';
import type { SqlDialect } from './dialect.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { allOf, conditionSql } from './condition.js';
import type { Condition } from './condition.js';
import type { LookupPlans } from './lookup-indexes.js';

export type ColumnMapping = Extract<FieldMapping, { readonly kind: 'column' }>;

export interface EntityScope {
  readonly source: string;
  readonly mapping: EntityMapping;
  readonly dialect: SqlDialect;
  /** How an index serves each identity lookup (./lookup-indexes.ts); absent until read. */
  readonly lookups?: LookupPlans;
  /** How the entity's table is named in the statement when it is aliased (./cube.ts); else its quoted name. */
  readonly qualifier?: string;
  /** The dialect before aliasing (./cube.ts rewrites quoteName to `alias.column`). */
  readonly plainDialect?: SqlDialect;
  field(name: string): FieldMapping;
}

export function createEntityScope(source: string, mapping: EntityMapping, dialect: SqlDialect, lookups?: LookupPlans): EntityScope {
  return {
    source,
    mapping,
    dialect,
    ...(lookups === undefined ? {} : { lookups }),
    field(name) {
      const field = Object.hasOwn(mapping.fields, name) ? mapping.fields[name] : undefined;
      if (field === undefined) throw new UnsupportedRequestError(source, `read unmapped field "${mapping.entity}.${name}"`);
      return field;
    },
  };
}

export function table(scope: EntityScope): Fragment {
  return raw(scope.dialect.quoteTable(scope.mapping.table));
}

export function column(scope: EntityScope, mapping: ColumnMapping): Fragment {
  if (mapping.related !== undefined) return relatedColumn(scope, mapping.column, mapping.related);
  return raw(scope.dialect.quoteName(mapping.column));
}

const RELATED_ALIAS = 'c360_related';

/**
 * A field of a related table, as a correlated subquery in the entity's own statement: the
 * latest (or first) related row by `orderBy` among those meeting `where`. Both servers
 * serve it from an index on (joinColumn, orderBy) of the related table.
 */
function relatedColumn(scope: EntityScope, name: string, related: RelatedColumn): Fragment {
  const dialect = scope.plainDialect ?? scope.dialect;
  const inner = (columnName: string): Fragment => raw(`${RELATED_ALIAS}.${dialect.quoteName(columnName)}`);
  const outer =
    scope.qualifier !== undefined
      ? `${scope.qualifier}.${dialect.quoteName(related.localColumn)}`
      : `${dialect.quoteTable(scope.mapping.table)}.${dialect.quoteName(related.localColumn)}`;
  const where = conditionSql(allOf([sql`${inner(related.joinColumn)} = ${raw(outer)}`, whereSql(related.where, inner)]));
  const direction = related.pick === 'latest' ? 'DESC' : 'ASC';
  return sql`(SELECT ${inner(name)} FROM ${raw(dialect.quoteTable(related.table))} ${raw(RELATED_ALIAS)} WHERE ${where} ORDER BY ${inner(related.orderBy)} ${raw(direction)} LIMIT 1)`;
}

/** The mapping's static conditions (Odoo's `active = true`), always part of the WHERE. */
export function staticConditions(scope: EntityScope): Condition {
  return whereSql(scope.mapping.where, (name) => raw(scope.dialect.quoteName(name)));
}

/** `where:` conditions over columns named by `quote`. A NULL column meets no comparison, `notIn` included. */
export function whereSql(conditions: ReadonlyArray<WhereCondition>, quote: (column: string) => Fragment): Condition {
  return allOf(
    conditions.map((condition): Condition => {
      const quoted = quote(condition.column);
      switch (condition.op) {
        case 'eq':
          return condition.value === null ? sql`${quoted} IS NULL` : sql`${quoted} = ${param(condition.value)}`;
        case 'in':
          return sql`${quoted} IN (${join(
            condition.values.map((value) => param(value)),
            ', ',
          )})`;
        case 'notIn':
          return sql`${quoted} NOT IN (${join(
            condition.values.map((value) => param(value)),
            ', ',
          )})`;
        case 'null':
          return sql`${quoted} IS NULL`;
        case 'notNull':
          return sql`${quoted} IS NOT NULL`;
        case 'range': {
          const bounds = (
            [
              ['gt', '>'],
              ['gte', '>='],
              ['lt', '<'],
              ['lte', '<='],
            ] as const
          ).flatMap(([bound, operator]) => {
            const value = condition[bound];
            return value === undefined ? [] : [sql`${quoted} ${raw(operator)} ${param(value)}`];
          });
          return allOf(bounds);
        }
        default:
          throw new UnreachableCaseError(condition);
      }
    }),
  );
}

/** Projected fields, without repeats, with their mappings; const fields are read without a column. */
export function projectionOf(scope: EntityScope, projection: ReadonlyArray<string>): ReadonlyArray<readonly [string, FieldMapping]> {
  return [...new Set(projection)].map((name) => [name, scope.field(name)] as const);
}

/** `column AS "canonicalName"` for each projected field backed by a column. */
export function selectColumns(scope: EntityScope, fields: ReadonlyArray<readonly [string, FieldMapping]>): ReadonlyArray<Fragment> {
  return fields.flatMap(([name, mapping]) => (mapping.kind === 'column' ? [sql`${column(scope, mapping)} AS ${raw(scope.dialect.quoteName(name))}`] : []));
}

/**
 * A canonical row from a statement's record: each field read from the column aliased as its
 * name, or as `aliases[i]` when given (an included statement's `0.email`), without an
 * intermediate object. Called per row of every statement: the list of unreadable fields is
 * made only for a row that has one.
 */
export function readRow(
  fields: ReadonlyArray<readonly [string, FieldMapping]>,
  record: Readonly<Record<string, unknown>>,
  aliases?: ReadonlyArray<string>,
): Row {
  const row: Record<string, JsonValue> = {};
  let unreadable: string[] | undefined;
  for (let index = 0; index < fields.length; index++) {
    const [name, mapping] = fields[index]!;
    const stored = record[aliases === undefined ? name : aliases[index]!];
    const value = readField(stored, mapping);
    row[name] = value;
    // A text date not in the declared format reads as null; data quality counts it.
    if (value === null && stored !== null && stored !== undefined && mapping.kind === 'column' && mapping.format !== undefined && String(stored).trim() !== '')
      (unreadable ??= []).push(name);
  }
  if (unreadable !== undefined) markUnreadable(row, unreadable);
  return row;
}

/** ORDER BY terms for canonical fields; a const field orders nothing. */
export function orderTerms(
  scope: EntityScope,
  orderBy: ReadonlyArray<{ readonly field: string; readonly direction: 'ASC' | 'DESC' }>,
): ReadonlyArray<Fragment> {
  // The entity key breaks ties so pages and "first N" are the same on every run.
  const withKey = orderBy.some((term) => term.field === scope.mapping.key) ? orderBy : [...orderBy, { field: scope.mapping.key, direction: 'ASC' as const }];
  return withKey.flatMap(({ field, direction }) => {
    const mapping = scope.field(field);
    return mapping.kind === 'column' ? [scope.dialect.orderTerm(column(scope, mapping), direction)] : [];
  });
}

export function list(fragments: ReadonlyArray<Fragment>): Fragment {
  return join(fragments, ', ');
}
