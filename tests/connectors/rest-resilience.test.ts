/**
 * Failure is local: retries, Retry-After, timeouts, the circuit breaker and malformed
 * replies, against the demo helpdesk's knobs over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { createRestConnector, getRestStats } from '../../connectors/rest/connector.js';
import { startHelpdeskServer } from '../../src/demo/helpdesk/server.js';
import type { HelpdeskServer } from '../../src/demo/helpdesk/server.js';
import { HELPDESK_TOKEN, TICKET_FIELDS, callRecorder, elapsedSince, helpdeskConfig, makeTicket } from '../support/rest-fixtures.js';

let server: HelpdeskServer;
const connectors: Connector[] = [];
const signal = new AbortController().signal;
const tickets = [
  makeTicket({ id: 1, requesterEmail: 'alice@example.com' }),
  makeTicket({ id: 2, requesterEmail: 'alice@example.com' }),
  makeTicket({ id: 3, requesterEmail: 'bob@example.com' }),
];
const request: LoadRequest = {
  entity: 'ticket',
  keyField: 'requesterEmail',
  keyMatch: 'caseInsensitive',
  keys: ['alice@example.com', 'bob@example.com'],
  projection: TICKET_FIELDS,
};

function connector(...args: Parameters<typeof helpdeskConfig> extends [string, ...infer Rest] ? Rest : never): Connector {
  const created = createRestConnector(helpdeskConfig(server.url, ...args));
  connectors.push(created);
  return created;
}

const listCalls = (): number => server.counters.byRoute['GET /api/v2/tickets'] ?? 0;

beforeAll(async () => {
  server = await startHelpdeskServer({ tickets, token: HELPDESK_TOKEN });
});
afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await server.stop();
});
beforeEach(() => server.reset());

describe('retries', () => {
  it('retries a GET on 503 and succeeds', async () => {
    server.knobs.failNext = 2;
    const recorder = callRecorder();
    const rest = connector();
    const result = await rest.load(request, { signal, onCall: recorder.onCall });

    expect(result.map((rows) => rows.length)).toEqual([2, 1]);
    expect(listCalls()).toBe(3);
    expect(recorder.calls.map((call) => call.rows)).toEqual([0, 0, 3]);
    expect(getRestStats(rest)?.retries).toBe(2);
  });

  it('gives up after maxAttempts with SOURCE_UNAVAILABLE', async () => {
    server.knobs.errorRate = 1;
    await expect(connector().load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'helpdesk' });
    expect(listCalls()).toBe(3);
  });

  it('waits at least the Retry-After the server asked for', async () => {
    server.knobs.failNext = 1;
    server.knobs.failStatus = 429;
    server.knobs.retryAfterSeconds = 1;
    const startedAt = performance.now();
    const result = await connector().load(request, { signal });

    expect(elapsedSince(startedAt)).toBeGreaterThanOrEqual(1_000);
    expect(result.flat()).toHaveLength(3);
    expect(listCalls()).toBe(2);
  });

  it('fails at once when Retry-After is beyond the deadline, instead of sleeping past it', async () => {
    server.knobs.failNext = 1;
    server.knobs.failStatus = 429;
    server.knobs.retryAfterSeconds = 30;
    const startedAt = performance.now();
    await expect(connector().load(request, { signal })).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: expect.stringContaining('rate-limited') as unknown as string,
    });
    expect(elapsedSince(startedAt)).toBeLessThan(500);
  });

  it('never retries a non-idempotent POST', async () => {
    server.knobs.failNext = 1;
    const rest = connector({
      endpoint: {
        method: 'POST',
        query: {},
        body: { ticket: { subject: 'Rappel', requester: { email: '{keys}' } } },
        list: 'tickets',
        pagination: { style: 'none' },
      },
    });
    await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(server.counters.byRoute['POST /api/v2/tickets']).toBe(1);
    expect(getRestStats(rest)?.retries).toBe(0);
  });
});

describe('timeouts', () => {
  it('answers SOURCE_TIMEOUT within timeoutMillis plus a small margin when the source is slow', async () => {
    server.knobs.latencyMillis = 1_500;
    const startedAt = performance.now();
    await expect(connector({ source: { timeoutMillis: 300 } }).load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT', source: 'helpdesk' });
    const elapsedMillis = elapsedSince(startedAt);
    expect(elapsedMillis).toBeGreaterThanOrEqual(290);
    expect(elapsedMillis).toBeLessThan(300 + 100);
  });

  it('bounds the whole load, retries included', async () => {
    server.knobs.latencyMillis = 150;
    server.knobs.errorRate = 1;
    const startedAt = performance.now();
    const rest = connector({ source: { timeoutMillis: 400, retry: { maxAttempts: 10, initialDelayMillis: 100, maxDelayMillis: 400 } } });
    await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
    expect(elapsedSince(startedAt)).toBeLessThan(400 + 100);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails fast without calling, then recovers through a half-open probe', async () => {
    const rest = connector({ source: { retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMillis: 300 } } });
    server.knobs.errorRate = 1;
    for (let n = 0; n < 3; n++) await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(getRestStats(rest)?.breakerState).toBe('open');

    const callsWhenOpened = server.counters.total;
    const startedAt = performance.now();
    await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', source: 'helpdesk' });
    expect(elapsedSince(startedAt)).toBeLessThan(50);
    expect(server.counters.total).toBe(callsWhenOpened);

    server.knobs.errorRate = 0;
    await new Promise((resolve) => setTimeout(resolve, 350));
    const result = await rest.load(request, { signal });
    expect(result.flat()).toHaveLength(3);
    expect(server.counters.total).toBe(callsWhenOpened + 1);
    expect(getRestStats(rest)).toMatchObject({ breakerState: 'closed', breakerOpenings: 1 });
  });

  it('opens again when the half-open probe fails', async () => {
    const rest = connector({ source: { retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMillis: 200 } } });
    server.knobs.errorRate = 1;
    for (let n = 0; n < 2; n++) await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await expect(rest.load(request, { signal })).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(getRestStats(rest)?.breakerOpenings).toBe(2);
  });
});

describe('unreachable and malformed sources', () => {
  it('is SOURCE_UNAVAILABLE when nothing listens on the port', async () => {
    const gone = await startHelpdeskServer({ tickets, token: HELPDESK_TOKEN });
    const url = gone.url;
    await gone.stop();
    const rest = createRestConnector(helpdeskConfig(url));
    connectors.push(rest);
    await expect(rest.load(request, { signal })).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED') as unknown as string,
    });
    await expect(rest.health(signal)).resolves.toMatchObject({ state: 'down' });
  });

  it('is SOURCE_UNAVAILABLE when the service drops connections', async () => {
    server.knobs.down = true;
    await expect(connector().load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it.each([
    ['invalidJson', '$', 'not JSON'],
    ['wrongShape', '$.tickets', 'a list that is not an array'],
    ['wrongType', '$.tickets[2].status', 'an object where a string was expected'],
  ] as const)('turns a %s reply into SOURCE_BAD_RESPONSE at %s', async (kind, path, what) => {
    server.knobs.malformedRate = 1;
    server.knobs.malformedKind = kind;
    const failure = connector().load(request, { signal });
    await expect(failure).rejects.toMatchObject({ name: 'SourceError', code: 'SOURCE_BAD_RESPONSE', source: 'helpdesk', path });
    await expect(failure).rejects.toThrow(new RegExp(`source "helpdesk" replied .*${what}.* at ${path.replace(/[$.[\]]/g, '\\$&')}`));
    // A malformed reply is not transient: no retry.
    expect(listCalls()).toBe(1);
  });
});
