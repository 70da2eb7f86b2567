/**
 * Issue 13, items 9 and 10: each request the attack sent, as it was sent. Before, they
 * answered a masked INTERNAL_SERVER_ERROR (first: 0 on per-customer lists, `mutation { x }`,
 * a bad persistedQuery extension), SOURCE_BAD_RESPONSE from "crm" with data: null (a
 * forged key in an id or a cursor), or data: null for one alias over the page limit.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { post } from '../support/hardened.js';

let seeded: SeededWorld;
let gateway: TestGateway;
let customerId: string;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 30 });
  gateway = await startTestGateway(seeded.config());
  const page = await gateway.query('{ customers(first: 1) { edges { node { id } } } }');
  customerId = (page.data as { customers: { edges: Array<{ node: { id: string } }> } }).customers.edges[0]!.node.id;
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('bad input gets a documented code, never INTERNAL_SERVER_ERROR', () => {
  it('answers first: 0 on interactions and events with an empty list, calling no source', async () => {
    const result = await gateway.query(`{ customer(id: "${customerId}") { interactions(first: 0) { id } events(first: 0) { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ customer: { interactions: [], events: [] } });
  });

  it('answers orders(status:) with a thousand values inline and a hundred thousand as a variable', async () => {
    const inline = await gateway.query(`{ customer(id: "${customerId}") { orders(status: [${Array(1000).fill('PAID').join(',')}]) { nodes { id } } } }`);
    expect(inline.errors).toBeUndefined();
    // 5,000 values answered on the code before the fix too; 100,000 (700 KB, under the body limit) gave INTERNAL_SERVER_ERROR (tests/attack/README.md).
    const variable = await gateway.query(`query($s: [OrderStatus!]) { customer(id: "${customerId}") { orders(status: $s) { nodes { id } } } }`, {
      s: Array(100_000).fill('PAID'),
    });
    expect(variable.errors).toBeUndefined();
  });

  it('refuses mutation { x } as a validation error', async () => {
    const result = await gateway.query('mutation { x }');
    expect(result.errors?.[0]).toMatchObject({ message: 'This gateway has no mutation operations.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('refuses a bad persistedQuery extension with BAD_REQUEST', async () => {
    for (const extensions of [
      { persistedQuery: { version: 1, sha256Hash: 'nope' } },
      { persistedQuery: 'bad' },
      { persistedQuery: { version: 2, sha256Hash: 'x' } },
    ]) {
      const reply = await post(gateway.url, JSON.stringify({ query: '{ __typename }', extensions }));
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('answers a forged key in an id or a cursor with BAD_USER_INPUT naming the argument', async () => {
    const id = await gateway.query(`{ customer(id: "cus_${base64url('c:abc')}") { id displayName } }`);
    expect(id.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'id' });
    const cursor = await gateway.query(`{ customers(first: 1, after: "${base64url('[0,"abc"]')}") { edges { node { id } } } }`);
    expect(cursor.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(cursor.data).toEqual({ customers: null });
  });

  it('answers a null variable in @skip(if:) with BAD_USER_INPUT (found by the fuzz test)', async () => {
    const result = await gateway.query('query Q($flag: Boolean = false) { customers(first: 1) { edges { node @skip(if: $flag) { displayName } } } }', {
      flag: null,
    });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('answers the good alias when another asks a page over the limit', async () => {
    const result = await gateway.query('{ a: customers(first: 1) { edges { node { id } } } b: customers(first: 1000) { edges { node { id } } } }');
    expect(result.data).toEqual({ a: { edges: [{ node: { id: customerId } }] }, b: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ path: ['b'], extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
  });
});
