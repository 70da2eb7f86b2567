/**
 * Where audit records go: append-only, one chain. Memory (open mode and tests), a JSON
 * Lines file (the embedded default), or a PostgreSQL table.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { openSqlAdmin, quoteIdentifier, type SqlAdmin } from '../../../connectors/admin.js';
import type { AuditStoreConfig } from '../../config/privacy-config.js';
import { chainRecord, type AuditFacts, type AuditRecord } from './chain.js';

export interface AuditStore {
  /** Chains and writes one record; appends are serialized so the chain stays linear. */
  append(facts: AuditFacts): Promise<AuditRecord>;
  /** Every record, in sequence order. */
  readAll(): Promise<ReadonlyArray<AuditRecord>>;
  close(): Promise<void>;
}

/** Runs appends one after another within this process. */
function serialized(write: (facts: AuditFacts) => Promise<AuditRecord>): (facts: AuditFacts) => Promise<AuditRecord> {
  let tail: Promise<unknown> = Promise.resolve();
  return (facts) => {
    const next = tail.then(() => write(facts));
    tail = next.catch(() => undefined);
    return next;
  };
}

export function createMemoryAuditStore(): AuditStore {
  const records: AuditRecord[] = [];
  return {
    append: serialized(async (facts) => {
      const record = chainRecord(facts, records.at(-1));
      records.push(record);
      return record;
    }),
    async readAll() {
      return [...records];
    },
    async close() {},
  };
}

export function createFileAuditStore(path: string): AuditStore {
  let last: AuditRecord | undefined;
  let loaded = false;
  async function readAll(): Promise<AuditRecord[]> {
    if (!existsSync(path)) return [];
    const text = await readFile(path, 'utf8');
    return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as AuditRecord);
  }
  return {
    append: serialized(async (facts) => {
      if (!loaded) {
        last = (await readAll()).at(-1);
        loaded = true;
      }
      const record = chainRecord(facts, last);
      await appendFile(path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', mode: 0o600 });
      last = record;
      return record;
    }),
    readAll,
    async close() {},
  };
}

export function createPostgresAuditStore(url: string, table: string): AuditStore {
  const name = quoteIdentifier('postgres', table);
  let admin: Promise<SqlAdmin> | undefined;
  const open = () =>
    (admin ??= openSqlAdmin('postgres', url).then(async (client) => {
      const ddl = `CREATE TABLE IF NOT EXISTS ${name} (seq bigint PRIMARY KEY, record jsonb NOT NULL, hash char(64) NOT NULL)`;
      // Two processes creating the table at once: one loses on pg_type; the table is there then.
      await client.exec(ddl).catch(() => client.exec(ddl));
      return client;
    }));
  return {
    append: serialized(async (facts) => {
      const client = await open();
      // Several c360 processes may share the table: the advisory lock keeps one chain.
      await client.exec('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
        const rows = await client.query(`SELECT record FROM ${name} ORDER BY seq DESC LIMIT 1`);
        const record = chainRecord(facts, rows[0]?.record as AuditRecord | undefined);
        await client.query(`INSERT INTO ${name} (seq, record, hash) VALUES ($1, $2, $3)`, [record.seq, JSON.stringify(record), record.hash]);
        await client.exec('COMMIT');
        return record;
      } catch (error) {
        await client.exec('ROLLBACK');
        throw error;
      }
    }),
    async readAll() {
      const client = await open();
      const rows = await client.query(`SELECT record FROM ${name} ORDER BY seq`);
      return rows.map((row) => row.record as AuditRecord);
    },
    async close() {
      if (admin !== undefined) await (await admin).close();
    },
  };
}

export function createAuditStore(config: AuditStoreConfig): AuditStore {
  switch (config.store) {
    case 'memory':
      return createMemoryAuditStore();
    case 'file':
      return createFileAuditStore(config.path);
    case 'postgres':
      return createPostgresAuditStore(config.url, config.table);
    default: {
      const unreachable: never = config;
      throw new Error(`unknown audit store ${JSON.stringify(unreachable)}`);
    }
  }
}
