/**
 * Trigger benchmark: time-to-insight (a web event row committed -> the signed webhook
 * received) at 100k customers with 100 events/s arriving, with the default polling
 * interval, and the statements per second the poller adds to the sources.
 *
 *   npm run bench:triggers -- [--customers 100000] [--rate 100] [--seconds 60] [--poll 1000] [--order-rate 10]
 *
 * Database: PostgreSQL at C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * The seeded database `c360_bench_triggers` is kept between runs and reused when its marker
 * table says it holds this version and size (seeding 100k customers takes a while here);
 * `--reseed` drops it first. Only the live events of a run are deleted at its end.
 *
 * Two phases in the same run, on disjoint halves of the customers:
 * - floor: a raw-driver poller with the same interval — one keyset SELECT past its
 *   watermark joined with the consents, one unsigned POST per consented cart/checkout row —
 *   the least any polling design can do for the same answer;
 * - c360: the gateway with a `triggers` section (aboutToBuy, consent profiling, one webhook).
 * Then a third phase: the same intent rule plus two segment rules (first_time_buyers
 * entered / left), the same events on the second half, and `--order-rate` live orders per
 * second (default 10), each for a different customer of the first half who had no order or
 * one in the RFM window (so entered or left). Its time-to-insight is order committed -> webhook,
 * and the statements per second it adds are its own minus the intent-only phase's.
 * Before timing is trusted, the customers each phase signalled are compared with the
 * customers that should have been (consented, with a live cart or checkout; consented, with
 * no earlier order for an entry, one for a leave): they must be equal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSqlAdmin, quoteIdentifier, withDatabase, type SqlAdmin } from '../connectors/admin.js';
import type { Scalar } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { decodeCustomerId, encodeCustomerId } from '../src/identity/customer-id.js';
import { mailboxKeyIndexFor } from '../src/resolvers/search/index-advice.js';
import { log, ms, option, percentile, positive, seededRandom } from './harness.js';

const SERVER = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'c360_bench_triggers';
const VERSION = 1;
const DAY = 86_400_000;
const SECRET = 'bench-webhook-secret-0123456789abcdef';
const LIVE_FROM_ID = 1_000_000_000;

/**
 * The mailbox-key expression indexes identity's e-mail links need (the contact <-> shop
 * account lookups match `email` by mailbox key, connectors/sql/email-key.ts): what `c360
 * check` advises. Without them each link lookup scans the 100k rows. Added to a database
 * seeded before they were.
 */
const MAILBOX_INDEXES = [
  { name: 'crm_contact_email_mailbox_idx', ddl: mailboxKeyIndexFor('postgres', 'crm_contact', 'email') },
  { name: 'shop_customer_email_mailbox_idx', ddl: mailboxKeyIndexFor('postgres', 'shop_customer', 'email') },
];

async function ensureMailboxIndexes(admin: SqlAdmin): Promise<void> {
  const rows = await admin.query('SELECT indexname FROM pg_indexes WHERE indexname = ANY($1)', [`{${MAILBOX_INDEXES.map(({ name }) => name).join(',')}}`]);
  const missing = MAILBOX_INDEXES.filter(({ name }) => !rows.some((row) => row.indexname === name));
  if (missing.length === 0) return;
  log(`adding ${missing.map(({ name }) => name).join(', ')} (the mailbox-key lookups of the e-mail links)`);
  await admin.exec([...missing.map(({ ddl }) => ddl), 'ANALYZE crm_contact', 'ANALYZE shop_customer'].join(';'));
}

async function seeded(admin: SqlAdmin, customers: number): Promise<boolean> {
  const rows = await admin.query("SELECT to_regclass('c360_bench_marker') AS marker");
  if (rows[0]?.marker === null) return false;
  const marker = await admin.query('SELECT version, customers FROM c360_bench_marker');
  return Number(marker[0]?.version) === VERSION && Number(marker[0]?.customers) === customers;
}

async function seed(admin: SqlAdmin, customers: number): Promise<void> {
  log(`seeding ${customers} customers (kept as ${DATABASE} for the next runs)`);
  await admin.exec(
    [
      'DROP TABLE IF EXISTS c360_bench_marker, crm_contact, crm_consent, shop_customer, shop_order, product, web_event',
      'CREATE TABLE crm_contact (id INT PRIMARY KEY, email VARCHAR(200))',
      'CREATE TABLE crm_consent (id INT PRIMARY KEY, contact_id INT NOT NULL, purpose VARCHAR(50) NOT NULL, status VARCHAR(20) NOT NULL, recorded_at TIMESTAMPTZ NOT NULL)',
      'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200))',
      'CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at TIMESTAMPTZ NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL)',
      'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(200), category VARCHAR(100))',
      'CREATE TABLE web_event (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, product_id INT)',
    ].join(';'),
  );
  const next = seededRandom(2026);
  const now = Date.now();
  const iso = (millis: number) => new Date(millis).toISOString();
  const chunk = 20_000;
  for (let from = 0; from < customers; from += chunk) {
    const ids = Array.from({ length: Math.min(chunk, customers - from) }, (_, i) => from + i + 1);
    await admin.insert(
      'crm_contact',
      ['id', 'email'],
      ids.map((id): Scalar[] => [id, `client${id}@boutique-lyon.fr`]),
    );
    await admin.insert(
      'shop_customer',
      ['id', 'email'],
      ids.map((id): Scalar[] => [id, `Client${id}@boutique-lyon.fr`]),
    );
    // 80% granted profiling; the rest denied.
    await admin.insert(
      'crm_consent',
      ['id', 'contact_id', 'purpose', 'status', 'recorded_at'],
      ids.map((id): Scalar[] => [id, id, 'profiling', next() < 0.8 ? 'GRANTED' : 'DENIED', iso(now - 400 * DAY)]),
    );
  }
  await admin.insert(
    'product',
    ['id', 'name', 'category'],
    Array.from({ length: 500 }, (_, i): Scalar[] => [i + 1, `Product ${i + 1}`, `cat${i % 20}`]),
  );
  for (let from = 0; from < customers * 5; from += 50_000) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(customers * 5, from + 50_000); i++)
      rows.push([
        i + 1,
        1 + Math.floor(next() * customers),
        next() < 0.7 ? 'view' : 'cart',
        iso(now - 3 * DAY - Math.floor(next() * 27 * DAY)),
        1 + Math.floor(next() * 500),
      ]);
    await admin.insert('web_event', ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'], rows);
  }
  for (let from = 0; from < customers * 3; from += 50_000) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(customers * 3, from + 50_000); i++)
      rows.push([i + 1, 1 + Math.floor(next() * customers), iso(now - 3 * DAY - Math.floor(next() * 360 * DAY)), (5 + next() * 200).toFixed(2), 'paid']);
    await admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state'], rows);
  }
  // The indexes an operator would have: keys, the links, the per-customer reads and the event time (what any follower needs).
  await admin.exec(
    [
      'CREATE INDEX crm_consent_contact ON crm_consent (contact_id)',
      'CREATE INDEX crm_contact_email ON crm_contact (LOWER(TRIM(email)))',
      'CREATE INDEX shop_customer_email ON shop_customer (LOWER(TRIM(email)))',
      ...MAILBOX_INDEXES.map(({ ddl }) => ddl),
      'CREATE INDEX shop_order_customer ON shop_order (customer_id, placed_at)',
      'CREATE INDEX web_event_customer ON web_event (customer_id, occurred_at)',
      'CREATE INDEX web_event_time ON web_event (occurred_at, id)',
      'CREATE TABLE c360_bench_marker (version INT, customers INT)',
      `INSERT INTO c360_bench_marker VALUES (${VERSION}, ${customers})`,
      'ANALYZE',
    ].join(';'),
  );
}

interface Receiver {
  readonly url: string;
  /** customer key (as the floor or c360 names it) -> received at, ms since epoch. */
  readonly arrivals: Array<{ readonly body: Record<string, unknown>; readonly at: number }>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const arrivals: Receiver['arrivals'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, at: Date.now() });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Writer {
  /** event id -> commit time (ms since epoch, after the INSERT returned). */
  readonly committed: Map<string, number>;
  /** Customers given a cart or checkout. */
  readonly carted: Set<number>;
  stop(): Promise<number>;
}

/** `rate` events per second, in 10 inserts per second, for customers in [low, high). */
function startWriter(admin: SqlAdmin, rate: number, low: number, high: number, firstId: number, next: () => number): Writer {
  const committed = new Map<string, number>();
  const carted = new Set<number>();
  let id = firstId;
  let stopped = false;
  let written = 0;
  const perTick = Math.max(1, Math.round(rate / 10));
  const started = Date.now();
  const loop = (async () => {
    for (let tick = 0; !stopped; tick++) {
      const rows: Scalar[][] = [];
      for (let i = 0; i < perTick; i++) {
        const customer = low + Math.floor(next() * (high - low));
        const kind = next() < 0.7 ? 'view' : next() < 0.5 ? 'cart' : 'checkout';
        if (kind !== 'view') carted.add(customer);
        rows.push([id++, customer, kind, 1 + Math.floor(next() * 500)]);
      }
      const placeholders = rows.map((_, r) => `($${r * 4 + 1}, $${r * 4 + 2}, $${r * 4 + 3}, clock_timestamp(), $${r * 4 + 4})`).join(', ');
      await admin.query(`INSERT INTO web_event (id, customer_id, kind, occurred_at, product_id) VALUES ${placeholders}`, rows.flat());
      const at = Date.now();
      for (const row of rows) committed.set(String(row[0]), at);
      written += rows.length;
      const due = started + (tick + 1) * 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  })();
  return {
    committed,
    carted,
    async stop() {
      stopped = true;
      await loop;
      return written / ((Date.now() - started) / 1000);
    },
  };
}

interface OrderWriter {
  /** order id -> commit time (ms since epoch). */
  readonly committed: Map<string, number>;
  /** Customers given a live order. */
  readonly ordered: Set<number>;
  stop(): Promise<number>;
}

/** `rate` orders per second, in 10 inserts per second, each for the next customer of `customers` (one order each). */
function startOrderWriter(admin: SqlAdmin, rate: number, customers: ReadonlyArray<number>, firstId: number): OrderWriter {
  const committed = new Map<string, number>();
  const ordered = new Set<number>();
  let id = firstId;
  let taken = 0;
  let stopped = false;
  const started = Date.now();
  const perTick = rate / 10;
  const loop = (async () => {
    for (let tick = 0; !stopped && taken < customers.length; tick++) {
      const rows: Scalar[][] = [];
      // Fractional rates: the orders due by the end of this tick.
      while (taken < Math.min(customers.length, Math.round((tick + 1) * perTick))) {
        const customer = customers[taken++]!;
        ordered.add(customer);
        rows.push([id++, customer, '49.90']);
      }
      if (rows.length > 0) {
        const placeholders = rows.map((_, r) => `($${r * 3 + 1}, $${r * 3 + 2}, clock_timestamp(), $${r * 3 + 3}, 'paid')`).join(', ');
        await admin.query(`INSERT INTO shop_order (id, customer_id, placed_at, total, state) VALUES ${placeholders}`, rows.flat());
        const at = Date.now();
        for (const row of rows) committed.set(String(row[0]), at);
      }
      const due = started + (tick + 1) * 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  })();
  return {
    committed,
    ordered,
    async stop() {
      stopped = true;
      await loop;
      return ordered.size / ((Date.now() - started) / 1000);
    },
  };
}

/** The floor: one statement per poll, one POST per consented cart/checkout row. */
function startFloor(admin: SqlAdmin, pollMillis: number, url: string): { stop(): Promise<number> } {
  let stopped = false;
  let statements = 0;
  const loop = (async () => {
    // Times as text: a JavaScript Date would round PostgreSQL's microseconds to milliseconds.
    const [start] = await admin.query('SELECT occurred_at::text AS at, id FROM web_event ORDER BY occurred_at DESC, id DESC LIMIT 1');
    let mark: [unknown, unknown] = [start?.at ?? '1970-01-01Z', start?.id ?? 0];
    while (!stopped) {
      const began = Date.now();
      const rows = await admin.query(
        `SELECT e.id, e.customer_id, e.kind, e.occurred_at::text AS at FROM web_event e
          WHERE (e.occurred_at, e.id) > ($1::timestamptz, $2::bigint) ORDER BY e.occurred_at, e.id LIMIT 500`,
        [mark[0] as Scalar, mark[1] as Scalar],
      );
      statements++;
      if (rows.length > 0) {
        const last = rows.at(-1)!;
        mark = [last.at, last.id];
        const carts = rows.filter((row) => row.kind !== 'view');
        if (carts.length > 0) {
          const consented = await admin.query(
            `SELECT DISTINCT ON (contact_id) contact_id, status FROM crm_consent WHERE purpose = 'profiling' AND contact_id = ANY($1::int[]) ORDER BY contact_id, recorded_at DESC, id DESC`,
            [`{${carts.map((row) => row.customer_id).join(',')}}`],
          );
          statements++;
          const granted = new Set(consented.filter((row) => row.status === 'GRANTED').map((row) => Number(row.contact_id)));
          await Promise.all(
            carts
              .filter((row) => granted.has(Number(row.customer_id)))
              .map((row) =>
                fetch(url, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ customer: Number(row.customer_id), event: String(row.id) }),
                }),
              ),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, pollMillis - (Date.now() - began))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return statements;
    },
  };
}

function latencies(arrivals: Receiver['arrivals'], committed: ReadonlyMap<string, number>, eventIdsOf: (body: Record<string, unknown>) => string[]): number[] {
  const out: number[] = [];
  for (const arrival of arrivals) {
    const commits = eventIdsOf(arrival.body)
      .map((id) => committed.get(id))
      .filter((at): at is number => at !== undefined);
    if (commits.length > 0) out.push(arrival.at - Math.max(...commits));
  }
  return out.sort((a, b) => a - b);
}

async function granted(admin: SqlAdmin, customers: Iterable<number>): Promise<Set<number>> {
  const list = [...customers];
  if (list.length === 0) return new Set();
  const rows = await admin.query(
    `SELECT DISTINCT ON (contact_id) contact_id, status FROM crm_consent WHERE purpose = 'profiling' AND contact_id = ANY($1::int[]) ORDER BY contact_id, recorded_at DESC, id DESC`,
    [`{${list.join(',')}}`],
  );
  return new Set(rows.filter((row) => row.status === 'GRANTED').map((row) => Number(row.contact_id)));
}

const sameSet = (a: ReadonlySet<unknown>, b: ReadonlySet<unknown>) => a.size === b.size && [...a].every((value) => b.has(value));

async function main(): Promise<void> {
  const customers = positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '100000'), true);
  const rate = positive('rate', option('rate', 'C360_BENCH_RATE', '100'), true);
  const seconds = positive('seconds', option('seconds', 'C360_BENCH_SECONDS', '60'), true);
  const pollMillis = positive('poll', option('poll', 'C360_BENCH_POLL', '1000'), true);
  const orderRate = positive('order-rate', option('order-rate', 'C360_BENCH_ORDER_RATE', '10'), true);
  const root = await openSqlAdmin('postgres', SERVER);
  const exists = await root.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (process.argv.includes('--reseed') && exists.length > 0) await root.exec(`DROP DATABASE ${quoteIdentifier('postgres', DATABASE)}`);
  if (exists.length === 0 || process.argv.includes('--reseed')) await root.exec(`CREATE DATABASE ${quoteIdentifier('postgres', DATABASE)}`);
  await root.close();
  const url = withDatabase(SERVER, DATABASE);
  const admin = await openSqlAdmin('postgres', url);
  if (!(await seeded(admin, customers))) await seed(admin, customers);
  else log(`reusing ${DATABASE} (${customers} customers, marker version ${VERSION})`);
  await ensureMailboxIndexes(admin);
  await admin.exec(
    `DELETE FROM web_event WHERE id >= ${LIVE_FROM_ID}; DELETE FROM shop_order WHERE id >= ${LIVE_FROM_ID}; DROP TABLE IF EXISTS c360_bench_trigger_state, c360_bench_trigger_watermark, c360_bench_trigger_dead_letter, c360_bench_trigger_seg_state, c360_bench_trigger_seg_watermark, c360_bench_trigger_seg_dead_letter`,
  );
  const writerAdmin = await openSqlAdmin('postgres', url);
  const next = seededRandom(7);
  const half = Math.floor(customers / 2);

  // Phase 1: the floor, on the first half of the customers.
  const floorReceiver = await startReceiver();
  const floor = startFloor(admin, pollMillis, floorReceiver.url);
  await new Promise((resolve) => setTimeout(resolve, 500));
  log(`floor: ${rate} events/s for ${Math.round(seconds / 2)} s`);
  const floorWriter = startWriter(writerAdmin, rate, 1, half + 1, LIVE_FROM_ID, next);
  await new Promise((resolve) => setTimeout(resolve, (seconds / 2) * 1000));
  const floorRate = await floorWriter.stop();
  await new Promise((resolve) => setTimeout(resolve, pollMillis * 3));
  const floorStatements = await floor.stop();
  await floorReceiver.close();
  const floorExpected = await granted(admin, floorWriter.carted);
  const floorGot = new Set(floorReceiver.arrivals.map((arrival) => Number(arrival.body.customer)));
  const floorLatency = latencies(floorReceiver.arrivals, floorWriter.committed, (body) => [String(body.event)]);

  // Phase 2: c360, on the other half.
  const entities = {
    contact: { source: 'crm', table: 'crm_contact', fields: { id: 'id', email: 'email' } },
    consent: {
      source: 'crm',
      table: 'crm_consent',
      fields: { id: 'id', contactId: 'contact_id', purpose: 'purpose', status: 'status', recordedAt: 'recorded_at' },
    },
    shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email' } },
    order: {
      source: 'shop',
      table: 'shop_order',
      fields: { id: 'id', customerId: 'customer_id', placedAt: 'placed_at', total: 'total', status: { column: 'state', values: { paid: 'PAID' } } },
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
  };
  const aboutToBuy = { about_to_buy: { when: { aboutToBuy: {} }, consent: 'profiling', destinations: ['desk'] } };

  /** One c360 run: the gateway with `rules`, `rate` events/s on the second half, and what `extra` writes beside them. */
  const runC360 = async (rules: Record<string, unknown>, table: string, eventFirstId: number, extra?: () => { stop(): Promise<number> }) => {
    const receiver = await startReceiver();
    const config = parseConfig({
      sources: { crm: { kind: 'postgres', url }, shop: { kind: 'postgres', url } },
      entities,
      triggers: {
        pollMillis,
        state: { store: 'postgres', url, table },
        destinations: { desk: { kind: 'webhook', url: receiver.url, secret: SECRET, role: 'agent' } },
        rules,
      },
    });
    const runtime = createRuntime(config, createLogger({ level: 'warn' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    const metricsUrl = gateway.url.replace('/graphql', '/metrics');
    const statementsNow = async () => Number(/c360_trigger_source_statements_total (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
    await new Promise((resolve) => setTimeout(resolve, pollMillis * 2)); // first poll: start after the rows already there
    // A running gateway has the base's RFM boundaries cached (a statistic, refreshed ahead of expiry): compute them
    // before timing, as one customer's segments, and report what that cold computation took.
    const warmStarted = Date.now();
    const warm = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ customer(id: ${JSON.stringify(encodeCustomerId({ entity: 'shopCustomer', key: '1' }))}) { segments { id } } }` }),
    });
    const warmMillis = Date.now() - warmStarted;
    if (!warm.ok) throw new Error(`warm-up query answered HTTP ${warm.status}`);
    const before = await statementsNow();
    const startedAt = Date.now();
    const writer = startWriter(writerAdmin, rate, half + 1, customers + 1, eventFirstId, next);
    const other = extra?.();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const eventRate = await writer.stop();
    const otherRate = (await other?.stop()) ?? 0;
    const writingSeconds = (Date.now() - startedAt) / 1000;
    const during = (await statementsNow()) - before;
    // Caught up: two polls after the writers stopped, the last of which found nothing new (lag 0 for every source).
    const caughtUp = Date.now() + 180_000;
    const pollsNow = async () => Number(/c360_trigger_polls_total\{outcome="ok"\} (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
    const pollsAtStop = await pollsNow();
    for (;;) {
      const text = await (await fetch(metricsUrl)).text();
      const lags = [...text.matchAll(/^c360_trigger_lag_seconds\{[^}]*\} (\S+)$/gm)].map((match) => Number(match[1]));
      if ((await pollsNow()) >= pollsAtStop + 2 && lags.every((lag) => lag === 0)) break;
      if (Date.now() > caughtUp) throw new Error('the poller did not catch up within 180 s of the writers stopping');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, pollMillis));
    const metrics = await (await fetch(metricsUrl)).text();
    await gateway.stop();
    await runtime.close();
    await receiver.close();
    await admin.exec(`DROP TABLE IF EXISTS ${table}_state, ${table}_watermark, ${table}_dead_letter`);
    return { receiver, writer, eventRate, otherRate, writingSeconds, during, metrics, warmMillis };
  };

  log(`c360: ${rate} events/s for ${seconds} s`);
  const intent = await runC360(aboutToBuy, 'c360_bench_trigger', LIVE_FROM_ID + 10_000_000);
  const { receiver, writer, metrics } = intent;
  const expected = await granted(admin, writer.carted);
  const aboutToBuyArrivals = receiver.arrivals.filter((arrival) => arrival.body.trigger === 'about_to_buy');
  const byCustomer = new Map(aboutToBuyArrivals.map((arrival) => [String(arrival.body.customerId), arrival]));
  // c360 names customers by their c360 id, whose anchor is the CRM contact (same key as the shop account here).
  const keyOf = (id: unknown) => Number(decodeCustomerId(String(id))?.key);
  const got = new Set([...byCustomer.keys()].map(keyOf));
  const eventIds = (body: Record<string, unknown>) =>
    ((body.evidence as { events?: Array<{ source: string; id: string }> }).events ?? []).filter((event) => event.source === 'event').map((event) => event.id);
  const latency = latencies(aboutToBuyArrivals, writer.committed, eventIds);

  // Phase 3: the same intent rule plus segment rules, with live orders for customers who had none or one.
  // The live events so far are deleted (a cart of phase 2 would make its customer about to buy again);
  // the orders go to the first half, so that no customer has both a live cart and a live order.
  await admin.exec(`DELETE FROM web_event WHERE id >= ${LIVE_FROM_ID}`);
  const window = await admin.query(
    `SELECT c.id, COUNT(o.id)::int AS orders FROM shop_customer c LEFT JOIN shop_order o ON o.customer_id = c.id AND o.placed_at > now() - interval '365 days' AND o.id < ${LIVE_FROM_ID}
      WHERE c.id <= ${half} GROUP BY c.id HAVING COUNT(o.id) <= 1`,
  );
  const priorOrders = new Map(window.map((row) => [Number(row.id), Number(row.orders)]));
  const candidates = [...priorOrders.keys()];
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const segmentRules = {
    ...aboutToBuy,
    welcome: { when: { segment: { id: 'first_time_buyers', on: 'enter' } }, consent: 'profiling', destinations: ['desk'] },
    graduated: { when: { segment: { id: 'first_time_buyers', on: 'leave' } }, consent: 'profiling', destinations: ['desk'] },
  };
  log(`c360 with segment rules: ${rate} events/s and ${orderRate} orders/s for ${seconds} s`);
  let orders: OrderWriter | undefined;
  const segment = await runC360(
    segmentRules,
    'c360_bench_trigger_seg',
    LIVE_FROM_ID + 20_000_000,
    () => (orders = startOrderWriter(writerAdmin, orderRate, candidates, LIVE_FROM_ID)),
  );
  const ordered = [...orders!.ordered];
  const consented = await granted(admin, ordered);
  const expectedEnter = new Set(ordered.filter((id) => consented.has(id) && priorOrders.get(id) === 0));
  const expectedLeave = new Set(ordered.filter((id) => consented.has(id) && priorOrders.get(id) === 1));
  const arrivalsOf = (trigger: string) => segment.receiver.arrivals.filter((arrival) => arrival.body.trigger === trigger);
  const gotEnter = new Set(arrivalsOf('welcome').map((arrival) => keyOf(arrival.body.customerId)));
  const gotLeave = new Set(arrivalsOf('graduated').map((arrival) => keyOf(arrival.body.customerId)));
  const orderIds = (body: Record<string, unknown>) =>
    ((body.evidence as { events?: Array<{ source: string; id: string }> }).events ?? []).filter((event) => event.source === 'order').map((event) => event.id);
  const enterLatency = latencies(arrivalsOf('welcome'), orders!.committed, orderIds);
  const leaveLatency = latencies(arrivalsOf('graduated'), orders!.committed, orderIds);
  const segmentLatency = [...enterLatency, ...leaveLatency].sort((a, b) => a - b);
  const segmentIntent = arrivalsOf('about_to_buy');
  const segmentIntentGot = new Set(segmentIntent.map((arrival) => keyOf(arrival.body.customerId)));
  const segmentIntentExpected = await granted(admin, segment.writer.carted);
  const segmentIntentLatency = latencies(segmentIntent, segment.writer.committed, eventIds);

  await admin.exec(`DELETE FROM web_event WHERE id >= ${LIVE_FROM_ID}; DELETE FROM shop_order WHERE id >= ${LIVE_FROM_ID}`);
  await admin.close();
  await writerAdmin.close();

  const report = (name: string, values: number[]) =>
    `${name}: n=${values.length} p50 ${ms(percentile(values, 0.5))} ms, p95 ${ms(percentile(values, 0.95))} ms, max ${ms(values.at(-1) ?? Number.NaN)} ms`;
  const perSecond = (run: { during: number; writingSeconds: number }) => run.during / run.writingSeconds;
  console.log('');
  console.log(
    `customers ${customers}, events/s asked ${rate} (written: floor ${floorRate.toFixed(1)}, c360 ${intent.eventRate.toFixed(1)}, c360 with segments ${segment.eventRate.toFixed(1)} + ${segment.otherRate.toFixed(1)} orders/s), poll ${pollMillis} ms`,
  );
  console.log(
    `answers: floor signalled ${floorGot.size}/${floorExpected.size} expected customers, equal: ${sameSet(floorGot, floorExpected)}; c360 signalled ${got.size}/${expected.size}, equal: ${sameSet(got, expected)}; c360 duplicates: ${aboutToBuyArrivals.length - byCustomer.size}`,
  );
  console.log(
    `answers with segment rules: entered ${gotEnter.size}/${expectedEnter.size}, equal: ${sameSet(gotEnter, expectedEnter)}; left ${gotLeave.size}/${expectedLeave.size}, equal: ${sameSet(gotLeave, expectedLeave)}; about to buy ${segmentIntentGot.size}/${segmentIntentExpected.size}, equal: ${sameSet(segmentIntentGot, segmentIntentExpected)}`,
  );
  console.log(report('time-to-insight floor', floorLatency));
  console.log(report('time-to-insight c360 ', latency));
  console.log(`p95 ratio c360/floor: ${(percentile(latency, 0.95) / percentile(floorLatency, 0.95)).toFixed(2)}`);
  console.log(report('time-to-insight segment entered', enterLatency));
  console.log(report('time-to-insight segment left   ', leaveLatency));
  console.log(report('time-to-insight segment (both) ', segmentLatency));
  console.log(report('time-to-insight about to buy, beside the segment rules', segmentIntentLatency));
  console.log(
    `source statements/s: c360 ${perSecond(intent).toFixed(1)} (${intent.during} in ${intent.writingSeconds.toFixed(0)} s), floor ${(floorStatements / (seconds / 2)).toFixed(1)}`,
  );
  console.log(`RFM boundaries computed before timing (cold, one customer's segments): ${intent.warmMillis} ms, ${segment.warmMillis} ms`);
  console.log(
    `source statements/s with segment rules: ${perSecond(segment).toFixed(1)} (${segment.during} in ${segment.writingSeconds.toFixed(0)} s): +${(perSecond(segment) - perSecond(intent)).toFixed(1)} over the intent rule alone`,
  );
  for (const line of metrics.split('\n').filter((l) => /^c360_trigger_(fired|evaluated|delivered|dead_lettered|polls)_total/.test(l))) console.log(`  ${line}`);
  for (const line of segment.metrics.split('\n').filter((l) => /^c360_trigger_(fired|evaluated|delivered|dead_lettered|polls)_total/.test(l)))
    console.log(`  segments run: ${line}`);
  const extra = [...got].filter((id) => !expected.has(id));
  const missing = [...expected].filter((id) => !got.has(id));
  if (extra.length + missing.length > 0) console.log(`c360 differs: extra ${extra.slice(0, 10).join(', ')}; missing ${missing.slice(0, 10).join(', ')}`);
  for (const id of extra.slice(0, 3))
    console.log(`  extra ${id}: ${JSON.stringify([...byCustomer.values()].find((arrival) => keyOf(arrival.body.customerId) === id)?.body)}`);
  const differs = (name: string, a: ReadonlySet<number>, b: ReadonlySet<number>) => {
    const more = [...a].filter((id) => !b.has(id));
    const less = [...b].filter((id) => !a.has(id));
    if (more.length + less.length > 0) console.log(`${name} differs: extra ${more.slice(0, 10).join(', ')}; missing ${less.slice(0, 10).join(', ')}`);
  };
  differs('entered', gotEnter, expectedEnter);
  differs('left', gotLeave, expectedLeave);
  differs('about to buy beside segments', segmentIntentGot, segmentIntentExpected);
  const allEqual = [
    sameSet(got, expected),
    sameSet(floorGot, floorExpected),
    sameSet(gotEnter, expectedEnter),
    sameSet(gotLeave, expectedLeave),
    sameSet(segmentIntentGot, segmentIntentExpected),
  ];
  if (allEqual.includes(false)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
