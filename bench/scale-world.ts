/**
 * The 100k-customer / 1M-order demo world for bench/insights-scale.ts, seeded once into
 * fixed-name databases (CRM on PostgreSQL, shop on MariaDB) and reused by every later run:
 * a marker table `c360_bench_marker` in each holds the world's version, seed and size, and a
 * database whose marker does not match is dropped and seeded again. Seeding takes minutes on
 * a shared 2-core machine; a reused world takes none.
 *
 * The shop gets the covering indexes docs/insights.md advises, as an operator would add them,
 * and both databases the identity lookup indexes `c360 check` and docs/identity.md advise
 * (`ensureLookupIndexes`, added to a reused world too): without them each customer's e-mail
 * and phone lookups scan the 100k-row tables (0.2-0.4 s each on MariaDB).
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

/** The mailbox key column the shop mapping declares (`normalizedColumns: { email: { email: ... } }`). */
export const SHOP_MAILBOX_KEY_COLUMN = 'email_mailbox_key';
const mailboxKey = (email: string) =>
  `CONCAT(REPLACE(SUBSTRING_INDEX(SUBSTRING_INDEX(LOWER(TRIM(${email})), '@', 1), '+', 1), '.', ''), '@', SUBSTRING_INDEX(LOWER(TRIM(${email})), '@', -1))`;
/** Each: a probe (does it exist?) and the DDL an operator runs. */
const SHOP_LOOKUP_INDEXES: ReadonlyArray<{ column: string; ddl: string }> = [
  // The digits of the phone: what `c360 check` prints for the shop's phone lookups (found by the lookup plan, no mapping change).
  {
    column: 'phone_digits',
    ddl: "ALTER TABLE customers ADD COLUMN phone_digits VARCHAR(32) AS (REGEXP_REPLACE(phone, '[^0-9]', '')) PERSISTENT, ADD INDEX customers_phone_digits (phone_digits)",
  },
  // The mailbox key (connectors/sql/email-key.ts), declared in the mapping as a normalized column.
  {
    column: SHOP_MAILBOX_KEY_COLUMN,
    ddl: `ALTER TABLE customers ADD COLUMN ${SHOP_MAILBOX_KEY_COLUMN} VARCHAR(255) AS (${mailboxKey('email')}) PERSISTENT, ADD INDEX customers_email_mailbox_key (${SHOP_MAILBOX_KEY_COLUMN})`,
  },
];
const pgMailboxKey = (column: string) => {
  const email = `LOWER(TRIM(CAST("${column}" AS TEXT)))`;
  return `(REPLACE(SPLIT_PART(SPLIT_PART(${email}, '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(${email}, '@', 2))`;
};
/** PostgreSQL serves the mailbox key with an expression index on exactly the connector's expression. */
const CRM_LOOKUP_INDEXES: ReadonlyArray<{ index: string; ddl: string }> = [
  { index: 'contacts_email_mailbox_key_idx', ddl: `CREATE INDEX contacts_email_mailbox_key_idx ON contacts ((${pgMailboxKey('email')}))` },
];

/** Adds the identity lookup indexes a reused or new world lacks (idempotent; seconds). */
async function ensureLookupIndexes(crmUrl: string, shopUrl: string, say: (line: string) => void): Promise<void> {
  const shop = await openSqlAdmin('mysql', shopUrl);
  try {
    const present = new Set(
      (await shop.query("SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'customers'")).map((row) =>
        String(row.c),
      ),
    );
    for (const { column, ddl } of SHOP_LOOKUP_INDEXES) {
      if (present.has(column)) continue;
      say(`shop: ${ddl}`);
      await shop.exec(ddl);
    }
  } finally {
    await shop.close();
  }
  const crm = await openSqlAdmin('postgres', crmUrl);
  try {
    const present = new Set((await crm.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")).map((row) => String(row.indexname)));
    for (const { index, ddl } of CRM_LOOKUP_INDEXES) {
      if (present.has(index)) continue;
      say(`crm: ${ddl}`);
      await crm.exec(ddl);
      await crm.exec('ANALYZE contacts');
    }
  } finally {
    await crm.close();
  }
}

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
    await ensureLookupIndexes(crmUrl, shopUrl, say);
    return { crmUrl, shopUrl, asOf: crm.asOf, customers: options.customers, seeded: false, seedMillis: 0 };
  }
  const started = performance.now();
  say(`seeding the world ${wanted}: generating`);
  const world = generateDemoWorld({ includeLoyalty: false, seed: options.seed, customers: options.customers, totalOrders: options.orders });
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
  await ensureLookupIndexes(crmUrl, shopUrl, say);
  return { crmUrl, shopUrl, asOf: world.asOf, customers: options.customers, seeded: true, seedMillis: Math.round(performance.now() - started) };
}
