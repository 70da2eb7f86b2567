/**
 * Two demos started on one MariaDB: each owns its shop database (named after the instance),
 * neither sees the other's orders, and each drops its database when it stops.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSqlAdmin } from '../../connectors/admin.js';
import { createLogger } from '../../src/gateway/logger.js';
import { startDemo, type RunningDemo } from '../../src/demo/run-demo.js';
import { Writable } from 'node:stream';
import { MYSQL_SERVER_URL } from '../support/servers.js';

const quiet = () => createLogger({ level: 'warn', destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }) });
const demos: RunningDemo[] = [];

beforeAll(async () => {
  // Different seeds, so the two worlds hold different orders under the same shop ids.
  for (const seed of [11, 12]) demos.push(await startDemo({ port: 0, customers: 60, seed, logger: quiet(), say: () => undefined, mysqlUrl: MYSQL_SERVER_URL }));
}, 120_000);

afterAll(async () => {
  for (const demo of demos) await demo.stop().catch(() => undefined);
});

async function shopDatabases(): Promise<string[]> {
  const admin = await openSqlAdmin('mysql', MYSQL_SERVER_URL);
  try {
    return (await admin.query("SHOW DATABASES LIKE 'c360\\_demo\\_shop%'")).map((row) => String(Object.values(row)[0]));
  } finally {
    await admin.close();
  }
}

/** Order totals per shop account, as the demo's gateway serves them. */
async function servedOrders(demo: RunningDemo): Promise<Map<string, number[]>> {
  const response = await fetch(demo.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ customers(first: 100) { edges { node { shopAccounts { id } orders(first: 50) { nodes { id total } } } } } }' }),
  });
  const body = (await response.json()) as {
    data: {
      customers: { edges: Array<{ node: { shopAccounts: Array<{ id: string }> | null; orders: { nodes: Array<{ id: string; total: number }> } | null } }> };
    };
  };
  const served = new Map<string, number[]>();
  for (const { node } of body.data.customers.edges) {
    if (node.shopAccounts?.length !== 1) continue;
    served.set(
      node.shopAccounts[0]!.id,
      (node.orders?.nodes ?? []).map((order) => order.total).sort((a, b) => a - b),
    );
  }
  return served;
}

describe('two demos on one MariaDB', () => {
  it('each has its own shop database, named after its instance', async () => {
    const [first, second] = demos.map((demo) => (demo.shop.kind === 'mysql' ? demo.shop.database : 'not on MariaDB'));
    expect(first).toMatch(/^c360_demo_shop_\d+_[0-9a-f]{6}$/);
    expect(second).toMatch(/^c360_demo_shop_\d+_[0-9a-f]{6}$/);
    expect(first).not.toBe(second);
    expect(await shopDatabases()).toEqual(expect.arrayContaining([first, second]));
  });

  it('serves each demo its own orders, the first one too after the second started', async () => {
    for (const demo of demos) {
      const served = await servedOrders(demo);
      expect(served.size).toBeGreaterThan(5);
      for (const [shopId, totals] of served) {
        // A customer's one account is a web shop account or a loyalty card (its store receipts).
        const own = (
          shopId.startsWith('loyalty:')
            ? demo.world.receipts.filter((receipt) => `loyalty:${receipt.cardNumber}` === shopId)
            : demo.world.orders.filter((order) => String(order.customerId) === shopId)
        )
          .map((order) => order.total)
          .sort((a, b) => a - b);
        // A page holds at most 50 orders; every demo customer here has fewer.
        expect(own.length).toBeLessThan(50);
        expect({ shopId, totals }).toEqual({ shopId, totals: own });
      }
    }
  });

  it('drops its shop database when it stops', async () => {
    const names = demos.map((demo) => (demo.shop.kind === 'mysql' ? demo.shop.database : ''));
    for (const demo of demos.splice(0)) await demo.stop();
    const left = await shopDatabases();
    for (const name of names) expect(left).not.toContain(name);
  });
});
