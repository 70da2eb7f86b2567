/**
 * Trigger benchmark: time-to-insight (a web event row committed -> the signed webhook
 * received) at 100k customers with 100 events/s arriving, with the default polling
 * interval, and the statements per second the poller adds to the sources.
 *
 *   npm run bench:triggers -- [--customers 100000] [--rate 100] [--seconds 60] [--poll 1000]
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
 * Before timing is trusted, the customers each phase signalled are compared with the
 * customers that should have been (consented, with a live cart or checkout): they must be equal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSqlAdmin, quoteIdentifier, withDatabase, type SqlAdmin } from '../connectors/admin.js';
import type { Scalar } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { decodeCustomerId } from '../src/identity/customer-id.js';
import { log, ms, option, percentile, positive, seededRandom } from './harness.js';

const SERVER = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'c360_bench_triggers';
const VERSION = 1;
const DAY = 86_400_000;
const SECRET = 'bench-webhook-secret-0123456789abcdef';
const LIVE_FROM_ID = 1_000_000_000;

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
    await admin.insert('crm_contact', ['id', 'email'], ids.map((id): Scalar[] => [id, `client${id}@boutique-lyon.fr`]));
    await admin.insert('shop_customer', ['id', 'email'], ids.map((id): Scalar[] => [id, `Client${id}@boutique-lyon.fr`]));
    // 80% granted profiling; the rest denied.
    await admin.insert('crm_consent', ['id', 'contact_id', 'purpose', 'status', 'recorded_at'], ids.map((id): Scalar[] => [id, id, 'profiling', next() < 0.8 ? 'GRANTED' : 'DENIED', iso(now - 400 * DAY)]));
  }
  await admin.insert('product', ['id', 'name', 'category'], Array.from({ length: 500 }, (_, i): Scalar[] => [i + 1, `Product ${i + 1}`, `cat${i % 20}`]));
  for (let from = 0; from < customers * 5; from += 50_000) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(customers * 5, from + 50_000); i++) rows.push([i + 1, 1 + Math.floor(next() * customers), next() < 0.7 ? 'view' : 'cart', iso(now - 3 * DAY - Math.floor(next() * 27 * DAY)), 1 + Math.floor(next() * 500)]);
    await admin.insert('web_event', ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'], rows);
  }
  for (let from = 0; from < customers * 3; from += 50_000) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(customers * 3, from + 50_000); i++) rows.push([i + 1, 1 + Math.floor(next() * customers), iso(now - 3 * DAY - Math.floor(next() * 360 * DAY)), (5 + next() * 200).toFixed(2), 'paid']);
    await admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state'], rows);
  }
  // The indexes an operator would have: keys, the links, the per-customer reads and the event time (what any follower needs).
  await admin.exec(
    [
      'CREATE INDEX crm_consent_contact ON crm_consent (contact_id)',
      'CREATE INDEX crm_contact_email ON crm_contact (LOWER(TRIM(email)))',
      'CREATE INDEX shop_customer_email ON shop_customer (LOWER(TRIM(email)))',
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
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
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
          await Promise.all(carts.filter((row) => granted.has(Number(row.customer_id))).map((row) =>
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer: Number(row.customer_id), event: String(row.id) }) })));
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
    const commits = eventIdsOf(arrival.body).map((id) => committed.get(id)).filter((at): at is number => at !== undefined);
    if (commits.length > 0) out.push(arrival.at - Math.max(...commits));
  }
  return out.sort((a, b) => a - b);
}

async function granted(admin: SqlAdmin, customers: Iterable<number>): Promise<Set<number>> {
  const list = [...customers];
  if (list.length === 0) return new Set();
  const rows = await admin.query(`SELECT DISTINCT ON (contact_id) contact_id, status FROM crm_consent WHERE purpose = 'profiling' AND contact_id = ANY($1::int[]) ORDER BY contact_id, recorded_at DESC, id DESC`, [`{${list.join(',')}}`]);
  return new Set(rows.filter((row) => row.status === 'GRANTED').map((row) => Number(row.contact_id)));
}

const sameSet = (a: ReadonlySet<unknown>, b: ReadonlySet<unknown>) => a.size === b.size && [...a].every((value) => b.has(value));

async function main(): Promise<void> {
  const customers = positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '100000'), true);
  const rate = positive('rate', option('rate', 'C360_BENCH_RATE', '100'), true);
  const seconds = positive('seconds', option('seconds', 'C360_BENCH_SECONDS', '60'), true);
  const pollMillis = positive('poll', option('poll', 'C360_BENCH_POLL', '1000'), true);
  const root = await openSqlAdmin('postgres', SERVER);
  const exists = await root.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (process.argv.includes('--reseed') && exists.length > 0) await root.exec(`DROP DATABASE ${quoteIdentifier('postgres', DATABASE)}`);
  if (exists.length === 0 || process.argv.includes('--reseed')) await root.exec(`CREATE DATABASE ${quoteIdentifier('postgres', DATABASE)}`);
  await root.close();
  const url = withDatabase(SERVER, DATABASE);
  const admin = await openSqlAdmin('postgres', url);
  if (!(await seeded(admin, customers))) await seed(admin, customers);
  else log(`reusing ${DATABASE} (${customers} customers, marker version ${VERSION})`);
  await admin.exec(`DELETE FROM web_event WHERE id >= ${LIVE_FROM_ID}; DROP TABLE IF EXISTS c360_bench_trigger_state, c360_bench_trigger_watermark, c360_bench_trigger_dead_letter`);
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
  const receiver = await startReceiver();
  const config = parseConfig({
    sources: { crm: { kind: 'postgres', url }, shop: { kind: 'postgres', url } },
    entities: {
      contact: { source: 'crm', table: 'crm_contact', fields: { id: 'id', email: 'email' } },
      consent: { source: 'crm', table: 'crm_consent', fields: { id: 'id', contactId: 'contact_id', purpose: 'purpose', status: 'status', recordedAt: 'recorded_at' } },
      shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email' } },
      order: { source: 'shop', table: 'shop_order', fields: { id: 'id', customerId: 'customer_id', placedAt: 'placed_at', total: 'total', status: { column: 'state', values: { paid: 'PAID' } } } },
      product: { source: 'shop', table: 'product', fields: { id: 'id', name: 'name', category: 'category' } },
      event: { source: 'shop', table: 'web_event', fields: { id: 'id', customerId: 'customer_id', occurredAt: 'occurred_at', productId: 'product_id', type: { column: 'kind', values: { view: 'PRODUCT_VIEW', cart: 'ADD_TO_CART', checkout: 'CHECKOUT_STARTED' } } } },
    },
    triggers: {
      pollMillis,
      state: { store: 'postgres', url, table: 'c360_bench_trigger' },
      destinations: { desk: { kind: 'webhook', url: receiver.url, secret: SECRET, role: 'agent' } },
      rules: { about_to_buy: { when: { aboutToBuy: {} }, consent: 'profiling', destinations: ['desk'] } },
    },
  });
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  const metricsUrl = gateway.url.replace('/graphql', '/metrics');
  const statementsNow = async () => Number(/c360_trigger_source_statements_total (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
  await new Promise((resolve) => setTimeout(resolve, pollMillis * 2)); // first poll: start after the rows already there
  const before = await statementsNow();
  const startedAt = Date.now();
  log(`c360: ${rate} events/s for ${seconds} s`);
  const writer = startWriter(writerAdmin, rate, half + 1, customers + 1, LIVE_FROM_ID + 10_000_000, next);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const c360Rate = await writer.stop();
  const writingSeconds = (Date.now() - startedAt) / 1000;
  const during = (await statementsNow()) - before;
  await new Promise((resolve) => setTimeout(resolve, pollMillis * 5));
  const metrics = await (await fetch(metricsUrl)).text();
  await gateway.stop();
  await runtime.close();
  await receiver.close();
  const expected = await granted(admin, writer.carted);
  const byCustomer = new Map(receiver.arrivals.map((arrival) => [String(arrival.body.customerId), arrival]));
  // c360 names customers by their c360 id, whose anchor is the CRM contact (same key as the shop account here).
  const got = new Set([...byCustomer.keys()].map((id) => Number(decodeCustomerId(id)?.key)));
  const latency = latencies(receiver.arrivals, writer.committed, (body) => ((body.evidence as { events: Array<{ id: string }> }).events ?? []).map((event) => event.id));

  await admin.exec(`DELETE FROM web_event WHERE id >= ${LIVE_FROM_ID}; DROP TABLE IF EXISTS c360_bench_trigger_state, c360_bench_trigger_watermark, c360_bench_trigger_dead_letter`);
  await admin.close();
  await writerAdmin.close();

  const report = (name: string, values: number[]) => `${name}: n=${values.length} p50 ${ms(percentile(values, 0.5))} ms, p95 ${ms(percentile(values, 0.95))} ms, max ${ms(values.at(-1) ?? Number.NaN)} ms`;
  console.log('');
  console.log(`customers ${customers}, events/s asked ${rate} (written: floor ${floorRate.toFixed(1)}, c360 ${c360Rate.toFixed(1)}), poll ${pollMillis} ms`);
  console.log(`answers: floor signalled ${floorGot.size}/${floorExpected.size} expected customers, equal: ${sameSet(floorGot, floorExpected)}; c360 signalled ${got.size}/${expected.size}, equal: ${sameSet(got, expected)}; c360 duplicates: ${receiver.arrivals.length - byCustomer.size}`);
  console.log(report('time-to-insight floor', floorLatency));
  console.log(report('time-to-insight c360 ', latency));
  console.log(`p95 ratio c360/floor: ${(percentile(latency, 0.95) / percentile(floorLatency, 0.95)).toFixed(2)}`);
  console.log(`source statements/s: c360 ${(during / writingSeconds).toFixed(1)} (${during} in ${writingSeconds.toFixed(0)} s), floor ${(floorStatements / (seconds / 2)).toFixed(1)}`);
  for (const line of metrics.split('\n').filter((l) => /^c360_trigger_(fired|evaluated|delivered|dead_lettered|polls)_total/.test(l))) console.log(`  ${line}`);
  const extra = [...got].filter((id) => !expected.has(id));
  const missing = [...expected].filter((id) => !got.has(id));
  if (extra.length + missing.length > 0) console.log(`c360 differs: extra ${extra.slice(0, 10).join(', ')}; missing ${missing.slice(0, 10).join(', ')}`);
  for (const id of extra.slice(0, 3)) console.log(`  extra ${id}: ${JSON.stringify([...byCustomer.values()].find((arrival) => Number(decodeCustomerId(String(arrival.body.customerId))?.key) === id)?.body)}`);
  if (!sameSet(got, expected) || !sameSet(floorGot, floorExpected)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
