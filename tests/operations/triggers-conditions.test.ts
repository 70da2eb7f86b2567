/**
 * The trigger conditions the issue names, each on the real databases: about to buy for a
 * category, the README's example as written (cart abandoned on the web, then a store visit
 * -> a call-back task), and a segment trigger's evaluation reading the runtime's cached RFM
 * boundaries instead of ranking the base at every poll (statement counts).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { interpolate } from '../../src/config/load.js';
import type { ConfigProblem } from '../../src/config/errors.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createRuntime } from '../../src/gateway/runtime.js';
import { createSchema } from '../../src/gateway/server.js';
import { evaluate, evaluatorDepsOf, needsOf } from '../../src/triggers/evaluate.js';
import type { SourceCall } from '../../connectors/contract.js';
import { verifySignature, SIGNATURE_HEADER } from '../../src/triggers/destinations/webhook.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  createTriggerWorld,
  eventually,
  natsStream,
  sleep,
  startWebhookReceiver,
  WEBHOOK_SECRET,
  type NatsStream,
  type TriggerWorld,
  type WebhookReceiver,
} from '../support/trigger-world.js';

const POLL_MILLIS = 100;
const HOUR = 3_600_000;

let world: TriggerWorld;
let receiver: WebhookReceiver | undefined;
let stream: NatsStream | undefined;
const gateways: TestGateway[] = [];

beforeEach(async () => {
  world = await createTriggerWorld();
  await world.addCustomer(1, { profiling: 'GRANTED' });
  await world.addCustomer(2, { profiling: 'GRANTED' });
  await world.addCustomer(3, { profiling: 'GRANTED', marketing_phone: 'GRANTED' });
});

afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
  await receiver?.close();
  await stream?.delete();
  [receiver, stream] = [undefined, undefined];
  await world.drop();
});

async function metricsOf(gateway: TestGateway): Promise<string> {
  return (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
}

async function started(gateway: TestGateway): Promise<TestGateway> {
  gateways.push(gateway);
  await eventually(async () => /c360_trigger_polls_total\{outcome="ok"\} [1-9]/.test(await metricsOf(gateway)) || undefined);
  return gateway;
}

describe('about to buy, for a category', () => {
  it("fires the rule of the carted product's category only, and again after an order ended the episode and a new cart began one", async () => {
    receiver = await startWebhookReceiver();
    const gateway = await started(
      await startTestGateway(
        world.config({
          pollMillis: POLL_MILLIS,
          destinations: { desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent' } },
          rules: {
            shoes_in_cart: { when: { aboutToBuy: { category: 'Chaussures' } }, consent: 'profiling', destinations: ['desk'] },
            jacket_in_cart: { when: { aboutToBuy: { category: 'Vestes' } }, consent: 'profiling', destinations: ['desk'] },
          },
        }),
      ),
    );
    await world.addEvents(1, ['cart'], new Date(), 1);
    const first = await eventually(() => receiver!.received[0]);
    expect(first.json).toMatchObject({ trigger: 'shoes_in_cart', evidence: { intent: { aboutToBuy: true, categories: ['Chaussures'] } } });
    await world.addEvents(2, ['view'], new Date(), 2); // a view is no cart: not about to buy
    await eventually(async () => /c360_trigger_evaluated_total\{trigger="jacket_in_cart"\} 2/.test(await metricsOf(gateway)) || undefined);

    // The order ends the episode (no signal for leaving it); the next cart starts another, under a new key.
    await world.addOrder(1, 1, 120);
    await eventually(async () => /c360_trigger_evaluated_total\{trigger="shoes_in_cart"\} 3/.test(await metricsOf(gateway)) || undefined);
    await sleep(5);
    await world.addEvents(1, ['cart'], new Date(), 1);
    const second = await eventually(() => receiver!.received[1]);
    expect(second.json).toMatchObject({ trigger: 'shoes_in_cart', customerId: first.json.customerId });
    expect(second.json.idempotencyKey).not.toBe(first.json.idempotencyKey);
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received.map((hook) => hook.json.trigger)).toEqual(['shoes_in_cart', 'shoes_in_cart']);
  });
});

describe('a segment entered or left by a customer the trigger never saw', () => {
  it('reads the segment as of just before the new rows: already in it is no entry, and a first touch that takes them out is a leave', async () => {
    const month = new Date(Date.now() - 30 * 86_400_000);
    await world.addOrder(1, 1, 80, month); // customers 1 and 2 are first-time buyers before the trigger starts
    await world.addOrder(2, 2, 60, month);
    receiver = await startWebhookReceiver();
    const gateway = await started(
      await startTestGateway(
        world.config({
          pollMillis: POLL_MILLIS,
          destinations: { desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent' } },
          rules: {
            welcome: { when: { segment: { id: 'first_time_buyers', on: 'enter' } }, consent: 'profiling', destinations: ['desk'] },
            graduated: { when: { segment: { id: 'first_time_buyers', on: 'leave' } }, consent: 'profiling', destinations: ['desk'] },
          },
        }),
      ),
    );
    await world.addEvents(1, ['view']); // still a first-time buyer: no welcome
    await world.addOrder(3, 2, 45); // the second order: leaves the segment on the first touch
    await world.addOrder(4, 3, 30); // customer 3's first order: enters it
    const hooks = await eventually(() => (receiver!.received.length >= 2 ? receiver!.received : undefined));
    await eventually(async () => /c360_trigger_evaluated_total\{trigger="welcome"\} 3/.test(await metricsOf(gateway)) || undefined);
    await sleep(POLL_MILLIS * 5);
    const customerOf = async (n: number) =>
      ((await gateway.query(`{ customerBy(email: "person${n}@boutique-lyon.fr") { id } }`)).data!.customerBy as { id: string }).id;
    expect(hooks.map((hook) => [hook.json.trigger, hook.json.customerId]).sort()).toEqual(
      [
        ['graduated', await customerOf(2)],
        ['welcome', await customerOf(3)],
      ].sort(),
    );
  });
});

describe('the README example', () => {
  it('runs as written: a web cart on Sunday, a store visit on Monday -> one signed call-back webhook with the name and phone, none without the phone consent', async () => {
    receiver = await startWebhookReceiver();
    stream = await natsStream();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Triggers\n'));
    const yamlText = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const missing: ConfigProblem[] = [];
    const { triggers } = interpolate(parse(yamlText), { HOOK_SECRET: WEBHOOK_SECRET }, [], missing) as {
      triggers: { destinations: Record<string, Record<string, unknown>> };
    };
    expect(missing).toEqual([]);
    // Only the addresses change: the call centre is a local receiver, the bus a stream of this test.
    Object.assign(triggers.destinations.callcenter!, { url: receiver.url });
    Object.assign(triggers.destinations.bus!, { stream: stream.stream, subject: stream.subject });
    await started(await startTestGateway(world.config(triggers)));

    // Customer 3 (Marie) has the phone consent; customer 1 does the same without it.
    const sunday = new Date(Date.now() - 20 * HOUR);
    await world.addEvents(3, ['cart'], sunday);
    await world.addEvents(1, ['cart'], sunday);
    await world.addStoreVisit(3);
    await world.addStoreVisit(1);
    const hook = await eventually(() => receiver!.received[0]);
    expect(verifySignature(WEBHOOK_SECRET, hook.headers[SIGNATURE_HEADER] as string, hook.body)).toBe(true);
    expect(hook.json).toMatchObject({
      trigger: 'call_back_after_visit',
      customer: { phone: '+33612345603', displayName: expect.stringContaining('Person 3') },
      evidence: {
        events: expect.arrayContaining([expect.objectContaining({ source: 'interaction', type: 'STORE_VISIT' })]),
        cartAt: sunday.toISOString(),
        storeVisitAt: expect.any(String),
      },
    });
    await sleep(2_500); // two more polls at the default interval
    expect(receiver.received).toHaveLength(1);
  });
});

describe("a segment trigger's evaluation", () => {
  it("reads the RFM boundaries from the runtime's statistics cache: two evaluations, one boundaries statement", async () => {
    for (let id = 4; id <= 6; id++) await world.addCustomer(id, { profiling: 'GRANTED' });
    await world.addOrder(1, 1, 900, new Date(Date.now() - 30 * 86_400_000));
    for (let id = 2; id <= 6; id++) await world.addOrder(id, id, 10 * id, new Date(Date.now() - 30 * 86_400_000));
    // Evaluation only: nothing is sent to this destination.
    const destinations = { desk: { kind: 'webhook', url: 'http://127.0.0.1:9/never-called', secret: WEBHOOK_SECRET, role: 'agent' } };
    const config = world.config({
      destinations,
      rules: { vip: { when: { segment: { id: 'big_spenders', on: 'enter' } }, consent: 'profiling', destinations: ['desk'] } },
    });
    const needs = needsOf(Object.values(config.triggers!.rules), false);
    const schema = createSchema(config);
    const ranks = (calls: SourceCall[]) => calls.filter((call) => call.statement.includes('ROW_NUMBER()'));

    const runtime = createRuntime(config, createLogger({ level: 'error' }));
    try {
      const calls: SourceCall[] = [];
      const deps = { ...evaluatorDepsOf(runtime, schema, 30_000), onCall: (call: SourceCall) => void calls.push(call) };
      const first = await evaluate(deps, [{ entity: 'shopCustomer', key: '1' }], needs);
      const second = await evaluate(deps, [{ entity: 'shopCustomer', key: '2' }], needs);
      expect(first.views.get('shopCustomer:1')?.segments).toContain('big_spenders');
      expect(second.views.get('shopCustomer:2')?.segments).not.toContain('big_spenders');
      expect(ranks(calls)).toHaveLength(1);
      expect(first.statements).toBe(second.statements + 1);

      // Without the runtime's statistics, each evaluation ranks the base again.
      const uncached: SourceCall[] = [];
      const alone = { ...evaluatorDepsOf(runtime, schema, 30_000), statistics: undefined, onCall: (call: SourceCall) => void uncached.push(call) };
      await evaluate(alone, [{ entity: 'shopCustomer', key: '1' }], needs);
      await evaluate(alone, [{ entity: 'shopCustomer', key: '2' }], needs);
      expect(ranks(uncached)).toHaveLength(2);
    } finally {
      await runtime.close();
    }
  });
});
