/**
 * RFM scores, segments and intent on hand-made customers placed at the boundaries: ties,
 * the window's ends, cancelled and returned orders, the intent levels' thresholds, the
 * half-life, "about to buy" and window-shoppers. Each expectation is worked out in the
 * comments from the rules in docs/insights.md.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlKind } from '../../connectors/admin.js';
import type { Scalar } from '../../connectors/contract.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, timeValue, type InsightsShop } from '../support/insights-shop.js';

const AS_OF = '2024-06-01T00:00:00.000Z';
const HOUR = 3_600_000;
const ago = (days: number, hours = 0): string => new Date(Date.parse(AS_OF) - days * 24 * HOUR - hours * HOUR).toISOString();

// [customer, daysAgo, total, state]
const ORDERS: ReadonlyArray<[number, number, number, string]> = [
  [1, 200, 10, 'paid'],
  [1, 365, 999, 'paid'], // exactly at the window's start: outside (the window is (asOf - 365 d, asOf])
  [2, 100, 20, 'paid'],
  [2, 150, 20, 'paid'],
  [2, -1, 500, 'paid'], // after asOf: not yet placed
  [3, 50, 30, 'paid'],
  [3, 60, 30, 'paid'],
  [3, 70, 30, 'paid'],
  [4, 10, 40, 'paid'],
  [4, 20, 40, 'paid'],
  [4, 30, 40, 'paid'],
  [4, 40, 40, 'paid'],
  [5, 1, 50, 'paid'],
  [5, 100, 50, 'paid'],
  [5, 200, 50, 'paid'],
  [5, 300, 50, 'paid'],
  [5, 364, 50, 'paid'],
  [5, 2, 1000, 'cancelled'],
  [5, 3, 500, 'returned'],
  [106, 0, 15, 'paid'], // at asOf exactly: inside
];

// [customer, type, daysAgo, hoursAgo, product]
const EVENTS: ReadonlyArray<[number, string, number, number, number | null]> = [
  [102, 'view', 0, 0, 1],
  [103, 'view', 7, 0, 1],
  ...Array.from({ length: 5 }, (): [number, string, number, number, number | null] => [104, 'view', 0, 0, 1]),
  ...Array.from({ length: 4 }, (): [number, string, number, number, number | null] => [105, 'checkout', 0, 2, 2]),
  [106, 'checkout', 0, 1, 1],
  [106, 'checkout', 0, 1, 1],
  [106, 'view', 0, 0, 2],
  [106, 'view', 0, 0, 2],
  [106, 'view', 0, 0, 2],
  [106, 'search', 0, 0, null],
  [107, 'view', 31, 0, 1],
];

const CUSTOMER_IDS = [1, 2, 3, 4, 5, 101, 102, 103, 104, 105, 106, 107];

describe.each<SqlKind>(['mysql', 'postgres'])('insights on hand-made customers on %s', (kind) => {
  let shop: InsightsShop;
  let gateway: TestGateway;

  beforeAll(async () => {
    shop = await createInsightsShop(kind);
    await shop.admin.insert(
      'shop_customer',
      ['id', 'email', 'last_name'],
      CUSTOMER_IDS.map((id) => [id, null, `C${id}`]),
    );
    await shop.admin.insert(
      'product',
      ['id', 'name', 'category'],
      [
        [1, 'Runner', 'shoes'],
        [2, 'Tote', 'bags'],
      ],
    );
    await shop.admin.insert(
      'shop_order',
      ['id', 'customer_id', 'placed_at', 'total', 'state'],
      ORDERS.map(([customer, days, total, state], index): Scalar[] => [index + 1, customer, timeValue(kind, ago(days)), total, state]),
    );
    await shop.admin.insert(
      'web_event',
      ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'],
      EVENTS.map(([customer, type, days, hours, product], index): Scalar[] => [index + 1, customer, type, timeValue(kind, ago(days, hours)), product]),
    );
    gateway = await startTestGateway(shop.config());
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await shop?.drop();
  });

  async function customer(id: number, fields: string): Promise<Record<string, unknown>> {
    const result = await gateway.query(`query($id: ID!, $asOf: DateTime) { customer(id: $id) { ${fields} } }`, {
      id: encodeCustomerId({ entity: 'shopCustomer', key: String(id) }),
      asOf: AS_OF,
    });
    expect(result.errors).toBeUndefined();
    return result.data!.customer as Record<string, unknown>;
  }

  it('scores by strictly-worse counts, ties sharing a score, over paid orders inside the window only', async () => {
    // Base of 6: recency 200,100,50,10,1,0 days; frequency 1,2,3,4,5,1; money 10,40,90,160,250,15.
    // score = 1 + floor(5 * worse / 6): customers 1 and 106 tie on F=1, so both get F=1.
    const expected: Record<number, { recencyDays: number; frequency: number; monetary: number; code: string }> = {
      1: { recencyDays: 200, frequency: 1, monetary: 10, code: '111' },
      2: { recencyDays: 100, frequency: 2, monetary: 40, code: '122' },
      3: { recencyDays: 50, frequency: 3, monetary: 90, code: '233' },
      4: { recencyDays: 10, frequency: 4, monetary: 160, code: '344' },
      5: { recencyDays: 1, frequency: 5, monetary: 250, code: '455' },
      106: { recencyDays: 0, frequency: 1, monetary: 15, code: '511' },
    };
    for (const [id, want] of Object.entries(expected)) {
      const found = await customer(Number(id), 'rfm(asOf: $asOf) { recencyDays frequency monetary code windowDays }');
      expect({ id, ...(found.rfm as object) }).toEqual({ id, ...want, windowDays: 365 });
    }
    expect((await customer(101, 'rfm(asOf: $asOf) { code }')).rfm).toBeNull();
  });

  it('puts each customer in one grid segment and every marketing segment that holds', async () => {
    const expected: Record<number, string[]> = {
      1: ['lost', 'first_time_buyers'], // R1 F1
      2: ['lost', 'second_time_buyers'], // R1 F2
      3: ['at_risk'], // R2 F3
      4: ['loyal'], // R3 F4; tenure 40 days < 180
      5: ['loyal', 'big_spenders', 'compulsive_shoppers', 'long_time_loyal'], // R4 F5 M5, last order 1 day ago, tenure 364
      106: ['new', 'first_time_buyers'], // R5 F1
      105: ['window_shoppers'], // HIGH intent, no order
      104: [], // MEDIUM intent only
      101: [],
    };
    for (const [id, want] of Object.entries(expected)) {
      const found = await customer(Number(id), 'segments(asOf: $asOf) { id }');
      expect({ id, segments: (found.segments as Array<{ id: string }>).map((s) => s.id) }).toEqual({ id, segments: want });
    }
  });

  it('levels intent at the thresholds, decays it by the half-life and ignores signals before the lookback', async () => {
    const fields = 'intent(asOf: $asOf) { score level aboutToBuy lastSignalAt products { id } categories }';
    const decay = (hours: number): number => 0.5 ** (hours / 24 / 7);
    const cases: Array<[number, number, string]> = [
      [101, 0, 'NONE'],
      [102, 1, 'LOW'], // one view now: exactly the LOW threshold
      [103, 0.5, 'NONE'], // one view one half-life ago
      [104, 5, 'MEDIUM'], // exactly the MEDIUM threshold
      [105, 20 * decay(2), 'HIGH'],
      [106, 10 * decay(1) + 3 + 0.5, 'HIGH'], // two checkouts an hour ago, three views and a search now
      [107, 0, 'NONE'], // 31 days ago, lookback is 30
    ];
    for (const [id, score, level] of cases) {
      const intent = (await customer(id, fields)).intent as { score: number; level: string };
      expect({ id, level: intent.level }).toEqual({ id, level });
      expect(intent.score).toBeCloseTo(score, 2);
    }
    const ready = (await customer(105, fields)).intent;
    expect(ready).toMatchObject({ aboutToBuy: true, lastSignalAt: ago(0, 2), products: [{ id: '2' }], categories: ['bags'] });
    // 106 ordered at asOf, after its checkout: no longer about to buy.
    const bought = (await customer(106, fields)).intent;
    expect(bought).toMatchObject({ aboutToBuy: false, lastSignalAt: AS_OF, products: [{ id: '1' }, { id: '2' }], categories: ['shoes', 'bags'] });
    expect((await customer(107, fields)).intent).toMatchObject({ lastSignalAt: null, products: [] });
  });

  it('totals each segment in the source, with revenue, basket and share of revenue', async () => {
    const result = await gateway.query(
      `query($asOf: DateTime) { segments(asOf: $asOf) { segment { id } customers revenue averageBasket shareOfRevenue } }`,
      { asOf: AS_OF },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const byId = Object.fromEntries(
      (result.data!.segments as Array<{ segment: { id: string } } & Record<string, unknown>>).map(({ segment, ...rest }) => [segment.id, rest]),
    );
    expect(byId.loyal).toEqual({ customers: 2, revenue: 410, averageBasket: 45.56, shareOfRevenue: 410 / 565 });
    expect(byId.lost).toMatchObject({ customers: 2, revenue: 50 });
    expect(byId.window_shoppers).toEqual({ customers: 1, revenue: 0, averageBasket: null, shareOfRevenue: 0 });
    const counts = Object.fromEntries(Object.entries(byId).map(([id, s]) => [id, s.customers]));
    expect(counts).toEqual({
      champions: 0,
      loyal: 2,
      potential_loyalists: 0,
      new: 1,
      promising: 0,
      need_attention: 0,
      about_to_sleep: 0,
      at_risk: 1,
      cant_lose_them: 0,
      hibernating: 0,
      lost: 2,
      first_time_buyers: 2,
      second_time_buyers: 1,
      big_spenders: 1,
      compulsive_shoppers: 1,
      long_time_loyal: 1,
      window_shoppers: 1,
    });
    expect(result.extensions?.trace).toHaveLength(2);
  });

  it('counts shop accounts per intent level in one statement, from the events of the lookback', async () => {
    const result = await gateway.query(
      `query($asOf: DateTime) { intentDistribution(asOf: $asOf) { levels { level shopAccounts } } }`,
      { asOf: AS_OF },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    // 102 LOW (exactly the threshold), 103 NONE (half a view), 104 MEDIUM, 105 and 106 HIGH; 107 is outside the lookback.
    expect((result.data!.intentDistribution as { levels: unknown[] }).levels).toEqual([
      { level: 'NONE', shopAccounts: 1 },
      { level: 'LOW', shopAccounts: 1 },
      { level: 'MEDIUM', shopAccounts: 1 },
      { level: 'HIGH', shopAccounts: 2 },
    ]);
    expect(result.extensions?.trace?.map((call) => call.entity)).toEqual(['event']);
  });

  it('walks a segment, an intent level and the window-shoppers by keyset statements, never ranking the base', async () => {
    const walk = async (filter: Record<string, unknown>): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const result = await gateway.query(
          `query($after: String, $filter: CustomerFilter) { customers(first: 1, after: $after, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after, filter: { asOf: AS_OF, ...filter } },
          { trace: true },
        );
        expect(result.errors).toBeUndefined();
        expect((result.extensions?.trace ?? []).filter((call) => call.statement.includes('RANK()') || call.statement.includes('ROW_NUMBER()'))).toEqual([]);
        const page = result.data!.customers as { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        ids.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) return ids;
        after = page.pageInfo.endCursor;
      }
    };
    const shop = (id: number) => encodeCustomerId({ entity: 'shopCustomer', key: String(id) });
    // One read caches the boundaries of this asOf's day; no walk page computes them again.
    await gateway.query(`query($asOf: DateTime) { segments(asOf: $asOf) { customers } }`, { asOf: AS_OF });
    expect(await walk({ segment: 'loyal' })).toEqual([shop(4), shop(5)]);
    expect(await walk({ segment: 'lost' })).toEqual([shop(1), shop(2)]);
    expect(await walk({ intentLevel: 'HIGH' })).toEqual([shop(105), shop(106)]);
    expect(await walk({ segment: 'window_shoppers' })).toEqual([shop(105)]);
  });

  it('reads the RFM, intent and segments of a page of customers in one statement each', async () => {
    const result = await gateway.query(
      `query($asOf: DateTime) { customers(first: 20) { edges { node { rfm(asOf: $asOf) { code } intent(asOf: $asOf) { level } segments(asOf: $asOf) { id } } } } }`,
      { asOf: AS_OF },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const trace = result.extensions?.trace ?? [];
    // The 20 customers' own orders (RFM and the last purchase intent needs) and their events: one statement each.
    const perCustomer = trace.filter((call) => (call.entity === 'order' || call.entity === 'event') && !call.statement.includes('ROW_NUMBER()'));
    expect(perCustomer.map((call) => call.entity).sort()).toEqual(['event', 'order']);
    // The base is never ranked per page: at most the boundaries, once, when they are not cached yet.
    expect(trace.filter((call) => call.statement.includes('RANK()'))).toEqual([]);
    expect(trace.filter((call) => call.statement.includes('ROW_NUMBER()')).length).toBeLessThanOrEqual(1);
  });
});
