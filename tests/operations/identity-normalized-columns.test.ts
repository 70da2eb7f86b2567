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
import { compileLoad, compileUnionLoad } from '../../connectors/sql/compile.js';
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
    entities: {
      shopCustomer: { source: 'shop', table: 'customers', fields: { id: 'id', lastName: 'last_name', phone: 'phone', email: 'email' }, normalizedColumns },
    },
  };
}

beforeAll(async () => {
  shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopDb);
  admin = await openSqlAdmin('mysql', shopUrl);
  await admin.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, last_name VARCHAR(80), phone VARCHAR(40), email VARCHAR(160),
    last_name_key VARCHAR(80) AS (LOWER(TRIM(last_name))) VIRTUAL, phone_digits VARCHAR(40) AS (REGEXP_REPLACE(phone, '[^0-9]', '')) VIRTUAL,
    INDEX (last_name_key), INDEX (phone_digits))`);
  await admin.insert(
    'customers',
    ['id', 'last_name', 'phone', 'email'],
    Array.from({ length: 2000 }, (_, i) => [i + 1, `Nom${i % 400}`, `06 ${String(10_000_000 + i).slice(-8)}`, `p${i}@free.fr`]),
  );
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
    const compiled = compileLoad(
      scope,
      {
        entity: 'shopCustomer',
        keyField,
        keyMatch,
        keys: [key],
        projection: ['id', 'lastName'],
        limitPerKey: 50,
        orderBy: [{ field: 'id', direction: 'ASC' }],
      },
      [key],
    );
    const statement = render(compiled.statement, () => '?');
    expect(statement.text).toContain(`\`${column}\` IN (?)`);
    expect(statement.text).not.toMatch(/LOWER\(TRIM\(`last_name`\)\)|REGEXP_REPLACE\(`phone`/);
    const plan = await admin.query(`EXPLAIN ${statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '')}`, statement.params as never);
    expect(plan.map((step) => step.key)).toContain(column);
  });

  it('reads several blocking keys in one UNION ALL statement whose every part an index serves', async () => {
    const scope = createEntityScope('shop', shopMapping(declared), createMysqlDialect('mariadb', 5000));
    const part = (keyField: string, keyMatch: 'caseInsensitive' | 'digits', keys: string[]) => ({
      request: {
        entity: 'shopCustomer',
        keyField,
        keyMatch,
        keys,
        projection: ['id', 'lastName', 'phone'],
        limitPerKey: 50,
        orderBy: [{ field: 'id', direction: 'ASC' as const }],
      },
      keys,
    });
    const compiled = compileUnionLoad(scope, [part('lastName', 'caseInsensitive', ['nom7', 'nom8']), part('phone', 'digits', ['0610000007'])]);
    const statement = render(compiled.statement, () => '?');
    // Two parts, and each key its own LIMIT subquery (nom7, nom8, the phone): three.
    expect(statement.text.match(/ AS `__part`/g)).toHaveLength(2);
    expect(statement.text.match(/ LIMIT \?\)/g)).toHaveLength(3);
    const bare = statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '');
    const plan = await admin.query(`EXPLAIN ${bare}`, statement.params as never);
    expect(plan.map((step) => step.key)).toEqual(expect.arrayContaining(['last_name_key', 'phone_digits']));
    expect(plan.filter((step) => step.table === 'customers').every((step) => step.type !== 'ALL')).toBe(true);
    // Each key's rows, by part: nom7 and nom8 have 5 rows each (2000 rows over 400 names), the phone one.
    const records = await admin.query(bare, statement.params as never);
    const byPart = records.map((record) => [compiled.partOf(record), compiled.parts[compiled.partOf(record)]!.keyOf(record)].join(':'));
    expect(byPart.filter((key) => key === '0:nom7')).toHaveLength(5);
    expect(byPart.filter((key) => key === '0:nom8')).toHaveLength(5);
    expect(byPart.filter((key) => key.startsWith('1:'))).toEqual(['1:0610000007']);
  });

  it('stops reading a block at its limit: the index on the key serves the order (ANALYZE: rows read)', async () => {
    const scope = createEntityScope('shop', shopMapping(declared), createMysqlDialect('mariadb', 5000));
    const request = {
      entity: 'shopCustomer',
      keyField: 'lastName',
      keyMatch: 'caseInsensitive' as const,
      keys: ['nom7'],
      projection: ['id', 'lastName'],
      limitPerKey: 2,
      orderBy: [{ field: 'id', direction: 'ASC' as const }],
    };
    const phone = { ...request, keyField: 'phone', keyMatch: 'digits' as const, keys: ['0610000007'] };
    const compiled = compileUnionLoad(scope, [
      { request, keys: ['nom7'] },
      { request: phone, keys: ['0610000007'] },
    ]);
    const rendered = render(compiled.statement, () => '?');
    const bare = rendered.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '');
    const analyzed = await admin.query(`ANALYZE ${bare}`, rendered.params as never);
    const block = analyzed.find((step) => step.table === 'customers' && step.key === 'last_name_key');
    // nom7 has 5 rows; 2 are read, in id order, without a sort.
    expect(Number(block?.r_rows)).toBe(2);
    expect(String(block?.Extra ?? '')).not.toMatch(/filesort/);
    const records = await admin.query(bare, rendered.params as never);
    expect(records.filter((record) => compiled.partOf(record) === 0).map((record) => Number(record.id))).toEqual([8, 408]);
  });

  it('compares the expression when no column is declared (no index can serve it)', () => {
    const scope = createEntityScope('shop', shopMapping({}), createMysqlDialect('mariadb', 5000));
    const compiled = compileLoad(scope, { entity: 'shopCustomer', keyField: 'lastName', keyMatch: 'caseInsensitive', keys: ['nom7'], projection: ['id'] }, [
      'nom7',
    ]);
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
    expect(chunks.join('')).toContain(
      'FAIL  shop: entities.shopCustomer.fields.email: table "customers" has no column "mailbox_key" (declared as the email normalized column of shopCustomer.email)',
    );
  });
});

describe('the mailbox key on PostgreSQL', () => {
  const crmDb = uniqueDatabaseName('c360_mailbox');
  let crm: SqlAdmin;
  let crmUrl: string;
  beforeAll(async () => {
    crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
    crm = await openSqlAdmin('postgres', crmUrl);
    await crm.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT)');
  });
  afterAll(async () => {
    await crm?.close();
    await dropDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  });

  it('is an expression an index can hold, and the index serves an email lookup', async () => {
    const mapping: EntityMapping = {
      entity: 'contact',
      table: 'contacts',
      key: 'id',
      fields: { id: { kind: 'column', column: 'id', type: 'string' }, email: { kind: 'column', column: 'email', type: 'string' } },
      where: [],
    };
    const compiled = compileLoad(
      createEntityScope('crm', mapping, createPostgresDialect()),
      { entity: 'contact', keyField: 'email', keyMatch: 'email', keys: ['mariedupont@gmail.com'], projection: ['id'] },
      ['mariedupont@gmail.com'],
    );
    const statement = render(compiled.statement, (n) => `$${n}`);
    const expression = /WHERE (.*) = ANY\(\$1\)$/.exec(statement.text)![1]!;
    await crm.exec(`CREATE INDEX contacts_mailbox ON contacts (${expression})`);
    await crm.insert(
      'contacts',
      ['id', 'email'],
      [
        [1, 'Marie.Dupont+promo@Gmail.com'],
        [2, 'jean@orange.fr'],
      ],
    );
    const found = await crm.query(statement.text, statement.params as never);
    expect(found.map((row) => row.id)).toEqual([1]);
    await crm.exec('SET enable_seqscan = off');
    const plan = await crm.query(`EXPLAIN ${statement.text}`, statement.params as never);
    expect(JSON.stringify(plan)).toContain('contacts_mailbox');
  });

  it('has c360 check see that the mailbox-key index serves the identity email lookup', async () => {
    const text = await checkOutput({
      server: { port: 0 },
      sources: { crm: { kind: 'postgres', url: crmUrl } },
      entities: { contact: { source: 'crm', table: 'contacts', fields: { id: 'id', email: 'email' } } },
    });
    expect(text).toContain('ok    crm: lookup contact.email (contacts.email, email): served by index contacts_mailbox');
  });
});

async function checkOutput(raw: Record<string, unknown>): Promise<string> {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  await runCheck(parseConfig(raw), out);
  return chunks.join('');
}

describe('c360 check on the identity email lookup (mailbox key) on MariaDB', () => {
  it('advises the generated mailbox-key column, not the lower(trim(email)) lookup identity no longer makes', async () => {
    const text = await checkOutput(rawConfig({ lastName: { caseInsensitive: 'last_name_key' } }));
    expect(text).toMatch(
      /WARN  shop: lookup shopCustomer\.email \(customers\.email, email\): no index serves it.*run: ALTER TABLE `customers` ADD COLUMN `email_mailbox` VARCHAR\(320\) AS \(CONCAT\(REPLACE\(SUBSTRING_INDEX/,
    );
    expect(text).toContain('ok    shop: lookup shopCustomer.lastName');
  });

  it('sees the generated column once the operator ran the advice, and the lookup names it (EXPLAIN: its index)', async () => {
    const text = await checkOutput(rawConfig({}));
    const advice = /run: (ALTER TABLE `customers` ADD COLUMN `email_mailbox` .*?) -- /.exec(text)![1]!;
    await admin.exec(advice);
    try {
      expect(await checkOutput(rawConfig({}))).toContain(
        'ok    shop: lookup shopCustomer.email (customers.email, email): served by index email_mailbox on generated column email_mailbox',
      );
      const plans = await readPlans();
      const scope = createEntityScope('shop', shopMapping({}), createMysqlDialect('mariadb', 5000), plans);
      const compiled = compileLoad(scope, { entity: 'shopCustomer', keyField: 'email', keyMatch: 'email', keys: ['p7@free.fr'], projection: ['id', 'email'] }, [
        'p7@free.fr',
      ]);
      const statement = render(compiled.statement, () => '?');
      expect(statement.text).toContain('`email_mailbox` IN (?)');
      const plan = await admin.query(`EXPLAIN ${statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '')}`, statement.params as never);
      expect(plan.map((step) => step.key)).toContain('email_mailbox');
      expect(
        (await admin.query(statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, ''), statement.params as never)).map((row) => row.id),
      ).toEqual([8]);
    } finally {
      await admin.exec('ALTER TABLE customers DROP COLUMN email_mailbox');
    }
  });
});

async function readPlans() {
  const { readLookupPlans } = await import('../../connectors/sql/lookup-indexes.js');
  const mysql = (await import('mysql2/promise')).default;
  const connection = await mysql.createConnection(shopUrl);
  try {
    const driver = {
      query: async ({ text, params }: { text: string; params: ReadonlyArray<unknown> }) =>
        (await connection.query(text, [...params]))[0] as Array<Record<string, unknown>>,
      classify: () => 'SOURCE_UNAVAILABLE' as const,
    };
    return await readLookupPlans(driver, createMysqlDialect('mariadb', 5000), 'shop', [shopMapping({})], shopDb, AbortSignal.timeout(10_000));
  } finally {
    await connection.end();
  }
}
