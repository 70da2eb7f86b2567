/**
 * CubeRequest -> one statement over the orders: the dimensions and measures of an
 * analytics query grouped in the shop. Lines and products are pre-aggregated per order
 * (per order and category when grouped or filtered by category), and the per-customer
 * insights are derived tables joined on the customer id: the RFM scores and GRID segment
 * (the insights statement of ./analytics.ts), the decayed intent score, the first order.
 *
 * Every derived column is named c360_*, so the operator's unqualified order columns in the
 * WHERE (compiled by ./filter.ts) never clash with them.
 */
import { UnreachableCaseError, UnsupportedRequestError } from '../contract.js';
import type { Filter, JsonValue, Row } from '../contract.js';
import type { CubeDimension, CubeGranularity, CubeRequest } from '../cube-contract.js';
import { canonicalValue } from './aggregate.js';
import { columnOf, decayedScore, eventWindow, literal, predicateSql, scoredByBoundaries, scoredCustomers } from './analytics.js';
import { allOf, compileFilter, conditionSql } from './filter.js';
import type { Condition } from './filter.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { readField } from './coerce.js';
import { column, list, staticConditions, table } from './scope.js';
import type { ColumnMapping, EntityScope } from './scope.js';

export interface CubeScopes {
  order(): EntityScope;
  orderLine(): EntityScope;
  product(): EntityScope;
  event(): EntityScope;
}

export interface CompiledCube {
  readonly statement: Fragment;
  /** Enum dimensions were grouped as stored: two rows may share one canonical group. */
  readonly mayCollide: boolean;
  read(record: Readonly<Record<string, unknown>>): Row;
}

const EXCLUDED_STATUSES = ['CANCELLED', 'RETURNED'];
/** An integer id that survives Number() exactly. */
const SAFE_INTEGER = /^-?(0|[1-9]\d{0,14})$/;
/** A measure not asked for: a typed NULL, so an outer SUM over it is valid on PostgreSQL too (a bare NULL is text there). */
const NO_NUMBER = raw('CAST(NULL AS DECIMAL(20, 2))');

/**
 * `translateInStatement`: enum dimensions (channel, status) grouped on their canonical value
 * in SQL (a CASE per row). Without it they are grouped on the column as stored, as a
 * hand-written GROUP BY would, and translated when read; `mayCollide` then says whether two
 * stored values could meet in one canonical group (the caller checks and asks again).
 */
export function compileCube(scopes: CubeScopes, request: CubeRequest, translateInStatement = false, integerCustomerIds = false): CompiledCube {
  if (!Number.isSafeInteger(request.maxRows) || request.maxRows < 1)
    throw new UnsupportedRequestError(scopes.order().source, `return ${request.maxRows} groups`);
  // The outer statement names the orders `o`, so the lines and products joined beside them
  // never make a column ambiguous; the derived tables read the unaliased scope.
  const base = scopes.order();
  const orders = aliased(base, 'o');
  const dialect = orders.dialect;
  const orderId = columnOf(orders, 'id');
  const customerId = columnOf(orders, 'customerId');
  const placedAt = columnOf(orders, 'placedAt');
  const byCategory = request.dimensions.includes('category') || request.categories !== undefined;
  const joins: Fragment[] = [];
  const conditions: Condition[] = [staticConditions(orders), compileFilter(countedOrders(orders, request), orders)];
  let lineMeasures: { readonly category: Fragment; readonly units: Fragment; readonly revenue: Fragment } | undefined;

  if (byCategory) {
    const lines = aliased(scopes.orderLine(), 'l');
    const products = aliased(scopes.product(), 'p');
    const on = conditionSql(allOf([sql`${columnOf(products, 'id')} = ${columnOf(lines, 'productId')}`, staticConditions(products)]));
    joins.push(sql`JOIN ${table(lines)} l ON ${columnOf(lines, 'orderId')} = ${orderId} LEFT JOIN ${table(products)} p ON ${on}`);
    conditions.push(staticConditions(lines));
    lineMeasures = { category: columnOf(products, 'category'), units: sql`SUM(${quantityOf(lines)})`, revenue: sql`SUM(${lineTotalOf(lines)})` };
    if (request.categories !== undefined) conditions.push(inList(lineMeasures.category, request.categories));
  } else if (request.units) {
    joins.push(sql`LEFT JOIN (${linesPerOrder(scopes.orderLine())}) lu ON lu.c360_oid = ${orderId}`);
  }

  // `integerCustomerIds`: the column is an integer, so the ids go as numbers when all are integers.
  const asNumbers =
    integerCustomerIds &&
    request.assigned !== undefined &&
    [request.assigned.fromId, request.assigned.toId, ...request.assigned.groups.flat()].every((id) => id === undefined || SAFE_INTEGER.test(id));
  const idValue = (id: string): string | number => (asNumbers ? Number(id) : id);
  if (request.assigned !== undefined) {
    if (request.assigned.fromId !== undefined) conditions.push(sql`${customerId} >= ${param(idValue(request.assigned.fromId))}`);
    if (request.assigned.toId !== undefined) conditions.push(sql`${customerId} < ${param(idValue(request.assigned.toId))}`);
  }

  const needsRfm = request.dimensions.includes('segment') || request.dimensions.includes('rfmCell') || request.segments !== undefined;
  if (needsRfm) {
    if (request.rfm === undefined) throw new UnsupportedRequestError(orders.source, 'group by segment without an RFM window');
    joins.push(sql`LEFT JOIN (${rfmPerCustomer(base, request.rfm)}) s ON s.c360_cid = ${customerId}`);
    if (request.segments !== undefined) conditions.push(inList(raw('s.c360_segment'), request.segments));
  }
  if (request.dimensions.includes('intentLevel')) {
    if (request.intent === undefined) throw new UnsupportedRequestError(orders.source, 'group by intent level without an intent window');
    joins.push(sql`LEFT JOIN (${intentPerCustomer(scopes.event(), request.intent)}) i ON i.c360_cid = ${customerId}`);
  }
  // The cohort is the month of the customer's first counted order. When the query counts
  // exactly those orders, grouped by nothing finer than the customer, that is the MIN of the
  // per-customer group itself: no second pass over the orders.
  const cohortInline =
    request.dimensions.includes('acquisitionMonth') &&
    request.granularity === undefined &&
    request.from === undefined &&
    request.to === undefined &&
    request.statuses === undefined &&
    request.channels === undefined &&
    !byCategory &&
    !request.dimensions.some((d) => d === 'channel' || d === 'status' || d === 'storeId');
  if (request.dimensions.includes('acquisitionMonth') && !cohortInline) {
    const where = conditionSql(allOf([staticConditions(base), compileFilter(notExcluded(base), base)]));
    const firstOf = columnOf(base, 'customerId');
    joins.push(
      sql`LEFT JOIN (SELECT ${firstOf} AS c360_cid, MIN(${columnOf(base, 'placedAt')}) AS c360_first_at FROM ${table(base)} WHERE ${where} GROUP BY ${firstOf}) a ON a.c360_cid = ${customerId}`,
    );
  }

  /** `aggregate`: computed over the per-customer group, so never part of its GROUP BY; `read`: translated when read. */
  const groups: Array<{ readonly name: string; readonly expr: Fragment; readonly aggregate?: true; readonly read?: (value: unknown) => string | null }> = [];
  if (request.granularity !== undefined) groups.push({ name: 'period', expr: periodStart(orders, placedAt, request.granularity) });
  if (request.assigned !== undefined) {
    const cases = request.assigned.groups.flatMap((ids, index) =>
      ids.length === 0 ? [] : [sql`WHEN ${dialect.matchAny(customerId, ids.map(idValue))} THEN ${raw(String(index))}`],
    );
    groups.push({ name: 'assigned', expr: cases.length === 0 ? NO_NUMBER : sql`CASE ${join(cases, ' ')} ELSE NULL END` });
  }
  for (const dimension of request.dimensions) {
    if (dimension === 'acquisitionMonth' && cohortInline) groups.push({ name: dimension, expr: monthOf(orders, sql`MIN(${placedAt})`), aggregate: true });
    else if (!translateInStatement && (dimension === 'channel' || dimension === 'status') && orders.field(dimension).kind === 'column') {
      const mapping = orders.field(dimension) as ColumnMapping;
      groups.push({ name: dimension, expr: column(orders, mapping), read: (value) => textOrNull(readField(value, mapping)) });
    } else groups.push({ name: dimension, expr: dimension === 'category' ? lineMeasures!.category : dimensionValue(orders, dimension, request) });
  }

  // Distinct counts cost a sort each: only those asked for.
  const orderCount = !byCategory ? raw('COUNT(*)') : request.orders ? sql`COUNT(DISTINCT ${orderId})` : NO_NUMBER;
  const revenue = lineMeasures?.revenue ?? sql`SUM(${columnOf(orders, 'total')})`;
  const units = lineMeasures?.units ?? raw('SUM(lu.c360_units)');
  const from = sql`FROM ${table(base)} o${joins.length === 0 ? raw('') : sql` ${join(joins, ' ')}`} WHERE ${conditionSql(allOf(conditions))}`;
  const aliases = groups.map((_group, index) => raw(`c360_g${index}`));
  const positions = (count: number): Fragment =>
    count === 0 ? raw('') : raw(` GROUP BY ${Array.from({ length: count }, (_v, i) => String(i + 1)).join(', ')}`);
  const limit = raw(` LIMIT ${request.maxRows + 1}`);

  let statement: Fragment;
  const revenueMeasure = orders.mapping.fields.total === undefined ? NO_NUMBER : revenue;
  if (request.perCustomer || request.repeaters || cohortInline) {
    const inner = list([
      ...groups.map((group, index) => sql`${group.expr} AS ${aliases[index]!}`),
      sql`${customerId} AS c360_cid`,
      // Repeaters are read from the per-customer order count, so it is always counted here.
      sql`${byCategory ? sql`COUNT(DISTINCT ${orderId})` : raw('COUNT(*)')} AS c360_orders`,
      sql`${revenueMeasure} AS c360_revenue`,
      request.units ? sql`${units} AS c360_units` : sql`${NO_NUMBER} AS c360_units`,
    ]);
    const innerGroups = [...groups.flatMap((group, index) => (group.aggregate ? [] : [index + 1])), groups.length + 1];
    const perCustomer = sql`SELECT ${inner} ${from} GROUP BY ${raw(innerGroups.join(', '))}`;
    if (request.perCustomer) {
      statement = sql`${raw(dialect.select)} g.* FROM (${perCustomer}) g${limit}`;
    } else {
      const outer = list([
        ...aliases.map((alias) => sql`g.${alias}`),
        raw('COUNT(*) AS c360_customers'),
        raw('SUM(CASE WHEN g.c360_orders >= 2 THEN 1 ELSE 0 END) AS c360_repeaters'),
        raw('SUM(g.c360_orders) AS c360_orders'),
        raw('SUM(g.c360_revenue) AS c360_revenue'),
        raw('SUM(g.c360_units) AS c360_units'),
      ]);
      statement = sql`${raw(dialect.select)} ${outer} FROM (${perCustomer}) g${positions(groups.length)}${limit}`;
    }
  } else {
    const selected = list([
      ...groups.map((group, index) => sql`${group.expr} AS ${aliases[index]!}`),
      request.customers ? sql`COUNT(DISTINCT ${customerId}) AS c360_customers` : sql`${NO_NUMBER} AS c360_customers`,
      sql`${orderCount} AS c360_orders`,
      sql`${revenueMeasure} AS c360_revenue`,
      request.units ? sql`${units} AS c360_units` : sql`${NO_NUMBER} AS c360_units`,
    ]);
    statement = sql`${raw(dialect.select)} ${selected} ${from}${positions(groups.length)}${limit}`;
  }
  return {
    statement,
    mayCollide: groups.some((group) => group.read !== undefined),
    read(record) {
      const row: Record<string, JsonValue> = {};
      groups.forEach((group, index) => {
        const value = record[`c360_g${index}`];
        row[group.name] = group.read !== undefined ? group.read(value) : value === null || value === undefined ? null : textOf(value);
      });
      if (record.c360_cid !== undefined) row.customerId = String(record.c360_cid);
      row.orders = numberOf(record.c360_orders);
      row.revenue = record.c360_revenue === null || record.c360_revenue === undefined ? null : numberOf(record.c360_revenue);
      row.units = numberOf(record.c360_units);
      if (record.c360_customers !== undefined) row.customers = numberOf(record.c360_customers);
      if (record.c360_repeaters !== undefined) row.repeaters = numberOf(record.c360_repeaters);
      return row;
    },
  };
}

function countedOrders(scope: EntityScope, request: CubeRequest): Filter {
  const filters: Filter[] = [];
  if (request.from !== undefined || request.to !== undefined) {
    filters.push({
      op: 'range',
      field: 'placedAt',
      ...(request.from === undefined ? {} : { gte: request.from }),
      ...(request.to === undefined ? {} : { lt: request.to }),
    });
  }
  if (request.statuses !== undefined) filters.push({ op: 'in', field: 'status', values: [...request.statuses] });
  else filters.push(notExcluded(scope));
  if (request.channels !== undefined) filters.push({ op: 'in', field: 'channel', values: [...request.channels] });
  return { op: 'and', filters };
}

/** Cancelled and returned orders were not bought; an unmapped status counts every order. */
function notExcluded(scope: EntityScope): Filter {
  return scope.mapping.fields.status === undefined
    ? { op: 'and', filters: [] }
    : { op: 'not', filter: { op: 'in', field: 'status', values: EXCLUDED_STATUSES } };
}

function inList(expr: Fragment, values: ReadonlyArray<string>): Fragment {
  return values.length === 0
    ? raw('1 = 0')
    : sql`${expr} IN (${join(
        values.map((value) => param(value)),
        ', ',
      )})`;
}

function linesPerOrder(lines: EntityScope): Fragment {
  const orderId = columnOf(lines, 'orderId');
  const where = conditionSql(staticConditions(lines));
  return sql`SELECT ${orderId} AS c360_oid, SUM(${columnOf(lines, 'quantity')}) AS c360_units FROM ${table(lines)} WHERE ${where} GROUP BY ${orderId}`;
}

function quantityOf(lines: EntityScope): Fragment {
  return lines.mapping.fields.quantity === undefined ? NO_NUMBER : columnOf(lines, 'quantity');
}

/** The line's total, or its unit price times its quantity. */
function lineTotalOf(lines: EntityScope): Fragment {
  if (lines.mapping.fields.lineTotal !== undefined) return columnOf(lines, 'lineTotal');
  if (lines.mapping.fields.unitPrice !== undefined && lines.mapping.fields.quantity !== undefined)
    return sql`${columnOf(lines, 'unitPrice')} * ${columnOf(lines, 'quantity')}`;
  return NO_NUMBER;
}

/** The same entity with every column written `alias.column`, for the outer statement's joins. */
function aliased(scope: EntityScope, alias: string): EntityScope {
  const { dialect } = scope;
  return {
    ...scope,
    qualifier: alias,
    plainDialect: scope.plainDialect ?? dialect,
    dialect: { ...dialect, quoteName: (name: string) => `${alias}.${dialect.quoteName(name)}` },
  };
}

function rfmPerCustomer(orders: EntityScope, rfm: NonNullable<CubeRequest['rfm']>): Fragment {
  const cases = rfm.segments.map((segment) => sql`WHEN ${predicateSql(segment.when)} THEN ${param(segment.id)}`);
  const segment = cases.length === 0 ? raw('NULL') : sql`CASE ${join(cases, ' ')} ELSE NULL END`;
  const scored = rfm.boundaries === undefined ? scoredCustomers(orders, rfm) : scoredByBoundaries(orders, rfm, rfm.boundaries);
  return sql`SELECT s.cid AS c360_cid, s.r AS c360_r, s.f AS c360_f, s.m AS c360_m, ${segment} AS c360_segment FROM (${scored}) s`;
}

function intentPerCustomer(events: EntityScope, intent: NonNullable<CubeRequest['intent']>): Fragment {
  const customerId = columnOf(events, 'customerId');
  const where = conditionSql(allOf([staticConditions(events), compileFilter(eventWindow(intent), events)]));
  return sql`SELECT ${customerId} AS c360_cid, ${decayedScore(events, intent)} AS c360_score FROM ${table(events)} WHERE ${where} GROUP BY ${customerId}`;
}

function dimensionValue(orders: EntityScope, dimension: CubeDimension, request: CubeRequest): Fragment {
  switch (dimension) {
    case 'channel':
    case 'status':
    case 'storeId': {
      const mapping = orders.field(dimension);
      if (mapping.kind === 'const') return param(mapping.value === null ? null : String(mapping.value));
      return canonicalValue(orders, mapping as ColumnMapping);
    }
    case 'category':
      throw new UnsupportedRequestError(orders.source, 'group by category outside the lines join');
    case 'segment':
      return raw('s.c360_segment');
    case 'rfmCell':
      return raw('CASE WHEN s.c360_r IS NULL THEN NULL ELSE CONCAT(s.c360_r, s.c360_f, s.c360_m) END');
    case 'intentLevel': {
      const levels = request.intent!.levels;
      const score = raw('COALESCE(i.c360_score, 0)');
      return sql`CASE WHEN ${score} >= ${literal(levels.high)} THEN 'HIGH' WHEN ${score} >= ${literal(levels.medium)} THEN 'MEDIUM' WHEN ${score} >= ${literal(levels.low)} THEN 'LOW' ELSE 'NONE' END`;
    }
    case 'acquisitionMonth':
      return monthOf(orders, raw('a.c360_first_at'));
    default:
      throw new UnreachableCaseError(dimension);
  }
}

/** YYYY-MM of a datetime. */
function monthOf(scope: EntityScope, expr: Fragment): Fragment {
  return scope.dialect.kind === 'mysql' ? sql`DATE_FORMAT(${expr}, '%Y-%m')` : sql`TO_CHAR(${expr}, 'YYYY-MM')`;
}

/** The first day of the period holding `expr`, as YYYY-MM-DD text; weeks start on Monday (ISO). */
function periodStart(scope: EntityScope, expr: Fragment, granularity: CubeGranularity): Fragment {
  if (scope.dialect.kind === 'postgres') {
    return sql`TO_CHAR(DATE_TRUNC(${raw(`'${granularity.toLowerCase()}'`)}, ${expr}), 'YYYY-MM-DD')`;
  }
  switch (granularity) {
    case 'DAY':
      return sql`DATE_FORMAT(${expr}, '%Y-%m-%d')`;
    case 'WEEK':
      return sql`DATE_FORMAT(DATE(${expr}) - INTERVAL WEEKDAY(${expr}) DAY, '%Y-%m-%d')`;
    case 'MONTH':
      return sql`DATE_FORMAT(${expr}, '%Y-%m-01')`;
    case 'QUARTER':
      return sql`CONCAT(YEAR(${expr}), '-', LPAD((QUARTER(${expr}) - 1) * 3 + 1, 2, '0'), '-01')`;
    case 'YEAR':
      return sql`CONCAT(YEAR(${expr}), '-01-01')`;
    default:
      throw new UnreachableCaseError(granularity);
  }
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function numberOf(value: unknown): number {
  // PostgreSQL returns COUNT and SUM as text (bigint, numeric); an empty sum is NULL.
  return value === null || value === undefined ? 0 : Number(value);
}
