/**
 * Intent triggers end to end: a real gateway following a real PostgreSQL CRM and shop,
 * signalling a real webhook receiver, NATS JetStream, RabbitMQ and a graphql-ws client.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  createTriggerWorld,
  eventually,
  natsStream,
  rabbitQueue,
  sleep,
  startWebhookReceiver,
  WEBHOOK_SECRET,
  type NatsStream,
  type RabbitQueue,
  type TriggerWorld,
  type WebhookReceiver,
} from '../support/trigger-world.js';
import { verifySignature, SIGNATURE_HEADER } from '../../src/triggers/destinations/webhook.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { partnerPseudonym } from '../../src/privacy/pseudonym.js';
import { KEYS, PARTNER_KEYS, PARTNER_OPERATIONS } from './privacy-support.js';

const POLL_MILLIS = 100;

let world: TriggerWorld;
let receiver: WebhookReceiver;
let stream: NatsStream;
let queue: RabbitQueue;
const gateways: TestGateway[] = [];

beforeEach(async () => {
  world = await createTriggerWorld();
  await world.addCustomer(1, { profiling: 'GRANTED' });
  await world.addCustomer(2, { profiling: 'DENIED' });
  await world.addCustomer(3, { profiling: 'GRANTED', marketing_phone: 'GRANTED' });
});

afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
  await receiver?.close();
  await stream?.delete();
  await queue?.delete();
  await world.drop();
  [receiver, stream, queue] = [undefined, undefined, undefined] as unknown as [WebhookReceiver, NatsStream, RabbitQueue];
});

async function setUp(triggers: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<TestGateway> {
  receiver = await startWebhookReceiver();
  stream = await natsStream();
  queue = await rabbitQueue();
  const config = world.config(
    {
      pollMillis: POLL_MILLIS,
      destinations: {
        desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent', retry: { maxAttempts: 3, initialMillis: 20, maxMillis: 50 } },
        bus: { kind: 'nats', url: 'nats://127.0.0.1:4222', stream: stream.stream, subject: stream.subject, role: 'analyst' },
        rabbit: { kind: 'rabbitmq', url: 'amqp://guest:guest@127.0.0.1:5672', queue: queue.queue, role: 'agent' },
      },
      rules: { ready_to_buy: { when: { intent: { level: 'HIGH', category: 'Chaussures' } }, consent: 'profiling', destinations: ['desk', 'bus', 'rabbit'] } },
      ...triggers,
    },
    extra,
  );
  const gateway = await startTestGateway(config);
  gateways.push(gateway);
  await firstPoll(gateway);
  return gateway;
}

/** Waits until the trigger re-evaluated `count` customers: the rows added so far are committed as seen. */
async function evaluated(gateway: TestGateway, trigger: string, count: number): Promise<void> {
  const pattern = new RegExp(`c360_trigger_evaluated_total\\{trigger="${trigger}"\\} (\\d+)`);
  await eventually(async () => Number(pattern.exec(await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text())?.[1] ?? 0) >= count || undefined);
}

/** Triggers start after the rows already there (startFrom: now); rows are added after the first poll. */
async function firstPoll(gateway: TestGateway): Promise<void> {
  await eventually(
    async () => /c360_trigger_polls_total\{outcome="ok"\} [1-9]/.test(await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text()) || undefined,
  );
}

describe('a trigger on high intent', () => {
  it('sends one signed webhook and one message to each broker for a consented customer, with the evidence, and nothing for a customer without consent', async () => {
    const gateway = await setUp();
    await world.addEvents(1, ['checkout', 'checkout', 'checkout']);
    await world.addEvents(2, ['checkout', 'checkout', 'checkout']);

    const hook = await eventually(() => receiver.received[0]);
    expect(verifySignature(WEBHOOK_SECRET, hook.headers[SIGNATURE_HEADER] as string, hook.body)).toBe(true);
    expect(verifySignature('another-secret-of-at-least-32-characters', hook.headers[SIGNATURE_HEADER] as string, hook.body)).toBe(false);
    const customerId = ((await gateway.query('{ customerBy(email: "person1@boutique-lyon.fr") { id } }')).data!.customerBy as { id: string }).id;
    expect(hook.json).toMatchObject({ trigger: 'ready_to_buy', customerId, evidence: { intent: { level: 'HIGH', categories: ['Chaussures'] } } });
    const evidence = hook.json.evidence as { events: Array<{ type: string }>; intent: { score: number } };
    expect(evidence.events.map((event) => event.type)).toEqual(['CHECKOUT_STARTED', 'CHECKOUT_STARTED', 'CHECKOUT_STARTED']);
    expect(evidence.intent.score).toBeGreaterThanOrEqual(12);
    expect(hook.headers['x-c360-idempotency-key']).toBe(hook.json.idempotencyKey);

    const [onBus] = await eventually(async () => {
      const m = await stream.messages();
      return m.length > 0 ? m : undefined;
    });
    expect(onBus!.msgID).toBe(hook.json.idempotencyKey);
    // The bus is an analyst destination: no behaviour, so neither the events nor the intent go there.
    expect(onBus!.json).toEqual({ idempotencyKey: hook.json.idempotencyKey, trigger: 'ready_to_buy', customerId, firedAt: hook.json.firedAt, evidence: {} });
    const fromRabbit = await eventually(async () => {
      const m = await queue.drain();
      return m.length > 0 ? m : undefined;
    });
    expect(fromRabbit.map((message) => message.messageId)).toEqual([hook.json.idempotencyKey]);
    expect(fromRabbit[0]!.json.evidence).toEqual(hook.json.evidence);

    // Customer 2 had the same events but denied profiling: a few more polls, still one signal.
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received).toHaveLength(1);
    expect(await stream.messages()).toHaveLength(1);
    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/c360_trigger_fired_total\{trigger="ready_to_buy"\} 1/);
    expect(metrics).toMatch(/c360_trigger_suppressed_total\{trigger="ready_to_buy",reason="no_consent"\} 1/);
    expect(metrics).toMatch(/c360_trigger_delivered_total\{trigger="ready_to_buy",destination="desk"\} 1/);
  });
});

describe('a restart', () => {
  it('resumes from the watermark: every customer is signalled, and a signal sent twice (stopped before its commit) has one idempotency key', async () => {
    const state = { store: 'postgres', url: world.url, table: `c360_trigger_restart_${process.pid}` };
    const first = await setUp({ state });
    await world.addEvents(1, ['checkout', 'checkout', 'checkout']);
    await eventually(() => receiver.received[0]);
    await first.stop();
    gateways.splice(gateways.indexOf(first), 1);

    await world.addEvents(3, ['checkout', 'checkout', 'checkout']);
    await world.addEvents(1, ['view']);
    const second = await startTestGateway(
      world.config({
        pollMillis: POLL_MILLIS,
        state,
        destinations: { desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent' } },
        rules: { ready_to_buy: { when: { intent: { level: 'HIGH', category: 'Chaussures' } }, consent: 'profiling', destinations: ['desk'] } },
      }),
    );
    gateways.push(second);
    await eventually(() => new Set(receiver.received.map((hook) => hook.json.customerId)).size === 2 || undefined);
    await sleep(POLL_MILLIS * 5);
    // The first gateway may stop after the webhook got the signal but before the brokers did
    // and the batch was committed: then the second sends it again, under the same key.
    const customerOfKey = new Map(receiver.received.map((hook) => [hook.json.idempotencyKey, hook.json.customerId]));
    expect(customerOfKey.size).toBe(2);
    expect(new Set(customerOfKey.values()).size).toBe(2);
    const perCustomer = new Map<unknown, Set<unknown>>();
    for (const hook of receiver.received)
      perCustomer.set(hook.json.customerId, (perCustomer.get(hook.json.customerId) ?? new Set()).add(hook.json.idempotencyKey));
    expect([...perCustomer.values()].map((keys) => keys.size)).toEqual([1, 1]);
  });

  it("does not read again, after a restart, the rows it took at the watermark's instant", async () => {
    const state = { store: 'postgres', url: world.url, table: `c360_trigger_instant_${process.pid}` };
    const config = () =>
      world.config({
        pollMillis: POLL_MILLIS,
        state,
        destinations: { desk: { kind: 'webhook', url: 'http://127.0.0.1:9/never-called', secret: WEBHOOK_SECRET, role: 'agent' } },
        rules: { ready_to_buy: { when: { intent: { level: 'HIGH', category: 'Chaussures' } }, consent: 'profiling', destinations: ['desk'] } },
      });
    const metric = async (gateway: TestGateway, pattern: RegExp) =>
      Number(pattern.exec(await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text())?.[1] ?? 0);
    const first = await startTestGateway(config());
    gateways.push(first);
    await firstPoll(first);
    // Three views of one instant (one INSERT, one occurred_at): the watermark is the last of them.
    await world.addEvents(1, ['view', 'view', 'view'], new Date());
    await evaluated(first, 'ready_to_buy', 1);
    // Counted ok once committed: one more ok poll and the batch is behind the watermark.
    const polls = await metric(first, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/);
    await eventually(async () => (await metric(first, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/)) > polls || undefined);
    await first.stop();
    gateways.splice(gateways.indexOf(first), 1);

    const second = await startTestGateway(config());
    gateways.push(second);
    await firstPoll(second);
    await sleep(POLL_MILLIS * 5);
    expect(await metric(second, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/)).toBeGreaterThan(3);
    // The two views of the watermark's instant that are not its key were taken too: nothing is read again.
    expect(await metric(second, /c360_trigger_evaluated_total\{trigger="ready_to_buy"\} (\d+)/)).toBe(0);
  });

  it('replays a batch stopped before its commit with the same idempotency key, which JetStream drops as a duplicate', async () => {
    const state = { store: 'postgres', url: world.url, table: `c360_trigger_replay_${process.pid}` };
    const destinations = (timeoutMillis: number) => ({
      desk: {
        kind: 'webhook',
        url: receiver.url,
        secret: WEBHOOK_SECRET,
        role: 'agent',
        timeoutMillis,
        retry: { maxAttempts: 50, initialMillis: 20, maxMillis: 50 },
      },
      bus: { kind: 'nats', url: 'nats://127.0.0.1:4222', stream: stream.stream, subject: stream.subject, role: 'analyst' },
    });
    const rules = { ready_to_buy: { when: { intent: { level: 'HIGH' } }, consent: 'profiling', destinations: ['desk', 'bus'] } };
    const first = await setUp({ state });
    await first.stop();
    gateways.splice(0);
    receiver.hang = true;
    const hanging = await startTestGateway(world.config({ pollMillis: POLL_MILLIS, state, destinations: destinations(300), rules }));
    await firstPoll(hanging);
    await world.addEvents(1, ['checkout', 'checkout', 'checkout', 'checkout']);
    await eventually(async () => ((await stream.messages()).length > 0 && receiver.tries > 0 ? true : undefined));
    await hanging.stop(); // mid-batch: the webhook never answered, so nothing was committed

    receiver.hang = false;
    const again = await startTestGateway(world.config({ pollMillis: POLL_MILLIS, state, destinations: destinations(2_000), rules }));
    gateways.push(again);
    const hook = await eventually(() => receiver.received[0]);
    const onBus = await stream.messages();
    expect(onBus).toHaveLength(1);
    expect(onBus[0]!.msgID).toBe(hook.json.idempotencyKey);
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('a destination that is down', () => {
  it('is retried with backoff, dead-lettered after the last try, shown by the admin query, /ready and the metrics, while the other destinations get the signal', async () => {
    const gateway = await setUp();
    receiver.status = 503;
    await world.addEvents(3, ['checkout', 'checkout', 'checkout']);
    await eventually(async () => ((await stream.messages()).length === 1 ? true : undefined));
    const letters = await eventually(async () => {
      const result = await gateway.query(
        '{ triggerDeadLetters(trigger: "ready_to_buy") { idempotencyKey trigger destination customerId attempts lastError } }',
      );
      const list = result.data?.triggerDeadLetters as Array<Record<string, unknown>> | undefined;
      return list !== undefined && list.length > 0 ? list : undefined;
    });
    expect(letters).toEqual([
      {
        idempotencyKey: expect.any(String),
        trigger: 'ready_to_buy',
        destination: 'desk',
        customerId: expect.any(String),
        attempts: 3,
        lastError: 'webhook answered HTTP 503',
      },
    ]);
    expect(receiver.tries).toBe(3);
    const ready = (await (await fetch(gateway.url.replace('/graphql', '/ready'))).json()) as {
      status: string;
      notes: { triggers: { status: string; failingDestinations: Record<string, { lastError: string }> } };
    };
    expect(ready.status).toBe('ready');
    expect(ready.notes.triggers.status).toBe('failing');
    expect(ready.notes.triggers.failingDestinations.desk!.lastError).toBe('webhook answered HTTP 503');
    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/c360_trigger_failed_total\{trigger="ready_to_buy",destination="desk"\} 3/);
    expect(metrics).toMatch(/c360_trigger_dead_lettered_total\{trigger="ready_to_buy",destination="desk"\} 1/);
    expect(metrics).toMatch(/c360_trigger_delivered_total\{trigger="ready_to_buy",destination="bus"\} 1/);
  });
});

describe('a cart abandoned on the web, then a store visit', () => {
  it('fires the call-back trigger once on the first visit, and its dry-run twin lists the customer without sending', async () => {
    const gateway = await setUp({
      rules: {
        call_back: { when: { storeVisitAfterCart: { withinHours: 72 } }, consent: 'marketing_phone', destinations: ['desk'] },
        call_back_preview: { when: { storeVisitAfterCart: { withinHours: 72 } }, consent: 'marketing_phone', destinations: ['desk'], dryRun: true },
      },
    });
    await world.addEvents(3, ['cart'], new Date(Date.now() - 2 * 3_600_000));
    await evaluated(gateway, 'call_back', 1);
    expect(receiver.received).toHaveLength(0);
    await world.addStoreVisit(3);
    const hook = await eventually(() => receiver.received[0]);
    expect(hook.json).toMatchObject({
      trigger: 'call_back',
      evidence: { events: [{ source: 'interaction', type: 'STORE_VISIT' }], cartAt: expect.any(String), storeVisitAt: expect.any(String) },
    });
    await world.addStoreVisit(3);
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received).toHaveLength(1);
    const preview = await gateway.query('{ triggerFirings(trigger: "call_back_preview") { customerId dryRun destinations { destination outcome } } }');
    expect(preview.data?.triggerFirings).toEqual([
      { customerId: hook.json.customerId, dryRun: true, destinations: [{ destination: 'desk', outcome: 'dryRun' }] },
    ]);
  });
});

describe('with a privacy section', () => {
  const auditPath = join(tmpdir(), `c360-trigger-audit-${process.pid}-${Date.now()}.jsonl`);
  afterEach(() => rmSync(auditPath, { force: true }));
  const privacy = () => ({
    privacy: {
      auth: {
        apiKeys: [
          { id: 'admin-1', sha256: sha256Hex(KEYS.admin), role: 'admin' },
          { id: 'desk-1', sha256: sha256Hex(KEYS.agent), role: 'agent' },
          { id: 'bi-1', sha256: sha256Hex(KEYS.analyst), role: 'analyst' },
          { id: 'acme-1', sha256: sha256Hex(KEYS.acme), role: 'partner', partner: 'acme' },
        ],
      },
      partners: { acme: { pseudonymKey: PARTNER_KEYS.acme, operations: { 'acme.audience.v1': PARTNER_OPERATIONS.audience } } },
      auditKey: 'audit-key-0123456789abcdef0123456789',
      audit: { store: 'file', path: auditPath },
    },
  });

  it('gives a partner destination the pseudonym and no behaviour, audits every firing, and streams the signal to a subscriber shaped by its role', async () => {
    receiver = await startWebhookReceiver();
    const config = world.config(
      {
        pollMillis: POLL_MILLIS,
        destinations: {
          desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent', fields: ['email'] },
          acme: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'partner', partner: 'acme', fields: ['email'] },
        },
        rules: { ready_to_buy: { when: { intent: { level: 'HIGH' } }, consent: 'profiling', destinations: ['desk', 'acme'] } },
      },
      privacy(),
    );
    const live = await startTestGateway(config);
    gateways.push(live);
    await firstPoll(live);

    const wsUrl = live.url.replace('http://', 'ws://');
    const subscriber = (apiKey: string) =>
      createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': apiKey }, lazy: false, retryAttempts: 0 });
    const agent = subscriber(KEYS.agent);
    const analyst = subscriber(KEYS.analyst);
    const query =
      'subscription { customerSignals(trigger: "ready_to_buy") { idempotencyKey trigger customerId evidence { intent { level } events { type } } } }';
    const agentSignals = agent.iterate({ query });
    const analystSignals = analyst.iterate({ query });
    const nextAgent = agentSignals.next();
    const nextAnalyst = analystSignals.next();
    await sleep(300); // both subscriptions registered
    await world.addEvents(1, ['checkout', 'checkout', 'checkout']);

    await eventually(() => receiver.received.length === 2 || undefined);
    const toDesk = receiver.received.find((hook) => 'customerId' in hook.json)!;
    const toAcme = receiver.received.find((hook) => 'customerPseudonym' in hook.json)!;
    expect(toDesk.json).toMatchObject({ customer: { email: 'person1@boutique-lyon.fr' }, evidence: { intent: { level: 'HIGH' } } });
    expect(toAcme.json).toEqual({
      idempotencyKey: toDesk.json.idempotencyKey,
      trigger: 'ready_to_buy',
      customerPseudonym: partnerPseudonym(toDesk.json.customerId as string, PARTNER_KEYS.acme, 1),
      firedAt: toDesk.json.firedAt,
      evidence: {},
    });

    const forAgent = (await nextAgent).value as { data: { customerSignals: Record<string, unknown> } };
    expect(forAgent.data.customerSignals).toEqual({
      idempotencyKey: toDesk.json.idempotencyKey,
      trigger: 'ready_to_buy',
      customerId: toDesk.json.customerId,
      evidence: { intent: { level: 'HIGH' }, events: [{ type: 'CHECKOUT_STARTED' }, { type: 'CHECKOUT_STARTED' }, { type: 'CHECKOUT_STARTED' }] },
    });
    const forAnalyst = (await nextAnalyst).value as { data: { customerSignals: { evidence: unknown } }; errors: Array<{ extensions: { code: string } }> };
    expect(forAnalyst.data.customerSignals.evidence).toEqual({ intent: null, events: null });
    expect(forAnalyst.errors.map((error) => error.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    await agentSignals.return?.();
    await analystSignals.return?.();
    await agent.dispose();
    await analyst.dispose();

    // Partners have no subscriptions; the admin query needs triggers:admin.
    const partner = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': KEYS.acme }, retryAttempts: 0 });
    await expect(partner.iterate({ query }).next()).rejects.toBeDefined();
    await partner.dispose();
    const asAgent = await live.query('{ triggerDeadLetters { idempotencyKey } }', undefined, { headers: { 'x-api-key': KEYS.agent } });
    expect(asAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const audit = await eventually(async () => {
      const records = (await live.query('{ triggerFirings(trigger: "ready_to_buy") { idempotencyKey } }', undefined, { headers: { 'x-api-key': KEYS.admin } }))
        .data?.triggerFirings as unknown[] | undefined;
      return records !== undefined && records.length === 1 ? records : undefined;
    });
    expect(audit).toEqual([{ idempotencyKey: toDesk.json.idempotencyKey }]);
    // Every firing is audited, once per destination, under the customer's audit pseudonym.
    const records = readFileSync(auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.endpoint === 'trigger');
    expect(records.map((record) => [record.operation, record.role, record.purpose])).toEqual([
      ['trigger ready_to_buy -> desk', 'agent', 'profiling'],
      ['trigger ready_to_buy -> acme', 'partner', 'profiling'],
    ]);
    expect(records[0]!.fields).toEqual(['SignalEvidence.events', 'SignalEvidence.intent', 'Customer.email']);
    expect(records[1]!.fields).toEqual([]);
    expect(JSON.stringify(records)).not.toContain(toDesk.json.customerId as string);
  });
});

describe('a segment trigger', () => {
  it('follows the orders too: a customer whose first order makes them a first-time buyer is signalled on entering the segment, and again only after leaving it', async () => {
    await setUp({
      rules: {
        welcome: { when: { segment: { id: 'first_time_buyers', on: 'enter' } }, consent: 'profiling', destinations: ['desk'] },
        graduated: { when: { segment: { id: 'first_time_buyers', on: 'leave' } }, consent: 'profiling', destinations: ['desk'] },
      },
    });
    await world.addOrder(1, 1, 80);
    const welcome = await eventually(() => receiver.received[0]);
    expect(welcome.json).toMatchObject({
      trigger: 'welcome',
      evidence: { events: [{ source: 'order', id: '1', type: 'ORDER' }], segments: expect.arrayContaining(['first_time_buyers']) },
    });
    await world.addOrder(2, 1, 40);
    const graduated = await eventually(() => receiver.received[1]);
    expect(graduated.json).toMatchObject({ trigger: 'graduated', customerId: welcome.json.customerId });
    expect((graduated.json.evidence as { segments: string[] }).segments).toContain('second_time_buyers');
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received).toHaveLength(2);
  });
});

describe('an open-ticket trigger', () => {
  it('follows the tickets by creation time and signals a first-time buyer who opens one, found by the requester email', async () => {
    const gateway = await setUp({ rules: { care: { when: { openTicket: { segment: 'first_time_buyers' } }, consent: 'profiling', destinations: ['desk'] } } });
    await world.addOrder(1, 1, 80);
    await world.addTicket(2, 'open'); // no order: not a first-time buyer
    await evaluated(gateway, 'care', 2);
    expect(receiver.received).toHaveLength(0);
    await world.addTicket(1, 'open');
    const hook = await eventually(() => receiver.received[0]);
    expect(hook.json).toMatchObject({
      trigger: 'care',
      evidence: { events: [{ source: 'ticket', type: 'TICKET' }], openTickets: 1, segments: expect.arrayContaining(['first_time_buyers']) },
    });
    await sleep(POLL_MILLIS * 3);
    expect(receiver.received).toHaveLength(1);
  });
});
