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
import type { BulkLinks } from '../identity/bulk-link.js';
import { LRUCache } from 'lru-cache';
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
  const linked = await linksOf(ctx, after != null);
  const ahead = readAheadOf(ctx, linked, after != null, filter, chunk);
  let read = 0;
  let lastListed: string | undefined;
  for (;;) {
    const page = { ...(afterId === undefined ? {} : { afterId }), limit: chunk };
    const ids = (read++ === 0 ? await ahead?.take(afterId) : undefined) ?? (await members(service, page));
    const handles = ids.map((id) => new CustomerHandle({ entity: 'shopCustomer', key: id }, needs, ctx.loaders, ctx.link, undefined, linked));
    // Every id of this chunk qualifies; other accounts of the same customers may qualify
    // too, so ask the shop about those at once (most customers have none: no statement).
    // With links the accounts are known before any row is read: that question goes out in
    // the same wave as the rows; the rows then only confirm it (a sibling the links did not
    // name, as for a customer newer than them, is asked after).
    const chunkIds = new Set(ids);
    const siblingsOf = (accounts: ReadonlyArray<string>) => [...new Set(accounts)].filter((account) => !chunkIds.has(account));
    const ask = (accounts: ReadonlyArray<string>) =>
      accounts.length === 0 ? Promise.resolve([]) : members(service, { customerIds: accounts, limit: accounts.length });
    const planned =
      linked === undefined
        ? []
        : siblingsOf(ids.flatMap((id) => linked.plan({ entity: 'shopCustomer', key: id })?.records.shopCustomer.map((record) => record.key) ?? []));
    const [assemblies, plannedQualifying] = await Promise.all([Promise.all(handles.map((handle) => handle.assembly())), ask(planned)]);
    const accountsOf = assemblies.map((assembly) => (assembly === null ? [] : assembly.records.shopCustomer.map((record) => String(record.row.id))));
    const asked = new Set(planned);
    const unasked = siblingsOf(accountsOf.flat()).filter((account) => !asked.has(account));
    const qualifying = new Set([...ids, ...plannedQualifying, ...(await ask(unasked))]);
    for (const [index, id] of ids.entries()) {
      const lowest = accountsOf[index]!.filter((account) => qualifying.has(account)).sort(compareKeys)[0];
      if (assemblies[index] === null || (lowest !== undefined && lowest !== id)) continue;
      if (edges.length === first) {
        // The walk goes on: the next page's members are asked now, while this page is answered.
        ahead?.prefetch(lastListed ?? afterId, (next) => members(service, next));
        return { edges, hasNextPage: true };
      }
      edges.push({ cursor: encodeCursor([SEMI_JOIN_PHASE, id]), node: handles[index]! });
      lastListed = id;
    }
    if (ids.length < chunk) return { edges, hasNextPage: false };
    afterId = ids.at(-1);
  }
}

/**
 * The links a filtered page assembles its customers from: the request's own bulk links, else
 * the process's cached link map when fresh (no identifier lookup per page; a customer whose
 * records are newer than the map is linked the per-customer way), else none: this page links
 * per customer and a map is built in the background for the next ones (src/identity/link-map-cache.ts);
 * a next page waits up to WALK_WAITS_FOR_LINKS_MILLIS for that build (at 100k records per
 * source it takes 3-6 s: the rest of a walk is then fast instead of every page slow beside it).
 */
const WALK_WAITS_FOR_LINKS_MILLIS = 3_000;

async function linksOf(ctx: RequestContext, continuing: boolean): Promise<BulkLinks | undefined> {
  if (ctx.linked !== undefined) return ctx.linked;
  const cache = ctx.linkMap;
  if (cache === undefined || !cache.settings.filteredPages || !cache.applies(ctx.loaders)) return undefined;
  // A next page (a walk going on) waits a little for a build under way; a first page never does.
  const cached = continuing ? await cache.within(WALK_WAITS_FOR_LINKS_MILLIS) : cache.peek();
  if (cached !== undefined) ctx.linksAsOf = cached.builtAt;
  return cached?.links;
}

/**
 * Read-ahead for a walk through the link map: once a next page (after: set) is answered with
 * more to come, the members of the page after it are asked at once, and that page takes them
 * (within READ_AHEAD_MILLIS) instead of asking again: a walk's pages then wait for their rows
 * only. Kept per process and filter, at most READ_AHEAD_ENTRIES walks; a walk that stops there
 * costs one members statement nobody reads. First pages never read ahead (a single filtered page
 * costs what it did), nor pages linked per customer.
 */
const READ_AHEAD_MILLIS = 30_000;
const READ_AHEAD_ENTRIES = 256;
const readAheads = new WeakMap<object, LRUCache<string, Promise<string[]>>>();

interface ReadAhead {
  take(afterId: string | undefined): Promise<string[] | undefined>;
  prefetch(afterId: string | undefined, ask: (page: { afterId?: string; limit: number }) => Promise<string[]>): void;
}

function readAheadOf(ctx: RequestContext, linked: BulkLinks | undefined, continuing: boolean, filter: CustomerFilter, limit: number): ReadAhead | undefined {
  const owner = ctx.linkMap;
  if (owner === undefined || linked === undefined || ctx.linked !== undefined) return undefined;
  let cache = readAheads.get(owner);
  if (cache === undefined) readAheads.set(owner, (cache = new LRUCache({ max: READ_AHEAD_ENTRIES, ttl: READ_AHEAD_MILLIS })));
  const kept = cache;
  const keyOf = (afterId: string | undefined) => JSON.stringify([filter, afterId ?? null, limit]);
  return {
    async take(afterId) {
      const key = keyOf(afterId);
      const waiting = kept.get(key);
      if (waiting === undefined) return undefined;
      kept.delete(key);
      return waiting.catch(() => undefined);
    },
    prefetch(afterId, ask) {
      if (!continuing || afterId === undefined) return;
      const asked = ask({ afterId, limit });
      asked.catch(() => undefined);
      kept.set(keyOf(afterId), asked);
    },
  };
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
