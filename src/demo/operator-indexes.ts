/**
 * The indexes an operator would have on the demo layout, and nothing more: primary keys,
 * one index per foreign key, the e-mail (unique where the data allows it) and
 * `lower(email)` on PostgreSQL. Replaces the demo's own secondary indexes (phones, names,
 * its expression indexes), for the load benchmark and the tests that prove which of
 * c360's lookups an operator's indexes serve.
 */
import type { SqlAdmin } from '../../connectors/admin.js';

const CRM_INDEXES: ReadonlyArray<string> = [
  'CREATE INDEX contacts_account_id_fk ON contacts (account_id)',
  'CREATE INDEX interactions_contact_id_fk ON interactions (contact_id)',
  'CREATE INDEX consents_contact_id_fk ON consents (contact_id)',
  'CREATE UNIQUE INDEX contacts_email_key ON contacts (email)',
  'CREATE INDEX contacts_lower_email ON contacts (lower(email))',
];

const SHOP_INDEXES: ReadonlyArray<string> = [
  'CREATE INDEX orders_customer_id_fk ON orders (customer_id)',
  'CREATE INDEX order_lines_order_id_fk ON order_lines (order_id)',
  'CREATE INDEX order_lines_product_id_fk ON order_lines (product_id)',
  'CREATE INDEX web_events_customer_id_fk ON web_events (customer_id)',
  'CREATE UNIQUE INDEX customers_email_key ON customers (email)',
];

/** Creates `ddl`; a unique index the data refuses (duplicate e-mails) becomes a plain one, said in the returned line. */
async function createIndex(admin: SqlAdmin, ddl: string): Promise<string> {
  try {
    await admin.exec(ddl);
    return ddl;
  } catch (error) {
    if (!ddl.includes('UNIQUE')) throw error;
    const plain = ddl.replace('UNIQUE ', '');
    await admin.exec(plain);
    return `${plain} (not unique: the data holds duplicate e-mails)`;
  }
}

/** Drops every secondary index of both databases, creates the operator's; returns the DDL run, one line each. */
export async function useOperatorIndexes(crm: SqlAdmin, shop: SqlAdmin): Promise<string[]> {
  for (const row of await crm.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'")) {
    await crm.exec(`DROP INDEX "${String(row.indexname)}"`);
  }
  const shopIndexes = await shop.query(
    "SELECT DISTINCT table_name AS t, index_name AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'",
  );
  for (const row of shopIndexes) await shop.exec(`DROP INDEX \`${String(row.i)}\` ON \`${String(row.t)}\``);
  const done: string[] = [];
  for (const ddl of CRM_INDEXES) done.push(`crm: ${await createIndex(crm, ddl)}`);
  for (const ddl of SHOP_INDEXES) done.push(`shop: ${await createIndex(shop, ddl)}`);
  return done;
}
