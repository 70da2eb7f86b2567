/**
 * customers(filter:) on shop-owned fields: the shop selects the qualifying accounts (a
 * semi-join) and the page lists each customer once, whatever the page size, with
 * cursors that resume exactly where the last page ended.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Scalar } from '../../connectors/contract.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, timeValue, type InsightsShop } from '../support/insights-shop.js';

const AS_OF = '2024-06-01T00:00:00.000Z';
const ACCOUNTS = 200;
const TWIN_ACCOUNTS = [7, 150]; // both linked to contact 1 by email: one customer
const ago = (days: number): string => new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();

let shop: InsightsShop;
let gateway: TestGateway;

beforeAll(async () => {
  shop = await createInsightsShop('mysql', { withContacts: true });
  const k = shop.kind;
  await shop.admin.insert('crm_contact', ['id', 'email'], [[1, 'twin@maison-dupont.fr']]);
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email', 'last_name'],
    Array.from({ length: ACCOUNTS }, (_, i): Scalar[] => [
      i + 1,
      TWIN_ACCOUNTS.includes(i + 1) ? 'twin@maison-dupont.fr' : `a${i + 1}@maison-dupont.fr`,
      `A${i + 1}`,
    ]),
  );
  // Account i spent i euros in one order; account 7 also spent 500 more; account 3 had one cancelled.
  const orders: Scalar[][] = Array.from({ length: ACCOUNTS }, (_, i) => [i + 1, i + 1, timeValue(k, ago(10)), i + 1, 'paid']);
  orders.push([ACCOUNTS + 1, 7, timeValue(k, ago(5)), 500, 'paid'], [ACCOUNTS + 2, 3, timeValue(k, ago(5)), 900, 'cancelled']);
  await shop.admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state'], orders);
  // Accounts 201..205 have no orders; 201 and 202 look hard at checkouts.
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email', 'last_name'],
    [201, 202, 203, 204, 205].map((id): Scalar[] => [id, `a${id}@maison-dupont.fr`, `A${id}`]),
  );
  await shop.admin.insert(
    'web_event',
    ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'],
    [201, 201, 201, 202, 202, 202, 203].map((customer, i): Scalar[] => [i + 1, customer, 'checkout', timeValue(k, ago(0)), null]),
  );
  // Paging one customer at a time through every filter is hundreds of operations in a few
  // seconds: above the default per-principal rate limit, which is not what is tested here.
  gateway = await startTestGateway(shop.config(undefined, { limits: { roles: { default: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } } }));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await shop?.drop();
});

const PAGE = `query($first: Int, $after: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, filter: $filter) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
}`;

async function everyPage(filter: Record<string, unknown>, first: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const result = await gateway.query(PAGE, { first, after, filter: { asOf: AS_OF, ...filter } });
    expect(result.errors).toBeUndefined();
    const connection = result.data!.customers as { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    ids.push(...connection.edges.map((edge) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return { ids, pages };
    after = connection.pageInfo.endCursor;
  }
}

const shopId = (id: number): string => encodeCustomerId({ entity: 'shopCustomer', key: String(id) });
const twin = encodeCustomerId({ entity: 'contact', key: '1' });

describe('customers filtered in the shop', () => {
  it('pages the customers with a minimum revenue once each, none missed, whatever the page size', async () => {
    // Accounts 100..200 spent at least 100, and account 7 spent 507; 7 and 150 are one customer (listed at 7).
    const expected = [
      twin,
      ...Array.from({ length: 101 }, (_, i) => 100 + i)
        .filter((id) => id !== 150)
        .map(shopId),
    ];
    for (const first of [1, 7, 20, 100]) {
      const { ids, pages } = await everyPage({ minRevenue: 100 }, first);
      expect({ first, ids }).toEqual({ first, ids: expected });
      expect(pages).toBe(Math.ceil(expected.length / first));
    }
  }, 60_000);

  it('excludes cancelled orders from the revenue the filter sees', async () => {
    // Account 3: 3 paid + 900 cancelled, so 3 and not 903; account 4: 4.
    const { ids } = await everyPage({ minRevenue: 4, segment: 'first_time_buyers' }, 50);
    expect(ids).not.toContain(shopId(3));
    expect(ids).toContain(shopId(4));
    // The twin's account 7 has two orders, but its account 150 has one: listed once, at 150's place.
    expect(ids.filter((id) => id === twin)).toHaveLength(1);
    expect(ids.indexOf(twin)).toBe(ids.indexOf(shopId(149)) + 1);
  }, 60_000);

  it('filters on intent level and on the window-shoppers segment in the shop', async () => {
    // Three checkouts now score 15 (HIGH); one scores 5 (MEDIUM).
    expect((await everyPage({ intentLevel: 'HIGH' }, 10)).ids).toEqual([shopId(201), shopId(202)]);
    expect((await everyPage({ intentLevel: 'MEDIUM' }, 1)).ids).toEqual([shopId(201), shopId(202), shopId(203)]);
    expect((await everyPage({ segment: 'window_shoppers' }, 10)).ids).toEqual([shopId(201), shopId(202)]);
  }, 60_000);

  it('asks the shop for the members in one statement per chunk, plus one for other accounts of its customers', async () => {
    const members = async (filter: Record<string, unknown>): Promise<number> => {
      const result = await gateway.query(PAGE, { first: 20, filter: { asOf: AS_OF, ...filter } }, { trace: true });
      // A walk statement: the accounts' own aggregates under HAVING, keyset by id.
      return (result.extensions?.trace ?? []).filter((call) => call.statement.includes(' HAVING ')).length;
    };
    // Accounts 100..: none of their customers has another account.
    expect(await members({ minRevenue: 100, segment: 'first_time_buyers' })).toBe(1);
    // The page holds account 7, whose customer also has account 150: asked in a second statement.
    expect(await members({ minRevenue: 100 })).toBe(2);
  });

  it('refuses an unknown segment, a foreign cursor and filters it cannot combine yet', async () => {
    const unknown = await gateway.query(PAGE, { first: 5, filter: { segment: 'nope' } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const plain = await gateway.query(PAGE, { first: 5 });
    const cursor = (plain.data!.customers as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const foreign = await gateway.query(PAGE, { first: 5, after: cursor, filter: { minRevenue: 1 } });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const mixed = await gateway.query(PAGE, { first: 5, filter: { minRevenue: 1, intentLevel: 'HIGH' } });
    expect(mixed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
