/**
 * Issue 14, item 4: three c360 replicas (real `c360 serve` processes) share one PostgreSQL
 * audit store and append to it at once. `c360 audit verify` (the CLI, a process of its own)
 * finds one intact chain holding exactly the audited requests sent; a record changed in the
 * database without the key is then named.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { projectRoot } from '../../src/gateway/project.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { scratchDir, startReplica, type Child } from '../support/replicas.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const ADMIN_KEY = 'replicas-audit-admin-key-0123456789ab';
const PER_REPLICA = 30;
const TABLE = 'c360_audit';

let seeded: SeededWorld;
let scratch: ReturnType<typeof scratchDir>;
let replicas: Child[] = [];
let configFile: string;
const auditDatabase = uniqueDatabaseName('c360_replicas_audit');
let auditUrl: string | undefined;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 30, seed: 14 });
  scratch = scratchDir();
  auditUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, auditDatabase);
  const raw = demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 });
  const config = {
    ...raw,
    privacy: {
      auth: { apiKeys: [{ id: 'ops', sha256: sha256Hex(ADMIN_KEY), role: 'admin' }] },
      auditKey: 'replicas-audit-chain-key-0123456789abcdef',
      audit: { store: 'postgres', url: auditUrl, table: TABLE },
    },
  };
  configFile = join(scratch.dir, 'c360.json');
  writeFileSync(configFile, JSON.stringify(config));
  replicas = await Promise.all([0, 1, 2].map(() => startReplica(configFile)));
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
  scratch?.remove();
  await seeded?.drop();
  if (auditUrl !== undefined) await dropDatabase('postgres', POSTGRES_SERVER_URL, auditDatabase);
});

/** `c360 audit verify --config FILE` from the sources, as an operator runs it. */
function auditVerify(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      ['--import', './tests/support/ts-register.mjs', 'tests/support/c360-cli.ts', 'audit', 'verify', '--config', configFile],
      { cwd: projectRoot(), env: { ...process.env, C360_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    proc.once('exit', (code) => resolve({ code, output }));
  });
}

describe('three replicas auditing into one PostgreSQL store at once', () => {
  it('keeps one chain `c360 audit verify` passes, and a record changed without the key is still named', async () => {
    const contacts = seeded.world.contacts;
    // Each request reads Customer.email: personal data, so each one is audited once.
    const ask = async (replica: Child, n: number) => {
      const id = encodeCustomerId({ entity: 'contact', key: String(contacts[n % contacts.length]!.id) });
      const response = await fetch(`http://127.0.0.1:${replica.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query: 'query Card($id: ID!) { customer(id: $id) { id email } }', variables: { id } }),
      });
      const body = (await response.json()) as { data?: { customer?: { email?: string | null } | null }; errors?: unknown[] };
      return { status: response.status, errors: body.errors, customer: body.data?.customer };
    };
    // 3 × 30 requests, several in flight on each replica at a time.
    const results = await Promise.all(replicas.flatMap((replica, r) => Array.from({ length: PER_REPLICA }, (_, n) => ask(replica, r * PER_REPLICA + n))));
    expect(results.filter((result) => result.status !== 200 || result.errors !== undefined || result.customer == null)).toEqual([]);
    const sent = replicas.length * PER_REPLICA;

    // The audit append runs as the request ends: wait until every record is in.
    const admin = await openSqlAdmin('postgres', auditUrl!);
    try {
      const deadline = Date.now() + 10_000;
      let count = 0;
      while (Date.now() < deadline) {
        const rows = await admin.query(`SELECT count(*)::int AS n FROM ${TABLE}`);
        count = Number(rows[0]!.n);
        if (count >= sent) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(count).toBe(sent);
      // One record per request: none lost, none written twice.
      const distinct = await admin.query(`SELECT count(DISTINCT record->>'requestId')::int AS n FROM ${TABLE}`);
      expect(Number(distinct[0]!.n)).toBe(sent);

      const intact = await auditVerify();
      expect(intact).toEqual({ code: 0, output: expect.stringContaining(`audit log intact: ${sent} records`) });

      // Someone with write access to the table, but not the key, edits one record.
      const tampered = 47;
      await admin.query(`UPDATE ${TABLE} SET record = jsonb_set(record, '{principal}', '"intruder"') WHERE seq = $1`, [tampered]);
      const broken = await auditVerify();
      expect(broken.code).toBe(1);
      expect(broken.output).toContain(`BROKEN at record ${tampered}: record ${tampered} was changed`);
    } finally {
      await admin.close();
    }
  }, 60_000);
});
