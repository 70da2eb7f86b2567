/**
 * Issue 16: a blocking value held by more rows than `blockReadLimit` is never cut to its first
 * rows by key. It is read whole (up to `maxBlockRows`, one more statement for that block) and
 * ranked by the cheap similarity like any block, so the true match is found whatever its id;
 * a block larger than `maxBlockRows` is left out (counted), never sampled by key. On a real
 * MariaDB shop: 400 "Martin" accounts, the true match of the CRM's Zoé Martin the last by id.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../../connectors/admin.js';
import type { Scalar, SourceCall } from '../../connectors/contract.js';
import { parseConfig } from '../../src/config/parse.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../../src/gateway/runtime.js';
import { findDirect, oversizeBlocks } from '../../src/identity/probabilistic.js';
import { Loaders } from '../../src/loading/loaders.js';
import { MYSQL_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const shopDb = uniqueDatabaseName('c360_large_blocks');
let shopUrl: string;
let shop: SqlAdmin;
const GIVEN = ['Jean', 'Paul', 'Marie', 'Claire', 'Louis', 'Hugo', 'Emma', 'Chloé', 'Lucas', 'Léa', 'Nathan', 'Inès'];
const BLOCK = 400;

beforeAll(async () => {
  shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopDb);
  shop = await openSqlAdmin('mysql', shopUrl);
  await shop.exec(
    'CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name VARCHAR(80), last_name VARCHAR(80), email VARCHAR(160), postcode VARCHAR(10), birth_date DATE, INDEX (last_name))',
  );
  // 399 other Martins (other given names, postcodes and birth dates), then the true match, last by id.
  const rows: Scalar[][] = Array.from({ length: BLOCK - 1 }, (_, i) => [
    i + 1,
    GIVEN[i % GIVEN.length]!,
    'Martin',
    `m${i}@free.fr`,
    `690${String(i % 90).padStart(2, '0')}`,
    `${1940 + (i % 50)}-0${(i % 9) + 1}-1${i % 9}`,
  ]);
  rows.push([BLOCK, 'Zoé', 'Martin', 'zoe.martin.shop@orange.fr', '75011', '2001-05-04']);
  await shop.insert('customers', ['id', 'first_name', 'last_name', 'email', 'postcode', 'birth_date'], rows);
}, 60_000);

afterAll(async () => {
  await shop?.close();
  await dropDatabase('mysql', MYSQL_SERVER_URL, shopDb);
});

function runtimeWith(maxBlockRows: number): Runtime {
  const config = parseConfig({
    server: { port: 0 },
    sources: { shop: { kind: 'mysql', url: shopUrl } },
    entities: {
      shopCustomer: {
        source: 'shop',
        table: 'customers',
        fields: { id: 'id', firstName: 'first_name', lastName: 'last_name', email: 'email', postcode: 'postcode', birthDate: 'birth_date' },
      },
    },
    identity: { probabilistic: { enabled: true, blocking: ['lastName'], candidatesPerBlock: 10, blockReadLimit: 50, maxBlockRows } },
  });
  return createRuntime(config, createLogger({ level: 'silent' }));
}

// The CRM's record of the same person, as a blocking anchor (another source: none of its keys is in the shop).
const ZOE = {
  entity: 'contact' as const,
  row: { id: 'crm-1', firstName: 'Zoé', lastName: 'Martin', email: 'zoe@gmail.com', postcode: '75011', birthDate: '2001-05-04' },
};

async function resolve(runtime: Runtime): Promise<{ links: string[]; calls: SourceCall[] }> {
  const calls: SourceCall[] = [];
  const loaders = new Loaders(runtime.config, runtime.connectors, { signal: AbortSignal.timeout(30_000), onCall: (call) => calls.push(call) });
  const found = await findDirect(
    loaders,
    ZOE,
    'shopCustomer',
    ['id', 'firstName', 'lastName', 'email', 'postcode', 'birthDate'],
    runtime.config.identity.probabilistic!,
  );
  return { links: found.links.map((record) => String(record.row.id)), calls };
}

describe('a block larger than blockReadLimit', () => {
  it('is read whole and ranked: the true match is found though it is the last of 400 by key', async () => {
    const runtime = runtimeWith(1_000);
    try {
      const { links, calls } = await resolve(runtime);
      expect(links).toEqual([String(BLOCK)]);
      // The batched read (blockReadLimit + 1 rows: not whole), then this block alone, whole.
      expect(calls).toHaveLength(2);
      expect(calls[0]!.rows).toBe(51);
      expect(calls[1]!.rows).toBe(BLOCK);
    } finally {
      await runtime.close();
    }
  });

  it('is read whole at exactly maxBlockRows rows', async () => {
    const runtime = runtimeWith(BLOCK);
    const before = oversizeBlocks.count;
    try {
      const { links, calls } = await resolve(runtime);
      expect(links).toEqual([String(BLOCK)]);
      expect(calls.map((call) => call.rows)).toEqual([51, BLOCK]);
      expect(oversizeBlocks.count).toBe(before);
    } finally {
      await runtime.close();
    }
  });

  it('is left out when larger than maxBlockRows, counted, and never sampled by key', async () => {
    const runtime = runtimeWith(100);
    const before = oversizeBlocks.count;
    try {
      const { links, calls } = await resolve(runtime);
      expect(links).toEqual([]);
      expect(oversizeBlocks.count).toBe(before + 1);
      expect(calls).toHaveLength(2);
    } finally {
      await runtime.close();
    }
  });

  it('refuses a maxBlockRows below blockReadLimit', () => {
    expect(() => runtimeWith(20)).toThrow(/maxBlockRows must be at least blockReadLimit/);
  });
});
