/**
 * Per-request access to the shop's analytics statements. Asks of one request are batched
 * per asOf: the measures of the 50 customers of a page are one statement, as is their
 * intent. Scores need the base's quintile boundaries: a cached statistic (./statistics.ts),
 * computed at most once per source, asOf day and window while it is fresh.
 */
import DataLoader from 'dataloader';
import { UnsupportedRequestError } from '../../connectors/contract.js';
import type { AnalyticsRequest, CallOptions, Connector, RfmBoundaries, Row } from '../../connectors/contract.js';
import { defaultInsightsConfig, type InsightsConfig } from '../config/insights-config.js';
import type { C360Config } from '../config/types.js';
import { EntityNotMappedError, type Loaders } from '../loading/loaders.js';
import type { RfmMeasures } from './rules.js';
import { boundariesOf, boundariesOfMeasures, rfmCellOf, StatisticsCache, type RawMeasures, type RfmStatistics } from './statistics.js';
import { createMemoryStore } from '../state/shared-store.js';
import { withPrefix } from '../loading/silos.js';

export interface SegmentTotalsRow {
  readonly segmentIndex: number;
  readonly customers: number;
  readonly revenue: number;
  readonly orders: number;
}

/** The process-wide statistics cache and the unscoped connectors its background refreshes use. */
export interface InsightsStatistics {
  readonly cache: StatisticsCache;
  readonly connectors: ReadonlyMap<string, Connector>;
}

export class InsightsService {
  readonly settings: InsightsConfig;
  private readonly measureLoaders = new Map<string, DataLoader<string, RawMeasures | null>>();
  private readonly intentLoaders = new Map<string, DataLoader<string, ReadonlyArray<Row>>>();
  private readonly boundariesByDay = new Map<string, Promise<RfmStatistics>>();
  private readonly statistics: InsightsStatistics;

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    readonly loaders: Loaders,
    private readonly callOptions: CallOptions,
    statistics?: InsightsStatistics,
  ) {
    this.settings = config.insights ?? defaultInsightsConfig();
    // Without the runtime's cache (a caller of its own), statistics live as long as this service.
    this.statistics = statistics ?? { cache: new StatisticsCache(createMemoryStore({ maxEntries: 16 }), this.settings.statistics), connectors };
  }

  /** A shop account's own measures in the RFM window (its orders only, no scores); null without an order. */
  measures(shopCustomerId: string, asOf: string): Promise<RawMeasures | null> {
    let loader = this.measureLoaders.get(asOf);
    if (loader === undefined) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.runByCustomer('order', [...ids], (customerIds) => ({
          kind: 'rfmMeasures',
          asOf,
          windowDays: this.settings.rfm.windowDays,
          customerIds,
        }));
        const byId = new Map(rows.map((row) => [String(row.customerId), row as unknown as RawMeasures]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      this.measureLoaders.set(asOf, loader);
    }
    return loader.load(shopCustomerId);
  }

  /**
   * Every shop account's own measures in the RFM window, by shop customer id: one GROUP BY
   * in the source, no ranking (whole-base answers score them against the cached boundaries).
   */
  async allMeasures(asOf: string): Promise<Map<string, RawMeasures>> {
    const rows = await this.runEveryPart('order', { kind: 'rfmMeasures', asOf, windowDays: this.settings.rfm.windowDays });
    return new Map(rows.map((row) => [String(row.customerId), row as unknown as RawMeasures]));
  }

  /** The RFM measures and scores of one shop account; null when it has no order in the window. */
  async rfm(shopCustomerId: string, asOf: string): Promise<RfmMeasures | null> {
    const measures = await this.measures(shopCustomerId, asOf);
    if (measures === null) return null;
    return rfmCellOf(measures, (await this.boundaries(asOf)).boundaries);
  }

  /** The quintile boundaries for asOf's day: cached, else computed by this request (in its trace), or by `computeHere` when given. */
  boundaries(asOf: string, computeHere?: () => Promise<RfmBoundaries>): Promise<RfmStatistics> {
    const day = asOf.slice(0, 10);
    let found = this.boundariesByDay.get(day);
    if (found === undefined && this.loaders.silos.isSplit('order')) {
      // Orders in several sources (shop orders, store receipts): the quintiles of every part's
      // accounts together, from their measures (no one source can rank the others' accounts).
      const windowDays = this.settings.rfm.windowDays;
      const parts = this.loaders.silos.partsOf('order');
      const fromMeasures = (connectors: ReadonlyMap<string, Connector>, callOptions: () => CallOptions) => async (at: string) =>
        boundariesOfMeasures(
          (await this.runEveryPart('order', { kind: 'rfmMeasures', asOf: at, windowDays }, connectors, callOptions())) as unknown as RawMeasures[],
        );
      found = this.statistics.cache.rfmBoundaries(
        { source: parts.map((part) => part.source).join('+'), asOf, windowDays },
        computeHere ?? fromMeasures(this.connectors, () => this.callOptions),
        fromMeasures(this.statistics.connectors, () => ({ signal: AbortSignal.timeout(this.settings.statistics.refreshDeadlineMillis) })),
      );
      this.boundariesByDay.set(day, found);
    }
    if (found === undefined) {
      const source = this.sourceOf('order');
      const windowDays = this.settings.rfm.windowDays;
      const request = (at: string): AnalyticsRequest => ({ kind: 'rfmBoundaries', asOf: at, windowDays });
      found = this.statistics.cache.rfmBoundaries(
        { source, asOf, windowDays },
        // A caller that reads every measure anyway computes them from those (boundariesOfMeasures), without the ranking statement.
        computeHere ?? (async (at) => boundariesOf((await this.run('order', request(at)))[0] ?? {})),
        async (at) => {
          const connector = this.statistics.connectors.get(source);
          if (connector?.analytics === undefined) throw new UnsupportedRequestError(source, 'compute rfmBoundaries analytics');
          const rows = await connector.analytics(request(at), { signal: AbortSignal.timeout(this.settings.statistics.refreshDeadlineMillis) });
          return boundariesOf(rows[0] ?? {});
        },
      );
      this.boundariesByDay.set(day, found);
    }
    return found;
  }

  /** Per-product decayed scores of one shop account's events in the lookback window. */
  intentRows(shopCustomerId: string, asOf: string): Promise<ReadonlyArray<Row>> {
    if (!this.loaders.isMapped('event')) return Promise.resolve([]);
    let loader = this.intentLoaders.get(asOf);
    if (loader === undefined) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.runByCustomer('event', [...ids], (customerIds) => ({ kind: 'intent', asOf, customerIds, ...this.intentWindow() }));
        const byId = new Map<string, Row[]>();
        for (const row of rows) byId.set(String(row.customerId), [...(byId.get(String(row.customerId)) ?? []), row]);
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.intentLoaders.set(asOf, loader);
    }
    return loader.load(shopCustomerId);
  }

  /** One row with count_i, revenue_i, orders_i per predicate, and customers and revenue of the base; scores from the cached boundaries. */
  async rfmTotals(request: Omit<Extract<AnalyticsRequest, { kind: 'rfmTotals' }>, 'boundaries'>): Promise<Row> {
    const { boundaries } = await this.boundaries(request.asOf);
    // One row per part (each counts its own accounts against the same boundaries), added up.
    return sumRows(await this.runEveryPart('order', { ...request, boundaries }));
  }

  /** Shop accounts with an event in the lookback per intent level (index 0 NONE … 3 HIGH), events only. */
  async intentLevels(asOf: string): Promise<Row[]> {
    if (!this.loaders.isMapped('event')) return [];
    const { low, medium, high } = this.settings.intent.levels;
    const rows = await this.runEveryPart('event', { kind: 'intentLevels', asOf, thresholds: [low, medium, high], ...this.intentWindow() });
    if (!this.loaders.silos.isSplit('event')) return rows;
    const byLevel = new Map<number, number>();
    for (const row of rows) byLevel.set(Number(row.level), (byLevel.get(Number(row.level)) ?? 0) + Number(row.customers ?? 0));
    return [...byLevel].sort(([a], [b]) => a - b).map(([level, customers]) => ({ level, customers }));
  }

  async intentWithoutPurchase(asOf: string, minScore: number): Promise<number> {
    if (!this.loaders.isMapped('event')) return 0;
    const rows = await this.runEveryPart('event', {
      kind: 'intentWithoutPurchase',
      asOf,
      minScore,
      purchases: { asOf, windowDays: this.settings.rfm.windowDays },
      ...this.intentWindow(),
    });
    return rows.reduce((sum, row) => sum + Number(row.customers ?? 0), 0);
  }

  /** Shop customer ids meeting a filter, ascending, keyset-paged (the semi-join of a filtered page). */
  async members(request: Omit<Extract<AnalyticsRequest, { kind: 'members' }>, 'kind'>): Promise<string[]> {
    const { of } = request;
    const withBoundaries = of.kind === 'rfm' ? { ...request, of: { ...of, boundaries: await this.scoreBoundaries(of) } } : request;
    const entity = of.kind === 'rfm' ? 'order' : 'event';
    const silos = this.loaders.silos;
    if (!silos.routes(entity, 'customerId')) return (await this.run(entity, { kind: 'members', ...withBoundaries })).map((row) => String(row.customerId));
    // Ascending over the parts, primary first: afterId names the part the walk is in.
    const parts = silos.partsOf(entity);
    const prefixes = parts.map((_, index) => silos.prefixOf(entity, index, 'customerId'));
    const afterId = request.afterId;
    const matched = afterId === undefined ? -1 : prefixes.findIndex((prefix) => prefix !== '' && afterId.startsWith(prefix));
    const afterPart = matched >= 0 ? matched : Math.max(0, prefixes.indexOf(''));
    const after = afterId === undefined ? undefined : { part: afterPart, key: afterId.slice(prefixes[afterPart]!.length) };
    const ids: string[] = [];
    for (let index = after?.part ?? 0; index < parts.length && ids.length < request.limit; index++) {
      const prefix = prefixes[index]!;
      const own =
        request.customerIds === undefined
          ? undefined
          : request.customerIds.flatMap((id) => silos.route(entity, 'customerId', id).flatMap((route) => (route.part === index ? [String(route.key)] : [])));
      if (own !== undefined && own.length === 0) continue;
      // The walk's bound applies in its own part only; the parts after it are read from their start.
      const { afterId: _bound, customerIds: _restriction, ...rest } = withBoundaries;
      const partRequest: AnalyticsRequest = {
        kind: 'members',
        ...rest,
        limit: request.limit - ids.length,
        ...(after !== undefined && index === after.part ? { afterId: after.key } : {}),
        ...(own === undefined ? {} : { customerIds: own }),
      };
      const rows = await this.run(entity, partRequest, parts[index]!.source);
      for (const row of rows) ids.push(prefix + String(row.customerId));
    }
    return ids;
  }

  intentWindow() {
    const { lookbackDays, halfLifeDays, weights } = this.settings.intent;
    return { lookbackDays, halfLifeDays, weights };
  }

  /** Boundaries only when the predicate tests a score: a walk on frequency or money alone needs none. */
  private async scoreBoundaries(of: { readonly predicate: object; readonly asOf: string }): Promise<RfmBoundaries> {
    const scored = ['r', 'f', 'm'].some((metric) => metric in of.predicate);
    return scored ? (await this.boundaries(of.asOf)).boundaries : { customers: 0, recencyDays: [], frequency: [], monetary: [] };
  }

  private sourceOf(entity: 'order' | 'event'): string {
    const source = this.config.entities[entity]?.source;
    if (source === undefined) throw new EntityNotMappedError(entity);
    return source;
  }

  /**
   * A per-customer statement over every source the entity is mapped in (shop orders and
   * store receipts): each part gets the customer ids it holds, as it stores them, and its
   * rows come back with the customer ids the loaders show (src/loading/silos.ts).
   */
  private async runByCustomer(entity: 'order' | 'event', ids: ReadonlyArray<string>, request: (customerIds: string[]) => AnalyticsRequest): Promise<Row[]> {
    const silos = this.loaders.silos;
    if (!silos.routes(entity, 'customerId')) return [...(await this.run(entity, request([...ids])))];
    const byPart = new Map<number, string[]>();
    for (const id of ids)
      for (const route of silos.route(entity, 'customerId', id)) {
        const held = byPart.get(route.part);
        if (held === undefined) byPart.set(route.part, [String(route.key)]);
        else held.push(String(route.key));
      }
    const answers = await Promise.all(
      [...byPart].map(async ([part, customerIds]) =>
        withPrefix(await this.run(entity, request(customerIds), silos.partsOf(entity)[part]!.source), 'customerId', silos.prefixOf(entity, part, 'customerId')),
      ),
    );
    return answers.flat();
  }

  /** A whole-base statement over every source the entity is mapped in, each part's customer ids as the loaders show them. */
  private async runEveryPart(
    entity: 'order' | 'event',
    request: AnalyticsRequest,
    connectors: ReadonlyMap<string, Connector> = this.connectors,
    callOptions: CallOptions = this.callOptions,
  ): Promise<Row[]> {
    const silos = this.loaders.silos;
    if (!silos.isSplit(entity)) return [...(await this.run(entity, request, this.sourceOf(entity), connectors, callOptions))];
    const answers = await Promise.all(
      silos
        .partsOf(entity)
        .map(async (part, index) =>
          withPrefix(await this.run(entity, request, part.source, connectors, callOptions), 'customerId', silos.prefixOf(entity, index, 'customerId')),
        ),
    );
    return answers.flat();
  }

  /** One statement in the entity's source: its primary part's unless `source` names another. */
  private run(
    entity: 'order' | 'event',
    request: AnalyticsRequest,
    source: string = this.sourceOf(entity),
    connectors: ReadonlyMap<string, Connector> = this.connectors,
    callOptions: CallOptions = this.callOptions,
  ): Promise<ReadonlyArray<Row>> {
    const connector = connectors.get(source);
    if (connector?.analytics === undefined || !(connector.capabilities.analytics ?? []).includes(request.kind)) {
      throw new UnsupportedRequestError(source, `compute ${request.kind} analytics`);
    }
    return connector.analytics(request, callOptions);
  }
}

/** Rows of numbers added field by field (one per part of a split entity), as one row. */
function sumRows(rows: ReadonlyArray<Row>): Row {
  if (rows.length <= 1) return rows[0] ?? {};
  const total: Record<string, number> = {};
  for (const row of rows) for (const [field, value] of Object.entries(row)) if (value !== null) total[field] = (total[field] ?? 0) + Number(value);
  return total;
}
