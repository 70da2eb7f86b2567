/**
 * The 100k-customer / 1M-order demo world for bench/insights-scale.ts, seeded once into
 * fixed-name databases (CRM on PostgreSQL, shop on MariaDB) and reused by every later run:
 * a marker table `c360_bench_marker` in each holds the world's version, seed and size, and a
 * database whose marker does not match is dropped and seeded again. Seeding takes minutes on
 * a shared 2-core machine; a reused world takes none.
 *
 * The shop gets the covering indexes docs/insights.md advises, as an operator would add them.
 */
import { createDatabase, dropDatabase, openSqlAdmin, withDatabase, type SqlAdmin, type SqlKind } from '../connectors/admin.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';

export const SCALE_WORLD_VERSION = 1;

export interface ScaleWorld {
  readonly crmUrl: string;
  readonly shopUrl: string;
  readonly asOf: string;
  readonly customers: number;
  /** True when this run seeded; false when it reused the marked databases. */
  readonly seeded: boolean;
  readonly seedMillis: number;
}

export interface ScaleWorldOptions {
  readonly customers: number;
  readonly orders: number;
  readonly seed: number;
  readonly postgresServerUrl: string;
  readonly mysqlServerUrl: string;
}

const CRM_DATABASE = 'c360_bench_scale_crm';
const SHOP_DATABASE = 'c360_bench_scale_shop';
const SHOP_INDEXES = [
  'CREATE INDEX orders_customer_cover ON orders (customer_id, placed_at, status, total)',
  'CREATE INDEX web_events_customer_cover ON web_events (customer_id, occurred_at, type, product_id)',
];

function markerOf(options: ScaleWorldOptions): string {
  return `v${SCALE_WORLD_VERSION}:seed${options.seed}:${options.customers}:${options.orders}`;
}

async function readMarker(kind: SqlKind, url: string): Promise<{ marker: string; asOf: string } | undefined> {
  let admin: SqlAdmin | undefined;
  try {
    admin = await openSqlAdmin(kind, url);
    const rows = await admin.query('SELECT marker, as_of FROM c360_bench_marker');
    const row = rows[0];
    return row === undefined ? undefined : { marker: String(row.marker), asOf: String(row.as_of) };
  } catch {
    return undefined;
  } finally {
    await admin?.close();
  }
}

export async function ensureScaleWorld(options: ScaleWorldOptions, say: (line: string) => void = () => undefined): Promise<ScaleWorld> {
  const crmUrl = withDatabase(options.postgresServerUrl, CRM_DATABASE);
  const shopUrl = withDatabase(options.mysqlServerUrl, SHOP_DATABASE);
  const wanted = markerOf(options);
  const [crm, shop] = await Promise.all([readMarker('postgres', crmUrl), readMarker('mysql', shopUrl)]);
  if (crm?.marker === wanted && shop?.marker === wanted && crm.asOf === shop.asOf) {
    say(`reusing the seeded world ${wanted} (${CRM_DATABASE}, ${SHOP_DATABASE})`);
    return { crmUrl, shopUrl, asOf: crm.asOf, customers: options.customers, seeded: false, seedMillis: 0 };
  }
  const started = performance.now();
  say(`seeding the world ${wanted}: generating`);
  const world = generateDemoWorld({ seed: options.seed, customers: options.customers, totalOrders: options.orders });
  for (const [kind, server, name, seed, extra] of [
    ['postgres', options.postgresServerUrl, CRM_DATABASE, seedCrm, [] as string[]],
    ['mysql', options.mysqlServerUrl, SHOP_DATABASE, seedShop, SHOP_INDEXES],
  ] as const) {
    await dropDatabase(kind, server, name).catch(() => undefined);
    const admin = await openSqlAdmin(kind, await createDatabase(kind, server, name));
    try {
      say(`seeding ${name}`);
      await seed(admin, world);
      for (const statement of extra) await admin.exec(statement);
      await admin.exec(kind === 'postgres' ? 'ANALYZE' : 'ANALYZE TABLE orders, web_events, customers');
      // Last, so an interrupted seed leaves no marker and is redone.
      await admin.exec('CREATE TABLE c360_bench_marker (marker VARCHAR(100) NOT NULL, as_of VARCHAR(40) NOT NULL)');
      await admin.insert('c360_bench_marker', ['marker', 'as_of'], [[wanted, world.asOf]]);
    } finally {
      await admin.close();
    }
  }
  return { crmUrl, shopUrl, asOf: world.asOf, customers: options.customers, seeded: true, seedMillis: Math.round(performance.now() - started) };
}
