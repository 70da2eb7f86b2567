/**
 * LoadRequest / ScanRequest -> one SELECT. A batch of keys is one statement whatever its
 * size (up to maxBatchSize), "the last N rows of each key" included: a window function
 * ranks rows per key inside the same statement.
 */
import { KEY_PART_SEPARATOR, UnreachableCaseError, UnsupportedRequestError } from '../contract.js';
import type { KeyMatch, KeyPart, LoadRequest, Row, ScanRequest } from '../contract.js';
import { mailboxKeySql } from './email-key.js';
import { declaredNormalizedColumn } from './normalized-columns.js';
import { parseDateInFormat, storedDateKeys } from './date-format.js';
import { allOf, compileFilter, conditionSql } from './filter.js';
import type { Condition } from './filter.js';
import { join, param, raw, sql } from './fragment.js';
import { compileServedMatch, lookupKey } from './lookup-indexes.js';
import type { Fragment } from './fragment.js';
import { column, list, orderTerms, projectionOf, readRow, selectColumns, staticConditions, table, whereSql } from './scope.js';
import type { EntityScope } from './scope.js';

/** Alias of the matched key in load statements; canonical names never start with "__". */
export const KEY_ALIAS = '__key';
const RANK_ALIAS = '__rank';
const PART_ALIAS = '__part';

export interface CompiledUnion {
  readonly statement: Fragment;
  /** The request (index) and key a returned record answers. */
  partOf(record: Readonly<Record<string, unknown>>): number;
  readonly parts: ReadonlyArray<CompiledLoad>;
}

/**
 * Loads of one entity by different key fields in one statement: `(part 0) UNION ALL
 * (part 1) …`, every part tagged with its index. Either each part is "the first N rows per
 * key" (tagged with its rank too, ordered by part and rank, so each key's rows keep the
 * order a single load gives), or no part has a limit or an order (identity lookups: every
 * holder of an e-mail, a phone, an id). Each part's WHERE is its own load's (index-served
 * the same way).
 */
export function compileUnionLoad(
  scope: EntityScope,
  parts: ReadonlyArray<{ readonly request: LoadRequest; readonly keys: ReadonlyArray<string> }>,
): CompiledUnion {
  const { dialect } = scope;
  const ranked = parts.every(({ request }) => request.limitPerKey !== undefined);
  if (!ranked && parts.some(({ request }) => request.limitPerKey !== undefined || request.orderBy !== undefined)) {
    throw new UnsupportedRequestError(scope.source, 'union loads mixing limits per key, or ordered without one');
  }
  const compiled = parts.map(({ request, keys }, index) => compileLoad(scope, request, keys, index));
  const order = ranked ? sql`${raw(dialect.quoteName(PART_ALIAS))}, ${raw(dialect.quoteName(RANK_ALIAS))}` : raw(dialect.quoteName(PART_ALIAS));
  const union = sql`${raw(dialect.select)} * FROM (${join(
    compiled.map((part) => sql`(${part.statement})`),
    ' UNION ALL ',
  )}) ${raw(dialect.quoteName('__union'))} ORDER BY ${order}`;
  return { statement: union, partOf: (record) => Number(record[PART_ALIAS]), parts: compiled };
}

export interface CompiledLoad {
  readonly statement: Fragment;
  /** The key a returned record answers, as the request's keys spell it. */
  keyOf(record: Readonly<Record<string, unknown>>): string;
  read(record: Readonly<Record<string, unknown>>): Row;
}

export interface CompiledScan {
  readonly statement: Fragment;
  read(record: Readonly<Record<string, unknown>>): Row;
}

/** `keys` are distinct and non-empty; the caller splits batches above maxBatchSize. */
export function compileLoad(scope: EntityScope, request: LoadRequest, keys: ReadonlyArray<string>, unionPart?: number): CompiledLoad {
  const { dialect } = scope;
  const compound = request.keyParts === undefined ? undefined : compoundKey(scope, request.keyParts);
  const key = compound?.expression ?? keyExpression(scope, request.keyField, request.keyMatch);
  const fields = projectionOf(scope, request.projection);
  const keyAlias = raw(dialect.quoteName(KEY_ALIAS));
  // A part of a UNION ALL: keys of different types (a DATE, a text) come back as text.
  const selectedKey = unionPart === undefined ? key : dialect.asText(key);
  const selected = list([sql`${selectedKey} AS ${keyAlias}`, ...selectColumns(scope, fields)]);
  // The exact normalization stays the returned key (the residual check); the WHERE is the index-served form when there is one.
  const plan = compound === undefined ? scope.lookups?.get(lookupKey(scope.mapping.entity, request.keyField, request.keyMatch)) : undefined;
  const served = compileServedMatch(dialect, plan, keys);
  const whereFor = (asked: ReadonlyArray<string>, servedMatch: Fragment | undefined) =>
    conditionSql(
      allOf([
        compound?.match(asked) ??
          servedMatch ??
          dialect.matchAny(key, request.keyMatch === 'exact' ? storedDateKeys(scope.field(request.keyField), asked) : asked),
        compound === undefined ? relatedPrefilter(scope, request.keyField, request.keyMatch, asked) : true,
        staticConditions(scope),
        request.filter === undefined ? true : compileFilter(request.filter, scope),
      ]),
    );
  const where = whereFor(keys, served);
  const from = sql`FROM ${table(scope)} WHERE ${where}`;

  let statement: Fragment;
  if (request.limitPerKey === undefined && unionPart !== undefined) {
    // A part of an unordered union (compileUnionLoad): tagged with its index, no order.
    statement = sql`SELECT ${selected}, ${raw(String(unionPart))} AS ${raw(dialect.quoteName(PART_ALIAS))} ${from}`;
  } else if (request.limitPerKey !== undefined && unionPart !== undefined && keys.length <= MAX_LIMITED_KEYS) {
    statement = limitedPerKey(scope, request, request.limitPerKey, keys, unionPart, selected, (asked) =>
      whereFor(asked, compileServedMatch(dialect, plan, asked)),
    );
  } else if (request.limitPerKey === undefined) {
    // Rows come back in the requested order; grouping by key keeps it within each key.
    const order = request.orderBy === undefined ? [] : orderTerms(scope, request.orderBy);
    const orderBy = order.length === 0 ? raw('') : sql` ORDER BY ${list(order)}`;
    statement = sql`${raw(dialect.select)} ${selected} ${from}${orderBy}`;
  } else {
    const rank = raw(dialect.quoteName(RANK_ALIAS));
    const window = sql`PARTITION BY ${key} ORDER BY ${list(orderTerms(scope, request.orderBy ?? []))}`;
    const ranked = sql`SELECT ${selected}, ROW_NUMBER() OVER (${window}) AS ${rank} ${from}`;
    const outer = list([
      keyAlias,
      ...fields.flatMap(([name, mapping]) => (mapping.kind === 'column' ? [raw(dialect.quoteName(name))] : [])),
      ...(unionPart === undefined ? [] : [sql`${raw(String(unionPart))} AS ${raw(dialect.quoteName(PART_ALIAS))}`, rank]),
    ]);
    const ranking = unionPart === undefined ? sql` ORDER BY ${rank}` : raw('');
    statement = sql`${unionPart === undefined ? raw(dialect.select) : raw('SELECT')} ${outer} FROM (${ranked}) ${raw(dialect.quoteName(`__ranked${unionPart ?? ''}`))} WHERE ${rank} <= ${param(
      request.limitPerKey,
    )}${ranking}`;
  }
  return {
    statement,
    keyOf: compound === undefined ? keyReader(scope, request) : (record) => String(record[KEY_ALIAS]),
    read: (record) => readRow(fields, record),
  };
}

/** Keys of one union part up to which each key is its own LIMIT subquery (beyond: one window over all). */
const MAX_LIMITED_KEYS = 64;

/**
 * "The first N rows of each key" as one `(… WHERE key = k ORDER BY … LIMIT N)` per key,
 * ranked afterwards over those N rows only. A window function over the whole block
 * (`ROW_NUMBER() OVER (PARTITION BY key …) <= N`) reads every row of the key before
 * keeping N: a surname block of a thousand rows is a thousand rows read for 200 kept.
 * The LIMIT form stops after N rows when an index on (key, order) serves the order
 * (MariaDB/InnoDB: any index on the key, the primary key being its implicit suffix;
 * PostgreSQL: an index on the key expression and the order column). The entity key is
 * never null, so its order term is the bare column (the NULLS-last form of MySQL,
 * `col IS NULL, col`, is a sort no index serves).
 */
function limitedPerKey(
  scope: EntityScope,
  request: LoadRequest,
  limit: number,
  keys: ReadonlyArray<string>,
  unionPart: number,
  selected: Fragment,
  whereFor: (keys: ReadonlyArray<string>) => Fragment,
): Fragment {
  const { dialect } = scope;
  const orderBy = request.orderBy ?? [];
  const terms = (
    orderBy.some((term) => term.field === scope.mapping.key) ? orderBy : [...orderBy, { field: scope.mapping.key, direction: 'ASC' as const }]
  ).flatMap(({ field, direction }) => {
    const mapping = scope.field(field);
    return mapping.kind === 'column' ? [{ expression: column(scope, mapping), direction, isKey: field === scope.mapping.key }] : [];
  });
  const hidden = terms.map((_, i) => raw(dialect.quoteName(`__order${i}`)));
  const indexOrder = list(
    terms.map((term) => (term.isKey ? sql`${term.expression} ${raw(term.direction)}` : dialect.orderTerm(term.expression, term.direction))),
  );
  const hiddenColumns = terms.map((term, i) => sql`${term.expression} AS ${hidden[i]!}`);
  const perKey = keys.map(
    (asked) => sql`(SELECT ${list([selected, ...hiddenColumns])} FROM ${table(scope)} WHERE ${whereFor([asked])} ORDER BY ${indexOrder} LIMIT ${param(limit)})`,
  );
  const keyAlias = raw(dialect.quoteName(KEY_ALIAS));
  const rank = raw(dialect.quoteName(RANK_ALIAS));
  const fields = projectionOf(scope, request.projection);
  const rankOrder = list(terms.map((term, i) => (term.isKey ? sql`${hidden[i]!} ${raw(term.direction)}` : dialect.orderTerm(hidden[i]!, term.direction))));
  const outer = list([
    keyAlias,
    ...fields.flatMap(([name, mapping]) => (mapping.kind === 'column' ? [raw(dialect.quoteName(name))] : [])),
    sql`${raw(String(unionPart))} AS ${raw(dialect.quoteName(PART_ALIAS))}`,
    sql`ROW_NUMBER() OVER (PARTITION BY ${keyAlias} ORDER BY ${rankOrder}) AS ${rank}`,
  ]);
  return sql`SELECT ${outer} FROM (${join(perKey, ' UNION ALL ')}) ${raw(dialect.quoteName(`__limited${unionPart}`))}`;
}

/**
 * A compound key (LoadRequest.keyParts): the parts' values joined by KEY_PART_SEPARATOR as
 * the returned key, and as the match every part compared on its own, so that an index on
 * the parts (PostgreSQL `(LOWER(TRIM(last_name)), birth_date)`, MariaDB `(last_name_key,
 * birth_date)`) serves it: `key = ? AND birth_date >= 'Y-01-01' AND birth_date < 'Y+1-01-01'`
 * for a surname and a birth year. A caseInsensitive part names its declared normalized
 * column when there is one; a year part needs a date column (not a date stored as text in
 * a declared format: its range is not the text's).
 */
export function compoundKey(
  scope: EntityScope,
  parts: ReadonlyArray<KeyPart>,
): { readonly expression: Fragment; match(keys: ReadonlyArray<string>): Fragment } {
  const { dialect } = scope;
  const columns = parts.map((part) => {
    const mapping = scope.field(part.field);
    if (mapping.kind !== 'column') throw new UnsupportedRequestError(scope.source, `load ${scope.mapping.entity} by the constant field "${part.field}"`);
    if (mapping.format !== undefined || mapping.related !== undefined)
      throw new UnsupportedRequestError(scope.source, `load ${scope.mapping.entity} by a compound key on "${part.field}" (a formatted or related column)`);
    if (part.year === true && mapping.type !== 'date' && mapping.type !== 'datetime')
      throw new UnsupportedRequestError(scope.source, `load ${scope.mapping.entity} by the year of "${part.field}" (not a date column)`);
    return part.keyMatch === 'caseInsensitive' ? keyExpression(scope, part.field, 'caseInsensitive') : column(scope, mapping);
  });
  const valueOf = (part: KeyPart, value: Fragment): Fragment => {
    if (part.year !== true) return dialect.asText(value);
    return dialect.kind === 'postgres' ? sql`CAST(CAST(EXTRACT(YEAR FROM ${value}) AS INTEGER) AS TEXT)` : sql`YEAR(${value})`;
  };
  const values = parts.map((part, i) => valueOf(part, columns[i]!));
  const separator = raw(dialect.kind === 'postgres' ? 'CHR(31)' : 'CHAR(31 USING utf8mb4)');
  const expression =
    dialect.kind === 'postgres'
      ? sql`(${join(
          values.map((value, i) => (i === 0 ? value : sql`${separator} || ${value}`)),
          ' || ',
        )})`
      : sql`CONCAT(${join(
          values.flatMap((value, i) => (i === 0 ? [value] : [separator, value])),
          ', ',
        )})`;
  const partMatch = (part: KeyPart, at: number, value: string): Fragment => {
    const target = columns[at]!;
    if (part.year !== true) return sql`${target} = ${param(value)}`;
    const year = /^\d{4}$/.test(value) ? Number(value) : undefined;
    if (year === undefined) return raw('1 = 0');
    return sql`${target} >= ${param(`${value}-01-01`)} AND ${target} < ${param(`${String(year + 1).padStart(4, '0')}-01-01`)}`;
  };
  const match = (keys: ReadonlyArray<string>): Fragment => {
    const each = keys.map((key) => {
      const values = key.split(KEY_PART_SEPARATOR);
      if (values.length !== parts.length) return raw('1 = 0');
      return sql`(${join(
        parts.map((part, at) => partMatch(part, at, values[at]!)),
        ' AND ',
      )})`;
    });
    return each.length === 1 ? each[0]! : sql`(${join(each, ' OR ')})`;
  };
  return { expression, match };
}

/** The requested key a row answers: a text date column's value read back as the ISO key it was asked by. */
function keyReader(scope: EntityScope, request: LoadRequest): (record: Readonly<Record<string, unknown>>) => string {
  const mapping = scope.field(request.keyField);
  if (request.keyMatch !== 'exact' || mapping.kind !== 'column' || mapping.format === undefined || mapping.type !== 'date')
    return (record) => String(record[KEY_ALIAS]);
  const format = mapping.format;
  return (record) => {
    const stored = String(record[KEY_ALIAS]);
    return parseDateInFormat(stored, format) ?? stored;
  };
}

export function compileScan(scope: EntityScope, request: ScanRequest): CompiledScan {
  const { dialect } = scope;
  const fields = projectionOf(scope, request.projection);
  const columns = selectColumns(scope, fields);
  const where = conditionSql(allOf([staticConditions(scope), request.filter === undefined ? true : compileFilter(request.filter, scope)]));
  const selected = columns.length === 0 ? raw(`1 AS ${dialect.quoteName('__row')}`) : list(columns);
  return {
    statement: sql`${raw(dialect.select)} ${selected} FROM ${table(scope)} WHERE ${where} ORDER BY ${list(
      orderTerms(scope, request.orderBy),
    )} LIMIT ${param(request.limit)}`,
    read: (record) => readRow(fields, record),
  };
}

/**
 * The SQL value keys are compared with. Keys arrive normalized for the match, so the
 * column is normalized the same way; the expression is also what rows are grouped by.
 */
export function keyExpression(scope: EntityScope, keyField: string, keyMatch: KeyMatch): Fragment {
  const declared = declaredNormalizedColumn(scope, keyField, keyMatch);
  if (declared !== undefined) return declared;
  const mapping = scope.field(keyField);
  if (mapping.kind === 'const') {
    throw new UnsupportedRequestError(scope.source, `load ${scope.mapping.entity} by the constant field "${keyField}"`);
  }
  return normalizedFor(scope.dialect, column(scope, mapping), keyMatch);
}

/** `value` normalized as keys are for `keyMatch`. */
function normalizedFor(dialect: EntityScope['dialect'], value: Fragment, keyMatch: KeyMatch): Fragment {
  switch (keyMatch) {
    case 'exact':
      return value;
    case 'caseInsensitive':
      return sql`LOWER(TRIM(${dialect.asText(value)}))`;
    case 'digits':
      return dialect.digitsOnly(dialect.asText(value));
    case 'email':
      return mailboxKeySql(dialect, value);
    default:
      throw new UnreachableCaseError(keyMatch);
  }
}

const PREFILTER_ALIAS = 'c360_prefilter';

/**
 * A lookup on a related table's field (a phone in billing rows): the rows of the related
 * table that hold one of the keys, as a semi-join the servers run from the related table,
 * instead of the subquery's value computed for every row of the entity. The exact match on
 * the picked row (latest, first) stays in the statement beside it.
 */
export function relatedPrefilter(scope: EntityScope, keyField: string, keyMatch: KeyMatch, keys: ReadonlyArray<string>): Condition {
  const mapping = scope.field(keyField);
  if (mapping.kind !== 'column' || mapping.related === undefined) return true;
  const related = mapping.related;
  const dialect = scope.plainDialect ?? scope.dialect;
  const inner = (name: string): Fragment => raw(`${PREFILTER_ALIAS}.${dialect.quoteName(name)}`);
  const outer = raw(`${scope.qualifier ?? dialect.quoteTable(scope.mapping.table)}.${dialect.quoteName(related.localColumn)}`);
  const where = conditionSql(allOf([whereSql(related.where, inner), dialect.matchAny(normalizedFor(dialect, inner(mapping.column), keyMatch), keys)]));
  return sql`${outer} IN (SELECT ${inner(related.joinColumn)} FROM ${raw(dialect.quoteTable(related.table))} ${raw(PREFILTER_ALIAS)} WHERE ${where})`;
}
