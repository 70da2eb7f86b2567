/** RFM, intent and segments: Customer fields and the BI segment totals, computed in the shop. */
import type { Filter, Row } from '../../connectors/contract.js';
import type { SegmentDefinition } from '../config/insights-config.js';
import { badUserInput } from '../errors/codes.js';
import type { CustomerResolvers, IntentResolvers, QueryResolvers, Rfm, Segment } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { CustomerHandle } from '../identity/customer-handle.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import { customerOf } from '../identity/customer.js';
import { intentOf } from '../insights/intent.js';
import type { IntentModel } from '../insights/models.js';
import type { InsightsService } from '../insights/service.js';
import { combineAccounts, segmentsOf, type RfmMeasures } from '../insights/rules.js';

const DAY_MILLIS = 86_400_000;
const PRODUCT_FIELDS = ['id', 'sku', 'name', 'category', 'brand', 'price'];

function insightsOf(ctx: RequestContext): InsightsService {
  if (ctx.insights === undefined) throw new Error('this request context carries no insights service');
  return ctx.insights;
}

function asOfOf(value: string | null | undefined): string {
  if (value == null) return new Date().toISOString();
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw badUserInput('"asOf" is not a date-time', 'asOf');
  return new Date(millis).toISOString();
}

async function recordIds(handle: CustomerHandle, ctx: RequestContext, entity: AnchorEntity): Promise<string[]> {
  return (await customerOf(handle, ctx)).keysOf(entity);
}

async function rfmOf(handle: CustomerHandle, ctx: RequestContext, asOf: string): Promise<RfmMeasures | null> {
  if (!ctx.loaders.isMapped('order')) return null;
  const ids = await recordIds(handle, ctx, 'shopCustomer');
  const accounts = await Promise.all(ids.map((id) => insightsOf(ctx).rfm(id, asOf)));
  return combineAccounts(accounts.filter((account): account is RfmMeasures => account !== null));
}

async function storeVisits(handle: CustomerHandle, ctx: RequestContext, asOf: string): Promise<string[]> {
  if (!ctx.loaders.isMapped('interaction') || insightsOf(ctx).settings.intent.storeVisitWeight === 0) return [];
  const contactIds = await recordIds(handle, ctx, 'contact');
  const since = new Date(Date.parse(asOf) - insightsOf(ctx).settings.intent.lookbackDays * DAY_MILLIS).toISOString();
  const filter: Filter = {
    op: 'and',
    filters: [
      { op: 'eq', field: 'type', value: 'STORE_VISIT' },
      { op: 'range', field: 'occurredAt', gt: since, lte: asOf },
    ],
  };
  const rows = await ctx.loaders.loadMany('interaction', contactIds, { keyField: 'contactId', projection: ['id', 'occurredAt'], filter });
  return rows.flat().flatMap((row) => (typeof row.occurredAt === 'string' ? [row.occurredAt] : []));
}

/** The customer's last order in the RFM window: its own orders, never a scoring of the base. */
async function lastPurchaseOf(ids: ReadonlyArray<string>, ctx: RequestContext, asOf: string): Promise<string | null> {
  if (!ctx.loaders.isMapped('order')) return null;
  const measures = await Promise.all(ids.map((id) => insightsOf(ctx).measures(id, asOf)));
  const dates = measures.flatMap((account) => (account?.lastPurchaseAt == null ? [] : [account.lastPurchaseAt]));
  return dates.sort().at(-1) ?? null;
}

async function intentModelOf(handle: CustomerHandle, ctx: RequestContext, asOf: string): Promise<IntentModel> {
  const ids = await recordIds(handle, ctx, 'shopCustomer');
  const [eventRows, visits, lastPurchaseAt] = await Promise.all([
    Promise.all(ids.map((id) => insightsOf(ctx).intentRows(id, asOf))),
    storeVisits(handle, ctx, asOf),
    lastPurchaseOf(ids, ctx, asOf),
  ]);
  return { asOf, ...intentOf(eventRows.flat(), visits, lastPurchaseAt, asOf, insightsOf(ctx).settings.intent) };
}

function segmentOf(definition: SegmentDefinition): Segment {
  return { id: definition.id, label: definition.label, family: definition.family };
}

async function productsOf(model: IntentModel, ctx: RequestContext): Promise<Row[]> {
  if (!ctx.loaders.isMapped('product') || model.productIds.length === 0) return [];
  const rows = await ctx.loaders.loadMany('product', [...model.productIds], { keyField: 'id', projection: PRODUCT_FIELDS });
  return rows.flatMap((found) => (found[0] === undefined ? [] : [found[0]]));
}

export const insightsCustomerResolvers: Pick<CustomerResolvers<RequestContext>, 'rfm' | 'intent' | 'segments'> = {
  rfm: async (handle, args, ctx): Promise<Rfm | null> => {
    const asOf = asOfOf(args.asOf);
    const rfm = await rfmOf(handle, ctx, asOf);
    if (rfm === null) return null;
    const statistics = await insightsOf(ctx).boundaries(asOf);
    return { ...rfm, asOf, windowDays: insightsOf(ctx).settings.rfm.windowDays, code: `${rfm.r}${rfm.f}${rfm.m}`, statisticsComputedAt: statistics.computedAt };
  },
  intent: (handle, args, ctx) => intentModelOf(handle, ctx, asOfOf(args.asOf)),
  segments: async (handle, args, ctx) => {
    const asOf = asOfOf(args.asOf);
    const segments = insightsOf(ctx).settings.segments;
    const needsIntent = segments.some((segment) => segment.rule.kind === 'intentWithoutPurchase');
    const [rfm, intent] = await Promise.all([rfmOf(handle, ctx, asOf), needsIntent ? intentModelOf(handle, ctx, asOf) : undefined]);
    return segmentsOf(segments, rfm, intent?.level ?? 'NONE').map(segmentOf);
  },
};

export const intentResolvers: IntentResolvers<RequestContext> = {
  products: (model, _args, ctx) => productsOf(model, ctx),
  categories: async (model, _args, ctx) => {
    const categories = (await productsOf(model, ctx)).flatMap((row) => (typeof row.category === 'string' ? [row.category] : []));
    return [...new Set(categories)];
  },
};

const LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;

export const insightsQueryResolvers: Pick<QueryResolvers<RequestContext>, 'segments' | 'intentDistribution'> = {
  intentDistribution: async (_root, args, ctx) => {
    if (!ctx.loaders.isMapped('event')) return null;
    const asOf = asOfOf(args.asOf);
    const rows = await insightsOf(ctx).intentLevels(asOf);
    const counts = new Map(rows.map((row) => [Number(row.level), Number(row.customers ?? 0)]));
    return { asOf, levels: LEVELS.map((level, index) => ({ level, shopAccounts: counts.get(index) ?? 0 })) };
  },
  segments: async (_root, args, ctx) => {
    if (!ctx.loaders.isMapped('order')) return null;
    const asOf = asOfOf(args.asOf);
    const { settings } = insightsOf(ctx);
    const rfmSegments = settings.segments.flatMap((segment) => (segment.rule.kind === 'rfm' ? [{ segment, when: segment.rule.when }] : []));
    const shoppers = settings.segments.flatMap((segment) => (segment.rule.kind === 'intentWithoutPurchase' ? [{ segment, level: segment.rule.level }] : []));
    // Independent statements, in parallel: the totals over the scored base and each window-shopper count.
    const [totals, shopperCounts] = await Promise.all([
      insightsOf(ctx).rfmTotals({ kind: 'rfmTotals', asOf, windowDays: settings.rfm.windowDays, predicates: rfmSegments.map(({ when }) => when) }),
      Promise.all(
        shoppers.map(({ level }) =>
          insightsOf(ctx).intentWithoutPurchase(asOf, settings.intent.levels[level === 'HIGH' ? 'high' : level === 'MEDIUM' ? 'medium' : 'low']),
        ),
      ),
    ]);
    const baseRevenue = Number(totals.revenue ?? 0);
    const byId = new Map<string, { customers: number; revenue: number; orders: number }>();
    rfmSegments.forEach(({ segment }, index) => {
      byId.set(segment.id, {
        customers: Number(totals[`count_${index}`] ?? 0),
        revenue: Number(totals[`revenue_${index}`] ?? 0),
        orders: Number(totals[`orders_${index}`] ?? 0),
      });
    });
    // Window-shoppers bought nothing, so they add customers but no revenue.
    shoppers.forEach(({ segment }, index) => byId.set(segment.id, { customers: shopperCounts[index] ?? 0, revenue: 0, orders: 0 }));
    return settings.segments.map((segment) => {
      const total = byId.get(segment.id) ?? { customers: 0, revenue: 0, orders: 0 };
      return {
        segment: segmentOf(segment),
        customers: total.customers,
        revenue: Math.round(total.revenue * 100) / 100,
        averageBasket: total.orders === 0 ? null : Math.round((total.revenue / total.orders) * 100) / 100,
        shareOfRevenue: baseRevenue === 0 ? 0 : total.revenue / baseRevenue,
      };
    });
  },
};
