/**
 * `customers(filter: { segment, intentLevel, minRevenue })`: fields the shop owns, so the
 * shop selects the qualifying accounts (one analytics statement per chunk, keyset by id)
 * and c360 pages their customers. A customer is listed once, at its lowest qualifying shop
 * account, so a customer with several accounts is neither repeated nor skipped, and the
 * cursor (phase 2, shop id) stays valid however the page sizes change.
 */
import type { RfmPredicate } from '../../connectors/contract.js';
import { badUserInput } from '../errors/codes.js';
import type { CustomerFilter } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { CustomerHandle, type CustomerNeeds } from '../identity/customer-handle.js';
import { compareKeys } from '../identity/link.js';
import { decodeCursor, encodeCursor } from '../resolvers/rows.js';
import { openTicketPage } from './open-tickets.js';
import type { InsightsService } from './service.js';

export const SEMI_JOIN_PHASE = 2;

type Members = (service: InsightsService, page: { afterId?: string; customerIds?: ReadonlyArray<string>; limit: number }) => Promise<string[]>;

export interface SemiJoinPage {
  readonly edges: Array<{ cursor: string; node: CustomerHandle }>;
  readonly hasNextPage: boolean;
}

/** True when the filter names a field the shop (or, hasOpenTicket, the helpdesk) owns. */
export function needsSemiJoin(filter: CustomerFilter | null | undefined): boolean {
  return filter != null && (filter.segment != null || filter.intentLevel != null || filter.minRevenue != null || filter.hasOpenTicket != null);
}

export async function semiJoinPage(
  ctx: RequestContext,
  needs: CustomerNeeds,
  first: number,
  after: string | null | undefined,
  filter: CustomerFilter,
): Promise<SemiJoinPage> {
  const service = ctx.insights;
  if (service === undefined) throw new Error('this request context carries no insights service');
  if (filter.hasOpenTicket != null) {
    if (
      filter.segment != null ||
      filter.intentLevel != null ||
      filter.minRevenue != null ||
      filter.kind != null ||
      filter.postcode != null ||
      filter.city != null ||
      filter.createdAfter != null
    ) {
      throw badUserInput('hasOpenTicket cannot be combined with other filters yet', 'filter');
    }
    return openTicketPage(ctx, needs, first, after, filter.hasOpenTicket);
  }
  if (filter.kind != null || filter.postcode != null || filter.city != null || filter.createdAfter != null) {
    throw badUserInput('segment, intentLevel and minRevenue cannot be combined with kind, postcode, city or createdAfter yet', 'filter');
  }
  const members = membersOf(service, filter);
  let afterId: string | undefined;
  if (after != null) {
    const [phase, key] = decodeCursor(after, 2, 'after');
    if (phase !== SEMI_JOIN_PHASE || typeof key !== 'string') throw badUserInput('"after" is not a cursor of this filtered list', 'after');
    afterId = key;
  }
  const chunk = Math.min(Math.max(first + 1, 10), 500);
  const edges: SemiJoinPage['edges'] = [];
  for (;;) {
    const ids = await members(service, { ...(afterId === undefined ? {} : { afterId }), limit: chunk });
    const handles = ids.map((id) => new CustomerHandle({ entity: 'shopCustomer', key: id }, needs, ctx.loaders, ctx.link, undefined, ctx.linked));
    const assemblies = await Promise.all(handles.map((handle) => handle.assembly()));
    const accountsOf = assemblies.map((assembly) => (assembly === null ? [] : assembly.records.shopCustomer.map((record) => String(record.row.id))));
    // Every id of this chunk qualifies; other accounts of the same customers may qualify
    // too, so ask the shop about those at once (most customers have none: no statement).
    const chunkIds = new Set(ids);
    const siblings = [...new Set(accountsOf.flat())].filter((account) => !chunkIds.has(account));
    const qualifying = new Set([...ids, ...(siblings.length === 0 ? [] : await members(service, { customerIds: siblings, limit: siblings.length }))]);
    for (const [index, id] of ids.entries()) {
      const lowest = accountsOf[index]!.filter((account) => qualifying.has(account)).sort(compareKeys)[0];
      if (assemblies[index] === null || (lowest !== undefined && lowest !== id)) continue;
      if (edges.length === first) return { edges, hasNextPage: true };
      edges.push({ cursor: encodeCursor([SEMI_JOIN_PHASE, id]), node: handles[index]! });
    }
    if (ids.length < chunk) return { edges, hasNextPage: false };
    afterId = ids.at(-1);
  }
}

function membersOf(service: InsightsService, filter: CustomerFilter): Members {
  const asOf = filter.asOf == null ? new Date().toISOString() : new Date(Date.parse(filter.asOf)).toISOString();
  const { settings } = service;
  const window = { asOf, windowDays: settings.rfm.windowDays };
  const predicate: { [metric: string]: { min?: number; max?: number } } = {};
  let intentMinimum: number | undefined;
  let withoutPurchase = false;
  if (filter.segment != null) {
    const segment = settings.segments.find((candidate) => candidate.id === filter.segment);
    if (segment === undefined) throw badUserInput(`unknown segment "${filter.segment}"`, 'filter.segment');
    if (segment.rule.kind === 'rfm') Object.assign(predicate, segment.rule.when);
    else {
      intentMinimum = levelScore(service, segment.rule.level);
      withoutPurchase = true;
    }
  }
  if (filter.minRevenue != null) predicate.monetary = { ...predicate.monetary, min: Math.max(filter.minRevenue, predicate.monetary?.min ?? -Infinity) };
  if (filter.intentLevel != null && filter.intentLevel !== 'NONE') intentMinimum = Math.max(intentMinimum ?? 0, levelScore(service, filter.intentLevel));
  const usesRfm = Object.keys(predicate).length > 0 || (filter.segment != null && intentMinimum === undefined);
  if (usesRfm && intentMinimum !== undefined) {
    throw badUserInput('an RFM filter (segment or minRevenue) and an intent filter cannot be combined yet', 'filter');
  }
  if (intentMinimum !== undefined) {
    const minScore = intentMinimum;
    return (s, page) =>
      s.members({ of: { kind: 'intent', minScore, ...s.intentWindow(), asOf, ...(withoutPurchase ? { withoutPurchase: window } : {}) }, ...page });
  }
  // intentLevel NONE alone: every scored customer qualifies.
  return (s, page) => s.members({ of: { kind: 'rfm', predicate: predicate as RfmPredicate, ...window }, ...page });
}

function levelScore(service: InsightsService, level: 'LOW' | 'MEDIUM' | 'HIGH'): number {
  const { levels } = service.settings.intent;
  return level === 'HIGH' ? levels.high : level === 'MEDIUM' ? levels.medium : levels.low;
}
