/**
 * Issue 13, item 7, when linking needs the shop: a customer query that selects shop fields
 * (orders) makes c360 link the contact to its shop accounts. With the shop behind a proxy
 * that accepts and never answers, and a shop deadline (60 s) far beyond the request's (4 s),
 * the CRM fields must still answer: they read the CRM only, so they cannot have waited for
 * the shop. Before, they waited on the links and the request deadline cut them too.
 * searchCustomers, whose ranking needs every source's matches, waits for the shop's own
 * deadline (1 s here) and then lists the CRM's matches with their CRM fields, saying the
 * shop is missing; before, it returned `data: null`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compileLimits, limitsSchema } from '../../src/config/limits-config.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import type { GraphQLResult, TestGateway } from '../support/gateway.js';
import { startGatewayWithProxiedShop } from '../support/proxied-shop.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

const SHOP_DEADLINE_MILLIS = 60_000;
const REQUEST_DEADLINE_MILLIS = 4_000;

let seeded: SeededWorld;
let proxy: TcpProxy;
let gateway: TestGateway;
/** The search's gateway: the shop's own deadline 1 s, the request's 15 s. */
let searchProxy: TcpProxy;
let searchGateway: TestGateway;
let customer: { id: string; lastName: string; consents: number };

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 20, seed: 17 });
  ({ proxy, gateway } = await startGatewayWithProxiedShop(
    seeded,
    { timeoutMillis: SHOP_DEADLINE_MILLIS, connectTimeoutMillis: SHOP_DEADLINE_MILLIS },
    compileLimits(limitsSchema.parse({ requestDeadlineMillis: REQUEST_DEADLINE_MILLIS, shutdownGraceMillis: 2_000 })),
  ));
  ({ proxy: searchProxy, gateway: searchGateway } = await startGatewayWithProxiedShop(
    seeded,
    { timeoutMillis: 1_000, connectTimeoutMillis: 500 },
    compileLimits(limitsSchema.parse({ requestDeadlineMillis: 15_000, shutdownGraceMillis: 2_000 })),
  ));
  // A customer with consents and shop orders, read while the shop still answers.
  const page = await gateway.query(
    '{ customers(first: 20) { edges { node { id contact { lastName } consents { purpose } orders(first: 1) { nodes { id } } } } } }',
  );
  expect(page.errors).toBeUndefined();
  type Node = { id: string; contact: { lastName: string } | null; consents: unknown[]; orders: { nodes: unknown[] } };
  const node = (page.data as { customers: { edges: Array<{ node: Node }> } }).customers.edges
    .map((edge) => edge.node)
    .find((candidate) => candidate.contact !== null && candidate.consents.length > 0 && candidate.orders.nodes.length > 0);
  if (node === undefined) throw new Error('the seeded world has no customer with consents and orders');
  customer = { id: node.id, lastName: node.contact!.lastName, consents: node.consents.length };
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await searchProxy?.close();
  await gateway?.stop();
  await searchGateway?.stop();
  await seeded?.drop();
});

/**
 * Every error is the shop's: SOURCE_TIMEOUT, or SOURCE_UNAVAILABLE for a new connection whose handshake timed out (`connect`),
 * or CIRCUIT_OPEN once those failures opened the shop's breaker within the request (src/gateway/sql-breaker.ts).
 */
function expectShopTimeoutsOnly(result: GraphQLResult, codes: ReadonlyArray<string> = ['SOURCE_TIMEOUT']): void {
  expect(result.errors?.length ?? 0).toBeGreaterThan(0);
  for (const error of result.errors ?? []) {
    expect(error.extensions?.source).toBe('shop');
    expect(codes).toContain(error.extensions?.code);
  }
}

describe('a black-holed shop while linking needs it', () => {
  it('customer: the CRM fields answer, the shop fields fail with SOURCE_TIMEOUT from "shop"', async () => {
    proxy.blackhole();
    try {
      const result = await gateway.query(`{ customer(id: "${customer.id}") { contact { lastName } consents { purpose } orders(first: 2) { nodes { id } } } }`);
      const data = result.data as { customer: { contact: { lastName: string } | null; consents: unknown[] | null; orders: unknown } | null } | null;
      expect(data?.customer?.contact?.lastName).toBe(customer.lastName);
      expect(data?.customer?.consents).toHaveLength(customer.consents);
      expect(data?.customer?.orders).toBeNull();
      expectShopTimeoutsOnly(result);
    } finally {
      proxy.cut();
      proxy.restore();
    }
  }, 90_000);

  it('searchCustomers: answers the CRM matches with their CRM fields instead of data: null', async () => {
    searchProxy.blackhole();
    try {
      const result = await searchGateway.query(
        `{ searchCustomers(text: ${JSON.stringify(customer.lastName)}, first: 5) { contact { lastName } consents { purpose } orders(first: 2) { nodes { id } } } }`,
      );
      const data = result.data as { searchCustomers: Array<{ contact: { lastName: string } | null; consents: unknown[] | null; orders: unknown }> } | null;
      expect(data).not.toBeNull();
      const found = data!.searchCustomers.find((node) => node.contact?.lastName === customer.lastName);
      expect(found?.consents).toHaveLength(customer.consents);
      expectShopTimeoutsOnly(result, ['SOURCE_TIMEOUT', 'SOURCE_UNAVAILABLE', 'CIRCUIT_OPEN']);
      // The list itself says the shop's matches are missing, not only the shop fields of each customer.
      expect(result.errors?.some((error) => error.path?.join('.') === 'searchCustomers')).toBe(true);
    } finally {
      searchProxy.cut();
      searchProxy.restore();
    }
  }, 90_000);
});
