/**
 * Overload and faults at run time, against the real databases and the demo helpdesk:
 * per-source bulkheads, the request deadline, /ready with a dead source, /metrics, request
 * ids in the logs, tracing spans, and a graceful stop that drops no in-flight request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { compileLimits, limitsSchema } from '../../src/config/limits-config.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createRuntime } from '../../src/gateway/runtime.js';
import { startGateway } from '../../src/gateway/server.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type GraphQLResult, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 80, seed: 11, restServices: true });
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await seeded?.drop();
});

async function gatewayWith(rawLimits: unknown): Promise<TestGateway> {
  const gateway = await startTestGateway({ ...seeded.config(), limits: compileLimits(limitsSchema.parse(rawLimits)) });
  stops.push(() => gateway.stop());
  return gateway;
}

/** Contacts with an email, so their tickets are asked of the helpdesk; each used once (the REST cache). */
let nextContact = 0;
function freshCustomerId(): string {
  const withEmail = seeded.world.contacts.filter((c) => c.email !== null && c.lastName !== null);
  const contact = withEmail[nextContact++ % withEmail.length]!;
  return encodeCustomerId({ entity: 'contact', key: String(contact.id) });
}

const TICKETS = 'query($id: ID!) { customer(id: $id) { contact { lastName } tickets { id status } } }';
const CRM_ONLY = 'query($id: ID!) { customer(id: $id) { contact { lastName } } }';

describe('bulkheads', () => {
  it("fails calls past a slow source's slots and queue fast, while the CRM keeps answering", async () => {
    const gateway = await gatewayWith({ bulkheads: { sources: { helpdesk: { maxConcurrent: 1, maxQueued: 0 } } } });
    seeded.rest!.helpdesk.knobs.latencyMillis = 1_500;
    try {
      const slow = [gateway.query(TICKETS, { id: freshCustomerId() }), gateway.query(TICKETS, { id: freshCustomerId() })];
      await new Promise((resolve) => setTimeout(resolve, 300));
      const crm = await gateway.query(CRM_ONLY, { id: freshCustomerId() });
      expect(crm.errors).toBeUndefined();
      const results = await Promise.all(slow);
      const codes = results.flatMap((result) => (result.errors ?? []).map((error) => error.extensions?.code));
      expect(codes).toEqual(['SOURCE_UNAVAILABLE']);
      const refused = results.find((result) => result.errors !== undefined)!;
      expect(refused.errors?.[0]?.message).toMatch(/saturated/);
      expect((refused.data?.customer as { contact: unknown }).contact).not.toBeNull();
    } finally {
      seeded.rest!.helpdesk.reset();
    }
  }, 30_000);
});

describe('request deadline', () => {
  it('stops waiting for a slow source at the deadline and answers the rest', async () => {
    const gateway = await gatewayWith({ requestDeadlineMillis: 400 });
    seeded.rest!.helpdesk.knobs.latencyMillis = 3_000;
    try {
      const result = await gateway.query(TICKETS, { id: freshCustomerId() });
      expect(result.status).toBe(200);
      expect((result.data?.customer as { contact: { lastName: string } }).contact.lastName).toEqual(expect.any(String));
      expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['customer.tickets', 'SOURCE_TIMEOUT']]);
    } finally {
      seeded.rest!.helpdesk.reset();
    }
  }, 30_000);
});

describe('/ready and /health', () => {
  it('reports a dead source down, with its breaker, and the others up', async () => {
    const gateway = await gatewayWith({});
    const readyUrl = gateway.url.replace('/graphql', '/ready');
    expect((await fetch(readyUrl)).status).toBe(200);
    seeded.rest!.helpdesk.knobs.down = true;
    try {
      const response = await fetch(readyUrl);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; sources: Record<string, { state: string; breaker?: string; calls?: { max: number } }> };
      expect(body.status).toBe('degraded');
      expect(body.sources.helpdesk).toMatchObject({ state: 'down', breaker: 'closed' });
      expect(body.sources.crm).toMatchObject({ state: 'up', calls: { max: 16 } });
      expect(body.sources.shop?.state).toBe('up');
      expect((await fetch(gateway.url.replace('/graphql', '/health'))).status).toBe(200);
      // The readiness probe's form: a replica that still answers partially stays in the Service.
      expect((await fetch(`${readyUrl}?degraded=ok`)).status).toBe(200);
    } finally {
      seeded.rest!.helpdesk.reset();
    }
  });
});

describe('observability', () => {
  it('exposes operations by name and outcome, source latency per entity and errors by code at /metrics', async () => {
    const gateway = await gatewayWith({});
    await gateway.query('query ById($id: ID!) { customer(id: $id) { contact { lastName } orders(first: 2) { nodes { id } } } }', { id: freshCustomerId() });
    await gateway.query('query Broken { customer(id: "nope") { id } }');
    const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/c360_graphql_operations_total\{operation="ById",outcome="ok"\} 1/);
    expect(text).toMatch(/c360_graphql_errors_total\{code="BAD_USER_INPUT"\} 1/);
    expect(text).toMatch(/c360_source_call_duration_seconds_count\{source="crm",entity="contact"\} [1-9]/);
    expect(text).toMatch(/c360_source_call_duration_seconds_count\{source="shop",entity="\w+"\} [1-9]/);
    expect(text).toMatch(/c360_source_calls_max\{source="helpdesk"\} 16/);
    expect(text).toMatch(/c360_source_breaker_state\{source="helpdesk",state="closed"\} 1/);
    expect(text).toMatch(/c360_source_cache_hits\{source="helpdesk"\} \d+/);
    expect(text).toMatch(/c360_process_resident_memory_bytes/);
  });

  it('writes JSON log lines that carry the request id to every source call', async () => {
    const gateway = await gatewayWith({});
    await gateway.query(TICKETS, { id: freshCustomerId() }, { headers: { 'x-request-id': 'req-chaos-42' } });
    const lines = gateway.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('req-chaos-42'))
      .map((line) => JSON.parse(line) as { msg: string; source?: string });
    const sources = new Set(lines.filter((line) => line.msg === 'source call').map((line) => line.source));
    expect([...sources].sort()).toEqual(['crm', 'helpdesk', 'shop']);
    expect(lines.some((line) => line.msg === 'graphql operation')).toBe(true);
  });

  it('records a span per request with a child span per source call when tracing is on', async () => {
    const exporter = new InMemorySpanExporter();
    const runtime = createRuntime(seeded.config(), createLogger({ level: 'silent' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1', hardening: { spanExporter: exporter } });
    stops.push(async () => {
      await gateway.stop();
      await runtime.close();
    });
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'traced-1' },
      body: JSON.stringify({ query: CRM_ONLY, variables: { id: freshCustomerId() } }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === 'graphql request' && span.attributes['c360.request_id'] === 'traced-1')!;
    expect(request).toBeDefined();
    const children = spans.filter((span) => span.parentSpanContext?.spanId === request.spanContext().spanId);
    expect(children.map((span) => span.name)).toContain('crm load');
    expect(children.every((span) => span.spanContext().traceId === request.spanContext().traceId)).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('finishes every in-flight request, then refuses new connections', async () => {
    const config = { ...seeded.config(), limits: compileLimits(limitsSchema.parse({ shutdownGraceMillis: 10_000 })) };
    const runtime = createRuntime(config, createLogger({ level: 'silent' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    seeded.rest!.helpdesk.reset();
    seeded.rest!.helpdesk.knobs.latencyMillis = 1_000;
    try {
      const inFlight = Array.from({ length: 6 }, () =>
        fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: TICKETS, variables: { id: freshCustomerId() } }),
        }).then(async (response) => ({ status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) })),
      );
      // In flight: every request has reached its helpdesk call (counted on arrival, answered 1 s later).
      const startedAt = Date.now();
      while (seeded.rest!.helpdesk.counters.total < 6 && Date.now() - startedAt < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seeded.rest!.helpdesk.counters.total).toBeGreaterThanOrEqual(6);
      const stopped = gateway.stop();
      const results = await Promise.all(inFlight);
      await stopped;
      await runtime.close();
      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.errors).toBeUndefined();
        expect((result.data?.customer as { tickets: unknown[] | null }).tickets).not.toBeNull();
      }
      await expect(
        fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      ).rejects.toThrow();
    } finally {
      seeded.rest!.helpdesk.reset();
    }
  }, 30_000);
});
