/**
 * Where audit records go: append-only, one chain. Memory (open mode and tests), a JSON
 * Lines file (the embedded default), or a PostgreSQL table. Several writers may append at
 * once: the file store takes an exclusive lock file and reads the chain's tail from the
 * file under it, the PostgreSQL store an advisory lock in the transaction that reads the
 * last row; either way every writer extends the one chain.
 */
import { open as openFile, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { quoteIdentifier } from '../../../connectors/admin.js';
import type { AuditStoreConfig } from '../../config/privacy-config.js';
import type { Logger } from '../../gateway/logger.js';
import { chainRecord, entriesOf, type AuditEntry, type AuditFacts, type AuditRecord, type ChainKey } from './chain.js';
import { createHeadPublisher, type HeadPublisher } from './head.js';

export interface AuditStore {
  /** Chains and writes one record, then publishes the new head. */
  append(facts: AuditFacts): Promise<AuditRecord>;
  /** Every record, in sequence order (unreadable lines skipped: verification reports them). */
  readAll(): Promise<ReadonlyArray<AuditRecord>>;
  /** Every line or row as stored, readable or not, for verification. */
  readEntries(): Promise<ReadonlyArray<AuditEntry>>;
  close(): Promise<void>;
}

const NO_HEAD: HeadPublisher = { publish: async () => undefined };

/** Runs appends one after another within this process. */
function serialized(write: (facts: AuditFacts) => Promise<AuditRecord>): (facts: AuditFacts) => Promise<AuditRecord> {
  let tail: Promise<unknown> = Promise.resolve();
  return (facts) => {
    const next = tail.then(() => write(facts));
    tail = next.catch(() => undefined);
    return next;
  };
}

/** Records the memory store keeps: open mode audits every request, and kept them all (the soak's only growth, bench/README-soak.md). */
export const MEMORY_AUDIT_RECORDS = 10_000;
/**
 * Customers (pseudonyms) the memory store's records name at most, all records together: a
 * record of a whole-base export page names 1,000, so a bound on records alone let 10,000 of
 * them hold 10M pseudonyms (each export kept ~5 MB more, bench/README-insights.md).
 */
export const MEMORY_AUDIT_CUSTOMERS = 200_000;

/**
 * The last records in memory, chained as any store: at most `maxRecords`, naming at most
 * `maxCustomers` customers together (the latest record is always kept). Nothing outlives the
 * process (open mode and tests), so older ones are dropped rather than kept forever.
 */
export function createMemoryAuditStore(
  key: ChainKey,
  head: HeadPublisher = NO_HEAD,
  maxRecords = MEMORY_AUDIT_RECORDS,
  maxCustomers = MEMORY_AUDIT_CUSTOMERS,
): AuditStore {
  let records: AuditRecord[] = [];
  let customers = 0;
  let last: AuditRecord | undefined;
  return {
    append: serialized(async (facts) => {
      const record = chainRecord(facts, last, key);
      last = record;
      records.push(record);
      customers += record.customers.length;
      // Dropped in batches (a tenth of the bound, or what brings the customers under theirs), so appends stay O(1) amortized.
      if (records.length > maxRecords || customers > maxCustomers) {
        let drop = records.length > maxRecords ? Math.max(1, Math.floor(maxRecords / 10)) : 0;
        let dropped = 0;
        for (let i = 0; i < drop; i++) dropped += records[i]!.customers.length;
        while (customers - dropped > maxCustomers * 0.9 && drop < records.length - 1) dropped += records[drop++]!.customers.length;
        records = records.slice(drop);
        customers -= dropped;
      }
      await head.publish(record);
      return record;
    }),
    async readAll() {
      return [...records];
    },
    async readEntries() {
      return entriesOf(records);
    },
    async close() {},
  };
}

function parseLine(line: string, position: number): AuditEntry {
  try {
    return { position, record: JSON.parse(line) as AuditRecord };
  } catch {
    return {
      position,
      record: undefined,
      unreadable:
        line.length > 40 ? `${JSON.stringify(line.slice(0, 40))}… is not JSON (a torn write?)` : `${JSON.stringify(line)} is not JSON (a torn write?)`,
    };
  }
}

const LOCK_STALE_MILLIS = 10_000;
const LOCK_WAIT_MILLIS = 10_000;

/** An exclusive lock file beside the log, for writers in several processes; a lock older than 10 s is a crashed writer's. */
async function withLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MILLIS;
  for (;;) {
    try {
      const handle = await openFile(lockPath, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MILLIS) await rm(lockPath, { force: true });
      else if (Date.now() > deadline) throw new Error(`audit log ${path} stayed locked for ${LOCK_WAIT_MILLIS} ms (${lockPath})`);
      else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** The last complete line of the file and whether the file ends with a newline, reading only its end. */
async function tailOf(path: string): Promise<{ last: AuditRecord | undefined; endsWithNewline: boolean }> {
  if (!existsSync(path)) return { last: undefined, endsWithNewline: true };
  const handle = await openFile(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { last: undefined, endsWithNewline: true };
    for (let window = 16_384; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const lines = text.split('\n');
      const endsWithNewline = text.endsWith('\n');
      // Complete lines only: the first may be cut by the window, the last may be torn.
      const complete = lines.slice(start === 0 ? 0 : 1, -1).filter((line) => line.trim() !== '');
      for (let index = complete.length - 1; index >= 0; index--) {
        const entry = parseLine(complete[index]!, 0);
        if (entry.record !== undefined) return { last: entry.record, endsWithNewline };
      }
      if (start === 0) return { last: undefined, endsWithNewline };
    }
  } finally {
    await handle.close();
  }
}

export function createFileAuditStore(path: string, key: ChainKey, head: HeadPublisher = NO_HEAD): AuditStore {
  async function readEntries(): Promise<AuditEntry[]> {
    if (!existsSync(path)) return [];
    const text = await readFile(path, 'utf8');
    const entries: AuditEntry[] = [];
    text.split('\n').forEach((line, index) => {
      if (line.trim() !== '') entries.push(parseLine(line, index + 1));
    });
    return entries;
  }
  return {
    append: serialized((facts) =>
      withLockFile(path, async () => {
        const { last, endsWithNewline } = await tailOf(path);
        const record = chainRecord(facts, last, key);
        const handle = await openFile(path, 'a', 0o600);
        try {
          // After a torn last line, start on a line of our own (verification names the torn one).
          await handle.write(`${endsWithNewline ? '' : '\n'}${JSON.stringify(record)}\n`, null, 'utf8');
        } finally {
          await handle.close();
        }
        await head.publish(record);
        return record;
      }),
    ),
    async readAll() {
      return (await readEntries()).flatMap((entry) => (entry.record === undefined ? [] : [entry.record]));
    },
    readEntries,
    async close() {},
  };
}

/**
 * A pool rather than one client: a connection the server or the network drops is replaced
 * on the next append, and the pool's 'error' listener keeps an idle connection's drop from
 * becoming an uncaught exception that stopped the gateway.
 */
export function createPostgresAuditStore(url: string, table: string, key: ChainKey, head: HeadPublisher = NO_HEAD, logger?: Logger): AuditStore {
  const name = quoteIdentifier('postgres', table);
  let pool: pg.Pool | undefined;
  let ready: Promise<pg.Pool> | undefined;
  const open = (): Promise<pg.Pool> => {
    ready ??= (async () => {
      pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30_000 });
      pool.on('error', (error) => logger?.warn({ err: error }, 'audit store connection lost; the next append reconnects'));
      const ddl = `CREATE TABLE IF NOT EXISTS ${name} (seq bigint PRIMARY KEY, record jsonb NOT NULL, hash char(64) NOT NULL)`;
      // Two processes creating the table at once: one loses on pg_type; the table is there then.
      await pool.query(ddl).catch(() => pool!.query(ddl));
      return pool;
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    append: serialized(async (facts) => {
      const client = await (await open()).connect();
      let broken: Error | undefined;
      // Checked out, the client is no longer covered by the pool's listener: a drop between two statements must not be an uncaught 'error'.
      const onError = (error: Error) => {
        broken = error;
        logger?.warn({ err: error }, 'audit store connection lost during an append');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        // Several c360 processes may share the table: the advisory lock keeps one chain.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
        const { rows } = await client.query(`SELECT record FROM ${name} ORDER BY seq DESC LIMIT 1`);
        const record = chainRecord(facts, rows[0]?.record as AuditRecord | undefined, key);
        await client.query(`INSERT INTO ${name} (seq, record, hash) VALUES ($1, $2, $3)`, [record.seq, JSON.stringify(record), record.hash]);
        await client.query('COMMIT');
        await head.publish(record);
        return record;
      } catch (error) {
        broken = error as Error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }),
    async readAll() {
      const { rows } = await (await open()).query(`SELECT record FROM ${name} ORDER BY seq`);
      return rows.map((row) => row.record as AuditRecord);
    },
    async readEntries() {
      const { rows } = await (await open()).query(`SELECT record FROM ${name} ORDER BY seq`);
      return rows.map((row, index) => ({ position: index + 1, record: row.record as AuditRecord }));
    },
    async close() {
      ready = undefined;
      const closing = pool;
      pool = undefined;
      await closing?.end();
    },
  };
}

export function createAuditStore(config: AuditStoreConfig, key: ChainKey, logger?: Logger): AuditStore {
  const head = config.store === 'memory' ? NO_HEAD : createHeadPublisher(key, config.anchorPath, logger);
  switch (config.store) {
    case 'memory':
      return createMemoryAuditStore(key);
    case 'file':
      return createFileAuditStore(config.path, key, head);
    case 'postgres':
      return createPostgresAuditStore(config.url, config.table, key, head, logger);
    default: {
      const unreachable: never = config;
      throw new Error(`unknown audit store ${JSON.stringify(unreachable)}`);
    }
  }
}
