/**
 * The audit log's hash chain in each store: a changed, deleted or reordered record is
 * detected, by verifyChain and by `c360 audit verify`. The PostgreSQL store runs on the
 * real server, in its own database.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { runAudit } from '../../src/cli/audit.js';
import { parseConfig } from '../../src/config/parse.js';
import { chainKeyFrom, chainRecord, entriesOf, verifyChain, type AuditFacts, type AuditRecord } from '../../src/privacy/audit/chain.js';
import { createFileAuditStore, createMemoryAuditStore, createPostgresAuditStore } from '../../src/privacy/audit/store.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const KEY = chainKeyFrom('k'.repeat(32));
const verify = (records: ReadonlyArray<AuditRecord>) => verifyChain(entriesOf(records), KEY);

function facts(n: number): AuditFacts {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    requestId: `r${n}`,
    principal: 'desk-1',
    role: 'agent',
    purpose: 'support',
    operation: 'query CustomerCard',
    endpoint: 'graphql',
    customers: [`p${n}`],
    fields: ['Customer.email'],
    outcome: 'allowed',
  };
}

function configWithAudit(audit: Record<string, unknown>) {
  return parseConfig({ sources: {}, entities: {}, privacy: { auth: { apiKeys: [] }, auditKey: 'k'.repeat(32), audit } });
}

async function cli(config: ReturnType<typeof configWithAudit>): Promise<{ code: number; output: string }> {
  let output = '';
  const out = new Writable({
    write(chunk: Buffer, _e, done) {
      output += chunk.toString();
      done();
    },
  });
  const code = await runAudit(config, 'verify', out);
  return { code, output };
}

describe('verifyChain', () => {
  it('accepts an intact chain and names the first changed, missing or reordered record', async () => {
    const store = createMemoryAuditStore(KEY);
    for (let n = 1; n <= 5; n++) await store.append(facts(n));
    const records = [...(await store.readAll())];
    expect(verify(records)).toEqual({ ok: true, records: 5, head: 'none' });

    const changed = records.map((r) => (r.seq === 3 ? { ...r, principal: 'someone-else' } : r));
    expect(verify(changed)).toMatchObject({ ok: false, seq: 3 });
    const deleted = records.filter((r) => r.seq !== 2);
    expect(verify(deleted)).toMatchObject({ ok: false, seq: 3 });
    const reordered = [records[0]!, records[2]!, records[1]!, records[3]!, records[4]!];
    expect(verify(reordered)).toMatchObject({ ok: false });
    // Rewriting a record with a fresh hash still breaks the next record's link.
    const { hash: _hash, ...rest } = records[1]!;
    const rehashed = records.map((r) => (r.seq === 2 ? { ...rest, fields: [], hash: 'f'.repeat(64) } : r));
    expect(verify(rehashed)).toMatchObject({ ok: false });
  });

  it('gives the MACs that records written by earlier versions carry (a stored chain still verifies)', () => {
    // Computed by the element-by-element canonical JSON this file's records were first chained with.
    const key = chainKeyFrom('golden key');
    const golden: AuditFacts = {
      at: '2026-12-07T10:00:00.000Z',
      requestId: 'req-1',
      principal: 'alice',
      role: 'analyst',
      purpose: null,
      operation: 'query CRM',
      endpoint: 'graphql',
      customers: ['b2', 'a1', 'c"3'],
      fields: ['Contact.email', 'Contact.firstName'],
      outcome: 'partial',
    };
    const first = chainRecord(golden, undefined, key);
    const second = chainRecord({ ...golden, customers: [], purpose: 'support' }, first, key);
    expect([first.hash, second.hash]).toEqual([
      '4baf3809050b1c0b9bf348855ea79f26e098899b767bda7af358fcf5041d09a7',
      '6be7e9d3eeefc71a5592c1b247664a999472655bb61972ded719b2ddd436783c',
    ]);
  });

  it('keeps one linear chain under concurrent appends', async () => {
    const store = createMemoryAuditStore(KEY);
    await Promise.all(Array.from({ length: 50 }, (_, n) => store.append(facts(n))));
    expect(verify(await store.readAll())).toEqual({ ok: true, records: 50, head: 'none' });
  });
});

describe('file store and c360 audit verify', () => {
  it('reports an intact file, then the record someone edited', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'c360-audit-')), 'audit.jsonl');
    const store = createFileAuditStore(path, KEY);
    for (let n = 1; n <= 4; n++) await store.append(facts(n));
    const config = configWithAudit({ store: 'file', path });
    expect(await cli(config)).toEqual({ code: 0, output: 'audit log intact: 4 records (no anchorPath configured: records cut off the end cannot be seen)\n' });

    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    lines[1] = lines[1]!.replace('"outcome":"allowed"', '"outcome":"denied"');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const tampered = await cli(config);
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain('BROKEN at record 2: record 2 was changed');

    writeFileSync(path, `${[lines[0], lines[2], lines[3]].join('\n')}\n`);
    expect((await cli(config)).output).toContain('record 2 is missing');
  });
});

describe('PostgreSQL store', () => {
  const name = uniqueDatabaseName('c360_audit');
  let url: string;
  beforeAll(async () => {
    url = await createDatabase('postgres', POSTGRES_SERVER_URL, name);
  });
  afterAll(async () => {
    await dropDatabase('postgres', POSTGRES_SERVER_URL, name);
  });

  it('chains across two writers sharing the table and detects a tampered or deleted row', async () => {
    const a = createPostgresAuditStore(url, 'c360_audit', KEY);
    const b = createPostgresAuditStore(url, 'c360_audit', KEY);
    await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? a : b).append(facts(n))));
    const config = configWithAudit({ store: 'postgres', url, table: 'c360_audit' });
    expect(await cli(config)).toEqual({ code: 0, output: 'audit log intact: 10 records (no anchorPath configured: records cut off the end cannot be seen)\n' });

    const admin = await openSqlAdmin('postgres', url);
    try {
      await admin.exec(`UPDATE c360_audit SET record = jsonb_set(record, '{principal}', '"intruder"') WHERE seq = 4`);
      expect((await cli(config)).output).toContain('BROKEN at record 4');
      await admin.exec(`UPDATE c360_audit SET record = jsonb_set(record, '{principal}', '"desk-1"') WHERE seq = 4`);
      expect((await cli(config)).code).toBe(0);
      await admin.exec('DELETE FROM c360_audit WHERE seq = 7');
      expect((await cli(config)).output).toContain('record 7 is missing');
    } finally {
      await admin.close();
      await a.close();
      await b.close();
    }
  });
});

describe("memory store bound (issue 13: the soak's only heap growth)", () => {
  it('keeps the last records only, still numbering and chaining every append', async () => {
    const store = createMemoryAuditStore(KEY, undefined, 10);
    for (let n = 1; n <= 25; n++) await store.append(facts(n));
    const kept = await store.readAll();
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.at(-1)?.seq).toBe(25);
    for (let index = 1; index < kept.length; index++) expect(kept[index]!.prevHash).toBe(kept[index - 1]!.hash);
  });

  it('keeps the customers its records name under a bound too (export pages name 1,000 each), the latest record always', async () => {
    const store = createMemoryAuditStore(KEY, undefined, 1_000, 2_500);
    const page = (n: number): AuditFacts => ({ ...facts(n), customers: Array.from({ length: 1_000 }, (_, i) => `p${n}-${i}`) });
    for (let n = 1; n <= 12; n++) await store.append(page(n));
    const kept = await store.readAll();
    expect(kept.reduce((sum, record) => sum + record.customers.length, 0)).toBeLessThanOrEqual(2_500);
    expect(kept.at(-1)?.seq).toBe(12);
    for (let index = 1; index < kept.length; index++) expect(kept[index]!.prevHash).toBe(kept[index - 1]!.hash);
    const big = createMemoryAuditStore(KEY, undefined, 1_000, 10);
    await big.append(page(1));
    await big.append(page(2));
    expect((await big.readAll()).map((record) => record.seq)).toEqual([2]);
  });
});
