/**
 * Analytics cube benchmark (Query.analytics, docs/analytics.md) at 100k customers and 1M
 * orders: the CRM on PostgreSQL, the shop on MariaDB. Each cube query is timed beside a
 * floor for the same answer in the same run, after checking that both answers are equal:
 * - single-source queries: the hand-written SQL over the shop's own tables;
 * - cross-silo queries (a shop measure by a CRM dimension): a hand-written SQL over a
 *   pre-joined copy of the orders with the CRM's city and kind (shop_order_joined, made
 *   here only for the floor: c360 itself never copies data).
 *
 * Seeding 1M orders is expensive on a shared machine, so the databases have fixed names
 * (c360_bench_cube_crm, c360_bench_cube_shop) and a marker table (c360_bench_marker with
 * the data version); a run reuses them when the marker says the same version and size,
 * and reseeds otherwise. `--reseed` forces it, `--drop` drops them at the end.
 *
 *   npm run bench:cube -- [--customers 100000] [--orders 1000000] [--runs 5] [--only single-source|cross-silo] [--reseed] [--drop]
 *
 * Servers: C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
 * C360_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql). Only the indexes an
 * operator would have: primary keys, shop_order(customer_id), order_line(order_id).
 */
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../connectors/admin.js';
import type { Scalar } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { seededRandom } from './harness.js';

const DATA_VERSION = 1;
const POSTGRES = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
const CRM_DB = 'c360_bench_cube_crm';
const SHOP_DB = 'c360_bench_cube_shop';
const CITIES = ['Paris', 'Lyon', 'Marseille', 'Lille', 'Toulouse', 'Nantes', 'Bordeaux', 'Rennes', 'Nice', 'Strasbourg', 'Grenoble', 'Dijon'];
const POSTCODES = ['75011', '69003', '13001', '59000', '31000', '44000', '33000', '35000', '06000', '67000', '38000', '21000', '20090', '97110'];
const DAY = 86_400_000;
const START = Date.parse('2023-01-01T00:00:00Z');

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}

function urlOf(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function databaseExists(kind: 'postgres' | 'mysql', server: string, name: string): Promise<boolean> {
  const admin = await openSqlAdmin(kind, server);
  try {
    const rows =
      kind === 'postgres'
        ? await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        : await admin.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [name]);
    return rows.length > 0;
  } finally {
    await admin.close();
  }
}

/** The marker's version and sizes, or null when the database is missing or half-seeded. */
async function marker(kind: 'postgres' | 'mysql', server: string, name: string): Promise<string | null> {
  if (!(await databaseExists(kind, server, name))) return null;
  const admin = await openSqlAdmin(kind, urlOf(server, name));
  try {
    const rows = await admin.query('SELECT description FROM c360_bench_marker');
    return rows.length === 1 ? String(rows[0]!.description) : null;
  } catch {
    return null;
  } finally {
    await admin.close();
  }
}

async function fresh(kind: 'postgres' | 'mysql', server: string, name: string): Promise<SqlAdmin> {
  if (await databaseExists(kind, server, name)) await dropDatabase(kind, server, name);
  return openSqlAdmin(kind, await createDatabase(kind, server, name));
}

function phoneOf(i: number): string {
  return `06${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')}`;
}

async function seed(customers: number, orders: number, description: string): Promise<void> {
  const next = seededRandom(19);
  const crm = await fresh('postgres', POSTGRES, CRM_DB);
  const shop = await fresh('mysql', MYSQL, SHOP_DB);
  try {
    await crm.exec(
      'CREATE TABLE contact (id INT PRIMARY KEY, email VARCHAR(200), phone VARCHAR(30), city VARCHAR(100), postcode VARCHAR(10), is_company BOOLEAN NOT NULL)',
    );
    await shop.exec(
      [
        'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200), phone VARCHAR(30))',
        'CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at DATETIME NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL, channel VARCHAR(10) NOT NULL)',
        'CREATE INDEX shop_order_customer ON shop_order (customer_id)',
        'CREATE TABLE order_line (id INT PRIMARY KEY, order_id INT NOT NULL, product_id INT NOT NULL, qty INT NOT NULL, line_total DECIMAL(12,2) NOT NULL)',
        'CREATE INDEX order_line_order ON order_line (order_id)',
        'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(100), category VARCHAR(100))',
        // The floor's copy of the CRM dimensions by shop account; c360 never reads it.
        'CREATE TABLE crm_copy (shop_id INT PRIMARY KEY, city VARCHAR(100), kind VARCHAR(10))',
      ].join(';'),
    );
    const contacts: Scalar[][] = [];
    const accounts: Scalar[][] = [];
    const copy: Scalar[][] = [];
    for (let i = 1; i <= customers; i++) {
      const city = CITIES[Math.floor(next() * CITIES.length)]!;
      const company = next() < 0.1;
      contacts.push([i, `client${i}@courrier${i % 40}.fr`, next() < 0.5 ? phoneOf(i) : null, city, POSTCODES[Math.floor(next() * POSTCODES.length)]!, company]);
      // 80% of shop accounts share their contact's email; the others link nobody.
      const linked = i <= customers * 0.8;
      accounts.push([
        i,
        linked ? (i % 9 === 0 ? ` Client${i}@Courrier${i % 40}.fr` : `client${i}@courrier${i % 40}.fr`) : `acheteur${i}@boutique${i % 30}.fr`,
        null,
      ]);
      copy.push([i, linked ? city : null, linked ? (company ? 'COMPANY' : 'PERSON') : null]);
    }
    await crm.insert('contact', ['id', 'email', 'phone', 'city', 'postcode', 'is_company'], contacts);
    await shop.insert('shop_customer', ['id', 'email', 'phone'], accounts);
    await shop.insert('crm_copy', ['shop_id', 'city', 'kind'], copy);
    await shop.insert(
      'product',
      ['id', 'name', 'category'],
      Array.from({ length: 500 }, (_, i): Scalar[] => [i + 1, `Produit ${i + 1}`, `cat${i % 20}`]),
    );
    const chunk = 50_000;
    for (let from = 0; from < orders; from += chunk) {
      const orderRows: Scalar[][] = [];
      const lineRows: Scalar[][] = [];
      for (let i = from; i < Math.min(orders, from + chunk); i++) {
        const customer = 1 + Math.floor(customers * next() ** 2);
        const qty = 1 + Math.floor(next() * 3);
        const total = (qty * (5 + next() * 60)).toFixed(2);
        orderRows.push([
          i + 1,
          customer,
          new Date(START + Math.floor(next() * 2 * 365 * DAY)).toISOString().replace('T', ' ').slice(0, 19),
          total,
          next() < 0.05 ? 'cancelled' : 'paid',
          next() < 0.6 ? 'web' : 'store',
        ]);
        lineRows.push([i + 1, i + 1, 1 + Math.floor(next() * 500), qty, total]);
      }
      await shop.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state', 'channel'], orderRows);
      await shop.insert('order_line', ['id', 'order_id', 'product_id', 'qty', 'line_total'], lineRows);
    }
    await shop.exec(
      'CREATE TABLE shop_order_joined AS SELECT o.id, o.customer_id, o.placed_at, o.total, o.state, o.channel, c.city, c.kind FROM shop_order o LEFT JOIN crm_copy c ON c.shop_id = o.customer_id',
    );
    await crm.exec('ANALYZE');
    await shop.exec('ANALYZE TABLE shop_customer, shop_order, order_line, product, shop_order_joined');
    // Written last: a run killed while seeding leaves no marker, so the next one reseeds.
    for (const admin of [crm, shop]) {
      await admin.exec('CREATE TABLE c360_bench_marker (description VARCHAR(200))');
      await admin.insert('c360_bench_marker', ['description'], [[description]]);
    }
  } finally {
    await crm.close();
    await shop.close();
  }
}

interface Case {
  readonly label: string;
  readonly kind: 'single-source' | 'cross-silo';
  readonly bar: number;
  readonly variables: Record<string, unknown>;
  readonly floor: string;
  /** The floor's rows as the cube's: key -> measures. */
  readonly floorKey: (row: Record<string, unknown>) => string;
  readonly measures: ReadonlyArray<string>;
}

const COUNTED = "state NOT IN ('cancelled', 'returned')";
const CANON_CHANNEL = (value: unknown): string => String(value).toUpperCase();

const CASES: ReadonlyArray<Case> = [
  {
    label: 'revenue, orders by month x channel',
    kind: 'single-source',
    bar: 1.3,
    variables: { measures: ['REVENUE', 'ORDERS'], dimensions: ['CHANNEL'], time: { granularity: 'MONTH' } },
    floor: `SELECT DATE_FORMAT(placed_at, '%Y-%m-01') AS period, channel, SUM(total) AS revenue, COUNT(*) AS orders FROM shop_order WHERE ${COUNTED} GROUP BY 1, 2`,
    floorKey: (row) => JSON.stringify([row.period, CANON_CHANNEL(row.channel)]),
    measures: ['revenue', 'orders'],
  },
  {
    label: 'customers, repeat rate by acquisition month',
    kind: 'single-source',
    bar: 1.3,
    variables: { measures: ['CUSTOMERS', 'REPEAT_RATE'], dimensions: ['ACQUISITION_MONTH'] },
    floor: `SELECT cohort, COUNT(*) AS customers, SUM(n >= 2) / COUNT(*) AS repeatRate FROM (SELECT customer_id, COUNT(*) AS n, DATE_FORMAT(MIN(placed_at), '%Y-%m') AS cohort FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) g GROUP BY 1`,
    floorKey: (row) => JSON.stringify([null, row.cohort]),
    measures: ['customers', 'repeatRate'],
  },
  {
    label: 'units, revenue by product category',
    kind: 'single-source',
    bar: 1.3,
    variables: { measures: ['UNITS', 'REVENUE'], dimensions: ['PRODUCT_CATEGORY'] },
    floor: `SELECT p.category, SUM(l.qty) AS units, SUM(l.line_total) AS revenue FROM shop_order o JOIN order_line l ON l.order_id = o.id LEFT JOIN product p ON p.id = l.product_id WHERE o.${COUNTED} GROUP BY 1`,
    floorKey: (row) => JSON.stringify([null, row.category]),
    measures: ['units', 'revenue'],
  },
  {
    label: 'revenue, orders by CRM city',
    kind: 'cross-silo',
    bar: 3,
    variables: { measures: ['REVENUE', 'ORDERS', 'CUSTOMERS'], dimensions: ['CITY'] },
    floor: `SELECT city, SUM(total) AS revenue, COUNT(*) AS orders, COUNT(DISTINCT customer_id) AS customers FROM shop_order_joined WHERE ${COUNTED} GROUP BY 1`,
    floorKey: (row) => JSON.stringify([null, row.city]),
    measures: ['revenue', 'orders', 'customers'],
  },
  {
    label: 'revenue by CRM customer kind x quarter',
    kind: 'cross-silo',
    bar: 3,
    variables: { measures: ['REVENUE'], dimensions: ['CUSTOMER_KIND'], time: { granularity: 'QUARTER' } },
    floor: `SELECT CONCAT(YEAR(placed_at), '-', LPAD((QUARTER(placed_at) - 1) * 3 + 1, 2, '0'), '-01') AS period, kind, SUM(total) AS revenue FROM shop_order_joined WHERE ${COUNTED} GROUP BY 1, 2`,
    floorKey: (row) => JSON.stringify([row.period, row.kind]),
    measures: ['revenue'],
  },
];

const CUBE = `query($measures: [AnalyticsMeasure!]!, $dimensions: [AnalyticsDimension!], $time: AnalyticsTimeDimension) {
  analytics(measures: $measures, dimensions: $dimensions, timeDimension: $time) { rows { period dimensions { value } customers orders revenue units repeatRate } plan }
}`;

function rounded(value: unknown): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value) * 10_000) / 10_000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const customers = flag('customers', 100_000);
  const orders = flag('orders', 1_000_000);
  const runs = flag('runs', 5);
  const description = `v${DATA_VERSION} customers=${customers} orders=${orders}`;
  const reuse =
    !process.argv.includes('--reseed') &&
    (await marker('postgres', POSTGRES, CRM_DB)) === description &&
    (await marker('mysql', MYSQL, SHOP_DB)) === description;
  const seedStarted = performance.now();
  if (!reuse) await seed(customers, orders, description);
  const seedMillis = Math.round(performance.now() - seedStarted);
  const shopUrl = urlOf(MYSQL, SHOP_DB);
  const config = parseConfig({
    sources: { crm: { kind: 'postgres', url: urlOf(POSTGRES, CRM_DB), timeoutMillis: 120_000 }, shop: { kind: 'mysql', url: shopUrl, timeoutMillis: 120_000 } },
    entities: {
      contact: {
        source: 'crm',
        table: 'contact',
        fields: {
          id: 'id',
          email: 'email',
          phone: 'phone',
          city: 'city',
          postcode: 'postcode',
          kind: { column: 'is_company', values: { true: 'COMPANY', false: 'PERSON' } },
        },
      },
      shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email', phone: 'phone' } },
      order: {
        source: 'shop',
        table: 'shop_order',
        fields: {
          id: 'id',
          customerId: 'customer_id',
          placedAt: 'placed_at',
          total: 'total',
          channel: { column: 'channel', values: { web: 'WEB', store: 'STORE' } },
          status: { column: 'state', values: { paid: 'PAID', cancelled: 'CANCELLED' } },
        },
      },
      orderLine: {
        source: 'shop',
        table: 'order_line',
        fields: { id: 'id', orderId: 'order_id', productId: 'product_id', quantity: 'qty', lineTotal: 'line_total' },
      },
      product: { source: 'shop', table: 'product', fields: { id: 'id', name: 'name', category: 'category' } },
    },
    limits: { requestDeadlineMillis: 120_000, roles: { default: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } },
  });
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  const floorAdmin = await openSqlAdmin('mysql', shopUrl);
  const results = [];
  try {
    const onlyAt = process.argv.indexOf('--only');
    const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
    for (const testCase of CASES.filter((c) => only === undefined || c.kind === only)) {
      const ask = async () => {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
          body: JSON.stringify({ query: CUBE, variables: testCase.variables }),
        });
        const body = (await response.json()) as {
          data?: { analytics: { rows: Array<Record<string, unknown> & { period: string | null; dimensions: Array<{ value: string | null }> }>; plan: string } };
          errors?: unknown;
          extensions?: { trace?: Array<{ source: string; entity: string; millis: number; rows: number }> };
        };
        if (body.errors !== undefined) throw new Error(`${testCase.label}: ${JSON.stringify(body.errors)}`);
        return body;
      };
      // Equal answers first: the cube's groups and measures against the floor's.
      const first = await ask();
      const cubeAnswer = Object.fromEntries(
        first.data!.analytics.rows.map((row) => [
          JSON.stringify([row.period, ...row.dimensions.map((d) => d.value)]),
          testCase.measures.map((m) => rounded(row[m])),
        ]),
      );
      const floorRows = await floorAdmin.query(testCase.floor);
      const floorAnswer = Object.fromEntries(floorRows.map((row) => [testCase.floorKey(row), testCase.measures.map((m) => rounded(row[m]))]));
      if (JSON.stringify(Object.entries(cubeAnswer).sort()) !== JSON.stringify(Object.entries(floorAnswer).sort())) {
        throw new Error(
          `${testCase.label}: the cube and the floor disagree\ncube:  ${JSON.stringify(Object.entries(cubeAnswer).sort().slice(0, 5))}\nfloor: ${JSON.stringify(Object.entries(floorAnswer).sort().slice(0, 5))}`,
        );
      }
      const cubeTimes: number[] = [];
      const floorTimes: number[] = [];
      let trace: ReadonlyArray<{ source: string; entity: string; millis: number; rows: number }> = [];
      for (let run = 0; run < runs; run++) {
        // Alternated, so both see the same machine load.
        let started = performance.now();
        const body = await ask();
        cubeTimes.push(performance.now() - started);
        trace = body.extensions?.trace ?? [];
        started = performance.now();
        await floorAdmin.query(testCase.floor);
        floorTimes.push(performance.now() - started);
      }
      const cubeMillis = Math.round(median(cubeTimes));
      const floorMillis = Math.round(median(floorTimes));
      results.push({
        query: testCase.label,
        kind: testCase.kind,
        plan: first.data!.analytics.plan,
        groups: first.data!.analytics.rows.length,
        cubeMedianMillis: cubeMillis,
        floorMedianMillis: floorMillis,
        ratio: Math.round((cubeMillis / floorMillis) * 100) / 100,
        bar: testCase.bar,
        met: cubeMillis / floorMillis <= testCase.bar,
        statements: trace.map((call) => `${call.source}.${call.entity} ${call.rows} rows ${Math.round(call.millis)} ms`),
      });
      console.error(JSON.stringify(results[results.length - 1]));
    }
    console.log(JSON.stringify({ customers, orders, runs, reusedSeed: reuse, seedMillis, results }, null, 2));
  } finally {
    await floorAdmin.close();
    await gateway.stop();
    await runtime.close();
    if (process.argv.includes('--drop')) {
      await dropDatabase('postgres', POSTGRES, CRM_DB);
      await dropDatabase('mysql', MYSQL, SHOP_DB);
    }
  }
}

await main();
