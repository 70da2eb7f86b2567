/**
 * Per-request access to the shop's analytics statements. Asks of one request are batched
 * per asOf: the RFM of the 50 customers of a page is one statement, as is their intent.
 */
import DataLoader from 'dataloader';
import { UnsupportedRequestError } from '../../connectors/contract.js';
import type { AnalyticsRequest, CallOptions, Connector, Row } from '../../connectors/contract.js';
import { defaultInsightsConfig, type InsightsConfig } from '../config/insights-config.js';
import type { C360Config } from '../config/types.js';
import { EntityNotMappedError, type Loaders } from '../loading/loaders.js';
import type { RfmMeasures } from './rules.js';

export interface SegmentTotalsRow {
  readonly segmentIndex: number;
  readonly customers: number;
  readonly revenue: number;
  readonly orders: number;
}

export class InsightsService {
  readonly settings: InsightsConfig;
  private readonly rfmLoaders = new Map<string, DataLoader<string, RfmMeasures | null>>();
  private readonly intentLoaders = new Map<string, DataLoader<string, ReadonlyArray<Row>>>();

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    readonly loaders: Loaders,
    private readonly callOptions: CallOptions,
  ) {
    this.settings = config.insights ?? defaultInsightsConfig();
  }

  /** The RFM measures of one shop account; null when it has no order in the window. */
  rfm(shopCustomerId: string, asOf: string): Promise<RfmMeasures | null> {
    let loader = this.rfmLoaders.get(asOf);
    if (loader === undefined) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.run('order', { kind: 'rfm', asOf, windowDays: this.settings.rfm.windowDays, customerIds: [...ids] });
        const byId = new Map(rows.map((row) => [String(row.customerId), row as unknown as RfmMeasures]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      this.rfmLoaders.set(asOf, loader);
    }
    return loader.load(shopCustomerId);
  }

  /** Per-product decayed scores of one shop account's events in the lookback window. */
  intentRows(shopCustomerId: string, asOf: string): Promise<ReadonlyArray<Row>> {
    if (!this.loaders.isMapped('event')) return Promise.resolve([]);
    let loader = this.intentLoaders.get(asOf);
    if (loader === undefined) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.run('event', { kind: 'intent', asOf, customerIds: [...ids], ...this.intentWindow() });
        const byId = new Map<string, Row[]>();
        for (const row of rows) byId.set(String(row.customerId), [...(byId.get(String(row.customerId)) ?? []), row]);
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.intentLoaders.set(asOf, loader);
    }
    return loader.load(shopCustomerId);
  }

  /** One row with count_i, revenue_i, orders_i per predicate, and customers and revenue of the base. */
  async rfmTotals(request: Extract<AnalyticsRequest, { kind: 'rfmTotals' }>): Promise<Row> {
    return (await this.run('order', request))[0] ?? {};
  }

  async intentWithoutPurchase(asOf: string, minScore: number): Promise<number> {
    if (!this.loaders.isMapped('event')) return 0;
    const rows = await this.run('event', {
      kind: 'intentWithoutPurchase',
      asOf,
      minScore,
      purchases: { asOf, windowDays: this.settings.rfm.windowDays },
      ...this.intentWindow(),
    });
    return Number(rows[0]?.customers ?? 0);
  }

  /** Shop customer ids meeting a filter, ascending, keyset-paged (the semi-join of a filtered page). */
  async members(request: Omit<Extract<AnalyticsRequest, { kind: 'members' }>, 'kind'>): Promise<string[]> {
    const rows = await this.run(request.of.kind === 'rfm' ? 'order' : 'event', { kind: 'members', ...request });
    return rows.map((row) => String(row.customerId));
  }

  intentWindow() {
    const { lookbackDays, halfLifeDays, weights } = this.settings.intent;
    return { lookbackDays, halfLifeDays, weights };
  }

  private run(entity: 'order' | 'event', request: AnalyticsRequest): Promise<ReadonlyArray<Row>> {
    const source = this.config.entities[entity]?.source;
    if (source === undefined) throw new EntityNotMappedError(entity);
    const connector = this.connectors.get(source);
    if (connector?.analytics === undefined || !(connector.capabilities.analytics ?? []).includes(request.kind)) {
      throw new UnsupportedRequestError(source, `compute ${request.kind} analytics`);
    }
    return connector.analytics(request, this.callOptions);
  }
}
