/**
 * Writes the demo world into the CRM, shop and loyalty databases: creates the layout's tables, bulk
 * loads the rows, then builds the secondary indexes (faster after the load than during it).
 */
import { openSqlAdmin, type SqlAdmin, type SqlKind } from '../../connectors/admin.js';
import type { Scalar } from '../../connectors/contract.js';
import type { DemoWorld } from './world-types.js';
import { CRM_TABLES, LOYALTY_TABLES, SHOP_TABLES, createIndexesSql, createTablesSql, type TableSpec } from './layout.js';

export interface SeedReport {
  /** Rows written per table. */
  readonly rows: Readonly<Record<string, number>>;
  readonly millis: number;
}

/** A column's value in a record, already in the form the server accepts. */
type Cell<T> = (record: T, kind: SqlKind) => Scalar;

// Rows are converted a slice at a time so that 1M orders never exist twice in memory.
const ROWS_PER_SLICE = 50_000;

export async function seedCrm(admin: SqlAdmin, world: DemoWorld): Promise<SeedReport> {
  return seed(admin, CRM_TABLES, async (load) => {
    await load('accounts', world.accounts, {
      id: (a) => a.id,
      name: (a) => a.name,
      siren: (a) => a.siren,
      siret: (a) => a.siret,
      industry: (a) => a.industry,
      created_at: (a, k) => instant(a.createdAt, k),
      updated_at: (a, k) => instant(a.updatedAt, k),
    });
    await load('contacts', world.contacts, {
      id: (c) => c.id,
      kind: (c) => c.kind,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      company_name: (c) => c.companyName,
      email: (c) => c.email,
      phone: (c) => c.phone,
      mobile: (c) => c.mobile,
      street: (c) => c.street,
      postcode: (c) => c.postcode,
      city: (c) => c.city,
      country: (c) => c.country,
      birth_date: (c) => c.birthDate,
      account_id: (c) => c.accountId,
      shop_customer_ref: (c) => c.shopCustomerRef,
      created_at: (c, k) => instant(c.createdAt, k),
      updated_at: (c, k) => instant(c.updatedAt, k),
    });
    await load('interactions', world.interactions, {
      id: (i) => i.id,
      contact_id: (i) => i.contactId,
      type: (i) => i.type,
      occurred_at: (i, k) => instant(i.occurredAt, k),
      subject: (i) => i.subject,
      agent: (i) => i.agent,
      store_id: (i) => i.storeId,
    });
    await load('consents', world.consents, {
      id: (c) => c.id,
      contact_id: (c) => c.contactId,
      purpose: (c) => c.purpose,
      channel: (c) => c.channel,
      status: (c) => c.status,
      recorded_at: (c, k) => instant(c.recordedAt, k),
    });
  });
}

export async function seedShop(admin: SqlAdmin, world: DemoWorld): Promise<SeedReport> {
  return seed(admin, SHOP_TABLES, async (load) => {
    await load('customers', world.shopCustomers, {
      id: (c) => c.id,
      email: (c) => c.email,
      phone: (c) => c.phone,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      company_name: (c) => c.companyName,
      siret: (c) => c.siret,
      street: (c) => c.street,
      postcode: (c) => c.postcode,
      city: (c) => c.city,
      country: (c) => c.country,
      birth_date: (c) => c.birthDate,
      created_at: (c, k) => instant(c.createdAt, k),
      updated_at: (c, k) => instant(c.updatedAt, k),
    });
    await load('products', world.products, {
      id: (p) => p.id,
      sku: (p) => p.sku,
      name: (p) => p.name,
      category: (p) => p.category,
      brand: (p) => p.brand,
      price: (p) => p.price,
    });
    await load('orders', world.orders, {
      id: (o) => o.id,
      customer_id: (o) => o.customerId,
      channel: (o) => o.channel,
      status: (o) => o.status,
      placed_at: (o, k) => instant(o.placedAt, k),
      total: (o) => o.total,
      currency: (o) => o.currency,
      store_id: (o) => o.storeId,
    });
    await load('order_lines', world.orderLines, {
      id: (l) => l.id,
      order_id: (l) => l.orderId,
      product_id: (l) => l.productId,
      sku: (l) => l.sku,
      product_name: (l) => l.productName,
      quantity: (l) => l.quantity,
      unit_price: (l) => l.unitPrice,
      line_total: (l) => l.lineTotal,
    });
    await load('web_events', world.events, {
      id: (e) => e.id,
      customer_id: (e) => e.customerId,
      type: (e) => e.type,
      occurred_at: (e, k) => instant(e.occurredAt, k),
      product_id: (e) => e.productId,
      search_query: (e) => e.query,
      session_id: (e) => e.sessionId,
      device: (e) => e.device,
    });
  });
}

/** Seeds each database with its part of the world, one connection each, closed after its seed. */
export async function seedDatabases(
  world: DemoWorld,
  targets: ReadonlyArray<readonly [url: string, kind: SqlKind, seed: (admin: SqlAdmin, world: DemoWorld) => Promise<SeedReport>]>,
): Promise<void> {
  for (const [url, kind, seed] of targets) {
    const admin = await openSqlAdmin(kind, url);
    try {
      await seed(admin, world);
    } finally {
      await admin.close();
    }
  }
}

/** The stores' loyalty system; card holders first, since receipts refer to them (foreign keys). */
export async function seedLoyalty(admin: SqlAdmin, world: DemoWorld): Promise<SeedReport> {
  return seed(admin, LOYALTY_TABLES, async (load) => {
    await load('card_holders', world.loyaltyCards, {
      card_number: (c) => c.cardNumber,
      phone: (c) => c.phone,
      email: (c) => c.email,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      postcode: (c) => c.postcode,
      created_at: (c, k) => instant(c.createdAt, k),
      updated_at: (c, k) => instant(c.updatedAt, k),
    });
    await load('receipts', world.receipts, {
      id: (r) => r.id,
      card_number: (r) => r.cardNumber,
      store_id: (r) => r.storeId,
      placed_at: (r, k) => instant(r.placedAt, k),
      total: (r) => r.total,
      currency: (r) => r.currency,
    });
    await load('receipt_lines', world.receiptLines, {
      id: (l) => l.id,
      receipt_id: (l) => l.receiptId,
      product_id: (l) => l.productId,
      sku: (l) => l.sku,
      product_name: (l) => l.productName,
      quantity: (l) => l.quantity,
      unit_price: (l) => l.unitPrice,
      line_total: (l) => l.lineTotal,
    });
  });
}

type Loader = <T>(table: string, records: ReadonlyArray<T>, cells: Readonly<Record<string, Cell<T>>>) => Promise<void>;

async function seed(admin: SqlAdmin, tables: ReadonlyArray<TableSpec>, loadAll: (load: Loader) => Promise<void>): Promise<SeedReport> {
  const started = performance.now();
  const rows: Record<string, number> = {};
  await admin.exec(createTablesSql(admin.kind, tables));
  const load: Loader = async (table, records, cells) => {
    const spec = tables.find((t) => t.name === table);
    if (spec === undefined) throw new Error(`no table ${table} in the layout`);
    // The layout's column order is the insert's, so a column missing here fails loudly.
    const columns = spec.columns.map((column) => column.name);
    const getters = columns.map((column) => {
      const cell = cells[column];
      if (cell === undefined) throw new Error(`no value for ${table}.${column}`);
      return cell;
    });
    for (let start = 0; start < records.length; start += ROWS_PER_SLICE) {
      const slice = records.slice(start, start + ROWS_PER_SLICE);
      await admin.insert(
        table,
        columns,
        slice.map((record) => getters.map((get) => get(record, admin.kind))),
      );
    }
    rows[table] = records.length;
  };
  if (admin.kind === 'mysql') await admin.exec('SET SESSION unique_checks = 0, foreign_key_checks = 0');
  await loadAll(load);
  await admin.exec(createIndexesSql(admin.kind, tables));
  return { rows, millis: Math.round(performance.now() - started) };
}

/** ISO 8601 UTC for PostgreSQL's timestamptz; 'YYYY-MM-DD HH:MM:SS.mmm' (UTC) for MySQL DATETIME(3). */
export function instant(iso: string, kind: SqlKind): string {
  return kind === 'postgres' ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
