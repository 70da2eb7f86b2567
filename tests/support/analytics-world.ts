/**
 * A small CRM + shop + helpdesk + registry for the analytics tests. The CRM tables and the
 * shop tables live in one MariaDB database but are mapped as two sources (crm, shop), so
 * c360 federates them like any two silos while the test can still write the hand-written
 * SQL over the joined data. The helpdesk's tickets are also copied into `ticket_copy` for
 * that SQL; the helpdesk and the registry are the demo's real HTTP services.
 */
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import type { Scalar } from '../../connectors/contract.js';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { startDemoRestServices, type DemoRestServices } from '../../src/demo/rest-services.js';
import type { DemoTicket } from '../../src/demo/world-types.js';
import { companies, makeTicket } from './rest-fixtures.js';
import { MYSQL_SERVER_URL, uniqueDatabaseName } from './servers.js';

export interface AnalyticsWorld {
  readonly admin: SqlAdmin;
  readonly rest: DemoRestServices;
  config(extra?: Record<string, unknown>, options?: { withoutChannel?: boolean; channelValues?: Record<string, string> }): C360Config;
  drop(): Promise<void>;
}

const CITIES = ['Lyon', 'Paris', 'Lille', null];
const POSTCODES = ['69001', '75011', '59000', '20090', null];
const STATES = ['paid', 'paid', 'paid', 'shipped', 'cancelled', 'returned'];

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export async function createAnalyticsWorld(): Promise<AnalyticsWorld> {
  const name = uniqueDatabaseName('c360_cube');
  const url = await createDatabase('mysql', MYSQL_SERVER_URL, name);
  const admin = await openSqlAdmin('mysql', url);
  const next = lcg(19);
  const pick = <T>(values: ReadonlyArray<T>): T => values[Math.floor(next() * values.length)]!;
  await admin.exec(
    [
      'CREATE TABLE crm_account (id INT PRIMARY KEY, siren VARCHAR(9))',
      'CREATE TABLE crm_contact (id INT PRIMARY KEY, email VARCHAR(200), city VARCHAR(100), postcode VARCHAR(10), is_company TINYINT NOT NULL, account_id INT)',
      'CREATE TABLE shop_customer (id INT PRIMARY KEY, email VARCHAR(200))',
      'CREATE TABLE shop_order (id INT PRIMARY KEY, customer_id INT NOT NULL, placed_at DATETIME NOT NULL, total DECIMAL(12,2) NOT NULL, state VARCHAR(20) NOT NULL, channel VARCHAR(10) NOT NULL, store_id VARCHAR(10))',
      'CREATE TABLE order_line (id INT PRIMARY KEY, order_id INT NOT NULL, product_id INT NOT NULL, qty INT NOT NULL, line_total DECIMAL(12,2) NOT NULL)',
      'CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(100), category VARCHAR(100))',
      'CREATE TABLE web_event (id INT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(20) NOT NULL, occurred_at DATETIME NOT NULL, product_id INT)',
      'CREATE TABLE crm_consent (id INT PRIMARY KEY, contact_id INT NOT NULL, purpose VARCHAR(40) NOT NULL, status VARCHAR(20) NOT NULL, recorded_at DATETIME NOT NULL)',
      'CREATE TABLE ticket_copy (id INT PRIMARY KEY, requester_email VARCHAR(200), status VARCHAR(20), created_at DATETIME)',
    ].join(';'),
  );
  const registry = companies(4).map((company, index) => ({ ...company, headcountBand: ['01', '12', '22', '32'][index]! }));
  await admin.insert(
    'crm_account',
    ['id', 'siren'],
    registry.map((company, index): Scalar[] => [index + 1, company.siren]),
  );
  const contacts: Scalar[][] = [];
  for (let id = 1; id <= 60; id++) {
    const company = id % 4 === 0;
    contacts.push([
      id,
      id % 13 === 0 ? null : `c${id}@courrier-client.fr`,
      pick(CITIES),
      pick(POSTCODES),
      company ? 1 : 0,
      company ? 1 + (Math.floor(id / 4) % 4) : null,
    ]);
  }
  // Partner sharing granted by two contacts in three, then withdrawn by every tenth.
  const consents: Scalar[][] = [];
  for (let id = 1; id <= 60; id++) {
    if (id % 3 !== 0) consents.push([id * 10, id, 'partner_sharing', 'granted', '2023-06-01 10:00:00']);
    if (id % 10 === 0) consents.push([id * 10 + 1, id, 'partner_sharing', 'withdrawn', '2024-02-01 10:00:00']);
  }
  await admin.insert('crm_consent', ['id', 'contact_id', 'purpose', 'status', 'recorded_at'], consents);
  await admin.insert('crm_contact', ['id', 'email', 'city', 'postcode', 'is_company', 'account_id'], contacts);
  // Shop accounts 1-50 share a contact's email (some typed in capitals), 51-80 link nobody.
  await admin.insert(
    'shop_customer',
    ['id', 'email'],
    Array.from({ length: 80 }, (_, i): Scalar[] => [
      i + 1,
      i < 50 ? (i % 7 === 0 ? ` C${i + 1}@Courrier-Client.fr` : `c${i + 1}@courrier-client.fr`) : `s${i + 1}@autre-boutique.fr`,
    ]),
  );
  await admin.insert(
    'product',
    ['id', 'name', 'category'],
    Array.from({ length: 10 }, (_, i): Scalar[] => [i + 1, `P${i + 1}`, `cat${i % 4}`]),
  );
  const orders: Scalar[][] = [];
  const lines: Scalar[][] = [];
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let id = 1; id <= 700; id++) {
    const placed = new Date(start + Math.floor(next() * 365 * 86_400_000)).toISOString().replace('T', ' ').slice(0, 19);
    const count = 1 + Math.floor(next() * 3);
    let total = 0;
    for (let n = 0; n < count; n++) {
      const qty = 1 + Math.floor(next() * 3);
      const lineTotal = Math.round(qty * (5 + next() * 50) * 100) / 100;
      total += lineTotal;
      lines.push([id * 10 + n, id, 1 + Math.floor(next() * 10), qty, lineTotal.toFixed(2)]);
    }
    orders.push([id, 1 + Math.floor(80 * next() ** 1.5), placed, total.toFixed(2), pick(STATES), pick(['web', 'store']), pick(['S1', 'S2', 'S3', null])]);
  }
  await admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state', 'channel', 'store_id'], orders);
  await admin.insert('order_line', ['id', 'order_id', 'product_id', 'qty', 'line_total'], lines);
  const asOf = Date.parse('2025-01-01T00:00:00Z');
  await admin.insert(
    'web_event',
    ['id', 'customer_id', 'kind', 'occurred_at', 'product_id'],
    Array.from({ length: 400 }, (_, i): Scalar[] => [
      i + 1,
      1 + Math.floor(next() * 80),
      pick(['view', 'view', 'cart', 'checkout', 'search']),
      new Date(asOf - Math.floor(next() * 20 * 86_400_000)).toISOString().replace('T', ' ').slice(0, 19),
      1 + Math.floor(next() * 10),
    ]),
  );
  const tickets: DemoTicket[] = Array.from({ length: 120 }, (_, i) =>
    makeTicket({
      id: 5000 + i,
      requesterEmail: i % 9 === 0 ? `nobody${i}@courrier-client.fr` : `c${1 + Math.floor(next() * 75)}@courrier-client.fr`,
      status: pick(['open', 'pending', 'solved', 'closed'] as const),
      createdAt: new Date(start + Math.floor(next() * 365 * 86_400_000)).toISOString().replace(/\.\d+Z$/, 'Z'),
    }),
  );
  await admin.insert(
    'ticket_copy',
    ['id', 'requester_email', 'status', 'created_at'],
    tickets.map((t): Scalar[] => [t.id, t.requesterEmail, t.status, t.createdAt.replace('T', ' ').replace('Z', '')]),
  );
  await admin.exec('ANALYZE TABLE shop_order, order_line, crm_contact, shop_customer');
  const rest = await startDemoRestServices({ tickets, companies: registry });

  return {
    admin,
    rest,
    config(extra = {}, options = {}) {
      const orderFields: Record<string, unknown> = {
        id: 'id',
        customerId: 'customer_id',
        placedAt: 'placed_at',
        total: 'total',
        storeId: 'store_id',
        status: { column: 'state', values: { paid: 'PAID', shipped: 'SHIPPED', cancelled: 'CANCELLED', returned: 'RETURNED' } },
        ...(options.withoutChannel === true ? {} : { channel: { column: 'channel', values: options.channelValues ?? { web: 'WEB', store: 'STORE' } } }),
      };
      return parseConfig({
        sources: { crm: { kind: 'mysql', url }, shop: { kind: 'mysql', url }, ...rest.rawConfig.sources },
        entities: {
          account: { source: 'crm', table: 'crm_account', fields: { id: 'id', siren: 'siren' } },
          contact: {
            source: 'crm',
            table: 'crm_contact',
            fields: {
              id: 'id',
              email: 'email',
              city: 'city',
              postcode: 'postcode',
              accountId: 'account_id',
              kind: { column: 'is_company', values: { '1': 'COMPANY', '0': 'PERSON' } },
            },
          },
          consent: {
            source: 'crm',
            table: 'crm_consent',
            fields: {
              id: 'id',
              contactId: 'contact_id',
              purpose: 'purpose',
              recordedAt: 'recorded_at',
              status: { column: 'status', values: { granted: 'GRANTED', withdrawn: 'WITHDRAWN', denied: 'DENIED' } },
            },
          },
          shopCustomer: { source: 'shop', table: 'shop_customer', fields: { id: 'id', email: 'email' } },
          order: { source: 'shop', table: 'shop_order', fields: orderFields },
          orderLine: {
            source: 'shop',
            table: 'order_line',
            fields: { id: 'id', orderId: 'order_id', productId: 'product_id', quantity: 'qty', lineTotal: 'line_total' },
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
          ...rest.rawConfig.entities,
        },
        ...extra,
      });
    },
    async drop() {
      await rest.stop();
      await admin.close();
      await dropDatabase('mysql', MYSQL_SERVER_URL, name);
    },
  };
}
