/**
 * Each query limit at its boundary: the limit itself passes, one more is refused with its
 * code, and a refused operation calls no source (the trace of source calls is empty).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import type { GraphQLResult, TestGateway } from '../support/gateway.js';
import { post, startLimitedGateway } from '../support/hardened.js';

let seeded: SeededWorld;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 60 });
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await seeded?.drop();
});

async function gatewayWith(rawLimits: unknown): Promise<TestGateway> {
  const gateway = await startLimitedGateway(seeded, rawLimits);
  gateways.push(gateway);
  return gateway;
}

function expectAnswered(result: GraphQLResult): void {
  expect(result.errors).toBeUndefined();
  expect(result.extensions?.trace?.length ?? 0).toBeGreaterThan(0);
}

function expectRefused(result: GraphQLResult, limit: string, max: number): void {
  // 200 under application/json, as GraphQL over HTTP asks (the status test is below).
  expect(result.status).toBe(200);
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit, max });
  expect(result.extensions?.trace ?? []).toEqual([]);
}

describe('query limits', () => {
  it('passes a query at the maximum depth and refuses one level more', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxDepth: 6 } } });
    const depth6 = '{ customers(first: 1) { edges { node { orders(first: 1) { nodes { id } } } } } }';
    const depth7 = '{ customers(first: 1) { edges { node { orders(first: 1) { nodes { lines { id } } } } } } }';
    expectAnswered(await gateway.query(depth6, undefined, { trace: true }));
    expectRefused(await gateway.query(depth7, undefined, { trace: true }), 'depth', 6);
  });

  it('weights a list by its page size: cost 3 per customer passes at the maximum and one customer more is refused', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxCost: 30 } } });
    // customers(first: n) { edges { node } }: n × (1 + edges 1 + node 1) = 3n
    const page = 'query($n: Int) { customers(first: $n) { edges { node { id email } } } }';
    expectAnswered(await gateway.query(page, { n: 10 }, { trace: true }));
    expectRefused(await gateway.query(page, { n: 11 }, { trace: true }), 'cost', 30);
  });

  it('multiplies nested pages: 2 customers with 16 orders each is the limit, 17 is over', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxCost: 70 } } });
    // orders(first: n) is a connection: its nodes are that page, not another one.
    // nodes 1; orders n × (1 + 1); node 1 + 2n; edges 1 + (1 + 2n); customers 2 × (1 + 2 + 2n) = 6 + 4n.
    const query = 'query($n: Int) { customers(first: 2) { edges { node { orders(first: $n) { nodes { id } } } } } }';
    expectAnswered(await gateway.query(query, { n: 16 }, { trace: true }));
    expectRefused(await gateway.query(query, { n: 17 }, { trace: true }), 'cost', 70);
  });

  it('passes the maximum number of aliases and refuses one more', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxAliases: 3 } } });
    expectAnswered(await gateway.query('{ customers(first: 1) { edges { node { a: id b: id c: id } } } }', undefined, { trace: true }));
    expectRefused(await gateway.query('{ customers(first: 1) { edges { node { a: id b: id c: id d: id } } } }', undefined, { trace: true }), 'aliases', 3);
  });

  it('passes the maximum number of directives and refuses one more', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxDirectives: 2 } } });
    const two = '{ customers(first: 1) { edges { node { id @include(if: true) email @skip(if: false) } } } }';
    const three = '{ customers(first: 1) { edges { node { id @include(if: true) email @skip(if: false) phone @include(if: true) } } } }';
    expectAnswered(await gateway.query(two, undefined, { trace: true }));
    expectRefused(await gateway.query(three, undefined, { trace: true }), 'directives', 2);
  });

  it('passes a document of the maximum number of tokens and refuses one token more', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxTokens: 60 } } });
    // 17 tokens, plus one per repeated `id` (equal fields merge, so the answer stays small).
    const withTokens = (tokens: number) => `{ customers(first: 1) { edges { node { ${'id '.repeat(tokens - 16)}} } } }`;
    expectAnswered(await gateway.query(withTokens(60), undefined, { trace: true }));
    expectRefused(await gateway.query(withTokens(61), undefined, { trace: true }), 'tokens', 60);
  });

  it('answers a refusal with 400 to a client that accepts application/graphql-response+json', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxAliases: 0 } } });
    const result = await gateway.query('{ customers(first: 1) { edges { node { a: id } } } }', undefined, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 0 });
  });

  it('refuses far larger documents in the parser, before any validation', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxTokens: 60 } } });
    const result = await gateway.query(`{ customers(first: 1) { edges { node { ${'id '.repeat(5_000)}} } } }`, undefined, { trace: true });
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.extensions?.trace ?? []).toEqual([]);
  });
});

describe('page size', () => {
  it('answers first at the maximum and refuses first above it with BAD_USER_INPUT, calling no source for that field', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxPageSize: 20 } } });
    const page = 'query($n: Int) { customers(first: $n) { edges { node { id } } } }';
    const atMax = await gateway.query(page, { n: 20 }, { trace: true });
    expectAnswered(atMax);
    expect((atMax.data?.customers as { edges: unknown[] }).edges).toHaveLength(20);
    const over = await gateway.query(page, { n: 21 }, { trace: true });
    expect(over.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(over.errors?.[0]?.message).toBe('"first" must be between 0 and 20');
    expect(over.extensions?.trace ?? []).toEqual([]);
  });

  it('applies to nested pages too', async () => {
    const gateway = await gatewayWith({ roles: { default: { maxPageSize: 20 } } });
    const result = await gateway.query('{ customers(first: 1) { edges { node { orders(first: 21) { nodes { id } } } } } }', undefined, { trace: true });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(result.errors?.[0]?.path).toEqual(['customers', 'edges', 0, 'node', 'orders']);
    expect(result.extensions?.trace?.some((call) => call.entity === 'order')).toBe(false);
  });
});

describe('HTTP limits', () => {
  const small = '{ customers(first: 1) { edges { node { id } } } }';
  const bodyOf = (bytes: number) => {
    const body = JSON.stringify({ query: small });
    // Spaces inside the query string: the same operation, a longer body.
    return JSON.stringify({ query: small + ' '.repeat(bytes - body.length) });
  };

  it('takes a body of exactly maxBodyBytes and answers 413 to one byte more', async () => {
    const gateway = await gatewayWith({ maxBodyBytes: 2_000 });
    expect(Buffer.byteLength(bodyOf(2_000))).toBe(2_000);
    const atLimit = await post(gateway.url, bodyOf(2_000));
    expect(atLimit.status).toBe(200);
    const over = await post(gateway.url, bodyOf(2_001));
    expect(over.status).toBe(413);
    expect(over.json).toEqual({ errors: [{ message: 'Request body too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('refuses a batch when batching is not configured', async () => {
    const gateway = await gatewayWith({});
    const reply = await post(gateway.url, JSON.stringify([{ query: small }, { query: small }]));
    expect(reply.status).toBe(400);
    expect(reply.text).not.toContain('"data"');
  });

  it('runs a batch of maxOperations when batching is on and refuses one more', async () => {
    const gateway = await gatewayWith({ batching: { enabled: true, maxOperations: 2 } });
    const two = await post(gateway.url, JSON.stringify([{ query: small }, { query: small }]));
    expect(two.status).toBe(200);
    expect(two.json).toHaveLength(2);
    const three = await post(gateway.url, JSON.stringify([{ query: small }, { query: small }, { query: small }]));
    expect(three.status).toBe(400);
    expect(three.json).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers malformed JSON with 400 and a JSON error, never an HTML page or a stack trace', async () => {
    const gateway = await gatewayWith({});
    const reply = await post(gateway.url, '{"query": ');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ errors: [{ message: 'Malformed request.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('keeps CSRF protection: a simple cross-site request is refused, one with a preflight header passes', async () => {
    const gateway = await gatewayWith({});
    const simpleGet = await fetch(`${gateway.url}?query=${encodeURIComponent(small)}`);
    expect(simpleGet.status).toBe(400);
    const textPlain = await post(gateway.url, JSON.stringify({ query: small }), { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(400);
    const preflighted = await fetch(`${gateway.url}?query=${encodeURIComponent(small)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
  });

  it('hides field suggestions and stack traces outside development', async () => {
    const gateway = await gatewayWith({});
    const result = await gateway.query('{ customers(first: 1) { edges { node { emial } } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(result.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
  });
});

describe('rate limit', () => {
  const small = '{ customers(first: 1) { edges { node { id } } } }';

  it('allows the burst, then answers 429 RATE_LIMITED with Retry-After and calls no source', async () => {
    const gateway = await gatewayWith({ roles: { default: { rateLimit: { operationsPerMinute: 6, burst: 3 } } } });
    for (let i = 0; i < 3; i++) expect((await gateway.query(small)).errors).toBeUndefined();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
      body: JSON.stringify({ query: small }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as GraphQLResult;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(body.extensions?.trace ?? []).toEqual([]);
  });

  it('counts operations, not HTTP requests: a batch of three uses a burst of three', async () => {
    const gateway = await gatewayWith({
      batching: { enabled: true, maxOperations: 5 },
      roles: { default: { rateLimit: { operationsPerMinute: 6, burst: 3 } } },
    });
    const batch = await post(gateway.url, JSON.stringify([{ query: small }, { query: small }, { query: small }]));
    expect(batch.status).toBe(200);
    expect((batch.json as GraphQLResult[]).every((result) => result.errors === undefined)).toBe(true);
    const next = await gateway.query(small);
    expect(next.status).toBe(429);
    expect(next.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
