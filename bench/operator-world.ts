/**
 * The retailer of bench/load.ts, seeded once and reused: fixed database names
 * (c360_bench_op_crm on PostgreSQL, c360_bench_op_shop on MariaDB) and a marker table
 * `c360_bench_marker` holding the seed version and sizes. A run whose marker matches reuses
 * the databases as they are; otherwise both are dropped, seeded again, and marked last (so an
 * interrupted seed is never reused). `--reseed` forces it.
 *
 * Only the indexes an operator would have (src/demo/operator-indexes.ts): primary keys, one
 * per foreign key, the e-mail and `lower(email)` on PostgreSQL. The demo's own secondary
 * indexes (phones, names, its expression indexes) are dropped after the seed.
 */
import { createDatabase, dropDatabase, openSqlAdmin, withDatabase, type SqlAdmin } from '../connectors/admin.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import { useOperatorIndexes } from '../src/demo/operator-indexes.js';
import { log } from './harness.js';

/** Bump when the seed or the index set changes: the next run reseeds. */
const SEED_VERSION = 'operator-indexes-v1';
export const CRM_DATABASE = 'c360_bench_op_crm';
export const SHOP_DATABASE = 'c360_bench_op_shop';

export interface OperatorWorldOptions {
  readonly customers: number;
  readonly totalOrders: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  readonly reseed: boolean;
}

export interface OperatorWorld {
  readonly crmUrl: string;
  readonly shopUrl: string;
  readonly crmName: string;
  /** Sizes as seeded, for the report. */
  readonly counts: Readonly<Record<string, number>>;
  /** What the operator-like index set is, as created (one line per index). */
  readonly indexes: ReadonlyArray<string>;
}

async function marker(admin: SqlAdmin): Promise<string | null> {
  try {
    const rows = await admin.query('SELECT version FROM c360_bench_marker');
    return rows[0] === undefined ? null : String(rows[0].version);
  } catch {
    return null;
  }
}

async function countRows(crm: SqlAdmin, shop: SqlAdmin): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['contacts', 'interactions', 'consents']) counts[`crm.${table}`] = Number((await crm.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  for (const table of ['customers', 'orders', 'order_lines', 'products'])
    counts[`shop.${table}`] = Number((await shop.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return counts;
}

async function indexList(crm: SqlAdmin, shop: SqlAdmin): Promise<string[]> {
  const pg = await crm.query("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
  const my = await shop.query(
    'SELECT table_name AS t, index_name AS i, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS c, MIN(non_unique) AS nu FROM information_schema.statistics WHERE table_schema = DATABASE() GROUP BY table_name, index_name ORDER BY table_name, index_name',
  );
  return [
    ...pg.map((row) => `crm: ${String(row.indexdef)}`),
    ...my.map((row) => `shop: ${String(row.t)}.${String(row.i)} (${String(row.c)})${Number(row.nu) === 0 ? ' unique' : ''}`),
  ];
}

export async function operatorWorld(options: OperatorWorldOptions): Promise<OperatorWorld> {
  const version = `${SEED_VERSION}:${options.customers}:${options.totalOrders}`;
  const crmUrl = withDatabase(options.postgresUrl, CRM_DATABASE);
  const shopUrl = withDatabase(options.mysqlUrl, SHOP_DATABASE);
  let crm: SqlAdmin | undefined;
  let shop: SqlAdmin | undefined;
  try {
    crm = await openSqlAdmin('postgres', crmUrl).catch(() => undefined);
    shop = await openSqlAdmin('mysql', shopUrl).catch(() => undefined);
    const reusable = !options.reseed && crm !== undefined && shop !== undefined && (await marker(crm)) === version && (await marker(shop)) === version;
    if (!reusable) {
      await crm?.close();
      await shop?.close();
      crm = undefined;
      shop = undefined;
      log(`seeding ${CRM_DATABASE} / ${SHOP_DATABASE} (${version}); later runs reuse them`);
      await dropDatabase('postgres', options.postgresUrl, CRM_DATABASE).catch(() => undefined);
      await dropDatabase('mysql', options.mysqlUrl, SHOP_DATABASE).catch(() => undefined);
      await createDatabase('postgres', options.postgresUrl, CRM_DATABASE);
      await createDatabase('mysql', options.mysqlUrl, SHOP_DATABASE);
      crm = await openSqlAdmin('postgres', crmUrl);
      shop = await openSqlAdmin('mysql', shopUrl);
      const started = performance.now();
      const world = generateDemoWorld({
        includeLoyalty: false,
        seed: 2026,
        customers: options.customers,
        totalOrders: options.totalOrders,
        includeTickets: false,
      });
      await Promise.all([seedCrm(crm, world), seedShop(shop, world)]);
      for (const line of await useOperatorIndexes(crm, shop)) log(line);
      await crm.exec('ANALYZE');
      await shop.exec('ANALYZE TABLE customers, products, orders, order_lines, web_events');
      for (const admin of [crm, shop]) {
        await admin.exec('CREATE TABLE c360_bench_marker (version VARCHAR(100) NOT NULL)');
        await admin.exec(`INSERT INTO c360_bench_marker (version) VALUES ('${version}')`);
      }
      log(`seeded in ${Math.round(performance.now() - started)} ms`);
    } else {
      log(`reusing ${CRM_DATABASE} / ${SHOP_DATABASE} (${version})`);
    }
    return { crmUrl, shopUrl, crmName: CRM_DATABASE, counts: await countRows(crm!, shop!), indexes: await indexList(crm!, shop!) };
  } finally {
    await crm?.close();
    await shop?.close();
  }
}
