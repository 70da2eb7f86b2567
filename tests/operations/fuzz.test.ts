/**
 * Property-based fuzzing of /graphql with fast-check: malformed JSON, wrong content
 * types, huge and deeply nested documents, wrong variable types and random GraphQL.
 * The property: every request gets an answer (no hang: each is bounded by a timeout),
 * never a 5xx, and the process still answers /health afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import type { TestGateway } from '../support/gateway.js';
import { startLimitedGateway } from '../support/hardened.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 30 });
  // The rate limit would answer 429 (not a failure, but it would hide what comes after).
  gateway = await startLimitedGateway(seeded, {
    maxBodyBytes: 200_000,
    roles: { default: { rateLimit: { operationsPerMinute: 1_000_000, burst: 1_000_000 } } },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const REQUEST_TIMEOUT_MILLIS = 10_000;

async function send(body: string | Uint8Array, contentType: string | undefined, method = 'POST'): Promise<number> {
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  const response = await fetch(method === 'GET' ? `${gateway.url}?query=${encodeURIComponent(typeof body === 'string' ? body : '')}` : gateway.url, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
  });
  await response.arrayBuffer();
  return response.status;
}

const FIELDS = [
  'id',
  'email',
  'phone',
  'displayName',
  'kind',
  'contact',
  'orders',
  'customers',
  'customer',
  'edges',
  'node',
  'nodes',
  '__typename',
  'lines',
  'product',
  'name',
  'x',
];
const ARGUMENTS = ['(first: 1)', '(first: -1)', '(first: 1000000)', '(first: "a")', '(id: "x")', '(after: 1)', '(phone: null)', '', '(first: $n)'];

/** Random GraphQL-ish documents: real and unknown fields, bad arguments, unbalanced braces. */
const graphqlish: fc.Arbitrary<string> = fc
  .letrec<{ selection: string }>((tie) => ({
    selection: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...FIELDS),
      fc
        .tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...ARGUMENTS), fc.array(tie('selection'), { maxLength: 4 }))
        .map(([field, args, children]) => `${field}${args} { ${children.join(' ')} }`),
    ),
  }))
  .selection.chain((selection) =>
    fc.constantFrom(
      `{ ${selection} }`,
      `query($n: Int) { ${selection} }`,
      `query Q { ${selection}`,
      `mutation { ${selection} }`,
      `{ ...F } fragment F on Query { ${selection} }`,
      selection,
    ),
  );

const nested = (depth: number) => `{ customers(first: 1) { edges { node { ${'contact { '.repeat(depth)}id${' }'.repeat(depth)} } } } }`;

describe('fuzzing /graphql', () => {
  it('answers malformed JSON bodies without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => json.slice(0, -1)),
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
        ),
        async (body) => {
          expect(await send(body, 'application/json')).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('answers any content type, any method and any JSON value without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'application/graphql',
          'application/json; charset=latin1',
          'application/octet-stream',
          undefined,
        ),
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
        fc.jsonValue(),
        async (contentType, method, value) => {
          expect(await send(JSON.stringify(value), contentType, method)).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('answers random GraphQL documents with random variables without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(graphqlish, fc.dictionary(fc.constantFrom('n', 'id', 'first', 'after'), fc.jsonValue()), async (query, variables) => {
        expect(await send(JSON.stringify({ query, variables }), 'application/json')).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  }, 180_000);

  it('answers wrongly typed variables and operation names without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), async (variables, operationName, extensions) => {
        const body = JSON.stringify({
          query: 'query Page($n: Int!, $after: String) { customers(first: $n, after: $after) { edges { cursor } } }',
          variables,
          operationName,
          extensions,
        });
        expect(await send(body, 'application/json')).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('answers huge and deeply nested documents without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 20_000 }), async (depth, repeats) => {
        expect(await send(JSON.stringify({ query: nested(depth) }), 'application/json')).toBeLessThan(500);
        expect(await send(JSON.stringify({ query: `{ ${'customers(first: 100) { edges { cursor } } '.repeat(repeats)} }` }), 'application/json')).toBeLessThan(
          500,
        );
        expect(await send(JSON.stringify({ query: '{'.repeat(depth * 10) }), 'application/json')).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  }, 180_000);

  it('still answers /health after all of it', async () => {
    const response = await fetch(gateway.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
  });
});
