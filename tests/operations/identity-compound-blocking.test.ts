/**
 * Compound blocking rules (`[lastName, birthYear]`, `[lastName, postcode]`, `[firstName,
 * lastName]`): each rule is one part of the blocking UNION ALL, every part of the key
 * compared on its own column or expression, so a composite index serves it (EXPLAIN on
 * PostgreSQL and MariaDB); the rows per key are those a brute-force count finds; and a
 * resolution through GraphQL still costs one blocking statement per source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import { KEY_PART_SEPARATOR, type LoadRequest, type Scalar } from '../../connectors/contract.js';
import type { EntityMapping, SqlSourceConfig } from '../../connectors/mapping.js';
import { compileUnionLoad } from '../../connectors/sql/compile.js';
import { createMysqlDialect, createPostgresDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { createEntityScope } from '../../connectors/sql/scope.js';
import type { BlockingRule } from '../../src/config/identity-config.js';
import { parseConfig } from '../../src/config/parse.js';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from '../../src/demo/data/french-people.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { blockLoad, blockingRuleKey } from '../../src/identity/probabilistic.js';
import { runCheck } from '../../src/cli/check.js';
import { capture } from '../support/capture.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmDb = uniqueDatabaseName('c360_compound_crm');
const shopDb = uniqueDatabaseName('c360_compound_shop');
let crmUrl: string;
let shopUrl: string;
let crm: SqlAdmin;
let shop: SqlAdmin;

const LAST = LAST_NAMES.slice(0, 30);
const FIRST = [...FEMALE_FIRST_NAMES, ...MALE_FIRST_NAMES].slice(0, 23);
const COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'street', 'postcode', 'city', 'birth_date'];
const SIZE = 3000;

/** 30 surnames (blocks of 100), 23 given names, 7 postcodes, births over 30 years (100 a year): every compound block holds a few rows. */
function people(): Scalar[][] {
  return Array.from({ length: SIZE }, (_, i) => [
    i + 1,
    FIRST[i % 23]!,
    LAST[i % 30]!,
    `p${i}@free.fr`,
    `06 ${String(10_000_000 + i).slice(-8)}`,
    `${(i % 90) + 1} rue de la Paix`,
    `7500${i % 7}`,
    'Paris',
    `${1950 + Math.floor(i / 100)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  ]);
}

const RULES: BlockingRule[] = ['birthDate', ['lastName', 'birthYear'], ['lastName', 'postcode'], ['firstName', 'lastName']];

const FIELDS = {
  id: 'id',
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  street: 'street',
  postcode: 'postcode',
  city: 'city',
  birthDate: 'birth_date',
};

function rawConfig() {
  return {
    server: { port: 0 },
    sources: { crm: { kind: 'postgres', url: crmUrl }, shop: { kind: 'mysql', url: shopUrl } },
    entities: {
      contact: { source: 'crm', table: 'contacts', fields: { ...FIELDS, kind: { const: 'PERSON' } } },
      shopCustomer: {
        source: 'shop',
        table: 'customers',
        fields: FIELDS,
        normalizedColumns: { lastName: { caseInsensitive: 'last_name_key' }, firstName: { caseInsensitive: 'first_name_key' } },
      },
    },
    identity: { probabilistic: { enabled: true, sameSource: true, blocking: RULES } },
  };
}

beforeAll(async () => {
  crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopDb);
  crm = await openSqlAdmin('postgres', crmUrl);
  shop = await openSqlAdmin('mysql', shopUrl);
  await crm.exec(
    'CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name VARCHAR(80), last_name VARCHAR(80), email VARCHAR(160), phone VARCHAR(40), street VARCHAR(160), postcode VARCHAR(10), city VARCHAR(80), birth_date DATE)',
  );
  await shop.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name VARCHAR(80), last_name VARCHAR(80), email VARCHAR(160), phone VARCHAR(40), street VARCHAR(160), postcode VARCHAR(10), city VARCHAR(80), birth_date DATE,
    last_name_key VARCHAR(80) AS (LOWER(TRIM(last_name))) VIRTUAL, first_name_key VARCHAR(80) AS (LOWER(TRIM(first_name))) VIRTUAL,
    INDEX (birth_date), INDEX last_birth (last_name_key, birth_date), INDEX last_postcode (last_name_key, postcode), INDEX first_last (first_name_key, last_name_key))`);
  const rows = people();
  await crm.insert('contacts', COLUMNS, rows);
  // The shop holds the same people under other ids, contact 1's with another e-mail and no phone (found by blocking only).
  await shop.insert(
    'customers',
    COLUMNS,
    rows.map((row) => [Number(row[0]) + 10_000, row[1]!, row[2]!, `shop.${String(row[3])}`, null, row[5]!, row[6]!, row[7]!, row[8]!]),
  );
  for (const index of [
    'CREATE INDEX contacts_birth ON contacts (birth_date, id)',
    'CREATE INDEX contacts_last_birth ON contacts (LOWER(TRIM(CAST(last_name AS TEXT))), birth_date, id)',
    'CREATE INDEX contacts_last_postcode ON contacts (LOWER(TRIM(CAST(last_name AS TEXT))), postcode, id)',
    'CREATE INDEX contacts_first_last ON contacts (LOWER(TRIM(CAST(first_name AS TEXT))), LOWER(TRIM(CAST(last_name AS TEXT))), id)',
  ])
    await crm.exec(index);
  await crm.exec('ANALYZE contacts');
  await shop.exec('ANALYZE TABLE customers');
}, 120_000);

afterAll(async () => {
  await crm?.close();
  await shop?.close();
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmDb);
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopDb);
});

function mappingOf(source: 'crm' | 'shop'): EntityMapping {
  return (parseConfig(rawConfig()).sources[source] as SqlSourceConfig).entities[0]!;
}

/** Contact 1 and contact 2 as blocking rows (canonical field names). */
const ANCHORS = [people()[0]!, people()[1]!].map((row) => ({
  id: row[0]!,
  firstName: row[1]!,
  lastName: row[2]!,
  postcode: row[6]!,
  birthDate: row[8]!,
}));

/** One union part per rule, for the keys of both anchors (as probabilistic.ts asks them). */
function unionParts(entity: string) {
  return RULES.map((rule) => {
    const keys = ANCHORS.map((anchor) => String(blockingRuleKey(rule, anchor)));
    const request: LoadRequest = {
      entity,
      ...blockLoad(rule),
      keys,
      projection: ['id', 'firstName', 'lastName', 'postcode', 'birthDate'],
      limitPerKey: 200,
      orderBy: [{ field: 'id', direction: 'ASC' }],
    };
    return { request, keys };
  });
}

/** The rows of `rows` in the block of `rule` and `anchor`, by brute force. */
function expectedBlock(rule: BlockingRule, anchor: (typeof ANCHORS)[number], offset: number): number[] {
  const key = blockingRuleKey(rule, anchor);
  return people()
    .map((row) => ({ id: Number(row[0]) + offset, firstName: row[1]!, lastName: row[2]!, postcode: row[6]!, birthDate: row[8]! }))
    .filter((row) => blockingRuleKey(rule, row) === key)
    .map((row) => row.id);
}

function answersByPart(compiled: ReturnType<typeof compileUnionLoad>, records: ReadonlyArray<Record<string, unknown>>): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const record of records) {
    const part = compiled.partOf(record);
    const key = `${part}:${compiled.parts[part]!.keyOf(record)}`;
    found.set(key, [...(found.get(key) ?? []), Number(record.id)]);
  }
  return found;
}

describe('compound blocking keys on PostgreSQL', () => {
  it('serves every rule from its composite index (EXPLAIN) and returns each block whole', async () => {
    const compiled = compileUnionLoad(createEntityScope('crm', mappingOf('crm'), createPostgresDialect()), unionParts('contact'));
    const statement = render(compiled.statement, (n) => `$${n}`);
    // The year is a range on the date column, not a function of it: the index on (surname, birth date) serves it.
    expect(statement.text).toMatch(/LOWER\(TRIM\(CAST\("last_name" AS TEXT\)\)\) = \$\d+ AND "birth_date" >= \$\d+ AND "birth_date" < \$\d+/);
    expect(statement.text).not.toMatch(/WHERE[^)]*EXTRACT\(YEAR/);
    const plan = JSON.stringify(await crm.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.params as never));
    for (const index of ['contacts_birth', 'contacts_last_birth', 'contacts_last_postcode', 'contacts_first_last'])
      expect(plan).toContain(`"Index Name":"${index}"`);
    expect(plan).not.toContain('Seq Scan');
    const found = answersByPart(compiled, await crm.query(statement.text, statement.params as never));
    RULES.forEach((rule, part) => {
      for (const anchor of ANCHORS) {
        const expected = expectedBlock(rule, anchor, 0);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(200);
        expect(found.get(`${part}:${String(blockingRuleKey(rule, anchor))}`)).toEqual(expected);
      }
    });
  });
});

describe('compound blocking keys beyond the keys read one LIMIT subquery each (a page and its hop)', () => {
  it.each(['postgres', 'mysql'] as const)('reads 70 keys of a compound rule in one window over the part, each block whole (%s)', async (kind) => {
    const rule: BlockingRule = ['lastName', 'birthYear'];
    // Every 41st person: 70 surname and year pairs, none twice.
    const anchors = people()
      .filter((_, i) => i % 41 === 0)
      .slice(0, 70)
      .map((row) => ({ id: row[0]!, firstName: row[1]!, lastName: row[2]!, postcode: row[6]!, birthDate: row[8]! }));
    const keys = [...new Set(anchors.map((anchor) => String(blockingRuleKey(rule, anchor))))];
    expect(keys.length).toBeGreaterThan(64);
    const request: LoadRequest = {
      entity: kind === 'postgres' ? 'contact' : 'shopCustomer',
      ...blockLoad(rule),
      keys,
      projection: ['id', 'firstName', 'lastName', 'postcode', 'birthDate'],
      limitPerKey: 200,
      orderBy: [{ field: 'id', direction: 'ASC' }],
    };
    const scope =
      kind === 'postgres'
        ? createEntityScope('crm', mappingOf('crm'), createPostgresDialect())
        : createEntityScope('shop', mappingOf('shop'), createMysqlDialect('mariadb', 5000));
    const compiled = compileUnionLoad(scope, [{ request, keys }, unionParts(request.entity)[0]!]);
    const statement = render(compiled.statement, kind === 'postgres' ? (n) => `$${n}` : () => '?');
    expect(statement.text).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY/);
    const admin = kind === 'postgres' ? crm : shop;
    const found = answersByPart(
      compiled,
      await admin.query(statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, ''), statement.params as never),
    );
    for (const anchor of anchors)
      expect(found.get(`0:${String(blockingRuleKey(rule, anchor))}`)).toEqual(expectedBlock(rule, anchor, kind === 'postgres' ? 0 : 10_000));
  });
});

describe('compound blocking keys on MariaDB', () => {
  it('names the declared normalized columns, is served by the composite indexes (EXPLAIN) and returns each block whole', async () => {
    const compiled = compileUnionLoad(createEntityScope('shop', mappingOf('shop'), createMysqlDialect('mariadb', 5000)), unionParts('shopCustomer'));
    const statement = render(compiled.statement, () => '?');
    expect(statement.text).toContain('`last_name_key` = ? AND `birth_date` >= ? AND `birth_date` < ?');
    expect(statement.text).toContain('`first_name_key` = ? AND `last_name_key` = ?');
    expect(statement.text).not.toMatch(/LOWER\(TRIM\(`last_name`\)\)/);
    const bare = statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, '');
    const plan = await shop.query(`EXPLAIN ${bare}`, statement.params as never);
    const keys = plan.filter((step) => step.table === 'customers').map((step) => String(step.key));
    expect(keys).toEqual(expect.arrayContaining(['birth_date', 'last_birth', 'last_postcode', 'first_last']));
    expect(plan.filter((step) => step.table === 'customers').every((step) => step.type !== 'ALL')).toBe(true);
    const found = answersByPart(compiled, await shop.query(bare, statement.params as never));
    RULES.forEach((rule, part) => {
      for (const anchor of ANCHORS) expect(found.get(`${part}:${String(blockingRuleKey(rule, anchor))}`)).toEqual(expectedBlock(rule, anchor, 10_000));
    });
  });

  it('keeps the key parts apart: a value holding the separator matches nothing', async () => {
    const parts = unionParts('shopCustomer').slice(1, 3);
    const odd = parts.map(({ request }) => ({
      request: { ...request, keys: [`${LAST[1]!.toLowerCase()}${KEY_PART_SEPARATOR}x${KEY_PART_SEPARATOR}y`] },
      keys: [`${LAST[1]!.toLowerCase()}${KEY_PART_SEPARATOR}x${KEY_PART_SEPARATOR}y`],
    }));
    const compiled = compileUnionLoad(createEntityScope('shop', mappingOf('shop'), createMysqlDialect('mariadb', 5000)), odd);
    const statement = render(compiled.statement, () => '?');
    expect(await shop.query(statement.text.replace(/^SET STATEMENT max_statement_time=[\d.]+ FOR /, ''), statement.params as never)).toEqual([]);
  });
});

describe('a resolution with compound blocking rules, through GraphQL', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(parseConfig(rawConfig()));
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('links the shop record sharing no identifier, with one blocking statement per source (7 in all)', async () => {
    const result = await gateway.query(
      `query ($id: ID!) { customer(id: $id) { identities { entity key matchedBy } duplicateCandidates { key } } }`,
      { id: encodeCustomerId({ entity: 'contact', key: '1' }) },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const identities = (result.data?.customer as { identities: Array<{ entity: string; key: string; matchedBy: string }> }).identities;
    expect(identities).toContainEqual({ entity: 'shopCustomer', key: '10001', matchedBy: 'PROBABILISTIC' });
    const trace = result.extensions?.trace ?? [];
    const blocking = trace.filter((call) => /__part/.test(call.statement) && /LIMIT/.test(call.statement));
    expect(statementsByEntity(blocking)).toEqual({ 'crm.contact': 1, 'shop.shopCustomer': 1 });
    // Anchor; per side the mailbox key, the phone digits (the CRM side: contact 1 has a phone) and one blocking union; the shop has no phone to look up by.
    expect(statementsByEntity(trace)).toEqual({ 'crm.contact': 4, 'shop.shopCustomer': 3 });
    // Each blocking part compares its parts separately (an index serves it), never the concatenation.
    for (const call of blocking) expect(call.statement).not.toMatch(/WHERE \(?CONCAT\(|WHERE \(?LOWER\(TRIM\(CAST\("last_name" AS TEXT\)\)\) \|\|/);
  });
});

describe('c360 check on the blocking rules', () => {
  async function checkText(blocking: BlockingRule[]): Promise<string> {
    const { stream, text } = capture();
    const raw = rawConfig();
    await runCheck(parseConfig({ ...raw, identity: { probabilistic: { ...raw.identity.probabilistic, blocking } } }), stream);
    return text();
  }

  it('sees the composite index serving each rule on both servers', async () => {
    const text = await checkText(RULES);
    expect(text).toContain(
      'ok    crm: lookup contact blocking rule lastName+birthYear (contacts: (LOWER(TRIM(CAST("last_name" AS TEXT)))), "birth_date"): served by index contacts_last_birth',
    );
    expect(text).toContain('ok    crm: lookup contact blocking rule firstName+lastName');
    expect(text).toContain('ok    crm: lookup contact blocking rule birthDate (contacts: "birth_date"): served by index contacts_birth');
    expect(text).toContain(
      'ok    shop: lookup shopCustomer blocking rule lastName+postcode (customers: `last_name_key`, `postcode`): served by index last_postcode',
    );
    expect(text).not.toMatch(/WARN .*blocking rule/);
  });

  it('advises the index a rule lacks, and sees it once the advice is run', async () => {
    const rules: BlockingRule[] = [['firstName', 'birthYear']];
    const text = await checkText(rules);
    const crmAdvice = /WARN  crm: lookup contact blocking rule firstName\+birthYear .*: no index serves it; run: (.*)/.exec(text)?.[1];
    const shopAdvice = /WARN  shop: lookup shopCustomer blocking rule firstName\+birthYear .*: no index serves it; run: (.*)/.exec(text)?.[1];
    expect(crmAdvice).toBe(
      'CREATE INDEX "contacts_firstname_birthyear_block_idx" ON "contacts" ((LOWER(TRIM(CAST("first_name" AS TEXT)))), "birth_date", "id")',
    );
    expect(shopAdvice).toBe('ALTER TABLE `customers` ADD INDEX `customers_firstname_birthyear_block_idx` (`first_name_key`, `birth_date`)');
    await crm.exec(crmAdvice!);
    await shop.exec(shopAdvice!);
    try {
      const after = await checkText(rules);
      expect(after).toContain('ok    crm: lookup contact blocking rule firstName+birthYear');
      expect(after).toContain('served by index contacts_firstname_birthyear_block_idx');
      expect(after).toContain('ok    shop: lookup shopCustomer blocking rule firstName+birthYear');
    } finally {
      await crm.exec('DROP INDEX contacts_firstname_birthyear_block_idx');
      await shop.exec('ALTER TABLE customers DROP INDEX customers_firstname_birthyear_block_idx');
    }
  });

  it('on MariaDB without a declared column, advises the virtual column and its declaration', async () => {
    const { stream, text } = capture();
    const raw = rawConfig();
    const config = parseConfig({
      ...raw,
      entities: { ...raw.entities, shopCustomer: { source: 'shop', table: 'customers', fields: FIELDS } },
      identity: { probabilistic: { ...raw.identity.probabilistic, blocking: [['lastName', 'postcode']] } },
    });
    await runCheck(config, stream);
    // The table has an index on (last_name_key, postcode), but undeclared the load compares LOWER(TRIM(last_name)): not served.
    expect(text()).toContain(
      'WARN  shop: lookup shopCustomer blocking rule lastName+postcode (customers: `last_name_key`, `postcode`): no index serves it; run: ALTER TABLE `customers` ADD COLUMN `last_name_key` VARCHAR(255) AS (LOWER(TRIM(`last_name`))) VIRTUAL, ADD INDEX `customers_lastname_postcode_block_idx` (`last_name_key`, `postcode`) -- then declare normalizedColumns: { lastName: { caseInsensitive: last_name_key } }',
    );
    expect(text()).toContain('ok    crm: lookup contact blocking rule lastName+postcode');
  });
});
