/**
 * OTLP export of the gateway's spans to a real HTTP receiver on 127.0.0.1, shaped like an
 * OpenTelemetry collector's /v1/traces (OTLP/HTTP JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startLimitedGateway } from '../support/hardened.js';

interface OtlpSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly attributes: ReadonlyArray<{ key: string; value: { stringValue?: string } }>;
}

let seeded: SeededWorld;
let receiver: Server;
const received: Array<{ path: string; contentType: string | undefined; spans: OtlpSpan[] }> = [];

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 30, seed: 14 });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        spans: body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await seeded?.drop();
});

describe('OTLP trace export', () => {
  it('posts the request span and its source-call spans to the configured collector', async () => {
    const otlpUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
    const gateway = await startLimitedGateway(seeded, { observability: { tracing: { enabled: true, exporter: 'otlp', otlpUrl } } });
    const contact = seeded.world.contacts[0]!;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'otlp-1' },
      body: JSON.stringify({
        query: 'query($id: ID!) { customer(id: $id) { id contact { lastName } orders(first: 2) { nodes { total } } } }',
        variables: { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) },
      }),
    });
    expect(response.status).toBe(200);
    // Stopping flushes the batch still queued.
    await gateway.stop();

    expect(received.map((post) => post.path)).toContain('/v1/traces');
    expect(received[0]!.contentType).toContain('application/json');
    const spans = received.flatMap((post) => post.spans);
    const request = spans.find(
      (span) => span.name === 'graphql request' && span.attributes.some((a) => a.key === 'c360.request_id' && a.value.stringValue === 'otlp-1'),
    );
    expect(request).toBeDefined();
    const children = spans.filter((span) => span.parentSpanId === request!.spanId);
    expect(children.map((span) => span.name).sort()).toEqual(expect.arrayContaining(['crm load', 'shop load']));
    expect(children.every((span) => span.traceId === request!.traceId)).toBe(true);
  });
});
