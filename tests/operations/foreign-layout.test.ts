/**
 * The test of the design: a CRM laid out like Odoo's res_partner and a shop laid out like
 * PrestaShop's ps_customer / ps_orders / ps_order_detail give the 360 view by config alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { parseConfigText } from '../../src/config/load.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmName = uniqueDatabaseName('c360_odoo');
const shopName = uniqueDatabaseName('c360_presta');
let gateway: TestGateway;

const ODOO = `
CREATE TABLE res_partner (
  id serial PRIMARY KEY, name varchar NOT NULL, is_company boolean NOT NULL DEFAULT false,
  email varchar, phone varchar, mobile varchar, street varchar, zip varchar, city varchar,
  parent_id integer, ref varchar, company_registry varchar, active boolean NOT NULL DEFAULT true,
  create_date timestamp, write_date timestamp);
INSERT INTO res_partner (id, name, is_company, email, phone, street, zip, city, company_registry, active, create_date, write_date) VALUES
  (7, 'Boulangerie Martin', true, 'contact@boulangerie-martin.fr', '01 44 55 66 77', '3 rue de la Paix', '75002', 'Paris', '73282932000074', true, '2024-01-02 09:00:00', '2024-01-02 09:00:00'),
  (8, 'Jean Martin', false, 'Jean.Martin@orange.fr', '06 11 22 33 44', '12 bd Voltaire', '75011', 'Paris', null, true, '2024-02-03 10:00:00', '2024-05-06 11:00:00'),
  (9, 'Archived Person', false, 'archived@orange.fr', null, null, null, null, null, false, '2020-01-01 00:00:00', '2020-01-01 00:00:00');
UPDATE res_partner SET parent_id = 7 WHERE id = 8;
`;

const PRESTA = `
CREATE TABLE ps_customer (id_customer int PRIMARY KEY, firstname varchar(64), lastname varchar(64), email varchar(128), birthday date, date_add datetime, date_upd datetime);
CREATE TABLE ps_orders (id_order int PRIMARY KEY, id_customer int, reference varchar(9), current_state int, total_paid_tax_incl decimal(20,6), date_add datetime);
CREATE TABLE ps_order_detail (id_order_detail int PRIMARY KEY, id_order int, product_id int, product_reference varchar(64), product_name varchar(255), product_quantity int, unit_price_tax_incl decimal(20,6), total_price_tax_incl decimal(20,6));
CREATE TABLE ps_product (id_product int PRIMARY KEY, reference varchar(64), price decimal(20,6));
INSERT INTO ps_customer VALUES (501, 'Jean', 'Martin', ' JEAN.MARTIN@orange.fr ', '1980-04-12', '2023-06-01 12:00:00', '2023-06-01 12:00:00'),
  (502, 'Alice', 'Nguyen', 'alice.nguyen@free.fr', null, '2024-03-01 08:00:00', '2024-03-01 08:00:00');
INSERT INTO ps_orders VALUES (9001, 501, 'XKBKNABJK', 5, 59.900000, '2024-04-01 15:30:00'), (9002, 501, 'OHSATSERP', 2, 120.000000, '2024-06-10 09:15:00'), (9003, 502, 'QWERTYUIO', 6, 35.500000, '2024-05-05 10:00:00');
INSERT INTO ps_order_detail VALUES (1, 9001, 31, 'SKU-TSHIRT', 'T-shirt bleu', 2, 29.950000, 59.900000), (2, 9002, 32, 'SKU-VESTE', 'Veste', 1, 120.000000, 120.000000), (3, 9003, 31, 'SKU-TSHIRT', 'T-shirt bleu', 1, 35.500000, 35.500000);
INSERT INTO ps_product VALUES (31, 'SKU-TSHIRT', 29.950000), (32, 'SKU-VESTE', 120.000000);
`;

function configYaml(crmUrl: string, shopUrl: string): string {
  return `
sources:
  crm: { kind: postgres, url: "${crmUrl}" }
  shop: { kind: mysql, url: "${shopUrl}" }
entities:
  contact:
    source: crm
    table: res_partner
    where: { active: true }
    fields:
      id: id
      kind: { column: is_company, values: { "true": COMPANY, "false": PERSON } }
      lastName: name
      companyName: name
      email: email
      phone: phone
      mobile: mobile
      street: street
      postcode: zip
      city: city
      country: { const: FR }
      accountId: parent_id
      createdAt: create_date
      updatedAt: write_date
  account:
    source: crm
    table: res_partner
    where: { is_company: true }
    fields: { id: id, name: name, siret: company_registry }
  shopCustomer:
    source: shop
    table: ps_customer
    fields: { id: id_customer, firstName: firstname, lastName: lastname, email: email, birthDate: birthday, createdAt: date_add, updatedAt: date_upd }
  order:
    source: shop
    table: ps_orders
    fields:
      id: id_order
      customerId: id_customer
      channel: { const: WEB }
      currency: { const: EUR }
      status: { column: current_state, values: { "2": PAID, "4": SHIPPED, "5": DELIVERED, "6": CANCELLED, "7": RETURNED } }
      total: total_paid_tax_incl
      placedAt: date_add
  orderLine:
    source: shop
    table: ps_order_detail
    fields: { id: id_order_detail, orderId: id_order, productId: product_id, sku: product_reference, productName: product_name, quantity: product_quantity, unitPrice: unit_price_tax_incl, lineTotal: total_price_tax_incl }
  product:
    source: shop
    table: ps_product
    fields: { id: id_product, sku: reference, price: price }
`;
}

beforeAll(async () => {
  const crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  const shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopName);
  for (const [kind, url, sql] of [
    ['postgres', crmUrl, ODOO],
    ['mysql', shopUrl, PRESTA],
  ] as const) {
    const admin = await openSqlAdmin(kind, url);
    await admin.exec(sql);
    await admin.close();
  }
  gateway = await startTestGateway(parseConfigText(configYaml(crmUrl, shopUrl), {}));
});

afterAll(async () => {
  await gateway?.stop();
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopName);
});

const VIEW = `
  id kind displayName email phone
  sources { source entity key matchedBy }
  account { name siret }
  orders(first: 5) { nodes { id status channel total currency placedAt lines { sku productName quantity unitPrice product { sku price } } } }
`;

describe('a CRM laid out like Odoo and a shop laid out like PrestaShop', () => {
  it('assembles the 360 view of a person present in both, linked by email despite case and spaces', async () => {
    const result = await gateway.query(`query($email: String!) { customerBy(email: $email) { ${VIEW} } }`, { email: 'jean.martin@ORANGE.fr' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.customerBy).toEqual({
      id: expect.stringMatching(/^cus_/),
      kind: 'PERSON',
      displayName: 'Jean Martin',
      email: 'jean.martin@orange.fr',
      phone: '+33611223344',
      sources: [
        { source: 'crm', entity: 'contact', key: '8', matchedBy: 'ANCHOR' },
        { source: 'shop', entity: 'shopCustomer', key: '501', matchedBy: 'EMAIL' },
      ],
      account: { name: 'Boulangerie Martin', siret: '73282932000074' },
      orders: {
        nodes: [
          {
            id: '9002',
            status: 'PAID',
            channel: 'WEB',
            total: 120,
            currency: 'EUR',
            placedAt: '2024-06-10T09:15:00.000Z',
            lines: [{ sku: 'SKU-VESTE', productName: 'Veste', quantity: 1, unitPrice: 120, product: { sku: 'SKU-VESTE', price: 120 } }],
          },
          {
            id: '9001',
            status: 'DELIVERED',
            channel: 'WEB',
            total: 59.9,
            currency: 'EUR',
            placedAt: '2024-04-01T15:30:00.000Z',
            lines: [{ sku: 'SKU-TSHIRT', productName: 'T-shirt bleu', quantity: 2, unitPrice: 29.95, product: { sku: 'SKU-TSHIRT', price: 29.95 } }],
          },
        ],
      },
    });
  });

  it('gives the same customer id from the shop record as from the CRM record', async () => {
    const byShop = await gateway.query(`{ customerBy(externalId: { source: "shop", key: "501" }) { id displayName } }`);
    const byCrm = await gateway.query(`{ customerBy(externalId: { source: "crm", key: "8" }) { id } }`);
    expect(byShop.data?.customerBy).toEqual({ id: (byCrm.data?.customerBy as { id: string }).id, displayName: 'Jean Martin' });
  });

  it('serves a shop-only customer, and pages every customer once with archived partners left out', async () => {
    const page = await gateway.query(`{ customers(first: 10) { edges { node { displayName kind orders { nodes { status } } } } pageInfo { hasNextPage } } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data?.customers).toEqual({
      edges: [
        { node: { displayName: 'Boulangerie Martin', kind: 'COMPANY', orders: { nodes: [] } } },
        { node: { displayName: 'Jean Martin', kind: 'PERSON', orders: { nodes: [{ status: 'PAID' }, { status: 'DELIVERED' }] } } },
        { node: { displayName: 'Alice Nguyen', kind: 'PERSON', orders: { nodes: [{ status: 'CANCELLED' }] } } },
      ],
      pageInfo: { hasNextPage: false },
    });
  });
});
