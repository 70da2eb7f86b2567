/**
 * Issue 13, item 4 (and issue 14's item 4): someone with write access to the audit store,
 * but not the key, rewrites it. Each attack below is detected by `c360 audit verify` (exit
 * 1) with the bad record named: a changed record, the chain recomputed with plain SHA-256
 * (the attack that passed before) or with a guessed key, a record deleted and the rest
 * renumbered, two records swapped, the last records cut off, the whole log emptied, the
 * published head edited, and a torn last line (no stack trace). Several writers append at
 * once and keep one chain; the PostgreSQL store survives its connections being killed.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { runAudit } from '../../src/cli/audit.js';
import { parseConfig } from '../../src/config/parse.js';
import { chainKeyFrom, type AuditFacts } from '../../src/privacy/audit/chain.js';
import { createAuditStore } from '../../src/privacy/audit/store.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const AUDIT_KEY = 'audit-key-kept-in-the-environment-0123';
const KEY = chainKeyFrom(AUDIT_KEY);
type Line = Record<string, unknown> & { seq: number; prevHash: string; hash: string };

function facts(n: number): AuditFacts {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    requestId: `r${n}`,
    principal: 'desk-1',
    role: 'agent',
    purpose: null,
    operation: 'query CustomerCard',
    endpoint: 'graphql',
    customers: [`p${n}`],
    fields: ['Customer.email'],
    outcome: 'allowed',
  };
}

/** The canonical JSON of a record, written apart from c360's: what an attacker reading the source would compute. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Rewrites the chain from `lines` on, as an attacker without the key would: plain SHA-256, or HMAC under a guess. */
function rechain(lines: Line[], digest: (text: string) => string): Line[] {
  let previous = '0'.repeat(64);
  return lines.map((line) => {
    const { hash: _hash, prevHash: _prev, ...rest } = line;
    const hash = digest(`${previous}\n${canonical(rest)}`);
    const next = { ...rest, prevHash: previous, hash } as Line;
    previous = hash;
    return next;
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const guessedHmac = (text: string) => createHmac('sha256', 'guessed-key').update(text).digest('hex');

async function verify(path: string, anchorPath: string): Promise<{ code: number; output: string }> {
  const config = parseConfig({
    sources: {},
    entities: {},
    privacy: { auth: { apiKeys: [] }, auditKey: AUDIT_KEY, audit: { store: 'file', path, anchorPath } },
  });
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

async function freshLog(records = 6): Promise<{ path: string; anchorPath: string; lines: Line[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'c360-tamper-'));
  const path = join(dir, 'audit.jsonl');
  const anchorPath = join(dir, 'head.json');
  const store = createAuditStore({ store: 'file', path, anchorPath }, KEY);
  for (let n = 1; n <= records; n++) await store.append(facts(n));
  await store.close();
  const text = records === 0 ? '' : readFileSync(path, 'utf8');
  return {
    path,
    anchorPath,
    lines: text
      .trimEnd()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line),
  };
}

const write = (path: string, lines: ReadonlyArray<Line>) => writeFileSync(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));

describe('audit verify against a store rewritten without the key', () => {
  it('says intact, up to the published head, before any tampering', async () => {
    const { path, anchorPath } = await freshLog();
    expect(await verify(path, anchorPath)).toEqual({ code: 0, output: 'audit log intact: 6 records, up to its published head\n' });
  });

  it('names a record changed in place', async () => {
    const { path, anchorPath, lines } = await freshLog();
    write(
      path,
      lines.map((line) => (line.seq === 3 ? { ...line, principal: 'intruder' } : line)),
    );
    expect(await verify(path, anchorPath)).toMatchObject({ code: 1, output: expect.stringContaining('BROKEN at record 3: record 3 was changed') });
  });

  it('names the first record of a chain recomputed with SHA-256, or with a guessed HMAC key', async () => {
    for (const digest of [sha256, guessedHmac]) {
      const { path, anchorPath, lines } = await freshLog();
      const changed = lines.map((line) => (line.seq === 4 ? { ...line, outcome: 'denied' } : line));
      write(path, [...changed.slice(0, 3), ...rechain(changed, digest).slice(3)]);
      expect(await verify(path, anchorPath)).toMatchObject({ code: 1, output: expect.stringContaining('BROKEN at record 4: record 4 was changed') });
    }
  });

  it('names a deleted record, even when the later ones are renumbered and rechained', async () => {
    const { path, anchorPath, lines } = await freshLog();
    write(
      path,
      lines.filter((line) => line.seq !== 2),
    );
    expect((await verify(path, anchorPath)).output).toContain('BROKEN at record 3: record 2 is missing');
    const renumbered = lines.filter((line) => line.seq !== 2).map((line, index) => ({ ...line, seq: index + 1 }));
    write(path, [renumbered[0]!, ...rechain(renumbered, sha256).slice(1)]);
    expect((await verify(path, anchorPath)).output).toContain('BROKEN at record 2: record 2 was changed');
  });

  it('names two swapped records', async () => {
    const { path, anchorPath, lines } = await freshLog();
    write(path, [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]);
    expect((await verify(path, anchorPath)).output).toContain('BROKEN at record 3: record 2 is missing (found 3 after 1)');
  });

  it('sees the last records cut off, and an emptied log, against the published head', async () => {
    const { path, anchorPath, lines } = await freshLog();
    write(path, lines.slice(0, 4));
    expect(await verify(path, anchorPath)).toMatchObject({
      code: 1,
      output: expect.stringContaining('BROKEN at record 5: the log was truncated: it ends at record 4'),
    });
    writeFileSync(path, '');
    expect((await verify(path, anchorPath)).output).toContain('BROKEN at record 1: the log was truncated: it ends at record 0');
  });

  it('sees a head edited to match a truncated log', async () => {
    const { path, anchorPath, lines } = await freshLog();
    write(path, lines.slice(0, 4));
    const head = JSON.parse(readFileSync(anchorPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(anchorPath, JSON.stringify({ ...head, seq: 4, hash: lines[3]!.hash }));
    expect((await verify(path, anchorPath)).output).toContain('the published head was changed');
  });

  it('names a torn last line without a stack trace, and the next append starts a line of its own', async () => {
    const { path, anchorPath } = await freshLog();
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}{"at":"2026-01-01T00:07:00.000Z","requestId":"r7","princ`);
    const torn = await verify(path, anchorPath);
    expect(torn).toMatchObject({
      code: 1,
      output: expect.stringMatching(/^audit log BROKEN at record 7: line 7 \(after record 6\) is unreadable: .* is not JSON \(a torn write\?\)/),
    });
    expect(torn.output).not.toMatch(/\n\s+at /);
    const store = createAuditStore({ store: 'file', path, anchorPath }, KEY);
    expect((await store.append(facts(7))).seq).toBe(7);
    expect(readFileSync(path, 'utf8').split('\n').at(-2)).toMatch(/^\{"at":.*"seq":7/);
    expect((await verify(path, anchorPath)).output).toContain('line 7 (after record 6) is unreadable');
  });
});

describe('several writers', () => {
  it('three file stores appending at once extend one chain up to the head', async () => {
    const { path, anchorPath } = await freshLog(0);
    const writers = [0, 1, 2].map(() => createAuditStore({ store: 'file', path, anchorPath }, KEY));
    await Promise.all(Array.from({ length: 60 }, (_, n) => writers[n % 3]!.append(facts(n))));
    expect(await verify(path, anchorPath)).toEqual({ code: 0, output: 'audit log intact: 60 records, up to its published head\n' });
  });
});

describe('PostgreSQL audit store', () => {
  const name = uniqueDatabaseName('c360_tamper');
  let url: string;
  beforeAll(async () => {
    url = await createDatabase('postgres', POSTGRES_SERVER_URL, name);
  });
  afterAll(async () => {
    await dropDatabase('postgres', POSTGRES_SERVER_URL, name);
  });

  it('reconnects after its connections are killed instead of crashing the process, and three writers keep one chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-tamper-pg-'));
    const anchorPath = join(dir, 'head.json');
    const config = { store: 'postgres' as const, url, table: 'c360_audit', anchorPath };
    const writers = [0, 1, 2].map(() => createAuditStore(config, KEY));
    try {
      await Promise.all(Array.from({ length: 30 }, (_, n) => writers[n % 3]!.append(facts(n))));
      const admin = await openSqlAdmin('postgres', POSTGRES_SERVER_URL);
      try {
        // The idle connections the stores hold are dropped by the server: before, an 'error' with no listener stopped the process.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      } finally {
        await admin.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      await Promise.all(Array.from({ length: 6 }, (_, n) => writers[n % 3]!.append(facts(100 + n))));
      const parsed = parseConfig({ sources: {}, entities: {}, privacy: { auth: { apiKeys: [] }, auditKey: AUDIT_KEY, audit: config } });
      let output = '';
      const code = await runAudit(
        parsed,
        'verify',
        new Writable({
          write(chunk: Buffer, _e, done) {
            output += chunk.toString();
            done();
          },
        }),
      );
      expect({ code, output }).toEqual({ code: 0, output: 'audit log intact: 36 records, up to its published head\n' });

      const tamper = await openSqlAdmin('postgres', url);
      try {
        await tamper.exec('DELETE FROM c360_audit WHERE seq > 34');
      } finally {
        await tamper.close();
      }
      output = '';
      expect(
        await runAudit(
          parsed,
          'verify',
          new Writable({
            write(chunk: Buffer, _e, done) {
              output += chunk.toString();
              done();
            },
          }),
        ),
      ).toBe(1);
      expect(output).toContain('BROKEN at record 35: the log was truncated: it ends at record 34');
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  }, 30_000);
});
