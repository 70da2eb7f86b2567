/**
 * Chaos: under a steady load, the shop's MariaDB connection is cut (a TCP proxy between
 * c360 and the real server destroys every socket and refuses new ones), then restored.
 * While it is down only the shop's fields fail; the process keeps answering; once it is
 * back, c360 recovers by itself, with no restart. /ready says so all along.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import type { GraphQLResult, TestGateway } from '../support/gateway.js';
import { compileLimits, limitsSchema } from '../../src/config/limits-config.js';
import { startGatewayWithProxiedShop } from '../support/proxied-shop.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

let seeded: SeededWorld;
let proxy: TcpProxy;
let gateway: TestGateway;

const QUERY = `query($id: ID!) { customer(id: $id) { displayName contact { lastName } orders(first: 3) { nodes { id } } } }`;
const SHOP_FAILURES = new Set(['SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT', 'CIRCUIT_OPEN']);

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 60, seed: 5 });
  // A short statement and connect limit, so calls to the dead shop fail in bounded time.
  ({ proxy, gateway } = await startGatewayWithProxiedShop(
    seeded,
    { timeoutMillis: 3_000, connectTimeoutMillis: 1_000 },
    compileLimits(limitsSchema.parse({ requestDeadlineMillis: 5_000, roles: { default: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } })),
  ));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.close();
  await seeded?.drop();
});

interface Sample {
  readonly phase: 'before' | 'down' | 'after';
  readonly result: GraphQLResult;
}

async function readyStatus(): Promise<{ status: string; sources: Record<string, { state: string }> }> {
  const response = await fetch(gateway.url.replace('/graphql', '/ready'));
  return (await response.json()) as { status: string; sources: Record<string, { state: string }> };
}

describe('the shop database cut and restored under load', () => {
  it('fails only the shop fields while it is down, survives, and recovers by itself', async () => {
    const contacts = seeded.world.contacts.filter((c) => c.lastName !== null);
    const samples: Sample[] = [];
    let phase: Sample['phase'] = 'before';
    let stop = false;
    // Eight clients in a closed loop: a steady load that keeps going across the cut.
    const client = async (offset: number) => {
      for (let i = offset; !stop; i += 8) {
        const contact = contacts[i % contacts.length]!;
        const at = phase;
        const result = await gateway.query(QUERY, { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) });
        samples.push({ phase: at === phase ? at : 'down', result });
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    const waitFor = async (done: () => boolean, limitMillis: number) => {
      const startedAt = Date.now();
      while (!done() && Date.now() - startedAt < limitMillis) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await waitFor(() => samples.length >= 30, 15_000);

    phase = 'down';
    proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const readyWhileDown = await readyStatus();

    proxy.restore();
    // Recovery: keep the load on until 20 consecutive answers are whole again (bounded).
    const restoredAt = Date.now();
    let recoveredAt: number | undefined;
    while (Date.now() - restoredAt < 30_000) {
      const tail = samples.slice(-20);
      if (tail.length === 20 && tail.every((s) => s.result.errors === undefined)) {
        recoveredAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    phase = 'after';
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stop = true;
    await Promise.all(clients);
    const readyAfter = await readyStatus();

    // No answer was a 5xx, and every answer kept its CRM data.
    expect(samples.every((s) => s.result.status === 200)).toBe(true);
    for (const { result } of samples) {
      const customer = result.data?.customer as { contact: { lastName: string } | null } | null | undefined;
      expect(customer?.contact?.lastName).toEqual(expect.any(String));
    }
    const before = samples.filter((s) => s.phase === 'before');
    const down = samples.filter((s) => s.phase === 'down');
    const after = samples.filter((s) => s.phase === 'after');
    expect(before.length).toBeGreaterThan(10);
    expect(before.flatMap((s) => s.result.errors ?? [])).toEqual([]);
    // While down, the failures are the shop's, on shop fields, with a shop code.
    const failed = down.filter((s) => s.result.errors !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const { result } of failed) {
      for (const error of result.errors ?? []) {
        expect(error.extensions?.source).toBe('shop');
        expect(SHOP_FAILURES.has(String(error.extensions?.code))).toBe(true);
        expect(error.path?.[1]).toBe('orders');
      }
    }
    expect(readyWhileDown.sources.shop?.state).toBe('down');
    expect(readyWhileDown.sources.crm?.state).toBe('up');
    // Back by itself, without a restart.
    expect(recoveredAt).toBeDefined();
    expect(after.length).toBeGreaterThan(0);
    expect(after.flatMap((s) => s.result.errors ?? [])).toEqual([]);
    expect(readyAfter.status).toBe('ready');
  }, 90_000);
});
