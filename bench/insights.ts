/**
 * Insights benchmark: segment totals, customer pages filtered on a segment and on revenue
 * (semi-join), a page of customers with RFM, intent and segments,
 * and one customer's RFM and intent, over 100k shop customers, 1M orders and 500k web
 * events in a scratch database (dropped at the end). Reports, per query, the median and
 * p95 wall time over the runs and the statements c360 sent (from the x-c360-trace header).
 *
 *   npm run bench:insights -- [--customers 100000] [--orders 1000000] [--events 500000] [--runs 7] [--postgres]
 *
 * Servers: MariaDB at C360_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql), or
 * with --postgres PostgreSQL at C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin, type SqlKind } from '../connectors/admin.js';
import type { Scalar } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { seededRandom } from './harness.js';

const AS_OF = '2025-01-01T00:00:00.000Z';
const DAY = 86_400_000;
const EVENT_KINDS = ['view', 'view', 'view', 'search', 'cart', 'checkout'];

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}

function timeValue(kind: SqlKind, millis: number): string {
  const iso = new Date(millis).toISOString();
  return kind === 'postgres' ? iso : iso.replace('T', ' ').replace(/\.\d+Z$/, '');
}

async function load(admin: SqlAdmin, kind: SqlKind, customers: number, orders: number, events: number): Promise<void> {
  const time = kind === 'postgres' ? 'TIMESTAMPTZ' : 'DATETIME';
  await admin.exec(
    [
      'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200))',
      `CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at ${time} NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL)`,
      // Covering: the per-customer GROUP BY reads the index alone (bench/README-insights.md).
      'CREATE INDEX shop_order_customer ON shop_order (customer_id, placed_at, state, total)',
      'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(200), category VARCHAR(100))',
      `CREATE TABLE web_event (id INT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at ${time} NOT NULL, product_id INT)`,
      'CREATE INDEX web_event_customer ON web_event (customer_id, occurred_at, kind, product_id)',
    ].join(';'),
  );
  // Seeded, so every run loads the same rows.
  const next = seededRandom(2026);
  const start = Date.parse(AS_OF) - 2 * 365 * DAY;
  await admin.insert(
    'shop_customer',
    ['id', 'email'],
    Array.from({ length: customers }, (_, i): Scalar[] => [i + 1, `c${i + 1}@example.test`]),
  );
  await admin.insert(
    'product',
    ['id', 'name', 'category'],
    Array.from({ length: 500 }, (_, i): Scalar[] => [i + 1, `Product ${i + 1}`, `cat${i % 20}`]),
  );
  const chunk = 50_000;
  for (let from = 0; from < orders; from += chunk) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(orders, from + chunk); i++) {
      // A skewed customer pick, so frequencies spread as real ones do.
      const customer = 1 + Math.floor(customers * next() ** 2);
      rows.push([
        i + 1,
        customer,
        timeValue(kind, start + Math.floor(next() * 2 * 365 * DAY)),
        (5 + next() * 200).toFixed(2),
        next() < 0.05 ? 'cancelled' : 'paid',
      ]);
    }
    await admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state'], rows);
  }
  for (let from = 0; from < events; from += chunk) {
    const rows: Scalar[][] = [];
    for (let i = from; i < Math.min(events, from + chunk); i++) {
      const customer = 1 + Math.floor(customers * next());
      rows.push([
        i + 1,
        customer,
        EVENT_KINDS[Math.floor(next() * EVENT_KINDS.length)]!,
        timeValue(kind, Date.parse(AS_OF) - Math.floor(next() * 60 * DAY)),
        1 + Math.floor(next() * 500),
      ]);
    }
    await admin.insert('web_event', ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'], rows);
  }
  await admin.exec(kind === 'postgres' ? 'ANALYZE' : 'ANALYZE TABLE shop_order, web_event');
}

interface Measured {
  readonly query: string;
  readonly medianMillis: number;
  readonly p95Millis: number;
  readonly statements: number;
  readonly statementMillis: ReadonlyArray<number>;
}

async function main(): Promise<void> {
  const kind: SqlKind = process.argv.includes('--postgres') ? 'postgres' : 'mysql';
  const serverUrl =
    kind === 'postgres'
      ? (process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
      : (process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql');
  const customers = flag('customers', 100_000);
  const orders = flag('orders', 1_000_000);
  const events = flag('events', 500_000);
  const runs = flag('runs', 7);
  const name = `c360_bench_insights_${process.pid}`;
  const url = await createDatabase(kind, serverUrl, name);
  const admin = await openSqlAdmin(kind, url);
  try {
    const loadStarted = performance.now();
    await load(admin, kind, customers, orders, events);
    const loadMillis = Math.round(performance.now() - loadStarted);
    const config = parseConfig({
      sources: { shop: { kind, url, timeoutMillis: 120_000 } },
      entities: {
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
        product: { source: 'shop', table: 'product', fields: { id: 'id', name: 'name', category: 'category' } },
        event: {
          source: 'shop',
          table: 'web_event',
          fields: {
            id: 'id',
            customerId: 'customer_id',
            occurredAt: 'occurred_at',
            productId: 'product_id',
            type: { column: 'kind', values: { view: 'PRODUCT_VIEW', search: 'SEARCH', cart: 'ADD_TO_CART', checkout: 'CHECKOUT_STARTED' } },
          },
        },
      },
      insights: { rfm: { windowDays: 730 } },
      // Whole-base statements over 1M orders can outlast the default 15 s request deadline.
      limits: { requestDeadlineMillis: 120_000 },
    });
    const runtime = createRuntime(config, createLogger({ level: 'warn' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    const one = encodeCustomerId({ entity: 'shopCustomer', key: '42' });
    const queries: Record<string, { query: string; variables: Record<string, unknown> }> = {
      segments: {
        query: 'query($asOf: DateTime) { segments(asOf: $asOf) { segment { id } customers revenue averageBasket shareOfRevenue } }',
        variables: { asOf: AS_OF },
      },
      'customers page of 50 with rfm, intent, segments': {
        query:
          'query($asOf: DateTime) { customers(first: 50) { edges { node { id rfm(asOf: $asOf) { code } intent(asOf: $asOf) { level } segments(asOf: $asOf) { id } } } } }',
        variables: { asOf: AS_OF },
      },
      'customers page of 50 filtered on segment loyal': {
        query: 'query($filter: CustomerFilter) { customers(first: 50, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        variables: { filter: { segment: 'loyal', asOf: AS_OF } },
      },
      'customers page of 50 filtered on minRevenue 2000': {
        query: 'query($filter: CustomerFilter) { customers(first: 50, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        variables: { filter: { minRevenue: 2000, asOf: AS_OF } },
      },
      'one customer rfm': {
        query: 'query($id: ID!, $asOf: DateTime) { customer(id: $id) { rfm(asOf: $asOf) { code recencyDays frequency monetary } } }',
        variables: { id: one, asOf: AS_OF },
      },
      'one customer intent': {
        query: 'query($id: ID!, $asOf: DateTime) { customer(id: $id) { intent(asOf: $asOf) { score level aboutToBuy products { id } categories } } }',
        variables: { id: one, asOf: AS_OF },
      },
    };
    const results: Measured[] = [];
    for (const [label, { query, variables }] of Object.entries(queries)) {
      const times: number[] = [];
      let trace: ReadonlyArray<{ millis: number }> = [];
      for (let run = 0; run < runs + 1; run++) {
        const started = performance.now();
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { errors?: unknown; extensions?: { trace?: Array<{ millis: number }> } };
        if (body.errors !== undefined) throw new Error(`${label}: ${JSON.stringify(body.errors)}`);
        // The first run warms the pool and the server's caches; it is not counted.
        if (run > 0) times.push(performance.now() - started);
        trace = body.extensions?.trace ?? [];
      }
      times.sort((a, b) => a - b);
      results.push({
        query: label,
        medianMillis: Math.round(times[Math.floor(times.length / 2)]!),
        p95Millis: Math.round(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!),
        statements: trace.length,
        statementMillis: trace.map((call) => call.millis),
      });
    }
    console.log(JSON.stringify({ kind, customers, orders, events, runs, loadMillis, results }, null, 2));
    await gateway.stop();
    await runtime.close();
  } finally {
    await admin.close();
    await dropDatabase(kind, serverUrl, name);
  }
}

await main();
