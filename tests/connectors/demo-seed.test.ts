import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin, type SqlKind } from '../../connectors/admin.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/demo/embedded-postgres.js';
import { generateDemoWorld } from '../../src/demo/generator.js';
import { seedCrm, seedShop } from '../../src/demo/seed.js';
import type { DemoWorld } from '../../src/demo/world-types.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const world = generateDemoWorld({ seed: 11, customers: 300 });

function expectedCounts(w: DemoWorld): Record<string, number> {
  return {
    accounts: w.accounts.length,
    contacts: w.contacts.length,
    interactions: w.interactions.length,
    consents: w.consents.length,
    customers: w.shopCustomers.length,
    products: w.products.length,
    orders: w.orders.length,
    order_lines: w.orderLines.length,
    web_events: w.events.length,
  };
}

async function countRows(admin: SqlAdmin, tables: ReadonlyArray<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await admin.query(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n);
  }
  return counts;
}

const CRM = ['accounts', 'contacts', 'interactions', 'consents'];
const SHOP = ['customers', 'products', 'orders', 'order_lines', 'web_events'];

describe.each<[SqlKind, string]>([
  ['postgres', POSTGRES_SERVER_URL],
  ['mysql', MYSQL_SERVER_URL],
])('seeding the demo world into %s', (kind, serverUrl) => {
  const name = uniqueDatabaseName(`c360_demo_seed_${kind}`);
  let admin: SqlAdmin;

  beforeAll(async () => {
    admin = await openSqlAdmin(kind, await createDatabase(kind, serverUrl, name));
  });

  afterAll(async () => {
    await admin?.close();
    await dropDatabase(kind, serverUrl, name);
  });

  it('writes one row per record in every CRM and shop table', async () => {
    const crm = await seedCrm(admin, world);
    const shop = await seedShop(admin, world);
    const expected = expectedCounts(world);
    expect({ ...crm.rows, ...shop.rows }).toEqual(expected);
    expect(await countRows(admin, [...CRM, ...SHOP])).toEqual(expected);
  });

  it('keeps instants in UTC, money to the cent and lower-case enum values', async () => {
    const order = world.orders[world.orders.length - 1];
    if (order === undefined) throw new Error('no orders');
    const sql =
      kind === 'postgres'
        ? `SELECT to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS placed, total::text AS total, channel FROM orders WHERE id = $1`
        : `SELECT CONCAT(REPLACE(CAST(placed_at AS CHAR), ' ', 'T'), 'Z') AS placed, CAST(total AS CHAR) AS total, channel FROM orders WHERE id = ?`;
    const [row] = await admin.query(sql, [order.id]);
    expect(row).toEqual({ placed: order.placedAt, total: order.total.toFixed(2), channel: order.channel });
  });
});

describe('the CRM on an embedded PostgreSQL (PGlite over the wire protocol)', () => {
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres();
  });

  afterAll(async () => {
    await embedded?.stop();
  });

  it('is seeded and read back through the pg driver, over several connections at once', async () => {
    const seeder = await openSqlAdmin('postgres', embedded.url);
    try {
      const report = await seedCrm(seeder, world);
      expect(report.rows.contacts).toBe(world.contacts.length);
    } finally {
      await seeder.close();
    }
    const readers = await Promise.all(Array.from({ length: 6 }, () => openSqlAdmin('postgres', embedded.url)));
    try {
      // Each connection runs its queries in turn; the six connections run at once.
      const perReader = await Promise.all(
        readers.map(async (reader, n) => {
          const emails: Array<unknown> = [];
          for (let id = n + 1; id <= 24; id += readers.length) {
            const [row] = await reader.query('SELECT id, email, kind FROM contacts WHERE id = $1', [id]);
            emails[id - 1] = row?.email ?? null;
          }
          return emails;
        }),
      );
      const emails = Array.from({ length: 24 }, (_, i) => perReader[i % readers.length]?.[i]);
      expect(emails).toEqual(world.contacts.slice(0, 24).map((c) => c.email));
      expect(await countRows(readers[0] as SqlAdmin, CRM)).toEqual({
        accounts: world.accounts.length,
        contacts: world.contacts.length,
        interactions: world.interactions.length,
        consents: world.consents.length,
      });
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  });
});
