/**
 * Planned execution on the indexes an operator already has (primary and foreign keys, the
 * e-mail, `lower(email)` on PostgreSQL): which lookups those indexes serve (EXPLAIN), how
 * many statements each screen costs per source (the trace), and that the planned answers
 * are the unplanned ones.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { openSqlAdmin } from '../../connectors/admin.js';
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import { compileLoad } from '../../connectors/sql/compile.js';
import { createMysqlDialect, createPostgresDialect, type SqlDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { readLookupPlans, type LookupPlans } from '../../connectors/sql/lookup-indexes.js';
import { createEntityScope } from '../../connectors/sql/scope.js';
import { runCheck } from '../../src/cli/check.js';
import type { C360Config } from '../../src/config/types.js';
import { useOperatorIndexes } from '../../src/demo/operator-indexes.js';
import { encodeCursor } from '../../src/resolvers/rows.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let config: C360Config;
let gateway: TestGateway;
let crm: pg.Client;
let shop: mysql.Connection;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 300 });
  const crmAdmin = await openSqlAdmin('postgres', seeded.crmUrl);
  const shopAdmin = await openSqlAdmin('mysql', seeded.shopUrl);
  try {
    await useOperatorIndexes(crmAdmin, shopAdmin);
    // A row the collation matches ("é" is "e" under utf8mb4_unicode_ci) but the exact match does not.
    await shopAdmin.exec(
      "INSERT INTO customers (id, email, created_at, updated_at) VALUES (900001, 'zoé.planned@example.fr', NOW(), NOW()), (900002, 'zoe.planned@example.fr', NOW(), NOW())",
    );
  } finally {
    await crmAdmin.close();
    await shopAdmin.close();
  }
  const base = seeded.config();
  config = { ...base, identity: { ...base.identity, rules: ['EMAIL'] } };
  gateway = await startTestGateway(config);
  crm = new pg.Client({ connectionString: seeded.crmUrl });
  await crm.connect();
  shop = await mysql.createConnection({ uri: seeded.shopUrl });
});

afterAll(async () => {
  await crm?.end();
  await shop?.end();
  await gateway?.stop();
  await seeded?.drop();
});

function sqlSource(name: 'crm' | 'shop'): SqlSourceConfig {
  const source = config.sources[name];
  if (source === undefined || source.kind === 'rest') throw new Error(`${name} is not a SQL source`);
  return source;
}

async function plansOf(name: 'crm' | 'shop', dialect: SqlDialect): Promise<LookupPlans> {
  const driver = {
    query: async ({ text, params }: { text: string; params: ReadonlyArray<unknown> }) =>
      name === 'crm' ? (await crm.query(text, [...params])).rows : ((await shop.query(text, [...params]))[0] as Array<Record<string, unknown>>),
    classify: () => 'SOURCE_UNAVAILABLE' as const,
  };
  const schema = name === 'crm' ? 'public' : new URL(seeded.shopUrl).pathname.slice(1);
  return readLookupPlans(driver, dialect, name, sqlSource(name).entities, schema, AbortSignal.timeout(10_000));
}

/** The WHERE of the e-mail lookup c360 compiles for `keys`, rendered with its parameters. */
function emailLookup(name: 'crm' | 'shop', dialect: SqlDialect, plans: LookupPlans | undefined, keys: string[]) {
  const entity = name === 'crm' ? 'contact' : 'shopCustomer';
  const mapping = sqlSource(name).entities.find((candidate) => candidate.entity === entity)!;
  const scope = createEntityScope(name, mapping, dialect, plans);
  const compiled = compileLoad(scope, { entity, keyField: 'email', keyMatch: 'caseInsensitive', keys, projection: ['id', 'email'] }, keys);
  return render(compiled.statement, dialect.placeholder);
}

const someEmails = (entity: 'contacts' | 'shopCustomers'): string[] =>
  seeded.world[entity].flatMap((record) => (record.email === null ? [] : [record.email.trim().toLowerCase()])).slice(0, 20);

describe('identity lookups on the indexes an operator has', () => {
  it('looks CRM e-mails up through the lower(email) index, where the exact normalization scans', async () => {
    const dialect = createPostgresDialect();
    const plans = await plansOf('crm', dialect);
    const explain = async (statement: { text: string; params: ReadonlyArray<unknown> }) => {
      await crm.query('SET enable_seqscan = off');
      const rows = (await crm.query(`EXPLAIN ${statement.text}`, [...statement.params])).rows as Array<{ 'QUERY PLAN': string }>;
      await crm.query('RESET enable_seqscan');
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    const planned = emailLookup('crm', dialect, plans, someEmails('contacts'));
    expect(planned.text).toContain('LOWER("email") = ANY($1)');
    expect(await explain(planned)).toMatch(/Index Scan using contacts_lower_email|Bitmap Index Scan on contacts_lower_email/);
    expect(await explain(emailLookup('crm', dialect, undefined, someEmails('contacts')))).toMatch(/Seq Scan on contacts/);
  });

  it('looks shop e-mails up by plain equality under the case-insensitive collation, padded for the spaces stored values hold', async () => {
    const dialect = createMysqlDialect('mariadb', 0);
    const plans = await plansOf('shop', dialect);
    const plan = plans.get(['shopCustomer', 'email', 'caseInsensitive'].join('\u0000'))!;
    expect(plan.service).toBe('collation');
    // The demo shop stores some e-mails as " name@domain ": one leading space, trailing ones ignored by PAD SPACE.
    expect(plan.leadingSpaces).toBe(1);
    const explain = async (statement: { text: string; params: ReadonlyArray<unknown> }) =>
      ((await shop.query(`EXPLAIN ${statement.text}`, [...statement.params]))[0] as Array<{ possible_keys: string | null }>)[0]!.possible_keys;
    const planned = emailLookup('shop', dialect, plans, someEmails('shopCustomers'));
    expect(planned.text).toMatch(/WHERE `email` IN \(/);
    expect(await explain(planned)).toContain('customers_email_key');
    expect(await explain(emailLookup('shop', dialect, undefined, someEmails('shopCustomers')))).toBeNull();
  });

  it('says in c360 check which lookups an index serves, and prints the statement for those none does', async () => {
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk.toString('utf8')), callback()) });
    expect(await runCheck(config, out)).toBe(0);
    const text = chunks.join('');
    expect(text).toContain('ok    crm: lookup contact.email (contacts.email, caseInsensitive): served by index contacts_lower_email on lower(email)');
    expect(text).toContain(
      'ok    shop: lookup shopCustomer.email (customers.email, caseInsensitive): served by index customers_email_key under its case-insensitive collation',
    );
    expect(text).toMatch(
      /WARN  crm: lookup contact\.phone .*no index serves it.*run: CREATE INDEX "contacts_phone_lookup_idx" ON "contacts" \(\(REGEXP_REPLACE/,
    );
    expect(text).toMatch(/WARN  shop: lookup shopCustomer\.phone .*run: ALTER TABLE `customers` ADD COLUMN `phone_digits` .* PERSISTENT, ADD INDEX/);
  });
});

const SUBTREE = 'orders(first: 10) { nodes { id placedAt total lines { id sku quantity product { id name price } } } }';

describe('statements per screen, per source', () => {
  const buyer = () => {
    const buyers = new Set(seeded.world.orders.map((order) => String(order.customerId)));
    const shopByEmail = new Map(seeded.world.shopCustomers.flatMap((c) => (c.email === null ? [] : [[c.email.trim().toLowerCase(), String(c.id)] as const])));
    return seeded.world.contacts.find((c) => c.email !== null && c.email === c.email.trim() && buyers.has(shopByEmail.get(c.email.toLowerCase()) ?? ''))!;
  };

  it('answers one customer by e-mail with its orders, lines and products in one statement per source', async () => {
    const contact = buyer();
    const result = await gateway.query(
      `query($email: String!) { customerBy(email: $email) { id shopAccounts { id } ${SUBTREE} } }`,
      { email: contact.email },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    expect((result.data?.customerBy as { orders: { nodes: unknown[] } }).orders.nodes.length).toBeGreaterThan(0);
    expect(statementsByEntity(result.extensions?.trace)).toEqual({ 'crm.contact': 1, 'shop.shopCustomer': 1 });
  });

  it('answers a page of 50 with the same subtree in the CRM page, one guard lookup, and one shop statement', async () => {
    const result = await gateway.query(`query { customers(first: 50) { edges { node { id contact { email } ${SUBTREE} } } } }`, {}, { trace: true });
    expect(result.errors).toBeUndefined();
    expect(statementsByEntity(result.extensions?.trace)).toEqual({ 'crm.contact': 2, 'shop.shopCustomer': 1 });
  });

  it('answers a page of CRM contacts only with one statement, linking nobody', async () => {
    const result = await gateway.query('query { customers(first: 50) { edges { node { id contact { id firstName email } } } } }', {}, { trace: true });
    expect(result.errors).toBeUndefined();
    expect(statementsByEntity(result.extensions?.trace)).toEqual({ 'crm.contact': 1 });
  });

  it('reads the shop accounts after the last contact only when hasNextPage is asked', async () => {
    const ids = seeded.world.contacts.map((c) => c.id).sort((a, b) => a - b);
    const after = encodeCursor([0, String(ids.at(-3))]);
    const query = (pageInfo: string) =>
      `query($after: String) { customers(first: 2, after: $after) { edges { node { id contact { id } } } pageInfo { ${pageInfo} } } }`;
    const without = await gateway.query(query('endCursor'), { after }, { trace: true });
    const asked = await gateway.query(query('endCursor hasNextPage'), { after }, { trace: true });
    expect(statementsByEntity(without.extensions?.trace)).toEqual({ 'crm.contact': 1 });
    expect(statementsByEntity(asked.extensions?.trace)['shop.shopCustomer']).toBeGreaterThanOrEqual(1);
    expect((asked.data?.customers as { pageInfo: { hasNextPage: boolean } }).pageInfo.hasNextPage).toBe(true);
  });
});

describe('planned answers are the unplanned ones', () => {
  it('gives the same orders, lines and products as the level-by-level loads', async () => {
    // Two differently named selections of orders are not planned into the shop lookup: each loads on its own.
    const query = `query { customers(first: 50) { edges { node { id planned: ${SUBTREE} } } } }`;
    const twice = `query { customers(first: 50) { edges { node { id planned: ${SUBTREE} unplanned: ${SUBTREE} } } } }`;
    const one = await gateway.query(query, {}, { trace: true });
    const both = await gateway.query(twice, {}, { trace: true });
    expect(one.errors).toBeUndefined();
    expect(both.errors).toBeUndefined();
    expect(statementsByEntity(both.extensions?.trace)['shop.order']).toBeGreaterThanOrEqual(1);
    type Edge = { node: { planned: unknown; unplanned: unknown } };
    const plannedNodes = (one.data?.customers as { edges: Edge[] }).edges.map((edge) => edge.node.planned);
    const unplannedNodes = (both.data?.customers as { edges: Edge[] }).edges.map((edge) => edge.node.unplanned);
    expect(plannedNodes).toEqual(unplannedNodes);
    expect(plannedNodes.some((orders) => (orders as { nodes: unknown[] }).nodes.length > 0)).toBe(true);
  });

  it('keeps the exact match as a residual check: the collation finds "zoé" for "zoe", the answer does not', async () => {
    const result = await gateway.query('query { customerBy(email: "Zoe.Planned@example.fr ") { shopAccounts { id email } } }');
    expect(result.errors).toBeUndefined();
    expect((result.data?.customerBy as { shopAccounts: unknown[] }).shopAccounts).toEqual([{ id: '900002', email: 'zoe.planned@example.fr' }]);
  });

  it('finds an e-mail stored with surrounding spaces through the index, as the exact match did', async () => {
    const padded = seeded.world.shopCustomers.find((c) => c.email !== null && c.email !== c.email.trim())!;
    const result = await gateway.query('query($email: String!) { customerBy(email: $email) { shopAccounts { id } sources { key } } }', {
      email: padded.email!.trim(),
    });
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify(result.data)).toContain(`"${padded.id}"`);
  });
});
