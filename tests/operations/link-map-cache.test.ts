/**
 * Issue 15: the bulk link map kept for a short time (src/identity/link-map-cache.ts), as the
 * statistics are. A fresh map is reused (one build, however many whole-base operations ask),
 * refreshed in the background before it expires, rebuilt after; a filtered page (a segment
 * walk) reads through it (no identifier lookup, the page's records by key, one statement per
 * source) and lists the same customers as without it; a build that fails in the background
 * is not retried on every page. On a real MariaDB shop with CRM contacts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Scalar } from '../../connectors/contract.js';
import mysql from 'mysql2/promise';
import { LinkMapCache, linkMapCacheFor, linkMapCacheOf, type LinkMapSettings } from '../../src/identity/link-map-cache.js';
import { Loaders } from '../../src/loading/loaders.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, timeValue, type InsightsShop } from '../support/insights-shop.js';

const AS_OF = '2024-06-01T00:00:00.000Z';
const ACCOUNTS = 120;
const ago = (days: number): string => new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();

let shop: InsightsShop;
let withMap: TestGateway;
let withoutMap: TestGateway;

beforeAll(async () => {
  shop = await createInsightsShop('mysql', { withContacts: true });
  const k = shop.kind;
  // Contacts 1..40 hold the email of shop accounts 1..40; contact 1 also of account 100 (one customer, two accounts).
  await shop.admin.insert(
    'crm_contact',
    ['id', 'email'],
    Array.from({ length: 40 }, (_, i): Scalar[] => [i + 1, `p${i + 1}@maison-dupont.fr`]),
  );
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email', 'last_name'],
    Array.from({ length: ACCOUNTS }, (_, i): Scalar[] => [i + 1, i + 1 === 100 ? 'p1@maison-dupont.fr' : `p${i + 1}@maison-dupont.fr`, `P${i + 1}`]),
  );
  await shop.admin.insert(
    'shop_order',
    ['id', 'customer_id', 'placed_at', 'total', 'state'],
    Array.from({ length: ACCOUNTS }, (_, i): Scalar[] => [i + 1, i + 1, timeValue(k, ago(10)), 10 + i, 'paid']),
  );
  const rates = { limits: { roles: { default: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } } };
  // Neither keeps the map warm: these tests are about the map's cold path (a page that starts a build).
  withMap = await startTestGateway(shop.config(undefined, { ...rates, analytics: { linkMap: { keepWarm: false } } }));
  withoutMap = await startTestGateway(shop.config(undefined, { ...rates, analytics: { linkMap: { filteredPages: false, keepWarm: false } } }));
}, 60_000);

afterAll(async () => {
  await withMap?.stop();
  await withoutMap?.stop();
  await shop?.drop();
});

const PAGE = `query($first: Int, $after: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, filter: $filter) { edges { node { id sources { entity key } } } pageInfo { hasNextPage endCursor } }
}`;

async function walk(gateway: TestGateway, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const result = await gateway.query(PAGE, { first, after, filter: { asOf: AS_OF, minRevenue: 1 } });
    expect(result.errors).toBeUndefined();
    const connection = result.data!.customers as { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    ids.push(...connection.edges.map((edge) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return ids;
    after = connection.pageInfo.endCursor;
  }
}

async function settled(cache: LinkMapCache): Promise<void> {
  for (let i = 0; i < 200 && cache.ageMillis() === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('a filtered page through the link map', () => {
  it('starts a build in the background on a cold page, then reads the links from it', async () => {
    const cache = linkMapCacheOf(withMap.runtime);
    expect(cache.ageMillis()).toBeUndefined();
    const cold = await withMap.query(PAGE, { first: 10, filter: { asOf: AS_OF, minRevenue: 1 } }, { trace: true });
    expect(cold.errors).toBeUndefined();
    // Linked per customer: identifier lookups in the page's own trace, no link map named.
    expect((cold.extensions as { linksAsOf?: string }).linksAsOf).toBeUndefined();
    await settled(cache);
    expect(cache.builds).toBe(1);
    const warm = await withMap.query(PAGE, { first: 10, filter: { asOf: AS_OF, minRevenue: 1 } }, { trace: true });
    expect(warm.data).toEqual(cold.data);
    expect(Date.parse((warm.extensions as { linksAsOf: string }).linksAsOf)).toBeLessThanOrEqual(Date.now());
    // The members, then the page's records by key: one statement per person source (both in the shop's database here), no identifier lookup.
    const counts = statementsByEntity(warm.extensions?.trace);
    expect(counts['shop.contact']).toBe(1);
    expect(counts['shop.shopCustomer']).toBe(1);
    expect(statementsByEntity(cold.extensions?.trace)['shop.shopCustomer']).toBeGreaterThan(1);
    const keyed = (warm.extensions?.trace ?? []).filter((call) => call.entity === 'contact' || call.entity === 'shopCustomer');
    for (const call of keyed) expect(call.statement).not.toMatch(/LOWER|email_mailbox|REPLACE/i);
  });

  it('lists the same customers, in the same order, as per-customer linking, whatever the page size', async () => {
    await settled(linkMapCacheOf(withMap.runtime));
    const expected = await walk(withoutMap, 25);
    // Account 100 is contact 1's second account: one customer, listed once.
    expect(new Set(expected).size).toBe(expected.length);
    expect(expected.length).toBe(ACCOUNTS - 1);
    for (const first of [1, 7, 50]) expect(await walk(withMap, first)).toEqual(expected);
    expect(linkMapCacheOf(withoutMap.runtime).builds).toBe(0);
  }, 60_000);
});

describe('a walk through the link map', () => {
  it("reads the next page's members ahead: from the third page on, a page asks the shop for rows only", async () => {
    await settled(linkMapCacheOf(withMap.runtime));
    const walkStatements = async (after: string | null) => {
      const result = await withMap.query(PAGE, { first: 10, after, filter: { asOf: AS_OF, minRevenue: 1 } }, { trace: true });
      const connection = result.data!.customers as { pageInfo: { endCursor: string } };
      // A walk statement: the accounts' own aggregates under HAVING, keyset by id (the members, or other accounts of the page's customers).
      const members = (result.extensions?.trace ?? []).filter((call) => call.statement.includes(' HAVING ')).length;
      return { members, after: connection.pageInfo.endCursor };
    };
    const first = await walkStatements(null);
    expect(first.members).toBe(2); // the members, and contact 1's other account (100)
    const second = await walkStatements(first.after);
    expect(second.members).toBe(1);
    // Asked while the second page was answered.
    const third = await walkStatements(second.after);
    expect(third.members).toBe(0);
  });
});

describe('analytics.linkMap.keepWarm', () => {
  it('builds the map at start and rebuilds it every ttl - refreshAhead, read or not', async () => {
    const warm = await startTestGateway(shop.config(undefined, { analytics: { linkMap: { keepWarm: true, ttlSeconds: 2, refreshAheadSeconds: 1 } } }));
    try {
      const cache = linkMapCacheOf(warm.runtime);
      await settled(cache);
      expect(cache.ageMillis()).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < 200 && cache.builds < 3; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(cache.builds).toBeGreaterThanOrEqual(3);
      expect(cache.ageMillis()).toBeLessThan(2_000);
    } finally {
      await warm.stop();
    }
  });

  it('keeps /ready at 503 "warming" until the first build settled, then ready with the map fresh', async () => {
    // The shop's accounts locked by another session: the build's scan waits on the real lock.
    const locker = await mysql.createConnection(shop.url);
    await locker.query('LOCK TABLES shop_customer WRITE');
    let locked = true;
    const warm = await startTestGateway(shop.config(undefined, { analytics: { linkMap: { keepWarm: true } } }));
    try {
      const ready = warm.url.replace(/\/graphql$/, '/ready');
      const during = await fetch(ready);
      expect(during.status).toBe(503);
      expect(await during.json()).toMatchObject({ status: 'warming', warming: ['linkMap'], notes: { linkMap: { state: 'warming', keepWarm: true } } });
      await locker.query('UNLOCK TABLES');
      locked = false;
      await settled(linkMapCacheOf(warm.runtime));
      const after = await fetch(ready);
      expect(after.status).toBe(200);
      const body = (await after.json()) as { status: string; warming?: unknown; notes: { linkMap: { state: string; ageSeconds: number } } };
      expect(body.status).toBe('ready');
      expect(body.warming).toBeUndefined();
      expect(body.notes.linkMap.state).toBe('fresh');
      expect(body.notes.linkMap.ageSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      if (locked) await locker.query('UNLOCK TABLES');
      await locker.end();
      await warm.stop();
    }
  });

  it('is on by default wherever a map can be built (partner or not), off with probabilistic matching or one person source; an explicit value wins', () => {
    const partner = {
      privacy: {
        auth: { apiKeys: [{ id: 'acme-1', sha256: 'a'.repeat(64), role: 'partner', partner: 'acme' }] },
        partners: { acme: { pseudonymKey: 'acme-pseudonym-key-0123456789abcdef', operations: {} } },
        auditKey: 'audit-key-0123456789abcdef0123456789',
      },
    };
    const keepWarm = (extra: Record<string, unknown>) => linkMapCacheFor(shop.config(undefined, extra), new Map()).settings.keepWarm;
    expect(keepWarm({})).toBe(true);
    expect(keepWarm(partner)).toBe(true);
    expect(keepWarm({ identity: { probabilistic: { enabled: true } } })).toBe(false);
    expect(keepWarm({ entities: { shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email' } } } })).toBe(false);
    expect(keepWarm({ ...partner, analytics: { linkMap: { keepWarm: false } } })).toBe(false);
    expect(keepWarm({ identity: { probabilistic: { enabled: true } }, analytics: { linkMap: { keepWarm: true } } })).toBe(true);
    expect(keepWarm({ analytics: { linkMap: { keepWarm: true } } })).toBe(true);
    expect(() => keepWarm({ analytics: { linkMap: { keepWarm: 'sometimes' } } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('analytics.linkMap.keepWarm: keepWarm is true, false or "auto"') }),
    );
  });
});

describe('the link map cache', () => {
  const settings: LinkMapSettings = { ttlMillis: 10_000, refreshAheadMillis: 2_000, buildDeadlineMillis: 30_000, filteredPages: true, maxRows: 1_000 };
  const loadersOf = (gateway: TestGateway) => new Loaders(gateway.runtime.config, gateway.runtime.connectors, { signal: AbortSignal.timeout(30_000) });

  it('keepWarm auto stops on a base past maxLinkedRows (said once), an explicit keepWarm goes on', async () => {
    const tooMany = { ...settings, keepWarm: true, maxRows: 10 };
    for (const keepWarmAuto of [true, false]) {
      const errors: unknown[] = [];
      const cache = new LinkMapCache(withMap.runtime.config, withMap.runtime.connectors, { ...tooMany, keepWarmAuto }, Date.now, (error) => errors.push(error));
      cache.startKeepingWarm();
      expect(cache.readyNote()).toMatchObject({ keepWarm: true });
      await cache.warmed();
      expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'ANALYTICS_TOO_COSTLY', limit: 'maxLinkedRows' }) })]);
      expect(cache.readyNote()).toMatchObject({ keepWarm: !keepWarmAuto, lastFailure: expect.any(String) });
      cache.stop();
    }
  });

  it('reuses a fresh map, refreshes it in the background before expiry, rebuilds it after', async () => {
    let now = 1_000_000;
    const cache = new LinkMapCache(withMap.runtime.config, withMap.runtime.connectors, settings, () => now);
    const calls: string[] = [];
    const counted = new Loaders(withMap.runtime.config, withMap.runtime.connectors, {
      signal: AbortSignal.timeout(30_000),
      onCall: (call) => calls.push(call.entity),
    });
    const first = await cache.get(counted);
    // One identifier scan per person source, through the caller's loaders.
    expect(calls.sort()).toEqual(['contact', 'shopCustomer']);
    expect(first.builtAt).toBe(1_000_000);
    expect(first.links.customerIdOf({ entity: 'shopCustomer', key: '100' })).toBe(first.links.customerIdOf({ entity: 'contact', key: '1' }));
    now += 5_000;
    expect(await cache.get(counted)).toBe(first);
    expect(cache.builds).toBe(1);
    expect(calls).toHaveLength(2);
    expect(cache.ageMillis()).toBe(5_000);
    // Inside the refresh window: the old map answers and one background build starts.
    now += 3_500;
    expect((await cache.get(counted)).builtAt).toBe(1_000_000);
    expect(cache.peek()?.builtAt).toBe(1_000_000);
    expect(cache.builds).toBe(2);
    for (let i = 0; i < 200 && cache.ageMillis() !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(cache.ageMillis()).toBe(0);
    // Its statements were not the caller's.
    expect(calls).toHaveLength(2);
    // Past the TTL: get builds anew, peek answers nothing (and starts one build, not two).
    now += settings.ttlMillis;
    expect(cache.peek()).toBeUndefined();
    const rebuilt = await cache.get(counted);
    expect(rebuilt.builtAt).toBe(now);
    expect(cache.builds).toBe(3);
  });

  it('is fresh up to its TTL and stale at it', async () => {
    let now = 7_000_000;
    const cache = new LinkMapCache(withMap.runtime.config, withMap.runtime.connectors, { ...settings, refreshAheadMillis: 0 }, () => now);
    const built = await cache.get(loadersOf(withMap));
    now += settings.ttlMillis - 1;
    expect(cache.peek()).toBe(built);
    expect(cache.builds).toBe(1);
    now += 1;
    expect(cache.peek()).toBeUndefined();
    expect(cache.builds).toBe(2);
    for (let i = 0; i < 200 && cache.ageMillis() !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(cache.ageMillis()).toBe(0);
  });

  it("waits for a build under way when asked to (a walk's next page), never when none is", async () => {
    const now = 9_000_000;
    const cache = new LinkMapCache(withMap.runtime.config, withMap.runtime.connectors, settings, () => now);
    const building = cache.get(loadersOf(withMap));
    expect(await cache.within(30_000)).toBe(await building);
    const idle = new LinkMapCache(withMap.runtime.config, withMap.runtime.connectors, settings, () => now);
    // Nothing cached, nothing building: no wait, and a background build starts (as peek).
    expect(await idle.within(30_000)).toBeUndefined();
    expect(idle.builds).toBe(1);
    await settled(idle);
  });

  it('does not retry a failed background build on every page, and get reports the failure', async () => {
    let now = 5_000_000;
    const errors: unknown[] = [];
    const cache = new LinkMapCache(
      withMap.runtime.config,
      withMap.runtime.connectors,
      { ...settings, maxRows: 10 },
      () => now,
      (error) => errors.push(error),
    );
    expect(cache.peek()).toBeUndefined();
    for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/maxLinkedRows/);
    expect(cache.peek()).toBeUndefined();
    expect(cache.builds).toBe(1);
    now += 61_000;
    expect(cache.peek()).toBeUndefined();
    expect(cache.builds).toBe(2);
    for (let i = 0; i < 200 && errors.length === 1; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await expect(cache.get(loadersOf(withMap))).rejects.toMatchObject({ extensions: { code: 'ANALYTICS_TOO_COSTLY' } });
  });
});
