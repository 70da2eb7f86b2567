/**
 * Operator-declared normalized columns: MariaDB cannot index LOWER(TRIM(last_name)) or the
 * digits of a phone, so the operator adds indexed virtual columns holding them and names
 * them in the mapping; c360's lookups then compare those columns by name (the index serves
 * them, EXPLAIN says so), and `c360 check` names a declared column the table lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import type { EntityMapping } from '../../connectors/mapping.js';
import { compileLoad } from '../../connectors/sql/compile.js';
import { createMysqlDialect, createPostgresDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { createEntityScope } from '../../connectors/sql/scope.js';
import { runCheck } from '../../src/cli/check.js';
import { parseConfig } from '../../src/config/parse.js';
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const shopDb = uniqueDatabaseName('c360_normcol');
let shopUrl: string;
let admin: SqlAdmin;

function rawConfig(normalizedColumns: Record<string, unknown>) {
  return {
    server: { port: 0 },
    sources: { shop: { kind: 'mysql', url: shopUrl } },
    entities: { shopCustomer: { source: 'shop', table: 'customers', fields: { id: 'id', lastName: 'last_name', phone: 'phone', email: 'email' }, normalizedColumns } },
  };
}

beforeAll(async () => {
  shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopDb);
  admin = await openSqlAdmin('mysql', shopUrl);
  await admin.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, last_name VARCHAR(80), phone VARCHAR(40), email VARCHAR(160),
    last_name_key VARCHAR(80) AS (LOWER(TRIM(last_name))) VIRTUAL, phone_digits VARCHAR(40) AS (REGEXP_REPLACE(phone, '[^0-9]', '')) VIRTUAL,
    INDEX (last_name_key), INDEX (phone_digits))`);
  await admin.insert('customers', ['id', 'last_name', 'phone', 'email'], Array.from({ length: 2000 }, (_, i) => [i + 1, `Nom${i % 400}`, `06 ${String(10_000_000 + i).slice(-8)}`, `p${i}@free.fr`]));
  await admin.exec('ANALYZE TABLE customers');
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopDb);
});

function shopMapping(normalizedColumns: Record<string, unknown>): EntityMapping {
  const source = parseConfig(rawConfig(normalizedColumns)).sources.shop as SqlSourceConfig;
  return source.entities[0]!;
}

describe('a lookup on a field with a declared normalized column', () => {
  const declared = { lastName: { caseInsensitive: 'last_name_key' }, phone: { digits: 'phone_digits' } };

  it.each([
    ['lastName', 'caseInsensitive', 'nom7', 'last_name_key'],
    ['phone', 'digits', '0610000007', 'phone_digits'],
  ] as const)('compares %s by the column, and the index on it serves the lookup', async (keyField, keyMatch, key, column) => {
    const scope = createEntityScope('shop', shopMapping(declared), createMysqlDialect('mariadb', 5000));
    const compiled = compileLoad(scope, { entity: 'shopCustomer', keyField, keyMatch, keys: [key], projection: ['id', 'lastName'], limitPerKey: 50, orderBy: [{ field: 'id', direction: 'ASC' }] }, [key]);
    const statement = render(compiled.statement, () => '?');
    expect(statement.text).toContain(`\`${column}\` IN (?)`);
    expect(statement.text).not.toMatch(/LOWER\(TRIM\(`last_name`\)\)|REGEXP_REPLACE\(`phone`/);
    const plan = await admin.query(`EXPLAIN ${statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '')}`, statement.params as never);
    expect(plan.map((step) => step.key)).toContain(column);
  });

  it('compares the expression when no column is declared (no index can serve it)', () => {
    const scope = createEntityScope('shop', shopMapping({}), createMysqlDialect('mariadb', 5000));
    const compiled = compileLoad(scope, { entity: 'shopCustomer', keyField: 'lastName', keyMatch: 'caseInsensitive', keys: ['nom7'], projection: ['id'] }, ['nom7']);
    expect(render(compiled.statement, () => '?').text).toContain('LOWER(TRIM(`last_name`)) IN (?)');
  });

  it('has c360 check name a declared normalized column the table lacks', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    expect(await runCheck(parseConfig(rawConfig({ email: { email: 'mailbox_key' } })), out)).toBe(1);
    expect(chunks.join('')).toContain('FAIL  shop: entities.shopCustomer.fields.email: table "customers" has no column "mailbox_key" (declared as the email normalized column of shopCustomer.email)');
  });
});

describe('the mailbox key on PostgreSQL', () => {
  const crmDb = uniqueDatabaseName('c360_mailbox');
  let crm: SqlAdmin;
  beforeAll(async () => {
    crm = await openSqlAdmin('postgres', await createDatabase('postgres', POSTGRES_SERVER_URL, crmDb));
    await crm.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT)');
  });
  afterAll(async () => {
    await crm?.close();
    await dropDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  });

  it('is an expression an index can hold, and the index serves an email lookup', async () => {
    const mapping: EntityMapping = { entity: 'contact', table: 'contacts', key: 'id', fields: { id: { kind: 'column', column: 'id', type: 'string' }, email: { kind: 'column', column: 'email', type: 'string' } }, where: [] };
    const compiled = compileLoad(createEntityScope('crm', mapping, createPostgresDialect()), { entity: 'contact', keyField: 'email', keyMatch: 'email', keys: ['mariedupont@gmail.com'], projection: ['id'] }, ['mariedupont@gmail.com']);
    const statement = render(compiled.statement, (n) => `$${n}`);
    const expression = /WHERE (.*) = ANY\(\$1\)$/.exec(statement.text)![1]!;
    await crm.exec(`CREATE INDEX contacts_mailbox ON contacts (${expression})`);
    await crm.insert('contacts', ['id', 'email'], [[1, 'Marie.Dupont+promo@Gmail.com'], [2, 'jean@orange.fr']]);
    const found = await crm.query(statement.text, statement.params as never);
    expect(found.map((row) => row.id)).toEqual([1]);
    await crm.exec('SET enable_seqscan = off');
    const plan = await crm.query(`EXPLAIN ${statement.text}`, statement.params as never);
    expect(JSON.stringify(plan)).toContain('contacts_mailbox');
  });
});
