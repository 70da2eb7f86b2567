/**
 * The search's word filters are index-friendly: with the indexes `c360 check` advises, each
 * source can answer them from those indexes (EXPLAIN), on the real PostgreSQL and MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import type { Scalar } from '../../connectors/contract.js';
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import { compileScan } from '../../connectors/sql/compile.js';
import { createMysqlDialect, createPostgresDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { createEntityScope } from '../../connectors/sql/scope.js';
import { wordsFilter } from '../../src/resolvers/search/word-match.js';
import { searchIndexSql } from '../../bench/search-indexes.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';

let seeded: SeededWorld;
let crm: SqlAdmin;
let shop: SqlAdmin;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 150 });
  crm = await openSqlAdmin('postgres', seeded.crmUrl);
  shop = await openSqlAdmin('mysql', seeded.shopUrl);
  await crm.exec(searchIndexSql('postgres'));
  await shop.exec(searchIndexSql('mysql'));
  await crm.exec('ANALYZE');
}, 120_000);

afterAll(async () => {
  await crm?.close();
  await shop?.close();
  await seeded?.drop();
});

function statement(kind: 'postgres' | 'mysql', words: string[]): { text: string; params: Scalar[] } {
  const source = seeded.config().sources[kind === 'postgres' ? 'crm' : 'shop'] as SqlSourceConfig;
  const entity = kind === 'postgres' ? 'contact' : 'shopCustomer';
  const mapping = source.entities.find((candidate) => candidate.entity === entity)!;
  const dialect = kind === 'postgres' ? createPostgresDialect() : createMysqlDialect('mariadb', 5_000);
  const filter = wordsFilter(words, new Set(Object.keys(mapping.fields)), () => true, 'exact')!;
  const compiled = compileScan(createEntityScope(source.name, mapping, dialect), {
    entity,
    projection: ['id'],
    filter,
    orderBy: [{ field: 'id', direction: 'ASC' }],
    limit: 40,
  });
  const rendered = render(compiled.statement, dialect.placeholder);
  return { text: rendered.text, params: rendered.params as Scalar[] };
}

describe('search statements and indexes', () => {
  it('lets PostgreSQL answer "julie gaillard" from the folded-column indexes alone', async () => {
    const { text, params } = statement('postgres', ['julie', 'gaillard']);
    // A 150-customer table is cheaper to scan; forbid that, to see whether the indexes serve the condition at all.
    await crm.exec('SET enable_seqscan = off');
    const plan = (await crm.query(`EXPLAIN ${text}`, params)).map((row) => String(Object.values(row)[0])).join('\n');
    expect(plan).toMatch(/contacts_first_name_search_idx/);
    expect(plan).toMatch(/contacts_last_name_search_idx/);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('keeps the ligature spelling PostgreSQL folds alike ("coeur", "cœur") one index-served prefix', async () => {
    const { text, params } = statement('postgres', ['coeur']);
    // Each field's "coeur" and "cœur" fold alike: asked once, no ligature left among the values.
    expect(params.filter((value) => String(value).includes('coeur')).length).toBeGreaterThan(1);
    expect(params.filter((value) => String(value).includes('œ'))).toEqual([]);
    expect(text).not.toMatch(/LIKE ANY/);
    await crm.exec('SET enable_seqscan = off');
    const plan = (await crm.query(`EXPLAIN ${text}`, params)).map((row) => String(Object.values(row)[0])).join('\n');
    expect(plan).toMatch(/contacts_last_name_search_idx/);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('gives MariaDB the column indexes as possible keys for every branch', async () => {
    const { text, params } = statement('mysql', ['julie', 'gaillard']);
    const select = text.replace(/^SET STATEMENT .*? FOR /, '');
    const [plan] = await shop.query(`EXPLAIN ${select}`, params);
    const keys = String(plan!.possible_keys ?? '');
    for (const index of ['customers_first_name_search_idx', 'customers_last_name_search_idx', 'customers_company_name_search_idx', 'customers_city_search_idx'])
      expect(keys).toContain(index);
  });
});
