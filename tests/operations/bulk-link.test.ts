/**
 * Bulk linking (src/identity/bulk-link.ts) against the per-customer identity resolution on
 * the demo world (real PostgreSQL CRM, MariaDB shop): every contact's and every shop
 * account's customer id and records from the bulk indexes equal what customerBy answers,
 * and a bulk-linked CSV export lists exactly the customers the paged GraphQL list does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bulkLink, type BulkLinks } from '../../src/identity/bulk-link.js';
import { exportLinking } from '../../src/gateway/csv-export.js';
import type { AnchorEntity } from '../../src/identity/customer-id.js';
import { Loaders } from '../../src/loading/loaders.js';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;
let linked: BulkLinks;
const calls: string[] = [];

/**
 * Phone numbers past 2^53 as digits (a German 15-digit national number: 17 digits in E.164),
 * which a double cannot hold: the contact and the shop account holding one number link, the
 * contact holding its neighbour (one more, the same double) links to neither.
 */
const LONG_NUMBER = { contact: 900_001, neighbour: 900_002, shop: 900_001 };

async function addLongNumbers(world: SeededWorld): Promise<void> {
  const crm = new pg.Client({ connectionString: world.crmUrl });
  await crm.connect();
  try {
    await crm.query(
      `INSERT INTO contacts (id, kind, first_name, last_name, phone, created_at, updated_at) VALUES
       ($1, 'person', 'Klaus', 'Weber', '+49 448113359472488', now(), now()), ($2, 'person', 'Klaus', 'Weber', '+49 448113359472489', now(), now())`,
      [LONG_NUMBER.contact, LONG_NUMBER.neighbour],
    );
  } finally {
    await crm.end();
  }
  const shop = await mysql.createConnection(world.shopUrl);
  try {
    await shop.query(
      `INSERT INTO customers (id, first_name, last_name, phone, created_at, updated_at) VALUES (?, 'Klaus', 'Weber', '0049448113359472488', NOW(), NOW())`,
      [LONG_NUMBER.shop],
    );
  } finally {
    await shop.end();
  }
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 500 });
  await addLongNumbers(seeded);
  const config = seeded.config();
  gateway = await startTestGateway(config);
  const loaders = new Loaders(config, gateway.runtime.connectors, {
    signal: AbortSignal.timeout(120_000),
    onCall: (call) => void calls.push(`${call.entity}: ${call.statement}`),
  });
  linked = await bulkLink(loaders, config.identity, { maxRows: 100_000, scanChunk: 300 });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const SOURCE: Record<AnchorEntity, string> = { contact: 'crm', shopCustomer: 'shop' };

async function perCustomer(entity: AnchorEntity, keys: ReadonlyArray<string>): Promise<Array<{ id: string; sources: Array<{ entity: string; key: string }> }>> {
  const fields = keys.map((key, i) => `c${i}: customerBy(externalId: { source: "${SOURCE[entity]}", key: "${key}" }) { id sources { entity key } }`).join('\n');
  const result = await gateway.query(`{ ${fields} }`);
  expect(result.errors).toBeUndefined();
  return keys.map((_, i) => (result.data as Record<string, { id: string; sources: Array<{ entity: string; key: string }> }>)[`c${i}`]!);
}

describe('bulk linking equals the per-customer resolution', () => {
  it('reads each source by keyset scans of the identifier and guard columns, nothing else', () => {
    expect(linked.stats.rows.contact).toBe(seeded.world.contacts.length + 2);
    expect(linked.stats.rows.shopCustomer).toBe(seeded.world.shopCustomers.length + 1);
    const scans = calls;
    for (const call of calls) expect(call).not.toMatch(/ IN \(|= ANY\(/);
    // 300 rows per statement: ceil(n / 300) statements per source, or one more when n is a multiple.
    expect(scans.length).toBeLessThanOrEqual(Math.ceil(seeded.world.contacts.length / 300) + Math.ceil(seeded.world.shopCustomers.length / 300) + 2);
    for (const call of calls) expect(call).not.toMatch(/REGEXP_REPLACE|SPLIT_PART|SUBSTRING_INDEX/);
  });

  it('links by a number whose digits a double cannot hold, and not by its neighbour', () => {
    const records = (key: number) => linked.plan({ entity: 'contact', key: String(key) })!.records;
    expect(records(LONG_NUMBER.contact).shopCustomer.map((r) => `${r.key}:${r.rule}`)).toEqual([`${LONG_NUMBER.shop}:PHONE`]);
    expect(records(LONG_NUMBER.neighbour).shopCustomer).toEqual([]);
  });

  for (const entity of ['contact', 'shopCustomer'] as const) {
    it(`gives every ${entity} the customer id and records customerBy gives it`, async () => {
      const keys = linked.keys(entity);
      expect(keys.length).toBeGreaterThan(100);
      let linkedToOther = 0;
      for (let at = 0; at < keys.length; at += 25) {
        const slice = keys.slice(at, at + 25);
        const answers = await perCustomer(entity, slice);
        slice.forEach((key, i) => {
          const anchor = { entity, key };
          const plan = linked.plan(anchor)!;
          const planned = [...plan.records.contact, ...plan.records.shopCustomer].map((r) => `${r.entity}:${r.key}`).sort();
          const got = answers[i]!.sources.map((s) => `${s.entity}:${s.key}`).sort();
          expect({ key, id: linked.customerIdOf(anchor), records: planned }).toEqual({ key, id: answers[i]!.id, records: got });
          if (planned.length > 1) linkedToOther++;
        });
      }
      // The world links most records across sources, so the comparison covers links, not only singletons.
      expect(linkedToOther).toBeGreaterThan(keys.length / 4);
    }, 300_000);
  }
});

describe('a bulk-linked CSV export', () => {
  it('lists the customers of the paged list, in its order, with the same values', async () => {
    const query = `query($first: Int, $after: String) { customers(first: $first, after: $after) { edges { node { id displayName email } } pageInfo { hasNextPage endCursor } } }`;
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await gateway.query(query, { first: 100, after });
      expect(result.errors).toBeUndefined();
      const connection = (
        result.data as {
          customers: {
            edges: Array<{ node: { id: string; displayName: string | null; email: string | null } }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }
      ).customers;
      for (const { node } of connection.edges) paged.push([node.id, node.displayName ?? '', node.email ?? ''].join('|'));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // Bulk by name, per customer by name, and the default (bulk for the whole list): one answer.
    for (const linking of ['bulk', 'perCustomer', undefined]) {
      const response = await fetch(gateway.url.replace(/\/graphql$/, '/export/csv'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { first: 100 }, path: 'customers', ...(linking === undefined ? {} : { linking }) }),
      });
      expect(response.status).toBe(200);
      const lines = (await response.text())
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter((line) => line !== '');
      expect(lines[0]).toBe('id,displayName,email');
      // The demo's names and emails hold no comma or quote, so a line splits on commas.
      const exported = lines.slice(1).map((line) => line.split(',').join('|'));
      expect({ linking, rows: exported.length }).toEqual({ linking, rows: paged.length });
      expect(exported).toEqual(paged);
    }
  }, 300_000);

  it('links in bulk by default for the whole customer list only', () => {
    expect(exportLinking({ path: 'customers', linking: undefined }, { columns: ['id'], filtered: false })).toBe('bulk');
    expect(exportLinking({ path: 'customers', linking: undefined }, { columns: ['id'], filtered: true })).toBe('perCustomer');
    expect(exportLinking({ path: 'customers', linking: 'perCustomer' }, { columns: ['id'], filtered: false })).toBe('perCustomer');
    expect(exportLinking({ path: 'customers', linking: 'bulk' }, { columns: ['id'], filtered: true })).toBe('bulk');
    expect(exportLinking({ path: 'customerSearch', linking: undefined }, { columns: ['id'], filtered: false })).toBe('perCustomer');
  });

  it('is asked for by name: any other linking is refused with 400 BAD_USER_INPUT', async () => {
    const query = `query($after: String) { customers(first: 10, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const response = await fetch(gateway.url.replace(/\/graphql$/, '/export/csv'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, path: 'customers', linking: 'fast' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: '"linking" is "bulk" or "perCustomer"', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});
