/**
 * Typed inputs: a shop that stores dates of birth as "dd/mm/yyyy" text is read per the
 * format its mapping declares, so the date links and blocks like a DATE column; values that
 * are not dates in that format are counted by `c360 check` and by a customer's `dataQuality`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { runCheck } from '../../src/cli/check.js';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmDb = uniqueDatabaseName('c360_dates_crm');
const shopDb = uniqueDatabaseName('c360_dates_shop');
let config: C360Config;
let gateway: TestGateway;

beforeAll(async () => {
  const crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  const shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopDb);
  const crm = await openSqlAdmin('postgres', crmUrl);
  await crm.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, postcode TEXT, city TEXT, street TEXT, birth_date DATE)');
  await crm.insert(
    'contacts',
    ['id', 'first_name', 'last_name', 'postcode', 'city', 'street', 'birth_date'],
    [
      [1, 'Hélène', 'Garnier', '35000', 'Rennes', '4 rue de la Paix', '1979-11-23'],
      [2, 'Paul', 'Lemaire', '69003', 'Lyon', '18 cours Gambetta', '1990-02-14'],
    ],
  );
  await crm.close();
  const shop = await openSqlAdmin('mysql', shopUrl);
  await shop.exec(
    'CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name VARCHAR(40), last_name VARCHAR(40), postcode VARCHAR(10), city VARCHAR(40), street VARCHAR(80), dob VARCHAR(20))',
  );
  await shop.insert(
    'customers',
    ['id', 'first_name', 'last_name', 'postcode', 'city', 'street', 'dob'],
    [
      [7, 'Helene', 'Garnier', '35000', 'Rennes', '4 r. de la Paix', '23/11/1979'],
      [8, 'Paul', 'Lemaire', '69003', 'Lyon', null, '31/02/1990'],
      [9, 'Inès', 'Roux', '13001', 'Marseille', null, 'inconnue'],
      [10, 'Marc', 'Roux', '13001', 'Marseille', null, null],
    ],
  );
  await shop.close();
  config = parseConfig({
    server: { port: 0 },
    sources: { crm: { kind: 'postgres', url: crmUrl }, shop: { kind: 'mysql', url: shopUrl } },
    entities: {
      contact: {
        source: 'crm',
        table: 'contacts',
        fields: {
          id: 'id',
          kind: { const: 'PERSON' },
          firstName: 'first_name',
          lastName: 'last_name',
          postcode: 'postcode',
          city: 'city',
          street: 'street',
          birthDate: 'birth_date',
        },
      },
      shopCustomer: {
        source: 'shop',
        table: 'customers',
        fields: {
          id: 'id',
          firstName: 'first_name',
          lastName: 'last_name',
          postcode: 'postcode',
          city: 'city',
          street: 'street',
          birthDate: { column: 'dob', format: 'DD/MM/YYYY' },
        },
      },
    },
    identity: { probabilistic: { enabled: true, blocking: ['birthDate'] } },
  });
  gateway = await startTestGateway(config);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopDb);
});

describe('dates of birth stored as text in a declared format', () => {
  it('reads "23/11/1979" as 1979-11-23, so a birth-date block finds the shop record and the score links it', async () => {
    const result = await gateway.query(`query ($id: ID!) { customer(id: $id) { identities { entity key matchedBy } } }`, {
      id: encodeCustomerId({ entity: 'contact', key: '1' }),
    });
    expect(result.errors).toBeUndefined();
    expect((result.data as { customer: { identities: Array<{ entity: string; key: string; matchedBy: string }> } }).customer.identities).toContainEqual({
      entity: 'shopCustomer',
      key: '7',
      matchedBy: 'PROBABILISTIC',
    });
  });

  it('reads a value that is no date in the format as null', async () => {
    const result = await gateway.query(`query ($id: ID!) { customer(id: $id) { shopAccounts { id } identities { key } } }`, {
      id: encodeCustomerId({ entity: 'shopCustomer', key: '8' }),
    });
    expect(result.errors).toBeUndefined();
    // 31/02 is no calendar date: no birth-date block, so no link to Paul Lemaire's contact.
    expect((result.data as { customer: { identities: Array<{ key: string }> } }).customer.identities.map((identity) => identity.key)).toEqual(['8']);
  });

  it("has dataQuality count the customer's stored dates of birth that are not dates in the format", async () => {
    const query = `query ($id: ID!) { customer(id: $id) { dataQuality { birthDateValid unparseableBirthDates } } }`;
    const quality = async (entity: 'contact' | 'shopCustomer', key: string) => {
      const result = await gateway.query(query, { id: encodeCustomerId({ entity, key }) });
      expect(result.errors).toBeUndefined();
      return (result.data as { customer: { dataQuality: { birthDateValid: boolean | null; unparseableBirthDates: number } } }).customer.dataQuality;
    };
    // "31/02/1990" and "inconnue" are stored but are not dates: counted, and the date is not valid.
    expect(await quality('shopCustomer', '8')).toEqual({ birthDateValid: false, unparseableBirthDates: 1 });
    expect(await quality('shopCustomer', '9')).toEqual({ birthDateValid: false, unparseableBirthDates: 1 });
    // No value stored: nothing to count, no verdict.
    expect(await quality('shopCustomer', '10')).toEqual({ birthDateValid: null, unparseableBirthDates: 0 });
    // "23/11/1979" read in the format, linked to the CRM's DATE column: valid, none counted.
    expect(await quality('contact', '1')).toEqual({ birthDateValid: true, unparseableBirthDates: 0 });
  });

  it('has c360 check count the stored values that are not dates in the declared format', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    expect(await runCheck(config, out)).toBe(0);
    expect(chunks.join('')).toContain('WARN  shop: entities.shopCustomer.fields.birthDate: 2 of 3 values are not dates in DD/MM/YYYY (read as null)');
  });
});
