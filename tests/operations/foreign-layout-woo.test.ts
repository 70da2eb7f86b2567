/**
 * A second foreign layout by config alone, without views: a CRM laid out like Dolibarr
 * (llx_socpeople, llx_actioncomm) and a shop laid out like WooCommerce's HPOS tables
 * (wp_users + wp_usermeta key/value rows, billing address rows, wp_wc_orders holding local
 * time). It uses a field from a related table (the latest billing row's phone, the first
 * one's city, the first name from usermeta), where lists / not-in / not-null / ranges, an
 * open enum (channels and statuses the map does not know read as OTHER with the stored
 * value kept), `otherwise` on a SQL field, an entity key other than `id`, and a timezone.
 * Then the checker on the same world: every finding with its exact message, and `serve`
 * refusing to be ready with a broken mapping.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from '../support/capture.js';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { runCheck } from '../../src/cli/check.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmName = uniqueDatabaseName('c360_doli');
const shopName = uniqueDatabaseName('c360_woo');
let crmUrl: string;
let shopUrl: string;
let gateway: TestGateway;
let helpdesk: Server;
let helpdeskUrl: string;

const DOLIBARR = `
CREATE TABLE llx_societe (rowid serial PRIMARY KEY, nom varchar NOT NULL, siren varchar, siret varchar);
CREATE TABLE llx_socpeople (
  rowid serial PRIMARY KEY, fk_soc integer, lastname varchar, firstname varchar, email varchar, phone_mobile varchar,
  address varchar, zip varchar, town varchar, statut smallint NOT NULL DEFAULT 1, datec timestamp, tms timestamp);
CREATE TABLE llx_actioncomm (id serial PRIMARY KEY, fk_contact integer, code varchar(50), datep timestamp, label varchar);
INSERT INTO llx_societe VALUES (1, 'Fromagerie Dupuis', '552100554', '55210055400013');
INSERT INTO llx_socpeople VALUES
  (10, 1, 'Dupuis', 'Claire', 'claire.dupuis@laposte.net', '06 12 34 56 78', '4 rue Nationale', '37000', 'Tours', 1, '2022-01-05 10:00:00', '2024-01-05 10:00:00'),
  (11, null, 'Moreau', 'Paul', 'paul.moreau@free.fr', null, '8 quai Saint-Antoine', '69002', 'Lyon', 1, '2022-02-01 10:00:00', '2022-02-01 10:00:00'),
  (12, null, 'Ancien', 'Contact', 'ancien@orange.fr', null, null, null, null, 0, '2019-01-01 10:00:00', '2019-01-01 10:00:00'),
  (13, null, null, 'Sans nom', 'sans.nom@orange.fr', null, null, null, null, 1, '2019-01-01 10:00:00', '2019-01-01 10:00:00');
INSERT INTO llx_actioncomm VALUES
  (1, 10, 'AC_TEL', '2024-03-01 09:00:00', 'Rappel commande'),
  (2, 10, 'AC_RDV', '2024-02-01 09:00:00', 'Dégustation'),
  (3, 10, 'AC_OTH_AUTO', '2024-01-01 09:00:00', 'Relance automatique');
`;

const WOOCOMMERCE = `
CREATE TABLE wp_users (ID bigint PRIMARY KEY, user_email varchar(100) NOT NULL DEFAULT '', user_registered datetime);
CREATE TABLE wp_usermeta (umeta_id bigint PRIMARY KEY, user_id bigint, meta_key varchar(255), meta_value longtext, KEY user_id (user_id));
CREATE TABLE wc_customer_address (id bigint PRIMARY KEY, customer_id bigint, address_type varchar(20), phone varchar(100), city varchar(100), postcode varchar(20), date_modified datetime, KEY customer (customer_id, date_modified));
CREATE TABLE wp_wc_orders (id bigint PRIMARY KEY, type varchar(20), status varchar(20), created_via varchar(20), currency varchar(10), total_amount decimal(26,8), customer_id bigint, date_created datetime, KEY customer (customer_id));
CREATE TABLE wp_wc_order_product_lookup (order_item_id bigint PRIMARY KEY, order_id bigint, sku varchar(100), product_qty int, product_gross_revenue double, KEY o (order_id));
CREATE TABLE wp_wc_product_meta_lookup (product_id bigint PRIMARY KEY, sku varchar(100), title varchar(200), min_price decimal(19,4), KEY sku (sku));
INSERT INTO wp_users VALUES (201, '', '2023-03-01 10:00:00'), (202, 'paul.moreau@free.fr', '2023-07-01 10:00:00');
INSERT INTO wp_usermeta VALUES (1, 201, 'first_name', 'Claire'), (2, 201, 'last_name', 'Dupuis'), (3, 202, 'first_name', 'Paul'), (4, 202, 'last_name', 'Moreau'), (5, 201, 'nickname', 'cdupuis');
INSERT INTO wc_customer_address VALUES
  (1, 201, 'billing', '02 47 00 00 00', 'Blois', '41000', '2023-03-01 10:00:00'),
  (2, 201, 'shipping', '06 99 99 99 99', 'Paris', '75011', '2024-05-01 10:00:00'),
  (3, 201, 'billing', '+33 6 12 34 56 78', 'Tours', '37000', '2024-02-01 09:00:00'),
  (4, 202, 'billing', '06 55 44 33 22', 'Lyon', '69002', '2024-01-01 10:00:00');
INSERT INTO wp_wc_orders VALUES
  (7001, 'shop_order', 'wc-completed', 'checkout', 'EUR', 42.5, 201, '2024-07-14 10:30:00'),
  (7002, 'shop_order', 'wc-processing', 'app', 'EUR', 19.9, 201, '2024-01-10 09:00:00'),
  (7003, 'shop_order', 'wc-on-hold', 'amazon', 'EUR', 99, 201, '2024-03-05 12:00:00'),
  (7004, 'shop_order_refund', 'wc-completed', 'checkout', 'EUR', -42.5, 201, '2024-07-20 10:00:00'),
  (7005, 'shop_order', 'wc-checkout-draft', 'checkout', 'EUR', 10, 201, '2024-07-21 10:00:00'),
  (7006, 'shop_order', 'wc-completed', 'pos', 'EUR', 15, 202, '2024-06-01 18:00:00');
INSERT INTO wp_wc_order_product_lookup VALUES (1, 7001, 'FR-COMTE-250', 2, 42.5), (2, 7002, 'FR-BRIE-200', 1, 19.9), (3, 7003, 'FR-COMTE-250', 4, 99), (4, 7006, 'FR-BRIE-200', 1, 15);
INSERT INTO wp_wc_product_meta_lookup VALUES (31, 'FR-COMTE-250', 'Comté 18 mois 250 g', 21.25), (32, 'FR-BRIE-200', 'Brie de Meaux 200 g', 19.9);
`;

interface Layout {
  readonly crmUrl: string;
  readonly shopUrl: string;
  readonly helpdeskUrl?: string;
  /** Replaces the order status map (the typo case). */
  readonly statusValues?: string;
  readonly orderTotal?: string;
  readonly requesterPath?: string;
  readonly probeKey?: boolean;
  readonly interactionOtherwise?: boolean;
  /** The path of a follow endpoint on the tickets (new tickets for triggers), absent for none. */
  readonly followPath?: string;
}

function configYaml(layout: Layout): string {
  const helpdesk =
    layout.helpdeskUrl === undefined
      ? ''
      : `
  helpdesk: { kind: rest, baseUrl: "${layout.helpdeskUrl}", headers: { Authorization: "Basic ${'${FRESHDESK_KEY}'}" }, retry: { maxAttempts: 1 } }`;
  const ticket =
    layout.helpdeskUrl === undefined
      ? ''
      : `
  ticket:
    source: helpdesk
    endpoint:
      path: /api/v2/tickets
      query: { email: "{key}" }
      keyField: requesterEmail
      keyMatch: caseInsensitive${layout.probeKey === true ? `\n      probeKey: claire.dupuis@laposte.net` : ''}${layout.followPath === undefined ? '' : `\n    follow: { path: ${layout.followPath}, query: { created_since: "{since}" }, timeField: createdAt }`}
    fields:
      id: id
      requesterEmail: ${layout.requesterPath ?? 'requester.email'}
      subject: subject
      status: { path: status, values: { "2": OPEN, "3": PENDING, "4": SOLVED, "5": CLOSED } }
      createdAt: created_at`;
  return `
sources:
  crm: { kind: postgres, url: "${layout.crmUrl}", timezone: Europe/Paris }
  shop: { kind: mysql, url: "${layout.shopUrl}", timezone: Europe/Paris }   # WooCommerce's date_created is the shop's local time${helpdesk}
entities:
  contact:
    source: crm
    table: llx_socpeople
    where: { statut: { notIn: [0] }, lastname: { notNull: true } }
    fields:
      id: rowid
      kind: { const: PERSON }
      firstName: firstname
      lastName: lastname
      email: email
      mobile: phone_mobile
      street: address
      postcode: zip
      city: town
      accountId: fk_soc
      createdAt: datec
      updatedAt: tms
  account:
    source: crm
    table: llx_societe
    fields: { id: rowid, name: nom, siren: siren, siret: siret }
  interaction:
    source: crm
    table: llx_actioncomm
    where: { fk_contact: { notNull: true } }
    fields:
      id: id
      contactId: fk_contact
      type: { column: code, values: { AC_TEL: CALL, AC_EMAIL: EMAIL, AC_SHOP: STORE_VISIT }${layout.interactionOtherwise === false ? '' : ', otherwise: MEETING'} }
      occurredAt: datep
      subject: label
  shopCustomer:
    source: shop
    table: wp_users
    fields:
      id: ID
      email: user_email
      firstName: { related: { table: wp_usermeta, column: meta_value, joinOn: user_id, where: { meta_key: first_name }, orderBy: umeta_id } }
      lastName: { related: { table: wp_usermeta, column: meta_value, joinOn: user_id, where: { meta_key: last_name }, orderBy: umeta_id } }
      phone: { related: { table: wc_customer_address, column: phone, joinOn: customer_id, where: { address_type: billing }, pick: latest, orderBy: date_modified } }
      city: { related: { table: wc_customer_address, column: city, joinOn: customer_id, where: { address_type: billing }, pick: first, orderBy: date_modified } }
      createdAt: user_registered
  order:
    source: shop
    table: wp_wc_orders
    where: { type: [shop_order], status: { notIn: [trash, wc-checkout-draft] }, customer_id: { notNull: true }, total_amount: { gte: 0 } }
    fields:
      id: id
      customerId: customer_id
      channel: { column: created_via, values: { checkout: WEB, pos: STORE, app: APP } }
      status: { column: status, values: { ${layout.statusValues ?? 'wc-pending: PENDING, wc-processing: PAID, wc-completed: DELIVERED, wc-cancelled: CANCELLED, wc-refunded: RETURNED'} } }
      total: ${layout.orderTotal ?? 'total_amount'}
      currency: currency
      placedAt: date_created
  orderLine:
    source: shop
    table: wp_wc_order_product_lookup
    fields: { id: order_item_id, orderId: order_id, productId: sku, sku: sku, quantity: product_qty, lineTotal: product_gross_revenue }
  product:
    source: shop
    table: wp_wc_product_meta_lookup
    key: sku                                 # lines name their product by SKU: the SKU is the product's identity
    fields: { sku: sku, name: title, price: min_price }${ticket}
`;
}

const TICKETS = [{ id: 501, subject: 'Colis abîmé', status: 2, created_at: '2024-07-16T08:00:00Z', requester: { email: 'claire.dupuis@laposte.net' } }];

beforeAll(async () => {
  crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopName);
  for (const [kind, url, statements] of [
    ['postgres', crmUrl, DOLIBARR],
    ['mysql', shopUrl, WOOCOMMERCE],
  ] as const) {
    const admin = await openSqlAdmin(kind, url);
    await admin.exec(statements);
    await admin.close();
  }
  // A Freshdesk-like helpdesk: Basic auth, tickets by requester email, `requester.email` nested (no requester_email).
  helpdesk = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== 'Basic good-key') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'invalid_credentials' }));
      return;
    }
    if (url.pathname !== '/api/v2/tickets') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const since = url.searchParams.get('created_since');
    if (since !== null) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(TICKETS.filter((ticket) => Date.parse(ticket.created_at) >= Date.parse(since))));
      return;
    }
    const email = (url.searchParams.get('email') ?? '').toLowerCase();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TICKETS.filter((ticket) => ticket.requester.email === email)));
  });
  await new Promise<void>((resolve) => helpdesk.listen(0, '127.0.0.1', resolve));
  helpdeskUrl = `http://127.0.0.1:${(helpdesk.address() as AddressInfo).port}`;
  gateway = await startTestGateway(parseConfigText(configYaml({ crmUrl, shopUrl, helpdeskUrl }), { FRESHDESK_KEY: 'good-key' }));
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => helpdesk?.close(resolve));
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopName);
});

const VIEW = `
  displayName phone
  sources { source entity key matchedBy }
  account { name siret }
  interactions(first: 5) { type subject }
  shopAccounts { id firstName lastName phone address { city } createdAt }
  orders(first: 10) { nodes { id channel channelRaw status statusRaw total placedAt lines { sku quantity product { id sku name } } } }
  tickets(first: 5) { subject status }
`;

describe('a CRM laid out like Dolibarr and a shop laid out like WooCommerce, by config alone', () => {
  it('links the shop account by the phone of its latest billing row and assembles the 360 view', async () => {
    const result = await gateway.query(`query($phone: String!) { customerBy(phone: $phone) { ${VIEW} } }`, { phone: '06 12 34 56 78' }, { trace: true });
    expect(result.errors).toBeUndefined();
    // The shop is asked by phone through a semi-join on the billing rows, in the account's own statement (no view).
    const byPhone = result.extensions?.trace?.find((call) => call.source === 'shop' && call.statement.includes('c360_prefilter'));
    expect(byPhone?.statement).toContain('`wp_users`.`ID` IN (SELECT c360_prefilter.`customer_id` FROM `wc_customer_address` c360_prefilter WHERE');
    expect(byPhone?.statement).toContain('(SELECT c360_related.`phone` FROM `wc_customer_address` c360_related WHERE');
    expect(result.data?.customerBy).toEqual({
      displayName: 'Claire Dupuis',
      phone: '+33612345678',
      sources: [
        { source: 'crm', entity: 'contact', key: '10', matchedBy: 'ANCHOR' },
        { source: 'shop', entity: 'shopCustomer', key: '201', matchedBy: 'PHONE' },
      ],
      account: { name: 'Fromagerie Dupuis', siret: '55210055400013' },
      // AC_RDV and AC_OTH_AUTO are not mapped: `otherwise: MEETING`.
      interactions: [
        { type: 'CALL', subject: 'Rappel commande' },
        { type: 'MEETING', subject: 'Dégustation' },
        { type: 'MEETING', subject: 'Relance automatique' },
      ],
      // First name from wp_usermeta rows; phone from the latest billing row (not the shipping one), city from the first.
      shopAccounts: [
        { id: '201', firstName: 'Claire', lastName: 'Dupuis', phone: '+33 6 12 34 56 78', address: { city: 'Blois' }, createdAt: '2023-03-01T09:00:00.000Z' },
      ],
      // The refund (type) and the draft (status notIn) are left out; local times read in Europe/Paris (CEST, CET).
      orders: {
        nodes: [
          {
            id: '7001',
            channel: 'WEB',
            channelRaw: 'checkout',
            status: 'DELIVERED',
            statusRaw: 'wc-completed',
            total: 42.5,
            placedAt: '2024-07-14T08:30:00.000Z',
            lines: [{ sku: 'FR-COMTE-250', quantity: 2, product: { id: 'FR-COMTE-250', sku: 'FR-COMTE-250', name: 'Comté 18 mois 250 g' } }],
          },
          {
            id: '7003',
            channel: 'OTHER',
            channelRaw: 'amazon',
            status: 'OTHER',
            statusRaw: 'wc-on-hold',
            total: 99,
            placedAt: '2024-03-05T11:00:00.000Z',
            lines: [{ sku: 'FR-COMTE-250', quantity: 4, product: { id: 'FR-COMTE-250', sku: 'FR-COMTE-250', name: 'Comté 18 mois 250 g' } }],
          },
          {
            id: '7002',
            channel: 'APP',
            channelRaw: 'app',
            status: 'PAID',
            statusRaw: 'wc-processing',
            total: 19.9,
            placedAt: '2024-01-10T08:00:00.000Z',
            lines: [{ sku: 'FR-BRIE-200', quantity: 1, product: { id: 'FR-BRIE-200', sku: 'FR-BRIE-200', name: 'Brie de Meaux 200 g' } }],
          },
        ],
      },
      tickets: [{ subject: 'Colis abîmé', status: 'OPEN' }],
    });
  });

  it('filters orders on the open enum, OTHER included, in the statement', async () => {
    const result = await gateway.query(
      `{ customerBy(phone: "06 12 34 56 78") { other: orders(channel: OTHER) { nodes { id channelRaw } } app: orders(channel: APP) { nodes { id } } held: orders(status: [OTHER]) { nodes { id statusRaw } } meetings: interactions(types: [MEETING]) { subject } calls: interactions(types: [CALL]) { subject } } }`,
      {},
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.customerBy).toEqual({
      other: { nodes: [{ id: '7003', channelRaw: 'amazon' }] },
      app: { nodes: [{ id: '7002' }] },
      held: { nodes: [{ id: '7003', statusRaw: 'wc-on-hold' }] },
      // `otherwise: MEETING` filters too: every code but the mapped ones.
      meetings: [{ subject: 'Dégustation' }, { subject: 'Relance automatique' }],
      calls: [{ subject: 'Rappel commande' }],
    });
    // The canonical OTHER is compiled into the statement: stored values outside the map's (a NOT IN), not filtered after reading.
    expect(
      result.extensions?.trace?.some((call) => call.source === 'shop' && call.entity !== 'shopCustomer' && /NOT \(`created_via` IN/.test(call.statement)) ??
        false,
    ).toBe(true);
  });

  it('compares datetimes in the source zone: a UTC bound becomes the local wall-clock time (PostgreSQL timestamp)', async () => {
    const crm = gateway.runtime.connectors.get('crm')!;
    const since = (iso: string) =>
      crm.scan!(
        {
          entity: 'interaction',
          projection: ['id', 'occurredAt'],
          filter: { op: 'range', field: 'occurredAt', gte: iso },
          orderBy: [{ field: 'id', direction: 'ASC' }],
          limit: 10,
        },
        { signal: AbortSignal.timeout(10_000) },
      );
    // 2024-03-01 09:00 in Paris (CET) is 08:00 UTC.
    expect(await since('2024-03-01T08:00:00.000Z')).toEqual([{ id: '1', occurredAt: '2024-03-01T08:00:00.000Z' }]);
    expect(await since('2024-03-01T08:00:01.000Z')).toEqual([]);
  });

  it('compares datetimes in the source zone: a UTC bound becomes the local wall-clock time (MySQL DATETIME)', async () => {
    const shop = gateway.runtime.connectors.get('shop')!;
    const since = (iso: string) =>
      shop.scan!(
        {
          entity: 'order',
          projection: ['id', 'placedAt'],
          filter: { op: 'range', field: 'placedAt', gte: iso },
          orderBy: [{ field: 'id', direction: 'ASC' }],
          limit: 10,
        },
        { signal: AbortSignal.timeout(10_000) },
      );
    expect(await since('2024-07-14T08:30:00.000Z')).toEqual([{ id: '7001', placedAt: '2024-07-14T08:30:00.000Z' }]);
    expect(await since('2024-07-14T08:30:01.000Z')).toEqual([]);
  });

  it('lists a shop-only person once, with the where conditions applied to the CRM', async () => {
    const page = await gateway.query(`{ customers(first: 10) { edges { node { displayName orders { nodes { channel status } } } } } }`);
    expect(page.errors).toBeUndefined();
    // Contact 12 (statut 0) and 13 (no last name) are left out by where; Paul is one customer (linked by email).
    expect(page.data?.customers).toEqual({
      edges: [
        {
          node: {
            displayName: 'Claire Dupuis',
            orders: {
              nodes: [
                { channel: 'WEB', status: 'DELIVERED' },
                { channel: 'OTHER', status: 'OTHER' },
                { channel: 'APP', status: 'PAID' },
              ],
            },
          },
        },
        { node: { displayName: 'Paul Moreau', orders: { nodes: [{ channel: 'STORE', status: 'DELIVERED' }] } } },
      ],
    });
  });
});

async function check(layout: Partial<Layout>, env: Record<string, string> = { FRESHDESK_KEY: 'good-key' }): Promise<{ code: number; lines: string[] }> {
  const out = capture();
  const code = await runCheck(parseConfigText(configYaml({ crmUrl, shopUrl, ...layout }), env), out.stream);
  return {
    code,
    lines: out
      .text()
      .split('\n')
      .filter((line) => line !== ''),
  };
}

describe('c360 check on the same world', () => {
  it('passes the sound mapping, warning of the open-enum values that read as OTHER and the lookups no index serves', async () => {
    const { code, lines } = await check({ helpdeskUrl, probeKey: true });
    expect(lines).toContain(
      'WARN  shop: entities.order.fields.channel: 1 stored value is not mapped and read as OTHER (the stored value stays in channelRaw) on 1 row (25%): "amazon" (1 row); map it under values, or set otherwise',
    );
    expect(lines).toContain(
      'WARN  shop: entities.order.fields.status: 1 stored value is not mapped and read as OTHER (the stored value stays in statusRaw) on 1 row (25%): "wc-on-hold" (1 row); map it under values, or set otherwise',
    );
    expect(lines).toContain(
      "WARN  crm: lookup contact.email (llx_socpeople.email, email): no index serves it, each lookup scans the table; run: CREATE INDEX \"llx_socpeople_email_mailbox_idx\" ON \"llx_socpeople\" (((REPLACE(SPLIT_PART(SPLIT_PART(LOWER(TRIM(CAST(\"email\" AS TEXT))), '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(LOWER(TRIM(CAST(\"email\" AS TEXT))), '@', 2))))",
    );
    expect(lines).toContain(
      'WARN  shop: lookup shopCustomer.phone (wc_customer_address.phone, the latest row by date_modified): read through a related table: each lookup is a semi-join on wc_customer_address.phone, which scans wc_customer_address unless an index serves the comparison',
    );
    expect(lines).toContain('ok    helpdesk: every endpoint answered');
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
    expect(code).toBe(0);
  });

  it('names a typo in a mapped value (completed: for wc-completed) and the rows it loses', async () => {
    const { code, lines } = await check({ statusValues: 'wc-pending: PENDING, wc-processing: PAID, completed: DELIVERED' });
    expect(lines).toContain(
      'FAIL  shop: entities.order.fields.status: mapped value "completed" is held by no row, and "wc-completed" (2 rows) is not mapped (did you mean "wc-completed"?)',
    );
    expect(lines).toContain(
      'WARN  shop: entities.order.fields.status: 2 stored values are not mapped and read as OTHER (the stored value stays in statusRaw) on 3 rows (75%): "wc-completed" (2 rows), "wc-on-hold" (1 row); map them under values, or set otherwise',
    );
    expect(code).toBe(1);
  });

  it('fails a closed enum whose stored values no map covers, naming them and their rows', async () => {
    const { code, lines } = await check({ interactionOtherwise: false });
    expect(lines).toContain(
      'FAIL  crm: entities.interaction.fields.type: 2 stored values are not mapped and read as null on 2 rows (67%): "AC_OTH_AUTO" (1 row), "AC_RDV" (1 row); map them under values, or set otherwise',
    );
    expect(code).toBe(1);
  });

  it('names a missing column of the table and of a related table, and a missing table', async () => {
    const { code, lines } = await check({ orderTotal: 'total' });
    expect(lines).toContain('FAIL  shop: entities.order.fields.total: table "wp_wc_orders" has no column "total" (mapped from order.total)');
    expect(code).toBe(1);
    const yaml = configYaml({ crmUrl, shopUrl })
      .replace('column: phone, joinOn: customer_id', 'column: telephone, joinOn: customer_id')
      .replace('table: wp_wc_order_product_lookup', 'table: wp_wc_order_items');
    const out = capture();
    expect(await runCheck(parseConfigText(yaml, {}), out.stream)).toBe(1);
    const failures = out
      .text()
      .split('\n')
      .filter((line) => line.startsWith('FAIL'));
    expect(failures).toEqual([
      'FAIL  shop: entities.shopCustomer.fields.phone: table "wc_customer_address" has no column "telephone" (related.column of shopCustomer.phone)',
      'FAIL  shop: entities.orderLine.table: table "wp_wc_order_items" does not exist (mapped from orderLine)',
    ]);
  });

  it('names a missing database, never the bare driver code', async () => {
    const { code, lines } = await check({ shopUrl: shopUrl.replace(shopName, `${shopName}_missing`), crmUrl: crmUrl.replace(crmName, `${crmName}_missing`) });
    expect(lines).toContain(
      `FAIL  crm: SOURCE_UNAVAILABLE: source "crm" is unavailable for the mapping check: database "${crmName}_missing" does not exist (SQLSTATE 3D000)`,
    );
    expect(lines).toContain(
      `FAIL  shop: SOURCE_UNAVAILABLE: source "shop" is unavailable for the mapping check: database "${shopName}_missing" does not exist (ER_BAD_DB_ERROR, errno 1049)`,
    );
    expect(code).toBe(1);
  });

  it('calls a REST source without probeKey: reachable, and credentials refused', async () => {
    const good = await check({ helpdeskUrl });
    expect(good.lines).toContain(
      `WARN  helpdesk: entities.ticket.endpoint: GET /api/v2/tickets?email=<key> (no probeKey) answered with no item: reachable, but the mapped paths were not verified (set probeKey to a key that exists)`,
    );
    expect(good.code).toBe(0);
    const refused = await check({ helpdeskUrl }, { FRESHDESK_KEY: 'wrong-key' });
    expect(refused.lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      'FAIL  helpdesk: entities.ticket.endpoint: GET /api/v2/tickets?email=<key> (no probeKey): source "helpdesk" refused our credentials: HTTP 401',
    ]);
    expect(refused.code).toBe(1);
  });

  it('fails a REST source that does not answer', async () => {
    const closed = await freePort();
    const { code, lines } = await check({ helpdeskUrl: `http://127.0.0.1:${closed}` });
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^FAIL {2}helpdesk: entities\\.ticket\\.endpoint: GET /api/v2/tickets\\?email=<key> \\(no probeKey\\): source "helpdesk" is unreachable \\(ECONNREFUSED\\)$`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  it('calls the follow endpoint too: sound, at a wrong path, and on a source that does not answer', async () => {
    const sound = await check({ helpdeskUrl, probeKey: true, followPath: '/api/v2/tickets' });
    expect(sound.lines.filter((line) => line.startsWith('FAIL') || line.includes('helpdesk'))).toEqual(['ok    helpdesk: every endpoint answered']);
    expect(sound.code).toBe(0);
    const wrong = await check({ helpdeskUrl, probeKey: true, followPath: '/api/v2/ticket' });
    expect(wrong.lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      'FAIL  helpdesk: entities.ticket.follow: GET /api/v2/ticket?created_since=<since> (follow, since 1970-01-01T00:00:00.000Z): source "helpdesk" replied a list that is not an array at $',
    ]);
    expect(wrong.code).toBe(1);
    const closed = await freePort();
    const dead = await check({ helpdeskUrl: `http://127.0.0.1:${closed}`, followPath: '/api/v2/tickets' });
    expect(dead.lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      expect.stringMatching(/^FAIL {2}helpdesk: entities\.ticket\.endpoint: .* \(no probeKey\): source "helpdesk" is unreachable \(ECONNREFUSED\)$/),
      expect.stringMatching(
        /^FAIL {2}helpdesk: entities\.ticket\.follow: GET \/api\/v2\/tickets\?created_since=.* \(follow, since 1970-01-01T00:00:00\.000Z\): source "helpdesk" is unreachable \(ECONNREFUSED\)$/,
      ),
    ]);
    expect(dead.code).toBe(1);
  });

  it('names a mapped JSON path absent from every item of a real reply (the key path: every ticket lost)', async () => {
    const { code, lines } = await check({ helpdeskUrl, probeKey: true, requesterPath: 'requester_email' });
    expect(lines).toContain(
      'FAIL  helpdesk: entities.ticket.fields.requesterEmail: path "requester_email" is absent from all 1 item of GET /api/v2/tickets?email=<key> (probeKey "claire.dupuis@laposte.net"); requesterEmail is the key rows are matched by, so every ticket would be lost',
    );
    expect(code).toBe(1);
  });
});

describe('a broken mapping reaching clients, and serve refusing to be ready', () => {
  it('names the missing column in the error a client gets, not the driver code alone', async () => {
    const broken = await startTestGateway(parseConfigText(configYaml({ crmUrl, shopUrl, orderTotal: 'total' }), {}));
    try {
      const result = await broken.query(`{ customerBy(phone: "06 12 34 56 78") { orders(first: 1) { nodes { total } } } }`);
      const error = result.errors?.find((candidate) => candidate.extensions?.code === 'SOURCE_BAD_RESPONSE');
      // The orders are read with the shop account, in one statement (connectors/sql/include.ts).
      expect(error?.message).toBe('source "shop" failed reading shopCustomer: column "total" does not exist (ER_BAD_FIELD_ERROR, errno 1054)');
    } finally {
      await broken.stop();
    }
  });

  it('names a missing table in the error a client gets', async () => {
    const broken = await startTestGateway(parseConfigText(configYaml({ crmUrl, shopUrl }).replace('table: wp_users', 'table: wp_user'), {}));
    try {
      const result = await broken.query(`{ customerBy(phone: "06 12 34 56 78") { shopAccounts { id } } }`);
      const error = result.errors?.find((candidate) => candidate.extensions?.code === 'SOURCE_BAD_RESPONSE');
      expect(error?.message).toBe(`source "shop" failed reading shopCustomer: table "${shopName}.wp_user" does not exist (ER_NO_SUCH_TABLE, errno 1146)`);
    } finally {
      await broken.stop();
    }
  });

  it('c360 serve with a wrong column answers 503 on /ready and /graphql with the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-woo-'));
    const file = join(dir, 'c360.yaml');
    writeFileSync(file, configYaml({ crmUrl, shopUrl, orderTotal: 'total' }));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', './tests/support/ts-register.mjs', 'tests/support/c360-cli.ts', 'serve', '--config', file, '--port', String(port)],
      {
        cwd: process.cwd(),
        env: { ...process.env, C360_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const ready = await pollReady(port, child, (body) => body.status === 'mapping-invalid');
      expect(ready).toEqual({
        status: 503,
        body: {
          status: 'mapping-invalid',
          problems: [{ source: 'shop', path: 'entities.order.fields.total', message: 'table "wp_wc_orders" has no column "total" (mapped from order.total)' }],
        },
      });
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ customers(first: 1) { edges { node { id } } } }' }),
      });
      expect(response.status).toBe(503);
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]?.extensions.code).toBe('MAPPING_INVALID');
      expect(body.errors[0]?.message).toBe(
        'c360 is not serving: 1 mapping problem (fix c360.yaml, run c360 check): entities.order.fields.total: table "wp_wc_orders" has no column "total" (mapped from order.total)',
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});

describe('CONFIG_INVALID lists every problem of every section at once', () => {
  it('a typo in a source hides nothing: sources, entities, where, related fields, enums and identity together', () => {
    const yaml = `
sources:
  crm: { kind: postgres, url: "postgres://c@h/crm", timezone: Europe/Pariss, identity: { defaultRegion: FR } }
  shop: { kind: mysqll, url: "mysql://c@h/shop" }
identity: { defaultRegoin: FR }
entities:
  contact:
    source: crm
    table: llx_socpeople
    where: { statut: { notin: [0] } }
    fields: { id: rowid, emial: email, kind: { column: typ, values: { p: PERSN } } }
  order:
    source: shopp
    table: wp_wc_orders
    fields:
      id: id
      customerId: customer_id
      status: { column: status, otherwise: HELD }
      channel: { colum: created_via }
  shopCustomer:
    source: shop
    table: wp_users
    fields: { id: ID, phone: { related: { table: wc_customer_address, column: phone, joinOn: customer_id, pick: newest, orderBy: date_modified } } }
`;
    let error: unknown;
    try {
      parseConfigText(yaml, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'identity.defaultRegoin: unknown key "defaultRegoin" (did you mean "defaultRegion"?)',
      'sources.crm.timezone: expected an IANA time zone such as Europe/Paris',
      'sources.crm.identity: unknown key "identity"',
      'sources.shop.kind: unknown source kind "mysqll" (did you mean "mysql"?)',
      'entities.contact.fields.emial: contact has no field "emial" (did you mean "email"?)',
      'entities.contact.fields.kind.values.p: "PERSN" is not one of PERSON, COMPANY (did you mean "PERSON"?)',
      'entities.contact.where.statut.notin: unknown key "notin" (did you mean "notIn"?)',
      'entities.order.source: unknown source "shopp" (did you mean "shop"?) (declared: crm, shop)',
      'entities.order.fields.status.otherwise: "HELD" is not one of PENDING, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED, OTHER',
      'entities.order.fields.channel: expected a column name, { column, values, otherwise }, { const } or { related: { table, column, joinOn, orderBy } } (did you mean "column"?)',
      'entities.shopCustomer.fields.phone.related.pick: Invalid option: expected one of "latest"|"first"',
    ]);
  });

  it('takes `status: [a, b]` in where as a list, where equality alone used to say "Invalid input"', () => {
    const config = parseConfigText(configYaml({ crmUrl: 'postgres://c@h/crm', shopUrl: 'mysql://c@h/shop' }), {});
    const source = config.sources.shop;
    const order = source?.kind === 'mysql' ? source.entities.find((mapping) => mapping.entity === 'order') : undefined;
    expect(order?.where).toEqual([
      { column: 'type', op: 'in', values: ['shop_order'] },
      { column: 'status', op: 'notIn', values: ['trash', 'wc-checkout-draft'] },
      { column: 'customer_id', op: 'notNull' },
      { column: 'total_amount', op: 'range', gte: 0 },
    ]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function pollReady(
  port: number,
  child: ChildProcess,
  done: (body: Record<string, unknown>) => boolean,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 60_000;
  let last: { status: number; body: Record<string, unknown> } | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`c360 serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ready`);
      last = { status: response.status, body: (await response.json()) as Record<string, unknown> };
      if (done(last.body)) return last;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`c360 serve never reported the mapping problem; last /ready: ${JSON.stringify(last)}`);
}
