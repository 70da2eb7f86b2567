/**
 * Issue 13, item 7, for lists: the shop behind a proxy that accepts and never answers, its
 * own deadline (60 s) far beyond the request's (4 s), the CRM real. A list (searchCustomers,
 * customers) needs the shop's part (its matches, the links of each customer) before its
 * customers' fields are read. Before, the list waited for that part until the request
 * deadline, and the same deadline then cut the CRM calls that followed: searchCustomers
 * answered `data: null`, customers' CRM fields came back SOURCE_TIMEOUT from "crm". Now the
 * calls still outstanding when the request reaches its reserve (limits.deadlineReserveMillis)
 * are cut and their source fails at once for the rest of the request, so the reserve is the
 * other sources' own: every CRM field answers, only shop fields fail, from "shop".
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
let customer: { lastName: string; consents: number };
type Node = { id: string; contact: { lastName: string } | null; consents: Array<{ purpose: string }> | null; orders: { nodes: unknown[] } | null };
/** The first page as the CRM and the shop answer it, before the shop hangs. */
let healthyPage: Node[];

const PAGE = '{ customers(first: 8) { edges { node { id contact { lastName } consents { purpose } orders(first: 2) { nodes { id } } } } } }';

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 20, seed: 17 });
  ({ proxy, gateway } = await startGatewayWithProxiedShop(
    seeded,
    { timeoutMillis: SHOP_DEADLINE_MILLIS, connectTimeoutMillis: SHOP_DEADLINE_MILLIS },
    compileLimits(limitsSchema.parse({ requestDeadlineMillis: REQUEST_DEADLINE_MILLIS, shutdownGraceMillis: 2_000 })),
  ));
  const page = await gateway.query(PAGE);
  expect(page.errors).toBeUndefined();
  healthyPage = (page.data as { customers: { edges: Array<{ node: Node }> } }).customers.edges.map((edge) => edge.node);
  const node = healthyPage.find((candidate) => candidate.contact !== null && candidate.consents!.length > 0 && candidate.orders!.nodes.length > 0);
  if (node === undefined) throw new Error('the seeded world has no customer with consents and orders on its first page');
  customer = { lastName: node.contact!.lastName, consents: node.consents!.length };
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await gateway?.stop();
  await seeded?.drop();
});

/** Every error is the shop's: SOURCE_TIMEOUT, or SOURCE_UNAVAILABLE for a new connection whose handshake timed out. */
function expectShopErrorsOnly(result: GraphQLResult): void {
  expect(result.errors?.length ?? 0).toBeGreaterThan(0);
  const bySource = (result.errors ?? []).map((error) => `${String(error.extensions?.source)} ${String(error.extensions?.code)}`);
  for (const seen of bySource) expect(['shop SOURCE_TIMEOUT', 'shop SOURCE_UNAVAILABLE']).toContain(seen);
}

async function whileBlackholed<T>(work: () => Promise<T>): Promise<T> {
  proxy.blackhole();
  try {
    return await work();
  } finally {
    proxy.cut();
    proxy.restore();
  }
}

describe('a black-holed shop whose deadline is beyond the request deadline', () => {
  it('searchCustomers: the CRM matches with their CRM fields, not data: null', async () => {
    const result = await whileBlackholed(() =>
      gateway.query(
        `{ searchCustomers(text: ${JSON.stringify(customer.lastName)}, first: 5) { contact { lastName } consents { purpose } orders(first: 2) { nodes { id } } } }`,
      ),
    );
    const data = result.data as { searchCustomers: Array<{ contact: { lastName: string } | null; consents: unknown[] | null; orders: unknown }> } | null;
    expect(data).not.toBeNull();
    const found = data!.searchCustomers.find((node) => node.contact?.lastName === customer.lastName);
    expect(found?.consents).toHaveLength(customer.consents);
    expect(found?.orders).toBeNull();
    expectShopErrorsOnly(result);
    // The list says that the shop's matches are missing.
    expect(result.errors?.some((error) => error.path?.join('.') === 'searchCustomers')).toBe(true);
  }, 90_000);

  it('customers: the page of CRM contacts with every CRM field, the shop fields failing from "shop"', async () => {
    const result = await whileBlackholed(() => gateway.query(PAGE));
    const edges = (result.data as { customers: { edges: Array<{ node: Node }> } } | null)?.customers.edges;
    expect(edges).toBeDefined();
    const nodes = edges!.map((edge) => edge.node);
    // The contacts of the healthy page (the first page lists CRM contacts), each under its id with its own CRM fields.
    const contacts = healthyPage.filter((node) => node.contact !== null);
    expect(contacts.length).toBeGreaterThan(0);
    expect(nodes.map((node) => node.id)).toEqual(expect.arrayContaining(contacts.map((node) => node.id)));
    for (const healthy of contacts) {
      const node = nodes.find((candidate) => candidate.id === healthy.id);
      expect(node?.contact).toEqual(healthy.contact);
      expect(node?.consents).toEqual(healthy.consents);
      expect(node?.orders).toBeNull();
    }
    expectShopErrorsOnly(result);
  }, 90_000);

  it('after the shop is back, the same page answers whole again', async () => {
    const result = await gateway.query(PAGE);
    expect(result.errors).toBeUndefined();
    expect((result.data as { customers: { edges: Array<{ node: Node }> } }).customers.edges.map((edge) => edge.node)).toEqual(healthyPage);
  }, 90_000);
});
