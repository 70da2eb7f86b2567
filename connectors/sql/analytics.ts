/**
 * AnalyticsRequest -> one statement over the shop's orders or events. RFM is computed
 * entirely in the source: per-customer aggregates in a derived table, then rank-based
 * quintiles by window functions over that table, so no order row ever leaves the server.
 *
 * Quintile rule (the same on PostgreSQL and MariaDB/MySQL, ties share a score):
 *   score = 1 + floor(5 * (number of scored customers with a strictly worse value) / N)
 * computed as `RANK() OVER (ORDER BY value) - 1`. Worse is fewer orders, less money,
 * more days since the last order. Numbers in the text (weights, bounds, half-life) come
 * from validated config and are written as literals so PostgreSQL never has to guess a
 * parameter's type inside CASE or POWER; every other value is a parameter.
 */
import { UnreachableCaseError, UnsupportedRequestError } from '../contract.js';
import type { AnalyticsRequest, Filter, IntentWindow, JsonValue, RfmPredicate, RfmMetric, RfmWindow, Row } from '../contract.js';
import { coerceValue } from './coerce.js';
import { allOf, compileFilter, conditionSql } from './filter.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { column, list, staticConditions, table } from './scope.js';
import type { ColumnMapping, EntityScope } from './scope.js';

export interface CompiledAnalytics {
  /** The entity the statement reads first, for the trace. */
  readonly entity: 'order' | 'event';
  readonly statement: Fragment;
  read(record: Readonly<Record<string, unknown>>): Row;
}

export interface AnalyticsScopes {
  order(): EntityScope;
  event(): EntityScope;
}

const EXCLUDED_STATUSES = ['CANCELLED', 'RETURNED'];
const CART_EVENTS = ['ADD_TO_CART', 'CHECKOUT_STARTED'];
const DAY_MILLIS = 86_400_000;

export function compileAnalytics(scopes: AnalyticsScopes, request: AnalyticsRequest): CompiledAnalytics {
  switch (request.kind) {
    case 'rfm': {
      const scope = scopes.order();
      const scored = scoredCustomers(scope, request);
      const where =
        request.customerIds === undefined
          ? raw('1 = 1')
          : request.customerIds.length === 0
            ? raw('1 = 0')
            : scope.dialect.matchAny(scope.dialect.asText(raw('s.cid')), request.customerIds);
      return {
        entity: 'order',
        statement: sql`${raw(scope.dialect.select)} s.* FROM (${scored}) s WHERE ${where}`,
        read: readRfm,
      };
    }
    case 'rfmTotals': {
      const scope = scopes.order();
      const measures: Fragment[] = [raw('COUNT(*) AS customers'), raw('SUM(s.monetary) AS revenue'), raw('SUM(s.frequency) AS orders')];
      request.predicates.forEach((predicate, index) => {
        const holds = predicateSql(predicate);
        measures.push(
          sql`SUM(CASE WHEN ${holds} THEN 1 ELSE 0 END) AS ${raw(`count_${index}`)}`,
          sql`SUM(CASE WHEN ${holds} THEN s.monetary ELSE 0 END) AS ${raw(`revenue_${index}`)}`,
          sql`SUM(CASE WHEN ${holds} THEN s.frequency ELSE 0 END) AS ${raw(`orders_${index}`)}`,
        );
      });
      return {
        entity: 'order',
        statement: sql`${raw(scope.dialect.select)} ${list(measures)} FROM (${scoredCustomers(scope, request)}) s`,
        read: (record) => numbersOf(record),
      };
    }
    case 'intent': {
      const scope = scopes.event();
      const productId = scope.mapping.fields.productId;
      const productColumn = productId?.kind === 'column' ? column(scope, productId) : raw('NULL');
      const customerId = columnOf(scope, 'customerId');
      const occurredAt = columnOf(scope, 'occurredAt');
      const lastCart = sql`MAX(CASE WHEN ${conditionSql(compileFilter({ op: 'in', field: 'type', values: CART_EVENTS }, scope))} THEN ${occurredAt} END)`;
      const where = conditionSql(
        allOf([
          staticConditions(scope),
          compileFilter(eventWindow(request), scope),
          request.customerIds.length === 0 ? false : scope.dialect.matchAny(scope.dialect.asText(customerId), request.customerIds),
        ]),
      );
      return {
        entity: 'event',
        statement: sql`${raw(scope.dialect.select)} ${customerId} AS cid, ${productColumn} AS pid, ${decayedScore(scope, request)} AS score, MAX(${occurredAt}) AS last_at, ${lastCart} AS last_cart_at FROM ${table(scope)} WHERE ${where} GROUP BY 1, 2`,
        read: (record) => ({
          customerId: stringOrNull(record.cid),
          productId: stringOrNull(record.pid),
          score: Number(record.score ?? 0),
          lastAt: coerceValue(record.last_at, 'datetime'),
          lastCartAt: coerceValue(record.last_cart_at, 'datetime'),
        }),
      };
    }
    case 'intentWithoutPurchase': {
      const events = scopes.event();
      const orders = scopes.order();
      const customerId = columnOf(events, 'customerId');
      const eventWhere = conditionSql(allOf([staticConditions(events), compileFilter(eventWindow(request), events)]));
      const scores = sql`SELECT ${customerId} AS cid, ${decayedScore(events, request)} AS score FROM ${table(events)} WHERE ${eventWhere} GROUP BY 1`;
      // Compared as they are, not as text, so the order table's customer index serves the
      // anti-join; both columns hold the shop's own customer id.
      const purchased = sql`SELECT 1 FROM ${table(orders)} WHERE ${columnOf(orders, 'customerId')} = i.cid AND ${orderConditions(orders, request.purchases)}`;
      return {
        entity: 'event',
        statement: sql`${raw(events.dialect.select)} COUNT(*) AS customers FROM (${scores}) i WHERE i.score >= ${literal(request.minScore)} AND NOT EXISTS (${purchased})`,
        read: (record) => numbersOf(record),
      };
    }
    case 'members':
      return compileMembers(scopes, request);
    default:
      throw new UnreachableCaseError(request);
  }
}

/** The semi-join side of a filtered customer page: ids only, keyset-paged by id. */
function compileMembers(scopes: AnalyticsScopes, request: Extract<AnalyticsRequest, { kind: 'members' }>): CompiledAnalytics {
  const { of } = request;
  const scope = of.kind === 'rfm' ? scopes.order() : scopes.event();
  const dialect = scope.dialect;
  let members: Fragment;
  if (of.kind === 'rfm') {
    members = sql`SELECT s.cid FROM (${scoredCustomers(scope, of)}) s WHERE ${predicateSql(of.predicate)}`;
  } else {
    const customerId = columnOf(scope, 'customerId');
    const where = conditionSql(allOf([staticConditions(scope), compileFilter(eventWindow(of), scope)]));
    const scores = sql`SELECT ${customerId} AS cid, ${decayedScore(scope, of)} AS score FROM ${table(scope)} WHERE ${where} GROUP BY 1`;
    const orders = of.withoutPurchase === undefined ? undefined : scopes.order();
    const purchase =
      orders === undefined || of.withoutPurchase === undefined
        ? raw('1 = 1')
        : sql`NOT EXISTS (SELECT 1 FROM ${table(orders)} WHERE ${columnOf(orders, 'customerId')} = i.cid AND ${orderConditions(orders, of.withoutPurchase)})`;
    members = sql`SELECT i.cid FROM (${scores}) i WHERE i.score >= ${literal(of.minScore)} AND ${purchase}`;
  }
  const conditions: Fragment[] = [];
  if (request.afterId !== undefined) conditions.push(sql`m.cid > ${param(request.afterId)}`);
  if (request.customerIds !== undefined) {
    conditions.push(request.customerIds.length === 0 ? raw('1 = 0') : dialect.matchAny(dialect.asText(raw('m.cid')), request.customerIds));
  }
  const where = conditions.length === 0 ? raw('1 = 1') : join(conditions, ' AND ');
  if (!Number.isSafeInteger(request.limit) || request.limit < 1) throw new UnsupportedRequestError(scope.source, `return ${request.limit} members`);
  return {
    entity: of.kind === 'rfm' ? 'order' : 'event',
    statement: sql`${raw(dialect.select)} m.cid FROM (${members}) m WHERE ${where} ORDER BY m.cid LIMIT ${literal(request.limit)}`,
    read: (record) => ({ customerId: String(record.cid) }),
  };
}

/** Per-customer measures and scores over every customer with an order in the window. */
export function scoredCustomers(scope: EntityScope, window: RfmWindow): Fragment {
  const customerId = columnOf(scope, 'customerId');
  const placedAt = columnOf(scope, 'placedAt');
  const total = columnOf(scope, 'total');
  const since = (expr: Fragment): Fragment => wholeDaysBefore(scope, expr, window.asOf);
  const base = sql`SELECT ${customerId} AS cid, COUNT(*) AS frequency, COALESCE(SUM(${total}), 0) AS monetary, MIN(${placedAt}) AS first_at, MAX(${placedAt}) AS last_at, ${since(sql`MAX(${placedAt})`)} AS recency_days, ${since(sql`MIN(${placedAt})`)} AS tenure_days FROM ${table(scope)} WHERE ${orderConditions(scope, window)} GROUP BY ${customerId}`;
  const quintile = (order: string): Fragment =>
    sql`1 + ${intDiv(scope, raw(`5 * (RANK() OVER (ORDER BY ${order}) - 1)`), raw('COUNT(*) OVER ()'))}`;
  return sql`SELECT b.*, ${quintile('b.recency_days DESC')} AS r, ${quintile('b.frequency')} AS f, ${quintile('b.monetary')} AS m FROM (${base}) b`;
}

function orderConditions(scope: EntityScope, window: RfmWindow): Fragment {
  const filters: Filter[] = [{ op: 'range', field: 'placedAt', gt: windowStart(window.asOf, window.windowDays), lte: window.asOf }];
  // Cancelled and returned orders were not bought; an unmapped status counts every order.
  if (scope.mapping.fields.status !== undefined) {
    filters.push({ op: 'not', filter: { op: 'in', field: 'status', values: EXCLUDED_STATUSES } });
  }
  return conditionSql(allOf([staticConditions(scope), compileFilter({ op: 'and', filters }, scope)]));
}

export function eventWindow(window: IntentWindow): Filter {
  return { op: 'range', field: 'occurredAt', gt: windowStart(window.asOf, window.lookbackDays), lte: window.asOf };
}

export function decayedScore(scope: EntityScope, window: IntentWindow): Fragment {
  const weights = Object.entries(window.weights).filter(([, weight]) => weight !== 0);
  if (weights.length === 0) return raw('0');
  const cases = weights.map(
    ([type, weight]) => sql`WHEN ${conditionSql(compileFilter({ op: 'eq', field: 'type', value: type }, scope))} THEN ${literal(weight)}`,
  );
  const age = daysBefore(scope, columnOf(scope, 'occurredAt'), window.asOf);
  return sql`COALESCE(SUM(CASE ${join(cases, ' ')} ELSE 0 END * POWER(0.5, ${age} / ${literal(window.halfLifeDays)})), 0)`;
}

const METRIC_COLUMNS: Readonly<Record<RfmMetric, string>> = {
  r: 's.r',
  f: 's.f',
  m: 's.m',
  recencyDays: 's.recency_days',
  frequency: 's.frequency',
  monetary: 's.monetary',
  tenureDays: 's.tenure_days',
};

export function predicateSql(predicate: RfmPredicate): Fragment {
  const terms: Fragment[] = [];
  for (const [metric, range] of Object.entries(predicate) as Array<[RfmMetric, RfmPredicate[RfmMetric]]>) {
    if (range === undefined) continue;
    const name = raw(METRIC_COLUMNS[metric]);
    if (range.min !== undefined) terms.push(sql`${name} >= ${literal(range.min)}`);
    if (range.max !== undefined) terms.push(sql`${name} <= ${literal(range.max)}`);
  }
  return terms.length === 0 ? raw('1 = 1') : sql`(${join(terms, ' AND ')})`;
}

/** Days from `expr` to asOf, fractional. */
function daysBefore(scope: EntityScope, expr: Fragment, asOf: string): Fragment {
  switch (scope.dialect.kind) {
    case 'postgres':
      // EXTRACT gives numeric, whose POWER is slow; the decay needs no exact decimals.
      return sql`(CAST(EXTRACT(EPOCH FROM (CAST(${param(asOf)} AS TIMESTAMPTZ) - ${expr})) AS DOUBLE PRECISION) / 86400.0)`;
    case 'mysql':
      return sql`(TIMESTAMPDIFF(SECOND, ${expr}, ${param(scope.dialect.datetimeParam(asOf))}) / 86400.0)`;
    default:
      throw new UnreachableCaseError(scope.dialect.kind);
  }
}

/** Whole days from `expr` to asOf, rounded down; integer arithmetic on both servers. */
function wholeDaysBefore(scope: EntityScope, expr: Fragment, asOf: string): Fragment {
  switch (scope.dialect.kind) {
    case 'postgres':
      return sql`FLOOR(EXTRACT(EPOCH FROM (CAST(${param(asOf)} AS TIMESTAMPTZ) - ${expr})) / 86400)`;
    case 'mysql':
      return sql`(TIMESTAMPDIFF(SECOND, ${expr}, ${param(scope.dialect.datetimeParam(asOf))}) DIV 86400)`;
    default:
      throw new UnreachableCaseError(scope.dialect.kind);
  }
}

/** Integer division: MariaDB's `/` rounds to 4 decimals, which could lift 1.99996 to 2. */
function intDiv(scope: EntityScope, dividend: Fragment, divisor: Fragment): Fragment {
  return scope.dialect.kind === 'mysql' ? sql`(${dividend}) DIV ${divisor}` : sql`FLOOR((${dividend}) / ${divisor})`;
}

export function literal(value: number): Fragment {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return raw(String(value));
}

export function columnOf(scope: EntityScope, field: string): Fragment {
  const mapping = scope.field(field);
  if (mapping.kind === 'const') throw new UnsupportedRequestError(scope.source, `compute analytics over the constant field "${scope.mapping.entity}.${field}"`);
  return column(scope, mapping as ColumnMapping);
}

function windowStart(asOf: string, days: number): string {
  return new Date(Date.parse(asOf) - days * DAY_MILLIS).toISOString();
}

function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function readRfm(record: Readonly<Record<string, unknown>>): Row {
  return {
    customerId: String(record.cid),
    recencyDays: Number(record.recency_days),
    tenureDays: Number(record.tenure_days),
    frequency: Number(record.frequency),
    monetary: Number(record.monetary),
    firstPurchaseAt: coerceValue(record.first_at, 'datetime'),
    lastPurchaseAt: coerceValue(record.last_at, 'datetime'),
    r: Number(record.r),
    f: Number(record.f),
    m: Number(record.m),
  };
}

function numbersOf(record: Readonly<Record<string, unknown>>): Row {
  const row: Record<string, JsonValue> = {};
  // PostgreSQL returns COUNT and SUM as text (bigint, numeric); an empty base sums to NULL.
  for (const [name, value] of Object.entries(record)) row[name] = value === null ? 0 : Number(value);
  return row;
}
