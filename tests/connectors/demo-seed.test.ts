import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin, type SqlKind } from '../../connectors/admin.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/demo/embedded-postgres.js';
import { generateDemoWorld } from '../../src/demo/generator.js';
import { seedCrm, seedLoyalty, seedShop } from '../../src/demo/seed.js';
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

describe('seeding the loyalty system into postgres', () => {
  const name = uniqueDatabaseName('c360_demo_seed_loyalty');
  let admin: SqlAdmin;

  beforeAll(async () => {
    admin = await openSqlAdmin('postgres', await createDatabase('postgres', POSTGRES_SERVER_URL, name));
  });

  afterAll(async () => {
    await admin?.close();
    await dropDatabase('postgres', POSTGRES_SERVER_URL, name);
  });

  it('writes one row per card, receipt and line, and reads them back as generated', async () => {
    expect(world.loyaltyCards.length).toBeGreaterThan(0);
    const report = await seedLoyalty(admin, world);
    const expected = { card_holders: world.loyaltyCards.length, receipts: world.receipts.length, receipt_lines: world.receiptLines.length };
    expect(report.rows).toEqual(expected);
    expect(await countRows(admin, Object.keys(expected))).toEqual(expected);
    const card = world.loyaltyCards[world.loyaltyCards.length - 1];
    const receipt = world.receipts.find((r) => r.cardNumber === card?.cardNumber);
    if (card === undefined || receipt === undefined) throw new Error('no card with a receipt');
    const [holder] = await admin.query(
      `SELECT card_number, phone, email, first_name, last_name, postcode, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created
         FROM card_holders WHERE card_number = $1`,
      [card.cardNumber],
    );
    expect(holder).toEqual({
      card_number: card.cardNumber,
      phone: card.phone,
      email: card.email,
      first_name: card.firstName,
      last_name: card.lastName,
      postcode: card.postcode,
      created: card.createdAt,
    });
    const [sums] = await admin.query(
      'SELECT r.total::text AS total, SUM(l.line_total)::text AS lines FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id WHERE r.id = $1 GROUP BY r.total',
      [receipt.id],
    );
    expect(sums).toEqual({ total: receipt.total.toFixed(2), lines: receipt.total.toFixed(2) });
  });

  it('has the keys an operator has: primary keys, foreign keys and their indexes, nothing on phones or names', async () => {
    const indexes = await admin.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
    expect(indexes.map((row) => row.indexname)).toEqual([
      'card_holders_pkey',
      'receipt_lines_pkey',
      'receipt_lines_receipt_id_idx',
      'receipts_card_number_idx',
      'receipts_pkey',
    ]);
    await expect(
      admin.exec("INSERT INTO receipts (id, card_number, store_id, placed_at, total, currency) VALUES (999999, 'LC999999', 'PAR-01', now(), 1, 'EUR')"),
    ).rejects.toThrow(/foreign key/);
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
