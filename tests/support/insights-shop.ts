/** A bare shop (customers, orders, events, products) on a fresh database, mapped for the insights tests. */
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin, type SqlKind } from '../../connectors/admin.js';
import type { Scalar } from '../../connectors/contract.js';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from './servers.js';

export interface InsightsShop {
  readonly kind: SqlKind;
  /** The database's URL (for a test's own connection). */
  readonly url: string;
  readonly admin: SqlAdmin;
  /** `extra`: more top-level keys of c360.yaml (limits…). */
  config(insights?: Record<string, unknown>, extra?: Record<string, unknown>): C360Config;
  drop(): Promise<void>;
}

/** `withContacts`: also map `crm_contact` as the CRM contact (same database), so shop accounts can link. */
export async function createInsightsShop(kind: SqlKind, options: { withContacts?: boolean } = {}): Promise<InsightsShop> {
  const serverUrl = kind === 'postgres' ? POSTGRES_SERVER_URL : MYSQL_SERVER_URL;
  const name = uniqueDatabaseName('c360_insights');
  const url = await createDatabase(kind, serverUrl, name);
  const admin = await openSqlAdmin(kind, url);
  const time = kind === 'postgres' ? 'TIMESTAMPTZ' : 'DATETIME';
  await admin.exec(
    [
      'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200), last_name VARCHAR(2000))',
      `CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at ${time} NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL)`,
      'CREATE INDEX shop_order_customer ON shop_order (customer_id)',
      'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(200), category VARCHAR(100))',
      'CREATE TABLE crm_contact (id INT PRIMARY KEY, email VARCHAR(200))',
      `CREATE TABLE web_event (id INT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at ${time} NOT NULL, product_id INT)`,
    ].join(';'),
  );
  return {
    kind,
    url,
    admin,
    config(insights, extra) {
      return parseConfig({
        sources: { shop: { kind, url } },
        entities: {
          ...(options.withContacts === true ? { contact: { source: 'shop', table: 'crm_contact', fields: { id: 'id', email: 'email' } } } : {}),
          shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email', lastName: 'last_name' } },
          order: {
            source: 'shop',
            table: 'shop_order',
            fields: {
              id: 'id',
              customerId: 'customer_id',
              placedAt: 'placed_at',
              total: 'total',
              status: { column: 'state', values: { paid: 'PAID', cancelled: 'CANCELLED', returned: 'RETURNED' } },
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
        ...(insights === undefined ? {} : { insights }),
        ...extra,
      });
    },
    async drop() {
      await admin.close();
      await dropDatabase(kind, serverUrl, name);
    },
  };
}

/** A datetime as the column takes it: ISO with zone on PostgreSQL, "YYYY-MM-DD HH:MM:SS" on MySQL. */
export function timeValue(kind: SqlKind, iso: string): Scalar {
  return kind === 'postgres' ? iso : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}
