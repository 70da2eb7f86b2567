/**
 * Triggers on a helpdesk that is a REST API (the demo world's SAV): new tickets are
 * followed through the REST mapping's `follow` endpoint (created since the watermark,
 * oldest first), against a real local HTTP helpdesk, and "an open ticket on a big spender"
 * fires for the spender only.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHelpdeskServer, type HelpdeskServer } from '../../src/demo/helpdesk/server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  createTriggerWorld,
  eventually,
  sleep,
  startWebhookReceiver,
  WEBHOOK_SECRET,
  type TriggerWorld,
  type WebhookReceiver,
} from '../support/trigger-world.js';

const POLL_MILLIS = 100;
const TOKEN = 'helpdesk-token-for-trigger-tests';
const DAY = 86_400_000;

let world: TriggerWorld;
let receiver: WebhookReceiver;
let helpdesk: HelpdeskServer;
const gateways: TestGateway[] = [];

beforeEach(async () => {
  world = await createTriggerWorld();
  // Six scored customers: customer 1 spends far more than the others, so M = 5 (big_spenders) for them alone.
  for (let id = 1; id <= 6; id++) await world.addCustomer(id, { profiling: 'GRANTED' });
  await world.addOrder(1, 1, 900, new Date(Date.now() - 30 * DAY));
  for (let id = 2; id <= 6; id++) await world.addOrder(id, id, 10 * id, new Date(Date.now() - 30 * DAY));
  receiver = await startWebhookReceiver();
  // A solved ticket of customer 1 from last year is already there: not a new ticket.
  helpdesk = await startHelpdeskServer({
    token: TOKEN,
    tickets: [
      {
        id: 1,
        requesterEmail: 'person1@boutique-lyon.fr',
        subject: 'Colis non reçu',
        status: 'solved',
        priority: 'normal',
        channel: 'email',
        createdAt: new Date(Date.now() - 300 * DAY).toISOString(),
        updatedAt: new Date(Date.now() - 299 * DAY).toISOString(),
        solvedAt: new Date(Date.now() - 299 * DAY).toISOString(),
        satisfaction: 4,
        messages: [],
      },
    ],
  });
});

afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
  await receiver.close();
  await helpdesk.stop();
  await world.drop();
});

/** Opens a ticket the way a customer does: POST on the helpdesk, which stamps created_at itself. */
async function openTicket(customerId: number): Promise<number> {
  const response = await fetch(`${helpdesk.url}/api/v2/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ticket: { subject: 'Article défectueux', requester: { email: `Person${customerId}@Boutique-Lyon.fr ` } } }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { ticket: { id: number } }).ticket.id;
}

async function metric(gateway: TestGateway, pattern: RegExp): Promise<number> {
  return Number(pattern.exec(await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text())?.[1] ?? 0);
}

async function start(state: Record<string, unknown> = { store: 'memory' }): Promise<TestGateway> {
  const gateway = await startTestGateway(
    world.config(
      {
        pollMillis: POLL_MILLIS,
        state,
        destinations: {
          desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent', retry: { maxAttempts: 3, initialMillis: 20, maxMillis: 50 } },
        },
        rules: { unhappy_vip: { when: { openTicket: { segment: 'big_spenders' } }, consent: 'profiling', destinations: ['desk'] } },
      },
      {},
      { helpdesk: { url: helpdesk.url, token: TOKEN } },
    ),
  );
  gateways.push(gateway);
  await eventually(async () => (await metric(gateway, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/)) >= 1 || undefined);
  return gateway;
}

describe('an open ticket on a big spender, on a REST helpdesk', () => {
  it('follows new tickets by creation time through the REST mapping and signals the big spender who opens one, not the others', async () => {
    const gateway = await start();
    await openTicket(2); // a small spender
    await eventually(async () => (await metric(gateway, /c360_trigger_evaluated_total\{trigger="unhappy_vip"\} (\d+)/)) >= 1 || undefined);
    expect(receiver.received).toHaveLength(0);
    // Polls with nothing new: the follow endpoint is what is asked, GET /api/v2/tickets?created_since=…, not a lookup by email.
    await sleep(POLL_MILLIS * 3);
    expect(helpdesk.counters.last).toMatchObject({ method: 'GET', path: '/api/v2/tickets' });
    expect(new URLSearchParams(helpdesk.counters.last!.query).get('created_since')).toMatch(/^\d{4}-\d\d-\d\dT/);

    const ticketId = await openTicket(1);
    const hook = await eventually(() => receiver.received[0]);
    const customerId = ((await gateway.query('{ customerBy(email: "person1@boutique-lyon.fr") { id } }')).data!.customerBy as { id: string }).id;
    expect(hook.json).toMatchObject({
      trigger: 'unhappy_vip',
      customerId,
      evidence: { events: [{ source: 'ticket', id: String(ticketId), type: 'TICKET' }], openTickets: 1, segments: expect.arrayContaining(['big_spenders']) },
    });
    // Later polls list nothing new: one signal, two customers evaluated.
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received).toHaveLength(1);
    expect(await metric(gateway, /c360_trigger_evaluated_total\{trigger="unhappy_vip"\} (\d+)/)).toBe(2);
    expect(await metric(gateway, /c360_trigger_lag_seconds\{source="ticket"\} (\S+)/)).toBe(0);
  });

  it('resumes from the ticket watermark after a restart: a ticket opened while the gateway was down is signalled once', async () => {
    const state = { store: 'postgres', url: world.url, table: `c360_trigger_rest_${process.pid}` };
    const first = await start(state);
    await openTicket(3);
    await eventually(async () => (await metric(first, /c360_trigger_evaluated_total\{trigger="unhappy_vip"\} (\d+)/)) >= 1 || undefined);
    // A poll is counted ok once its batch is committed: one more ok poll after the evaluation
    // means the watermark is past customer 3's ticket (stopping in between would read it again,
    // as at-least-once allows, and this test is about the watermark).
    const polls = await metric(first, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/);
    await eventually(async () => (await metric(first, /c360_trigger_polls_total\{outcome="ok"\} (\d+)/)) > polls || undefined);
    await first.stop();
    gateways.splice(gateways.indexOf(first), 1);

    const whileDown = await openTicket(1);
    const second = await start(state);
    const hook = await eventually(() => receiver.received[0]);
    expect(hook.json).toMatchObject({ trigger: 'unhappy_vip', evidence: { events: [{ source: 'ticket', id: String(whileDown) }] } });
    await sleep(POLL_MILLIS * 5);
    expect(receiver.received.map((received) => received.json.trigger)).toEqual(['unhappy_vip']);
    // Nothing committed before the stop is read again: customer 3's ticket, and the orders of
    // the order watermark's instant (two of the orders above may share a millisecond; before the
    // watermark kept every key of its instant, the second gateway evaluated such a customer again).
    expect(await metric(second, /c360_trigger_evaluated_total\{trigger="unhappy_vip"\} (\d+)/)).toBe(1);
  });

  it('refuses a helpdesk that lists tickets out of order, with SOURCE_BAD_RESPONSE on /ready, and signals nothing', async () => {
    // A helpdesk that ignores the contract: newest first.
    const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const ticket = (id: number, createdAt: string) => ({
      id,
      requester: { email: 'person1@boutique-lyon.fr' },
      subject: 'x',
      status: 'open',
      priority: 'normal',
      via: { channel: 'web' },
      created_at: createdAt,
      updated_at: createdAt,
      solved_at: null,
      satisfaction_rating: null,
      comments: [],
    });
    const unordered = createServer((_, res) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ tickets: [ticket(2, later(2)), ticket(1, later(1))], next_page: null })),
    );
    await new Promise<void>((resolve) => unordered.listen(0, '127.0.0.1', resolve));
    try {
      const gateway = await startTestGateway(
        world.config(
          {
            pollMillis: POLL_MILLIS,
            destinations: { desk: { kind: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET, role: 'agent' } },
            rules: { unhappy_vip: { when: { openTicket: { segment: 'big_spenders' } }, consent: 'profiling', destinations: ['desk'] } },
          },
          {},
          { helpdesk: { url: `http://127.0.0.1:${(unordered.address() as AddressInfo).port}`, token: TOKEN } },
        ),
      );
      gateways.push(gateway);
      await eventually(async () => (await metric(gateway, /c360_trigger_polls_total\{outcome="failed"\} (\d+)/)) >= 1 || undefined);
      const ready = (await (await fetch(gateway.url.replace('/graphql', '/ready'))).json()) as {
        notes: { triggers: { status: string; lastPollError?: { message: string } } };
      };
      expect(ready.notes.triggers.status).toBe('failing');
      expect(ready.notes.triggers.lastPollError?.message).toMatch(/listed ticket item 2 .* after a later one: its follow endpoint must list oldest first/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      unordered.closeAllConnections();
      await new Promise((resolve) => unordered.close(resolve));
    }
  });
});
