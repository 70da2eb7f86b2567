/** One failing source costs its fields, not the answer; c360 starts and says it is degraded. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 60, seed: 3 });
  // Nothing listens on port 1: the shop is down from the start.
  gateway = await startTestGateway(seeded.config({ shopUrl: 'mysql://root@127.0.0.1:1/shop' }));
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

describe('with the shop database down', () => {
  it('starts, and /ready reports the shop down and the CRM up', async () => {
    const response = await fetch(gateway.url.replace('/graphql', '/ready'));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; sources: Record<string, { state: string }> };
    expect(body.status).toBe('degraded');
    expect(body.sources.crm?.state).toBe('up');
    expect(body.sources.shop?.state).toBe('down');
  });

  it('returns the customer with its CRM data, and the shop fields null with SOURCE_UNAVAILABLE naming the shop', async () => {
    const contact = seeded.world.contacts.find((c) => c.firstName !== null && c.email !== null)!;
    const result = await gateway.query(
      `query($id: ID!) { customer(id: $id) { displayName contact { firstName } shopAccounts { id } orders { nodes { id } } } }`,
      { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) },
    );
    expect(result.status).toBe(200);
    expect(result.data?.customer).toEqual({
      displayName: expect.stringContaining(contact.firstName!.trim()),
      contact: { firstName: contact.firstName },
      shopAccounts: null,
      orders: null,
    });
    const paths = (result.errors ?? []).map((error) => error.path?.join('.'));
    expect(paths.sort()).toEqual(['customer.orders', 'customer.shopAccounts']);
    for (const error of result.errors ?? []) {
      expect(error.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'shop' });
      expect(error.message).not.toMatch(/127\.0\.0\.1|root@/);
    }
  });

  it('fails a shop-only customer with SOURCE_UNAVAILABLE rather than calling it missing', async () => {
    const result = await gateway.query(`{ customerBy(externalId: { source: "shop", key: "1" }) { id } }`);
    expect(result.data?.customerBy).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'shop' });
  });
});

describe('the trace', () => {
  it('lists each source call with its source, entity, statement, rows and milliseconds when asked', async () => {
    const contact = seeded.world.contacts[0]!;
    const id = encodeCustomerId({ entity: 'contact', key: String(contact.id) });
    const traced = await gateway.query(`query($id: ID!) { customer(id: $id) { contact { id } } }`, { id }, { trace: true });
    expect(traced.extensions?.trace?.[0]).toEqual({
      source: 'crm',
      entity: 'contact',
      statement: expect.stringMatching(/^SELECT /),
      rows: 1,
      millis: expect.any(Number),
    });
    const plain = await gateway.query(`query($id: ID!) { customer(id: $id) { contact { id } } }`, { id });
    expect(plain.extensions).toBeUndefined();
  });
});
