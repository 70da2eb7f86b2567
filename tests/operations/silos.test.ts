/**
 * Roles, not names: an entity mapped in several sources. Shop accounts (MariaDB) and the
 * stores' loyalty card holders (a PostgreSQL database of their own) are both shopCustomer;
 * shop orders and store receipts both order, their lines both orderLine. A customer's web
 * orders and store receipts are one list, linked by phone or email to the CRM contact, and a
 * card holder no other source knows is a customer of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { runCheck } from '../../src/cli/check.js';
import { capture } from '../support/capture.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmName = uniqueDatabaseName('c360_silo_crm');
const shopName = uniqueDatabaseName('c360_silo_shop');
const loyaltyName = uniqueDatabaseName('c360_silo_loyalty');
let gateway: TestGateway;
let config: string;

const CRM = `
CREATE TABLE contacts (id integer PRIMARY KEY, first_name varchar, last_name varchar, email varchar, mobile varchar, city varchar, updated_at timestamp);
INSERT INTO contacts VALUES
  (1, 'Claire', 'Dupuis', 'claire.dupuis@laposte.net', '06 12 34 56 78', 'Tours', '2024-01-01 10:00:00'),
  (2, 'Paul', 'Moreau', 'paul.moreau@free.fr', '06 55 44 33 22', 'Lyon', '2024-01-01 10:00:00');
`;

const SHOP = `
CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(100), phone varchar(40), first_name varchar(50), last_name varchar(50));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, channel varchar(10), total decimal(10,2), placed_at datetime, KEY c (customer_id));
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint, product_id bigint, product_name varchar(100), quantity int, line_total decimal(10,2), KEY o (order_id));
CREATE TABLE products (id bigint PRIMARY KEY, name varchar(100), price decimal(10,2));
INSERT INTO customers VALUES (101, 'Claire.Dupuis@laposte.net', null, 'Claire', 'Dupuis');
INSERT INTO orders VALUES (5001, 101, 'web', 40.00, '2024-05-01 10:00:00');
INSERT INTO order_lines VALUES (1, 5001, 31, 'Comté 18 mois 250 g', 2, 40.00);
INSERT INTO products VALUES (31, 'Comté 18 mois 250 g', 20.00), (32, 'Brie de Meaux 200 g', 15.00);
CREATE TABLE web_events (id bigint PRIMARY KEY, customer_id bigint, type varchar(20), occurred_at datetime, KEY c (customer_id));
INSERT INTO web_events VALUES (1, 101, 'product_view', '2024-08-01 10:00:00'), (2, 0, 'product_view', '2024-08-02 10:00:00');
`;

// The point of sale: cards by number, receipts and their lines, product ids of the web shop's catalogue.
const LOYALTY = `
CREATE TABLE card_holders (card_number varchar PRIMARY KEY, phone varchar, email varchar, first_name varchar, last_name varchar);
CREATE TABLE receipts (id integer PRIMARY KEY, card_number varchar REFERENCES card_holders, store_id varchar, total numeric(10,2), placed_at timestamp);
CREATE TABLE receipt_lines (id integer PRIMARY KEY, receipt_id integer REFERENCES receipts, product_id integer, label varchar, quantity integer, line_total numeric(10,2));
INSERT INTO card_holders VALUES
  ('LC0001', '+33 6 55 44 33 22', null, 'PAUL', 'MOREAU'),
  ('LC0002', '0612345678', null, 'Claire', 'Dupuis'),
  ('LC0003', '06 99 88 77 66', 'solo@orange.fr', 'Inès', 'Solo');
INSERT INTO receipts VALUES
  (5001, 'LC0002', 'TOURS-01', 15.00, '2024-06-01 18:00:00'),
  (7, 'LC0001', 'LYON-02', 30.00, '2024-07-01 11:00:00'),
  (8, 'LC0003', 'LYON-02', 20.00, '2024-08-01 12:00:00');
INSERT INTO receipt_lines VALUES (1, 5001, 32, 'BRIE MEAUX 200G', 1, 15.00), (2, 7, 32, 'BRIE MEAUX 200G', 2, 30.00), (3, 8, 31, 'COMTE 18M', 1, 20.00);
`;

function configYaml(urls: { crm: string; shop: string; loyalty: string }): string {
  return `
sources:
  crm: { kind: postgres, url: "${urls.crm}" }
  shop: { kind: mysql, url: "${urls.shop}" }
  loyalty: { kind: postgres, url: "${urls.loyalty}" }
entities:
  contact:
    source: crm
    table: contacts
    fields: { id: id, firstName: first_name, lastName: last_name, email: email, mobile: mobile, city: city, updatedAt: updated_at }
  shopCustomer:
    - source: shop
      table: customers
      fields: { id: id, email: email, phone: phone, firstName: first_name, lastName: last_name }
    - source: loyalty
      table: card_holders
      fields: { id: card_number, phone: phone, email: email, firstName: first_name, lastName: last_name }
  order:
    - source: shop
      table: orders
      fields: { id: id, customerId: customer_id, channel: { column: channel, values: { web: WEB } }, total: total, placedAt: placed_at }
    - source: loyalty
      table: receipts
      fields: { id: id, customerId: card_number, channel: { const: STORE }, storeId: store_id, total: total, placedAt: placed_at }
  orderLine:
    - source: shop
      table: order_lines
      fields: { id: id, orderId: order_id, productId: product_id, productName: product_name, quantity: quantity, lineTotal: line_total }
    - source: loyalty
      table: receipt_lines
      fields: { id: id, orderId: receipt_id, productId: product_id, productName: label, quantity: quantity, lineTotal: line_total }
  product:
    source: shop
    table: products
    fields: { id: id, name: name, price: price }
  event:
    source: shop
    table: web_events
    fields: { id: id, customerId: customer_id, type: { column: type, values: { product_view: PRODUCT_VIEW } }, occurredAt: occurred_at }
`;
}

beforeAll(async () => {
  const urls = {
    crm: await createDatabase('postgres', POSTGRES_SERVER_URL, crmName),
    shop: await createDatabase('mysql', MYSQL_SERVER_URL, shopName),
    loyalty: await createDatabase('postgres', POSTGRES_SERVER_URL, loyaltyName),
  };
  for (const [kind, url, sql] of [
    ['postgres', urls.crm, CRM],
    ['mysql', urls.shop, SHOP],
    ['postgres', urls.loyalty, LOYALTY],
  ] as const) {
    const admin = await openSqlAdmin(kind, url);
    try {
      await admin.exec(sql);
    } finally {
      await admin.close();
    }
  }
  config = configYaml(urls);
  gateway = await startTestGateway(parseConfigText(config, {}));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopName);
  await dropDatabase('postgres', POSTGRES_SERVER_URL, loyaltyName);
});

interface OrderJson {
  readonly id: string;
  readonly total: number;
}
interface CustomerJson {
  readonly id: string;
  readonly displayName: string;
  readonly sources: ReadonlyArray<{ readonly key: string }>;
  readonly orders: { readonly nodes: ReadonlyArray<OrderJson> };
  readonly timeline: ReadonlyArray<{ readonly kind: string }>;
  readonly rfm: unknown;
}
interface PageJson {
  readonly edges: ReadonlyArray<{ readonly node: CustomerJson }>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

const CUSTOMER = `
  id displayName
  sources { source entity key matchedBy }
  orders(first: 10) { nodes { id channel storeId total placedAt lines { productName quantity product { name } } } }
`;

describe('an entity mapped in several sources', () => {
  it('shows a customer’s web orders and store receipts as one list, each receipt from the loyalty system', async () => {
    const result = await gateway.query(`{ customerBy(email: "claire.dupuis@laposte.net") { ${CUSTOMER} timeline { kind source at } } }`);
    expect(result.errors).toBeUndefined();
    const customer = result.data!.customerBy as unknown as CustomerJson;
    expect(customer.sources).toEqual([
      { source: 'crm', entity: 'contact', key: '1', matchedBy: 'ANCHOR' },
      { source: 'shop', entity: 'shopCustomer', key: '101', matchedBy: 'EMAIL' },
      { source: 'loyalty', entity: 'shopCustomer', key: 'loyalty:LC0002', matchedBy: 'PHONE' },
    ]);
    // Two orders numbered 5001, one per source: the receipt's key carries its source.
    expect(customer.orders.nodes).toEqual([
      {
        id: 'loyalty:5001',
        channel: 'STORE',
        storeId: 'TOURS-01',
        total: 15,
        placedAt: '2024-06-01T18:00:00.000Z',
        lines: [{ productName: 'BRIE MEAUX 200G', quantity: 1, product: { name: 'Brie de Meaux 200 g' } }],
      },
      {
        id: '5001',
        channel: 'WEB',
        storeId: null,
        total: 40,
        placedAt: '2024-05-01T10:00:00.000Z',
        lines: [{ productName: 'Comté 18 mois 250 g', quantity: 2, product: { name: 'Comté 18 mois 250 g' } }],
      },
    ]);
    expect(customer.timeline.filter((entry) => entry.kind === 'ORDER')).toEqual([
      { kind: 'ORDER', source: 'shop', at: '2024-05-01T10:00:00.000Z' },
      { kind: 'ORDER', source: 'loyalty', at: '2024-06-01T18:00:00.000Z' },
    ]);
    const onlyStores = await gateway.query(`{ customerBy(email: "claire.dupuis@laposte.net") { timeline(sources: ["loyalty"]) { kind source } } }`);
    expect((onlyStores.data!.customerBy as unknown as CustomerJson).timeline).toEqual([{ kind: 'ORDER', source: 'loyalty' }]);
  });

  it('links a contact with no shop account to its store receipts by phone, with RFM over them', async () => {
    const result = await gateway.query(`{ customerBy(email: "paul.moreau@free.fr") { ${CUSTOMER} rfm(asOf: "2024-09-01T00:00:00Z") { frequency monetary } } }`);
    expect(result.errors).toBeUndefined();
    const customer = result.data!.customerBy as unknown as CustomerJson;
    expect(customer.sources.map((record) => record.key)).toEqual(['2', 'loyalty:LC0001']);
    expect(customer.orders.nodes.map((order) => [order.id, order.total])).toEqual([['loyalty:7', 30]]);
    expect(customer.rfm).toEqual({ frequency: 1, monetary: 30 });
  });

  it('makes a card holder no other source knows a customer, found by id, by phone and in the pages', async () => {
    const byPhone = await gateway.query(`{ customerBy(phone: "+33699887766") { ${CUSTOMER} } }`);
    expect(byPhone.errors).toBeUndefined();
    const customer = byPhone.data!.customerBy as unknown as CustomerJson;
    expect(customer.displayName).toBe('Inès Solo');
    expect(customer.sources).toEqual([{ source: 'loyalty', entity: 'shopCustomer', key: 'loyalty:LC0003', matchedBy: 'ANCHOR' }]);
    expect(customer.orders.nodes.map((order) => order.id)).toEqual(['loyalty:8']);
    const byId = await gateway.query(`query($id: ID!) { customer(id: $id) { displayName } }`, { id: customer.id });
    expect(byId.data!.customer).toEqual({ displayName: 'Inès Solo' });

    // Every customer once: two CRM contacts, then the one person the shop phase adds.
    const page = await gateway.query(`{ customers(first: 10) { edges { node { id displayName } } pageInfo { hasNextPage } } }`);
    expect(page.errors).toBeUndefined();
    const names = (page.data!.customers as unknown as PageJson).edges.map((edge) => edge.node.displayName);
    expect(names).toEqual(['Claire Dupuis', 'Paul Moreau', 'Inès Solo']);
    // Paged one at a time, the keyset cursor crosses from the shop's accounts into the loyalty cards.
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const step = await gateway.query(
        `query($after: String) { customers(first: 1, after: $after) { edges { node { displayName } } pageInfo { hasNextPage endCursor } } }`,
        {
          after,
        },
      );
      expect(step.errors).toBeUndefined();
      const stepPage = step.data!.customers as unknown as PageJson;
      seen.push(...stepPage.edges.map((edge) => edge.node.displayName));
      if (!stepPage.pageInfo.hasNextPage) break;
      after = stepPage.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);
  });

  it('reads the orders and lines of a page of customers in at most one statement per source and entity', async () => {
    const result = await gateway.query(`{ customers(first: 10) { edges { node { orders(first: 5) { nodes { id lines { productName } } } } } } }`, undefined, {
      trace: true,
    });
    expect(result.errors).toBeUndefined();
    const orders = (result.data!.customers as unknown as PageJson).edges.map((edge) => edge.node.orders.nodes.map((order) => order.id));
    expect(orders).toEqual([['loyalty:5001', '5001'], ['loyalty:7'], ['loyalty:8']]);
    const statements = statementsByEntity(result.extensions?.trace);
    // The shop's orders and lines come with its accounts (one statement: the include); the
    // loyalty system's with its cards, or batched for the page: never one per customer.
    for (const entity of ['shop.order', 'shop.orderLine', 'loyalty.order', 'loyalty.orderLine']) expect(statements[entity] ?? 0).toBeLessThanOrEqual(1);
    expect(Object.keys(statements).sort()).toEqual(expect.arrayContaining(['crm.contact', 'loyalty.shopCustomer', 'shop.shopCustomer']));
  });

  it('counts segments and filters customers by revenue over the orders of every source', async () => {
    // Accounts with an order in the window: shop 101 (40), cards LC0002 (15), LC0001 (30), LC0003 (20).
    const segments = await gateway.query(`{ segments(asOf: "2024-09-01T00:00:00Z") { segment { family } customers revenue } }`);
    expect(segments.errors).toBeUndefined();
    // The grid's segments partition the scored accounts (marketing segments overlap them).
    const rows = (segments.data!.segments as ReadonlyArray<{ segment: { family: string }; customers: number; revenue: number }>).filter(
      (row) => row.segment.family === 'GRID',
    );
    expect(rows.reduce((sum, row) => sum + row.customers, 0)).toBe(4);
    expect(rows.reduce((sum, row) => sum + row.revenue, 0)).toBeCloseTo(105, 2);
    const names = async (minRevenue: number, first: number) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const page = await gateway.query(
          `query($after: String, $min: Float) { customers(first: ${first}, after: $after, filter: { minRevenue: $min, asOf: "2024-09-01T00:00:00Z" }) { edges { node { displayName } } pageInfo { hasNextPage endCursor } } }`,
          { after, min: minRevenue },
        );
        expect(page.errors).toBeUndefined();
        const connection = page.data!.customers as unknown as PageJson;
        seen.push(...connection.edges.map((edge) => edge.node.displayName));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      return seen;
    };
    expect(await names(25, 10)).toEqual(['Claire Dupuis', 'Paul Moreau']);
    expect(await names(18, 10)).toEqual(['Claire Dupuis', 'Paul Moreau', 'Inès Solo']);
    // One at a time: the members' walk goes from the shop's accounts into the cards.
    expect(await names(18, 1)).toEqual(['Claire Dupuis', 'Paul Moreau', 'Inès Solo']);
  });

  it('reports data quality per source, the loyalty system on its own lines', async () => {
    const result = await gateway.query(`{ dataQualityReport { records { source entity count } issues { source entity kind count } } }`);
    expect(result.errors).toBeUndefined();
    const report = result.data!.dataQualityReport as {
      records: Array<{ source: string; entity: string; count: number }>;
      issues: Array<{ source: string; entity: string; kind: string; count: number }>;
    };
    expect(report.records).toEqual([
      { source: 'crm', entity: 'contact', count: 2 },
      { source: 'shop', entity: 'shopCustomer', count: 1 },
      { source: 'loyalty', entity: 'shopCustomer', count: 3 },
    ]);
    const issue = (source: string, kind: string) => report.issues.find((line) => line.source === source && line.kind === kind)?.count;
    // Two of the three cards carry no email; the shop's one account has no phone.
    expect(issue('loyalty', 'MISSING_EMAIL')).toBe(2);
    expect(issue('loyalty', 'MISSING_PHONE')).toBe(0);
    expect(issue('shop', 'MISSING_PHONE')).toBe(1);
  });

  it('groups the BI cube over shop orders and store receipts together', async () => {
    const query = `query($d: [AnalyticsDimension!]) { analytics(measures: [REVENUE, ORDERS, CUSTOMERS], dimensions: $d) { rows { dimensions { value } customers orders revenue } sources plan } }`;
    const byChannel = await gateway.query(query, { d: ['CHANNEL'] });
    expect(byChannel.errors).toBeUndefined();
    const answer = byChannel.data!.analytics as {
      rows: Array<{ dimensions: Array<{ value: string | null }>; customers: number; orders: number; revenue: number }>;
      sources: string[];
    };
    const row = (value: string) => answer.rows.find((candidate) => candidate.dimensions[0]!.value === value);
    expect(row('WEB')).toEqual({ dimensions: [{ value: 'WEB' }], customers: 1, orders: 1, revenue: 40 });
    expect(row('STORE')).toEqual({ dimensions: [{ value: 'STORE' }], customers: 3, orders: 3, revenue: 65 });
    // By CRM city, linked in c360 (the link map lists the cards beside the shop's accounts):
    // Tours is Claire's web order and receipt, Lyon Paul's receipt, the loyalty-only card no city.
    const linked = await gateway.query(
      `{ analytics(measures: [REVENUE, CUSTOMERS], dimensions: [CITY]) { rows { dimensions { value } customers revenue } plan } }`,
    );
    expect(linked.errors).toBeUndefined();
    const cities = linked.data!.analytics as { rows: Array<{ dimensions: Array<{ value: string | null }>; customers: number; revenue: number }>; plan: string };
    expect(cities.plan).toBe('LINKED');
    const city = (value: string | null) => cities.rows.find((group) => group.dimensions[0]!.value === value);
    // CUSTOMERS counts accounts (docs/analytics.md): Claire's web account and her card are two.
    expect(city('Tours')).toEqual({ dimensions: [{ value: 'Tours' }], customers: 2, revenue: 55 });
    expect(city('Lyon')).toEqual({ dimensions: [{ value: 'Lyon' }], customers: 1, revenue: 30 });
    expect(city(null)?.revenue).toBeCloseTo(20, 2);
    // Segments scored against the accounts of both sources: the same cells as Customer.rfm.
    const segments = await gateway.query(
      `{ analytics(measures: [REVENUE], dimensions: [SEGMENT], timeDimension: { dateRange: { from: "2024-01-01T00:00:00Z", to: "2024-09-01T00:00:00Z" } }) { rows { dimensions { value } revenue } } }`,
    );
    expect(segments.errors).toBeUndefined();
    const total = (segments.data!.analytics as { rows: Array<{ revenue: number }> }).rows.reduce((sum, group) => sum + group.revenue, 0);
    expect(total).toBeCloseTo(105, 2);
  });

  it('plans a GDPR erasure in each source by that source’s own keys', async () => {
    const found = await gateway.query(`{ customerBy(email: "claire.dupuis@laposte.net") { id } }`);
    const id = (found.data!.customerBy as { id: string }).id;
    const result = await gateway.query(`query($id: ID!) { erasurePlan(customerId: $id) { source entity keys } }`, { id });
    expect(result.errors).toBeUndefined();
    const plan = result.data!.erasurePlan as Array<{ source: string; entity: string; keys: string[] }>;
    expect(plan).toEqual(
      expect.arrayContaining([
        { source: 'crm', entity: 'contact', keys: ['1'] },
        { source: 'shop', entity: 'shopCustomer', keys: ['101'] },
        { source: 'loyalty', entity: 'shopCustomer', keys: ['LC0002'] },
        { source: 'shop', entity: 'order', keys: ['5001'] },
        { source: 'loyalty', entity: 'order', keys: ['5001'] },
      ]),
    );
  });

  it('ranks a loyalty system in survivorship by its source name', async () => {
    const provenanceOfName = async (on: TestGateway) => {
      const result = await on.query(`{ customerBy(email: "paul.moreau@free.fr") { provenance { field source key } } }`);
      expect(result.errors).toBeUndefined();
      return (result.data!.customerBy as { provenance: Array<{ field: string; source: string; key: string }> }).provenance.find(
        (field) => field.field === 'name',
      );
    };
    // By default the contact comes first; with the stores' cards trusted first, the card's name wins.
    expect(await provenanceOfName(gateway)).toEqual({ field: 'name', source: 'crm', key: '2' });
    const trusting = await startTestGateway(
      parseConfigText(`${config}\nidentity:\n  survivorship:\n    fields:\n      name: { strategy: sourcePriority, sources: [loyalty, crm, shop] }\n`, {}),
    );
    try {
      expect(await provenanceOfName(trusting)).toEqual({ field: 'name', source: 'loyalty', key: 'loyalty:LC0001' });
    } finally {
      await trusting.stop();
    }
  });

  it('is checked in every source: c360 check names each mapping of the entity where it lives', async () => {
    const out = capture();
    const code = await runCheck(parseConfigText(config, {}), out.stream);
    const text = out.text();
    expect(text).toContain('ok    loyalty: every mapped table and column exists');
    expect(text).toContain('ok    shop: every mapped table and column exists');
    expect(code).toBe(0);
    // A wrong column in the second mapping is that source's finding, with its path.
    const broken = config.replace('fields: { id: id, customerId: card_number, channel', 'fields: { id: id, customerId: card_numero, channel');
    const brokenOut = capture();
    expect(await runCheck(parseConfigText(broken, {}), brokenOut.stream)).toBe(1);
    expect(brokenOut.text()).toMatch(/FAIL\s+loyalty: .*receipts.*card_numero/);
  });

  it('never sends a card’s key to a source that holds only the web shop’s accounts', async () => {
    // Events live in the shop only: Claire's card names none of them. (MariaDB would read
    // "loyalty:LC0002" as the number 0, the guest's customer_id: event 2 is nobody's of hers.)
    const result = await gateway.query(`{ customerBy(email: "claire.dupuis@laposte.net") { events { id } } }`, undefined, { trace: true });
    expect(result.errors).toBeUndefined();
    expect((result.data!.customerBy as { events: Array<{ id: string }> }).events).toEqual([{ id: '1' }]);
    const eventStatements = (result.extensions?.trace ?? []).filter((call) => call.entity === 'event');
    expect(eventStatements.length).toBe(1);
    expect(eventStatements[0]!.rows).toBe(1);
  });

  it('refuses two mappings of one entity in one source, naming both', () => {
    const twice = config.replace('    - source: loyalty\n      table: card_holders', '    - source: shop\n      table: card_holders');
    let error: unknown;
    try {
      parseConfigText(twice, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('entities.shopCustomer.1.source');
    expect((error as ConfigError).message).toContain(
      'entity "shopCustomer" is already mapped in source "shop" (entities.shopCustomer.0): one mapping per source',
    );
  });
});
