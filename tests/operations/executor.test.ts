/**
 * graphql-jit (the default executor) answers as graphql-js does (C360_EXECUTOR=graphql-js):
 * the same data, the same errors with the same codes, paths and locations, for source
 * failures, variables with defaults, variables of the wrong type and operations the
 * document does not hold.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let jit: TestGateway;
let graphqlJs: TestGateway;

async function startWith(executor: string | undefined): Promise<TestGateway> {
  const before = process.env.C360_EXECUTOR;
  if (executor === undefined) delete process.env.C360_EXECUTOR;
  else process.env.C360_EXECUTOR = executor;
  try {
    // Nothing listens on port 1: the shop is down, so its fields fail with its code.
    return await startTestGateway(seeded.config({ shopUrl: 'mysql://root@127.0.0.1:1/shop' }));
  } finally {
    if (before === undefined) delete process.env.C360_EXECUTOR;
    else process.env.C360_EXECUTOR = before;
  }
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 40, seed: 5 });
  jit = await startWith(undefined);
  graphqlJs = await startWith('graphql-js');
});

afterAll(async () => {
  await jit?.stop();
  await graphqlJs?.stop();
  await seeded?.drop();
});

interface Posted {
  readonly status: number;
  readonly body: unknown;
}

async function post(gateway: TestGateway, body: unknown): Promise<Posted> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  // A masked error carries its request's id, which differs between two requests.
  return { status: response.status, body: JSON.parse(text.replace(/"requestId":"[^"]*"/g, '"requestId":"…"')) as unknown };
}

const errorsOf = (posted: Posted) =>
  (posted.body as { errors?: Array<{ message: string; path?: unknown; extensions?: { code?: string; source?: string } }> }).errors ?? [];

describe('graphql-jit, the default executor, beside graphql-js', () => {
  it('keeps a failing source code and source, with the CRM fields answered, as graphql-js does', async () => {
    const contact = seeded.world.contacts.find((c) => c.email !== null)!;
    const body = {
      query: 'query($id: ID!) { customer(id: $id) { id contact { id } shopAccounts { id } orders(first: 2) { nodes { id } } } }',
      variables: { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) },
    };
    const [fromJit, fromJs] = await Promise.all([post(jit, body), post(graphqlJs, body)]);
    expect(fromJit).toEqual(fromJs);
    expect(fromJit.status).toBe(200);
    expect(errorsOf(fromJit).length).toBeGreaterThan(0);
    for (const error of errorsOf(fromJit)) expect(error.extensions).toEqual(expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', source: 'shop' }));
  });

  it('answers an omitted non-null variable with its default', async () => {
    const body = { query: 'query Search($text: String! = "mar", $first: Int = 2) { searchCustomers(text: $text, first: $first) { id } }' };
    const [fromJit, fromJs] = await Promise.all([post(jit, body), post(graphqlJs, body)]);
    expect(fromJit).toEqual(fromJs);
    expect(errorsOf(fromJit).filter((error) => error.extensions?.code !== 'SOURCE_UNAVAILABLE')).toEqual([]);
  });

  it.each([
    ['a list for a Boolean', { query: 'query($flag: Boolean) { __typename @include(if: $flag) }', variables: { flag: [] } }],
    ['null for a non-null variable', { query: 'query($id: ID!) { customer(id: $id) { id } }', variables: { id: null } }],
    ['a missing non-null variable', { query: 'query($id: ID!) { customer(id: $id) { id } }' }],
    ['a string for an Int', { query: 'query($n: Int) { customers(first: $n) { edges { node { id } } } }', variables: { n: 'ten' } }],
    [
      'an unknown enum value',
      { query: 'query($k: CustomerKind) { customers(first: 1, filter: { kind: $k }) { edges { node { id } } } }', variables: { k: 'ROBOT' } },
    ],
    ['an operation the document does not hold', { query: 'query Q { __typename }', operationName: 'Other' }],
    ['two unnamed operations', { query: '{ __typename } { __typename }' }],
  ])('refuses %s exactly as graphql-js does', async (_name, body) => {
    const [fromJit, fromJs] = await Promise.all([post(jit, body), post(graphqlJs, body)]);
    expect(fromJit).toEqual(fromJs);
    expect(fromJit.status).toBeLessThan(500);
    expect(errorsOf(fromJit).length).toBeGreaterThan(0);
    for (const error of errorsOf(fromJit)) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('reports a bad argument inside a field with its path, as graphql-js does', async () => {
    const body = { query: '{ customer(id: "not-an-id") { id } }' };
    const [fromJit, fromJs] = await Promise.all([post(jit, body), post(graphqlJs, body)]);
    expect(fromJit).toEqual(fromJs);
    expect(errorsOf(fromJit)).toEqual([expect.objectContaining({ path: ['customer'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });
});
