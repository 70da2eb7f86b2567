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
import type { AnalyticsRequest, Filter, IntentWindow, JsonValue, RfmBoundaries, RfmPredicate, RfmMetric, RfmWindow, Row, Scalar } from '../contract.js';
import { coerceValue } from './coerce.js';
import { allOf, anyOf, compileFilter, conditionSql } from './filter.js';
import { storedMatching, translates } from './enum.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import type { Condition } from './filter.js';
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
    case 'rfmBoundaries':
      return compileBoundaries(scopes.order(), request);
    case 'rfmMeasures': {
      const scope = scopes.order();
      const ids =
        request.customerIds === undefined
          ? true
          : request.customerIds.length === 0
            ? false
            : scope.dialect.matchAny(columnOf(scope, 'customerId'), request.customerIds);
      // The dialect's select carries the server-side statement deadline (MariaDB's SET STATEMENT).
      // The whole base leaves out the first and last order dates (null in its rows).
      return { entity: 'order', statement: customerBase(scope, request, [ids], raw(scope.dialect.select), request.customerIds !== undefined), read: readRfm };
    }
    case 'intentLevels':
      return compileIntentLevels(scopes.event(), request);
    case 'rfmTotals': {
      const scope = scopes.order();
      const scoredBase = request.boundaries === undefined ? scoredCustomers(scope, request) : scoredByBoundaries(scope, request, request.boundaries);
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
        // The scored base stays materialized: each customer is scored once, not once per predicate reading r, f or m.
        statement: sql`${raw(scope.dialect.selectUnmerged)} ${list(measures)} FROM (${scoredBase}) s`,
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
          // Compared as they are, not as text (as rfmMeasures does): the event table's customer index
          // then serves the lookup; a text cast scans every event of the lookback window.
          request.customerIds.length === 0 ? false : scope.dialect.matchAny(customerId, request.customerIds),
        ]),
      );
      return {
        entity: 'event',
        statement: sql`${raw(scope.dialect.select)} ${customerId} AS cid, ${productColumn} AS pid, ${decayedScore(scope, request)} AS score, MAX(${occurredAt}) AS last_at, ${lastCart} AS last_cart_at FROM ${table(scope)} WHERE ${where} GROUP BY 1, 2`,
        read: (record) => ({
          customerId: stringOrNull(record.cid),
          productId: stringOrNull(record.pid),
          score: Number(record.score ?? 0),
          lastAt: coerceValue(record.last_at, 'datetime', zoneOf(scope, 'occurredAt')),
          lastCartAt: coerceValue(record.last_cart_at, 'datetime', zoneOf(scope, 'occurredAt')),
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
  if (of.kind === 'rfm' && of.boundaries !== undefined) return compileRfmWalk(scopes.order(), request, of.boundaries);
  if (of.kind === 'intent') return compileIntentWalk(scopes, request);
  // Without boundaries, the base is ranked in the statement.
  const scope = scopes.order();
  const dialect = scope.dialect;
  const members = sql`SELECT s.cid FROM (${scoredCustomers(scope, of)}) s WHERE ${predicateSql(of.predicate)}`;
  const conditions: Fragment[] = [];
  if (request.afterId !== undefined) conditions.push(sql`m.cid > ${param(request.afterId)}`);
  if (request.customerIds !== undefined) {
    conditions.push(request.customerIds.length === 0 ? raw('1 = 0') : dialect.matchAny(dialect.asText(raw('m.cid')), request.customerIds));
  }
  const where = conditions.length === 0 ? raw('1 = 1') : join(conditions, ' AND ');
  if (!Number.isSafeInteger(request.limit) || request.limit < 1) throw new UnsupportedRequestError(scope.source, `return ${request.limit} members`);
  return {
    entity: 'order',
    statement: sql`${raw(dialect.select)} m.cid FROM (${members}) m WHERE ${where} ORDER BY m.cid LIMIT ${literal(request.limit)}`,
    read: (record) => ({ customerId: String(record.cid) }),
  };
}

/** The page bounds of a walk: after the cursor, within the given customers, at most `limit`. */
function walkBounds(
  scope: EntityScope,
  customerId: Fragment,
  request: Extract<AnalyticsRequest, { kind: 'members' }>,
): { where: Condition[]; limit: Fragment } {
  if (!Number.isSafeInteger(request.limit) || request.limit < 1) throw new UnsupportedRequestError(scope.source, `return ${request.limit} members`);
  const where: Condition[] = [];
  if (request.afterId !== undefined) where.push(sql`${customerId} > ${param(request.afterId)}`);
  if (request.customerIds !== undefined) where.push(request.customerIds.length === 0 ? false : scope.dialect.matchAny(customerId, request.customerIds));
  return { where, limit: literal(request.limit) };
}

/**
 * RFM members by keyset over the customer index: the cursor and the window bound the order
 * scan, the predicate is a HAVING on the customer's own aggregates against the cached
 * boundaries, so a page reads only the orders of the customers it passes over.
 */
function compileRfmWalk(scope: EntityScope, request: Extract<AnalyticsRequest, { kind: 'members' }>, boundaries: RfmBoundaries): CompiledAnalytics {
  const of = request.of as Extract<typeof request.of, { kind: 'rfm' }>;
  const customerId = columnOf(scope, 'customerId');
  const { where, limit } = walkBounds(scope, customerId, request);
  const measures = measureExpressions(scope, of);
  const having = conditionSql(predicateOnMeasures(of.predicate, measures, boundaries));
  return {
    entity: 'order',
    statement: sql`${raw(scope.dialect.select)} ${customerId} AS cid FROM ${table(scope)} WHERE ${conditionSql(allOf([orderConditions(scope, of), ...where]))} GROUP BY ${customerId} HAVING ${having} ORDER BY ${customerId} LIMIT ${limit}`,
    read: (record) => ({ customerId: String(record.cid) }),
  };
}

/** Intent members by keyset over the event index (and, without purchase, an anti-join per group on the order index). */
function compileIntentWalk(scopes: AnalyticsScopes, request: Extract<AnalyticsRequest, { kind: 'members' }>): CompiledAnalytics {
  const of = request.of as Extract<typeof request.of, { kind: 'intent' }>;
  const scope = scopes.event();
  const customerId = columnOf(scope, 'customerId');
  const { where, limit } = walkBounds(scope, customerId, request);
  const conditions: Fragment[] = [sql`${decayedScore(scope, of)} >= ${literal(of.minScore)}`];
  if (of.withoutPurchase !== undefined) {
    const orders = scopes.order();
    // The outer customer id is qualified: the order table may name its column alike.
    conditions.push(
      sql`NOT EXISTS (SELECT 1 FROM ${table(orders)} WHERE ${columnOf(orders, 'customerId')} = e.${customerId} AND ${orderConditions(orders, of.withoutPurchase)})`,
    );
  }
  const scan = conditionSql(allOf([staticConditions(scope), compileFilter(eventWindow(of), scope), ...where]));
  return {
    entity: 'event',
    statement: sql`${raw(scope.dialect.select)} e.${customerId} AS cid FROM ${table(scope)} e WHERE ${scan} GROUP BY e.${customerId} HAVING ${join(conditions, ' AND ')} ORDER BY e.${customerId} LIMIT ${limit}`,
    read: (record) => ({ customerId: String(record.cid) }),
  };
}

/** Shop customers with an event in the lookback, per intent level (0 = NONE): one GROUP BY over one per-customer GROUP BY. */
function compileIntentLevels(scope: EntityScope, request: Extract<AnalyticsRequest, { kind: 'intentLevels' }>): CompiledAnalytics {
  const customerId = columnOf(scope, 'customerId');
  const where = conditionSql(allOf([staticConditions(scope), compileFilter(eventWindow(request), scope)]));
  const scores = sql`SELECT ${customerId} AS cid, ${decayedScore(scope, request)} AS score FROM ${table(scope)} WHERE ${where} GROUP BY ${customerId}`;
  // The level is the number of thresholds reached; scores are rounded to 3 decimals as Intent.score is.
  const rounded = scope.dialect.kind === 'postgres' ? raw('ROUND(CAST(i.score AS NUMERIC), 3)') : raw('ROUND(i.score, 3)');
  const reached = request.thresholds.map((threshold) => sql`CASE WHEN ${rounded} >= ${literal(threshold)} THEN 1 ELSE 0 END`);
  const level = reached.length === 0 ? raw('0') : join(reached, ' + ');
  return {
    entity: 'event',
    statement: sql`${raw(scope.dialect.select)} l.level, COUNT(*) AS customers FROM (SELECT ${level} AS level FROM (${scores}) i) l GROUP BY l.level ORDER BY l.level`,
    read: (record) => numbersOf(record),
  };
}

interface MeasureExpressions {
  readonly frequency: Fragment;
  readonly monetary: Fragment;
  readonly recencyDays: Fragment;
  readonly tenureDays: Fragment;
}

/** One customer's measures as aggregates over its orders in the window (inside GROUP BY customer). */
function measureExpressions(scope: EntityScope, window: RfmWindow): MeasureExpressions {
  const placedAt = columnOf(scope, 'placedAt');
  return {
    frequency: raw('COUNT(*)'),
    monetary: sql`COALESCE(SUM(${columnOf(scope, 'total')}), 0)`,
    recencyDays: wholeDaysBefore(scope, sql`MAX(${placedAt})`, window.asOf),
    tenureDays: wholeDaysBefore(scope, sql`MIN(${placedAt})`, window.asOf),
  };
}

/** Per-customer measures (no scores) of the customers with an order in the window, under extra scan conditions. */
function customerBase(
  scope: EntityScope,
  window: RfmWindow,
  extra: ReadonlyArray<Condition> = [],
  select: Fragment = raw('SELECT'),
  withDates = true,
): Fragment {
  const customerId = columnOf(scope, 'customerId');
  const placedAt = columnOf(scope, 'placedAt');
  const m = measureExpressions(scope, window);
  const where = conditionSql(allOf([orderConditions(scope, window), ...extra]));
  // Whole-base statements leave out the dates they do not use.
  const dates = withDates ? sql` MIN(${placedAt}) AS first_at, MAX(${placedAt}) AS last_at,` : raw('');
  return sql`${select} ${customerId} AS cid, ${m.frequency} AS frequency, ${m.monetary} AS monetary,${dates} ${m.recencyDays} AS recency_days, ${m.tenureDays} AS tenure_days FROM ${table(scope)} WHERE ${where} GROUP BY ${customerId}`;
}

/**
 * The boundaries in one statement: the per-customer base ranked three ways, and the value
 * at rank ceil((s-1)N/5) kept per score s. The same cost as scoring the base once.
 */
function compileBoundaries(scope: EntityScope, window: RfmWindow): CompiledAnalytics {
  const ranked = sql`SELECT b.recency_days, b.frequency, b.monetary, ROW_NUMBER() OVER (ORDER BY b.recency_days DESC) AS rr, ROW_NUMBER() OVER (ORDER BY b.frequency) AS rf, ROW_NUMBER() OVER (ORDER BY b.monetary) AS rm, COUNT(*) OVER () AS n FROM (${customerBase(scope, window, [], raw('SELECT'), false)}) b`;
  const picks: Fragment[] = [raw('MAX(w.n) AS customers')];
  for (const [metric, rank, value] of [
    ['r', 'rr', 'recency_days'],
    ['f', 'rf', 'frequency'],
    ['m', 'rm', 'monetary'],
  ] as const) {
    for (let score = 2; score <= 5; score++) {
      const position = intDiv(scope, raw(`${score - 1} * w.n + 4`), raw('5'));
      picks.push(sql`MAX(CASE WHEN w.${raw(rank)} = ${position} THEN w.${raw(value)} END) AS ${raw(`${metric}_${score}`)}`);
    }
  }
  return {
    entity: 'order',
    statement: sql`${raw(scope.dialect.select)} ${list(picks)} FROM (${ranked}) w`,
    read: (record) => {
      const row: Record<string, JsonValue> = {};
      for (const [name, value] of Object.entries(record)) row[name] = value === null || value === undefined ? null : Number(value);
      row.customers = Number(record.customers ?? 0);
      return row;
    },
  };
}

/** Scores from the boundaries: 1 + the number of boundaries the measure is strictly better than. */
function scoreSql(measure: Fragment, bounds: ReadonlyArray<number | null>, better: '<' | '>'): Fragment {
  const steps = bounds.flatMap((bound) => (bound === null ? [] : [sql`CASE WHEN ${measure} ${raw(better)} ${literal(bound)} THEN 1 ELSE 0 END`]));
  return steps.length === 0 ? raw('1') : sql`(1 + ${join(steps, ' + ')})`;
}

/**
 * The scored base from cached boundaries: one GROUP BY whose select list scores each
 * customer by CASE on its own aggregates, so the derived table holds r, f and m (computed
 * once per customer, not once per predicate that reads them).
 */
export function scoredByBoundaries(scope: EntityScope, window: RfmWindow, boundaries: RfmBoundaries): Fragment {
  // Scored over the grouped base, not in the GROUP BY's own select list: MariaDB evaluates an
  // aggregate expression once per reference there (COALESCE(SUM(total)) five times per
  // customer), which made the segments statement twice the cost of its GROUP BY at 1M orders.
  const scores = sql`${scoreSql(raw('b.recency_days'), boundaries.recencyDays, '<')} AS r, ${scoreSql(raw('b.frequency'), boundaries.frequency, '>')} AS f, ${scoreSql(raw('b.monetary'), boundaries.monetary, '>')} AS m`;
  return sql`SELECT b.cid, b.frequency, b.monetary, b.recency_days, b.tenure_days, ${scores} FROM (${customerBase(scope, window, [], raw('SELECT'), false)}) b`;
}

/** score >= s as a condition on the measure: better than boundary s (s <= 1 always, s > 5 never). */
function scoreAtLeast(measure: Fragment, bounds: ReadonlyArray<number | null>, better: '<' | '>', score: number): Condition {
  if (score <= 1) return true;
  if (score > 5) return false;
  const bound = bounds[score - 2];
  return bound === null || bound === undefined ? false : sql`${measure} ${raw(better)} ${literal(bound)}`;
}

/** An RFM predicate on a customer's own aggregates: score bounds become bounds on the measures. */
function predicateOnMeasures(predicate: RfmPredicate, measures: MeasureExpressions, boundaries: RfmBoundaries): Condition {
  const terms: Condition[] = [];
  const scored: Record<'r' | 'f' | 'm', [Fragment, ReadonlyArray<number | null>, '<' | '>']> = {
    r: [measures.recencyDays, boundaries.recencyDays, '<'],
    f: [measures.frequency, boundaries.frequency, '>'],
    m: [measures.monetary, boundaries.monetary, '>'],
  };
  for (const [metric, range] of Object.entries(predicate) as Array<[RfmMetric, RfmPredicate[RfmMetric]]>) {
    if (range === undefined) continue;
    if (metric === 'r' || metric === 'f' || metric === 'm') {
      const [measure, bounds, better] = scored[metric];
      if (range.min !== undefined) terms.push(scoreAtLeast(measure, bounds, better, Math.ceil(range.min)));
      if (range.max !== undefined) {
        const above = scoreAtLeast(measure, bounds, better, Math.floor(range.max) + 1);
        terms.push(typeof above === 'boolean' ? !above : sql`NOT (${above})`);
      }
      continue;
    }
    const measure = measures[metric];
    if (range.min !== undefined) terms.push(sql`${measure} >= ${literal(range.min)}`);
    if (range.max !== undefined) terms.push(sql`${measure} <= ${literal(range.max)}`);
  }
  return allOf(terms);
}

/** Per-customer measures and scores over every customer with an order in the window. */
export function scoredCustomers(scope: EntityScope, window: RfmWindow): Fragment {
  const customerId = columnOf(scope, 'customerId');
  const placedAt = columnOf(scope, 'placedAt');
  const total = columnOf(scope, 'total');
  const since = (expr: Fragment): Fragment => wholeDaysBefore(scope, expr, window.asOf);
  const base = sql`SELECT ${customerId} AS cid, COUNT(*) AS frequency, COALESCE(SUM(${total}), 0) AS monetary, MIN(${placedAt}) AS first_at, MAX(${placedAt}) AS last_at, ${since(sql`MAX(${placedAt})`)} AS recency_days, ${since(sql`MIN(${placedAt})`)} AS tenure_days FROM ${table(scope)} WHERE ${orderConditions(scope, window)} GROUP BY ${customerId}`;
  const quintile = (order: string): Fragment => sql`1 + ${intDiv(scope, raw(`5 * (RANK() OVER (ORDER BY ${order}) - 1)`), raw('COUNT(*) OVER ()'))}`;
  return sql`SELECT b.*, ${quintile('b.recency_days DESC')} AS r, ${quintile('b.frequency')} AS f, ${quintile('b.monetary')} AS m FROM (${base}) b`;
}

function orderConditions(scope: EntityScope, window: RfmWindow): Fragment {
  const filters: Filter[] = [{ op: 'range', field: 'placedAt', gt: windowStart(window.asOf, window.windowDays), lte: window.asOf }];
  // Cancelled and returned orders were not bought; an unmapped status counts every order.
  const status = scope.mapping.fields.status;
  const mappedStatus = status?.kind === 'column' && translates(status) ? status : undefined;
  if (status !== undefined && mappedStatus === undefined) {
    filters.push({ op: 'not', filter: { op: 'in', field: 'status', values: EXCLUDED_STATUSES } });
  }
  const conditions = [staticConditions(scope), compileFilter({ op: 'and', filters }, scope)];
  if (mappedStatus !== undefined) {
    // The same test as the generic enum filter, in one IN list per row (it runs over every order of the window).
    const text = scope.dialect.asText(column(scope, mappedStatus));
    conditions.push(sql`(${text} IS NULL OR NOT (${storedAsOneOf(scope, mappedStatus, EXCLUDED_STATUSES)}))`);
  }
  return conditionSql(allOf(conditions));
}

/**
 * The stored values of an enum column that read as one of `canonicals`: those mapped onto
 * them, and the canonical names themselves when no mapping claims them (an unmapped value
 * reads as itself), as one IN list.
 */
function storedAsOneOf(scope: EntityScope, mapping: ColumnMapping, canonicals: ReadonlyArray<string>): Fragment {
  const text = scope.dialect.asText(column(scope, mapping));
  const test = (value: Scalar): boolean => value !== null && canonicals.includes(String(value));
  // A closed set without otherwise: an unclaimed stored value reads as itself.
  const asStored = (): Condition => (canonicals.length === 0 ? false : scope.dialect.matchAny(text, canonicals));
  return conditionSql(anyOf(storedMatching(scope.dialect, text, mapping, test, asStored)));
}

export function eventWindow(window: IntentWindow): Filter {
  return { op: 'range', field: 'occurredAt', gt: windowStart(window.asOf, window.lookbackDays), lte: window.asOf };
}

export function decayedScore(scope: EntityScope, window: IntentWindow): Fragment {
  const weights = Object.entries(window.weights).filter(([, weight]) => weight !== 0);
  if (weights.length === 0) return raw('0');
  const type = scope.mapping.fields.type;
  // An enum-mapped type: one IN list of stored values per weight (this runs for every event of the lookback).
  const isType = (canonical: string): Fragment =>
    type?.kind === 'column' && translates(type)
      ? storedAsOneOf(scope, type, [canonical])
      : conditionSql(compileFilter({ op: 'eq', field: 'type', value: canonical }, scope));
  const cases = weights.map(([canonical, weight]) => sql`WHEN ${isType(canonical)} THEN ${literal(weight)}`);
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
      return sql`(TIMESTAMPDIFF(SECOND, ${expr}, ${param(scope.dialect.datetimeParam(asOf, zoneOf(scope, scope.mapping.entity === 'event' ? 'occurredAt' : 'placedAt')))}) / 86400.0)`;
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
      return sql`(TIMESTAMPDIFF(SECOND, ${expr}, ${param(scope.dialect.datetimeParam(asOf, zoneOf(scope, scope.mapping.entity === 'event' ? 'occurredAt' : 'placedAt')))}) DIV 86400)`;
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

/** The source's zone for a datetime field stored as local time (`timezone`), if any. */
function zoneOf(scope: EntityScope, field: string): string | undefined {
  const mapping = Object.hasOwn(scope.mapping.fields, field) ? scope.mapping.fields[field] : undefined;
  return mapping?.kind === 'column' ? mapping.timezone : undefined;
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
