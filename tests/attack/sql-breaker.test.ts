/**
 * Issue 13, item 7, "CRM fields answer near their own latency while the shop hangs": the
 * shop (real MariaDB) behind a TCP proxy that accepts and never answers, the CRM a real
 * PostgreSQL. Before the SQL breaker, every request under the black hole waited until the
 * shop's call was cut (its own deadline or the request's reserve). Now the first requests
 * pay the shop's timeout, its breaker (src/gateway/sql-breaker.ts) opens, and the following
 * requests fail the shop at once with CIRCUIT_OPEN from "shop": their CRM fields answer,
 * no statement is sent to the shop and its socket receives nothing (no connection, no
 * byte). Once the shop answers again, the half-open probe closes the breaker.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compileLimits, limitsSchema } from '../../src/config/limits-config.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import type { GraphQLResult, TestGateway } from '../support/gateway.js';
import { startGatewayWithProxiedShop } from '../support/proxied-shop.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

const SHOP_TIMEOUT_MILLIS = 1_500;
const SHOP_CONNECT_TIMEOUT_MILLIS = 1_000;
/** Long enough that the open phase's requests all fall in it on a loaded machine; the heal waits it out. */
const HALF_OPEN_AFTER_MILLIS = 10_000;
const REQUEST_DEADLINE_MILLIS = 8_000;
const OPEN_PHASE_REQUESTS = 5;

let seeded: SeededWorld;
let proxy: TcpProxy;
let gateway: TestGateway;
type Node = { id: string; contact: { lastName: string } | null; consents: Array<{ purpose: string }> | null; orders: { nodes: unknown[] } | null };
let healthyPage: Node[];

const PAGE = '{ customers(first: 8) { edges { node { id contact { lastName } consents { purpose } orders(first: 2) { nodes { id } } } } } }';

const nodesOf = (result: GraphQLResult): Node[] => (result.data as { customers: { edges: Array<{ node: Node }> } }).customers.edges.map((edge) => edge.node);
const errorsOf = (result: GraphQLResult): string[] =>
  (result.errors ?? []).map((error) => `${String(error.extensions?.source)} ${String(error.extensions?.code)}`);
const shopBreaker = async (): Promise<unknown> => {
  const ready = (await (await fetch(gateway.url.replace('/graphql', '/ready'))).json()) as { sources: Record<string, { breaker?: string }> };
  return ready.sources.shop?.breaker;
};
const metricsText = async (): Promise<string> => (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
/** The breaker's state as /metrics says it (unlike /ready, it does not probe the shop). */
const metricsState = async (): Promise<string | undefined> => /c360_source_breaker_state\{source="shop",state="(\w+)"\} 1/.exec(await metricsText())?.[1];
const circuitOpenCount = (text: string): number => Number(/c360_source_failures_total\{source="shop",code="CIRCUIT_OPEN"\} (\d+)/.exec(text)?.[1] ?? 0);

/** Every CRM contact of the healthy page, under its id, with its CRM fields; the shop's field null. */
function expectCrmFieldsWithoutShop(result: GraphQLResult): void {
  const nodes = nodesOf(result);
  const contacts = healthyPage.filter((node) => node.contact !== null);
  expect(contacts.length).toBeGreaterThan(0);
  for (const healthy of contacts) {
    const node = nodes.find((candidate) => candidate.id === healthy.id);
    expect(node?.contact).toEqual(healthy.contact);
    expect(node?.consents).toEqual(healthy.consents);
    expect(node?.orders).toBeNull();
  }
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 20, seed: 23 });
  ({ proxy, gateway } = await startGatewayWithProxiedShop(
    seeded,
    {
      timeoutMillis: SHOP_TIMEOUT_MILLIS,
      connectTimeoutMillis: SHOP_CONNECT_TIMEOUT_MILLIS,
      circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMillis: HALF_OPEN_AFTER_MILLIS },
    },
    compileLimits(limitsSchema.parse({ requestDeadlineMillis: REQUEST_DEADLINE_MILLIS, shutdownGraceMillis: 2_000 })),
  ));
  const page = await gateway.query(PAGE);
  expect(page.errors).toBeUndefined();
  healthyPage = nodesOf(page);
  expect(healthyPage.some((node) => node.contact !== null && node.orders !== null && node.orders.nodes.length > 0)).toBe(true);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await gateway?.stop();
  await seeded?.drop();
});

describe('a black-holed shop behind its circuit breaker', () => {
  it('is closed while the shop answers', async () => {
    expect(await shopBreaker()).toBe('closed');
    expect(await metricsState()).toBe('closed');
  });

  it('opens after the first requests pay the shop timeout; then the shop fails at once with CIRCUIT_OPEN and sees nothing', async () => {
    proxy.blackhole();
    // The first request(s) wait for the shop's own limits: its timeouts open the breaker.
    let paying = 0;
    while ((await metricsState()) !== 'open') {
      paying += 1;
      expect(paying).toBeLessThanOrEqual(3);
      const result = await gateway.query(PAGE);
      expectCrmFieldsWithoutShop(result);
      for (const seen of errorsOf(result)) expect(['shop SOURCE_TIMEOUT', 'shop SOURCE_UNAVAILABLE', 'shop CIRCUIT_OPEN']).toContain(seen);
      expect(errorsOf(result).some((seen) => seen === 'shop SOURCE_TIMEOUT' || seen === 'shop SOURCE_UNAVAILABLE')).toBe(true);
    }
    expect(paying).toBeGreaterThanOrEqual(1);

    const trafficBefore = proxy.traffic();
    const refusedBefore = circuitOpenCount(await metricsText());
    for (let index = 0; index < OPEN_PHASE_REQUESTS; index++) {
      const startedAt = performance.now();
      const result = await gateway.query(PAGE, undefined, { trace: true });
      const millis = performance.now() - startedAt;
      expectCrmFieldsWithoutShop(result);
      const errors = errorsOf(result);
      expect(errors.length).toBeGreaterThan(0);
      for (const seen of errors) expect(seen).toBe('shop CIRCUIT_OPEN');
      // No shop statement ran: the breaker refused before the pool.
      const trace = result.extensions?.trace ?? [];
      expect(trace.some((call) => call.source === 'crm')).toBe(true);
      expect(trace.filter((call) => call.source === 'shop')).toEqual([]);
      // Structural sanity bound: the shop's own timeout was not waited for.
      expect(millis).toBeLessThan(SHOP_TIMEOUT_MILLIS);
    }
    // The shop's socket got nothing while open: no new connection, not one byte.
    expect(proxy.traffic()).toEqual(trafficBefore);
    expect(circuitOpenCount(await metricsText())).toBeGreaterThanOrEqual(refusedBefore + OPEN_PHASE_REQUESTS);
    expect(await metricsState()).toBe('open');
    // /ready shows it too (its health probe of the shop is its own, outside the breaker).
    expect(await shopBreaker()).toBe('open');
  }, 120_000);

  it('closes on the half-open probe once the shop answers again: the page is whole', async () => {
    // Healed: the held connections are dropped and new ones reach the real MariaDB.
    proxy.cut();
    proxy.restore();
    let result: GraphQLResult | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MILLIS + 200));
      result = await gateway.query(PAGE);
      if (result.errors === undefined) break;
    }
    expect(result?.errors).toBeUndefined();
    expect(nodesOf(result!)).toEqual(healthyPage);
    expect(await shopBreaker()).toBe('closed');
  }, 120_000);
});
