/**
 * A CRM and a shop (two sources on one fresh PostgreSQL database) for the trigger tests,
 * a real webhook receiver on 127.0.0.1, and per-test NATS JetStream streams and RabbitMQ
 * queues with unique names, deleted afterwards.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Connection } from 'rabbitmq-client';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { demoRestRawConfig } from '../../src/demo/rest-config.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from './servers.js';

export const NATS_URL = process.env.C360_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const RABBITMQ_URL = process.env.C360_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const WEBHOOK_SECRET = 'test-webhook-secret-of-at-least-32-chars';

export interface TriggerWorld {
  readonly admin: SqlAdmin;
  readonly url: string;
  /** A person in both sources (linked by email) with the given consents (purpose -> status). */
  addCustomer(id: number, consents: Record<string, 'GRANTED' | 'DENIED'>): Promise<void>;
  /** Web events stamped now (or `at`), e.g. ['checkout', 'checkout', 'checkout'], on product 1 (Chaussures; 2 is Vestes). */
  addEvents(customerId: number, kinds: ReadonlyArray<string>, at?: Date, productId?: number): Promise<void>;
  addStoreVisit(contactId: number, at?: Date): Promise<void>;
  addOrder(id: number, customerId: number, total: number, at?: Date): Promise<void>;
  /** A helpdesk ticket (in a database here, so that triggers can follow it) under the customer's email. */
  addTicket(customerId: number, status: 'open' | 'solved'): Promise<void>;
  /** `helpdesk`: the ticket entity on that REST helpdesk with the demo's mapping (src/demo/rest-config.ts) instead of the database. */
  config(
    triggers: Record<string, unknown>,
    extra?: Record<string, unknown>,
    options?: { readonly helpdesk?: { readonly url: string; readonly token: string } },
  ): C360Config;
  drop(): Promise<void>;
}

export async function createTriggerWorld(): Promise<TriggerWorld> {
  const name = uniqueDatabaseName('c360_triggers');
  const url = await createDatabase('postgres', POSTGRES_SERVER_URL, name);
  const admin = await openSqlAdmin('postgres', url);
  await admin.exec(
    [
      'CREATE TABLE crm_contact (id INT PRIMARY KEY, email VARCHAR(200), last_name VARCHAR(200), phone VARCHAR(40))',
      'CREATE TABLE crm_consent (id SERIAL PRIMARY KEY, contact_id INT NOT NULL, purpose VARCHAR(50) NOT NULL, status VARCHAR(20) NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      'CREATE TABLE crm_interaction (id SERIAL PRIMARY KEY, contact_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at TIMESTAMPTZ NOT NULL)',
      'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200))',
      'CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at TIMESTAMPTZ NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL)',
      'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(200), category VARCHAR(100))',
      'CREATE TABLE web_event (id SERIAL PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, product_id INT)',
      'CREATE TABLE desk_ticket (id SERIAL PRIMARY KEY, requester_email VARCHAR(200) NOT NULL, subject VARCHAR(200), status VARCHAR(20) NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      "INSERT INTO product VALUES (1, 'Trail shoe', 'Chaussures'), (2, 'Rain jacket', 'Vestes')",
    ].join(';'),
  );
  return {
    admin,
    url,
    async addCustomer(id, consents) {
      await admin.query('INSERT INTO crm_contact VALUES ($1, $2, $3, $4)', [
        id,
        `person${id}@boutique-lyon.fr`,
        `Person ${id}`,
        `+336123456${String(id).padStart(2, '0')}`,
      ]);
      await admin.query('INSERT INTO shop_customer VALUES ($1, $2)', [id, `Person${id}@Boutique-Lyon.fr`]);
      for (const [purpose, status] of Object.entries(consents))
        await admin.query('INSERT INTO crm_consent (contact_id, purpose, status) VALUES ($1, $2, $3)', [id, purpose, status]);
    },
    async addEvents(customerId, kinds, at = new Date(), productId = 1) {
      await admin.insert(
        'web_event',
        ['customer_id', 'kind', 'occurred_at', 'product_id'],
        kinds.map((kind) => [customerId, kind, at.toISOString(), productId]),
      );
    },
    async addStoreVisit(contactId, at = new Date()) {
      await admin.query("INSERT INTO crm_interaction (contact_id, kind, occurred_at) VALUES ($1, 'visit', $2)", [contactId, at.toISOString()]);
    },
    async addOrder(id, customerId, total, at = new Date()) {
      await admin.query("INSERT INTO shop_order VALUES ($1, $2, $3, $4, 'paid')", [id, customerId, at.toISOString(), total]);
    },
    async addTicket(customerId, status) {
      await admin.query('INSERT INTO desk_ticket (requester_email, subject, status) VALUES ($1, $2, $3)', [
        `person${customerId}@boutique-lyon.fr`,
        'Where is my parcel?',
        status,
      ]);
    },
    config(triggers, extra = {}, options = {}) {
      const rest =
        options.helpdesk === undefined
          ? undefined
          : demoRestRawConfig({ helpdeskUrl: options.helpdesk.url, helpdeskToken: options.helpdesk.token, registryUrl: 'http://127.0.0.1:9' });
      return parseConfig({
        sources: { crm: { kind: 'postgres', url }, shop: { kind: 'postgres', url }, ...(rest === undefined ? {} : { helpdesk: rest.sources.helpdesk }) },
        entities: {
          contact: { source: 'crm', table: 'crm_contact', fields: { id: 'id', email: 'email', lastName: 'last_name', phone: 'phone' } },
          consent: {
            source: 'crm',
            table: 'crm_consent',
            fields: { id: 'id', contactId: 'contact_id', purpose: 'purpose', status: 'status', recordedAt: 'recorded_at' },
          },
          interaction: {
            source: 'crm',
            table: 'crm_interaction',
            fields: { id: 'id', contactId: 'contact_id', occurredAt: 'occurred_at', type: { column: 'kind', values: { visit: 'STORE_VISIT', call: 'CALL' } } },
          },
          shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email' } },
          order: {
            source: 'shop',
            table: 'shop_order',
            fields: {
              id: 'id',
              customerId: 'customer_id',
              placedAt: 'placed_at',
              total: 'total',
              status: { column: 'state', values: { paid: 'PAID', cancelled: 'CANCELLED' } },
            },
          },
          ticket: rest?.entities.ticket ?? {
            source: 'crm',
            table: 'desk_ticket',
            fields: {
              id: 'id',
              requesterEmail: 'requester_email',
              subject: 'subject',
              createdAt: 'created_at',
              status: { column: 'status', values: { open: 'OPEN', solved: 'SOLVED' } },
            },
          },
          product: { source: 'shop', table: 'product', fields: { id: 'id', name: 'name', category: 'category' } },
          event: {
            source: 'shop',
            table: 'web_event',
            fields: {
              id: 'id',
              customerId: 'customer_id',
              occurredAt: 'occurred_at',
              productId: 'product_id',
              type: { column: 'kind', values: { view: 'PRODUCT_VIEW', cart: 'ADD_TO_CART', checkout: 'CHECKOUT_STARTED' } },
            },
          },
        },
        triggers,
        ...extra,
      });
    },
    async drop() {
      await admin.close();
      await dropDatabase('postgres', POSTGRES_SERVER_URL, name);
    },
  };
}

export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly json: Record<string, unknown>;
}

/** A real HTTP receiver; `status` is what it answers (set 503 to play a failing endpoint). */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Every try, answered or not. */
  tries: number;
  status: number;
  /** Never answer (a hanging endpoint) while true. */
  hang: boolean;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: '', received: [], tries: 0, status: 200, hang: false, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.tries++;
      if (receiver.hang) return;
      const body = Buffer.concat(chunks).toString('utf8');
      if (receiver.status === 200) receiver.received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/c360`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

export interface NatsStream {
  readonly stream: string;
  readonly subject: string;
  /** Every message of the stream, in order. */
  messages(): Promise<Array<{ msgID: string | undefined; json: Record<string, unknown> }>>;
  delete(): Promise<void>;
}

export async function natsStream(): Promise<NatsStream> {
  const suffix = uniqueDatabaseName('t').replace(/[^A-Za-z0-9]/g, '_');
  const stream = `C360_TEST_${suffix}`;
  const subject = `c360.test.${suffix}`;
  const nc: NatsConnection = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  const manager = await jetstreamManager(nc);
  return {
    stream,
    subject,
    async messages() {
      const info = await manager.streams.info(stream).catch(() => undefined);
      const out: Array<{ msgID: string | undefined; json: Record<string, unknown> }> = [];
      if (info === undefined || info.state.messages === 0) return out;
      for (let seq = Math.max(1, info.state.first_seq); seq <= info.state.last_seq; seq++) {
        const message = await manager.streams.getMessage(stream, { seq });
        if (message !== null) out.push({ msgID: message.header?.get('Nats-Msg-Id'), json: message.json<Record<string, unknown>>() });
      }
      return out;
    },
    async delete() {
      await manager.streams.delete(stream).catch(() => undefined);
      await nc.close();
    },
  };
}

export interface RabbitQueue {
  readonly queue: string;
  /** Takes every waiting message off the queue. */
  drain(): Promise<Array<{ messageId: string | undefined; json: Record<string, unknown> }>>;
  delete(): Promise<void>;
}

export async function rabbitQueue(): Promise<RabbitQueue> {
  const queue = uniqueDatabaseName('c360_test_signals');
  const rabbit = new Connection(RABBITMQ_URL);
  rabbit.on('error', () => undefined);
  const channel = await rabbit.acquire();
  // Declared here, as the destination declares it: a basicGet on a queue that does not exist
  // yet is a channel error that closes the channel, and every later drain would then find nothing.
  await channel.queueDeclare({ queue, durable: true });
  return {
    queue,
    async drain() {
      const out: Array<{ messageId: string | undefined; json: Record<string, unknown> }> = [];
      for (;;) {
        const message = await channel.basicGet({ queue, noAck: true });
        if (message === undefined) return out;
        out.push({
          messageId: message.messageId,
          json: JSON.parse(
            Buffer.isBuffer(message.body) ? message.body.toString('utf8') : typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
          ) as Record<string, unknown>,
        });
      }
    },
    async delete() {
      await channel.queueDelete({ queue }).catch(() => undefined);
      await channel.close().catch(() => undefined);
      await rabbit.close();
    },
  };
}

/** Waits until `check` holds (or throws after `millis`): the signal arrives asynchronously, later on a loaded machine. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, millis = 30_000): Promise<T> {
  const until = Date.now() + millis;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${millis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
