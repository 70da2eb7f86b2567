/**
 * The only things triggers keep: a watermark per followed source entity, the last state of
 * each (trigger, customer), how often it fired (the idempotency key's episode), and the dead
 * letters. No event, order or customer field is stored. In memory, or in PostgreSQL.
 */
import { openSqlAdmin, quoteIdentifier, type SqlAdmin } from '../../connectors/admin.js';
import type { TriggerStateConfig } from '../config/triggers-config.js';

export interface Watermark {
  /** The time field's value of the last row taken, as the source returned it. */
  readonly at: string;
  /** Its key, the tie-breaker between rows of one instant. */
  readonly key: string;
  /**
   * The keys of every row taken at `at` (`key` among them), so that after a restart the
   * rows of that instant are not read again. Absent in a watermark kept before it was
   * stored: then only `key` is known taken.
   */
  readonly taken?: ReadonlyArray<string>;
}

export interface TriggerState {
  readonly active: boolean;
  /** Firings so far; the next firing's episode is fired + 1. */
  readonly fired: number;
}

export interface StateChange extends TriggerState {
  readonly rule: string;
  readonly customerId: string;
}

export interface DeadLetter {
  readonly idempotencyKey: string;
  readonly rule: string;
  readonly destination: string;
  readonly customerId: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: string;
}

export interface TriggerStateStore {
  watermarks(): Promise<Map<string, Watermark>>;
  /** States of these customers for this rule; absent: never seen (inactive, never fired). */
  states(rule: string, customerIds: ReadonlyArray<string>): Promise<Map<string, TriggerState>>;
  /** Writes the changed states and the new watermarks together: one transaction in PostgreSQL. */
  commit(changes: ReadonlyArray<StateChange>, watermarks: ReadonlyMap<string, Watermark>): Promise<void>;
  deadLetter(letter: DeadLetter): Promise<void>;
  deadLetters(rule: string | undefined, first: number): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export function createMemoryStateStore(): TriggerStateStore {
  const marks = new Map<string, Watermark>();
  const states = new Map<string, TriggerState>();
  const letters: DeadLetter[] = [];
  return {
    async watermarks() {
      return new Map(marks);
    },
    async states(rule, customerIds) {
      const found = new Map<string, TriggerState>();
      for (const id of customerIds) {
        const state = states.get(`${rule}\u0000${id}`);
        if (state !== undefined) found.set(id, state);
      }
      return found;
    },
    async commit(changes, watermarks) {
      for (const change of changes) states.set(`${change.rule}\u0000${change.customerId}`, { active: change.active, fired: change.fired });
      for (const [follower, mark] of watermarks) marks.set(follower, mark);
    },
    async deadLetter(letter) {
      letters.push(letter);
    },
    async deadLetters(rule, first) {
      return letters
        .filter((letter) => rule === undefined || letter.rule === rule)
        .reverse()
        .slice(0, first);
    },
    async close() {},
  };
}

/** Serializes calls on the one admin connection. */
function serialized(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = tail.then(work);
    tail = next.catch(() => undefined);
    return next;
  };
}

export function createPostgresStateStore(url: string, prefix: string): TriggerStateStore {
  const q = (suffix: string) => quoteIdentifier('postgres', `${prefix}_${suffix}`);
  const [watermarkTable, stateTable, deadTable] = [q('watermark'), q('state'), q('dead_letter')];
  const run = serialized();
  let opened: Promise<SqlAdmin> | undefined;
  const open = () =>
    (opened ??= openSqlAdmin('postgres', url).then(async (admin) => {
      await admin.exec(
        [
          `CREATE TABLE IF NOT EXISTS ${watermarkTable} (follower text PRIMARY KEY, at text NOT NULL, key text NOT NULL, taken text)`,
          // A table created before the keys of the watermark's instant were kept.
          `ALTER TABLE ${watermarkTable} ADD COLUMN IF NOT EXISTS taken text`,
          `CREATE TABLE IF NOT EXISTS ${stateTable} (rule text NOT NULL, customer_id text NOT NULL, active boolean NOT NULL, fired integer NOT NULL, changed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (rule, customer_id))`,
          `CREATE TABLE IF NOT EXISTS ${deadTable} (idempotency_key text NOT NULL, destination text NOT NULL, rule text NOT NULL, customer_id text NOT NULL, attempts integer NOT NULL, last_error text NOT NULL, failed_at timestamptz NOT NULL, PRIMARY KEY (idempotency_key, destination))`,
        ].join(';'),
      );
      return admin;
    }));
  return {
    watermarks: () =>
      run(async () => {
        const rows = await (await open()).query(`SELECT follower, at, key, taken FROM ${watermarkTable}`);
        return new Map(
          rows.map((row) => [
            String(row.follower),
            { at: String(row.at), key: String(row.key), ...(typeof row.taken === 'string' ? { taken: (JSON.parse(row.taken) as unknown[]).map(String) } : {}) },
          ]),
        );
      }),
    states: (rule, customerIds) =>
      run(async () => {
        const found = new Map<string, TriggerState>();
        if (customerIds.length === 0) return found;
        const rows = await (
          await open()
        ).query(`SELECT customer_id, active, fired FROM ${stateTable} WHERE rule = $1 AND customer_id = ANY($2::text[])`, [
          rule,
          `{${customerIds.map((id) => `"${id.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`,
        ]);
        for (const row of rows) found.set(String(row.customer_id), { active: row.active === true, fired: Number(row.fired) });
        return found;
      }),
    commit: (changes, watermarks) =>
      run(async () => {
        const admin = await open();
        await admin.exec('BEGIN');
        try {
          for (const change of changes) {
            await admin.query(
              `INSERT INTO ${stateTable} (rule, customer_id, active, fired) VALUES ($1, $2, $3, $4) ON CONFLICT (rule, customer_id) DO UPDATE SET active = EXCLUDED.active, fired = EXCLUDED.fired, changed_at = now()`,
              [change.rule, change.customerId, change.active, change.fired],
            );
          }
          for (const [follower, mark] of watermarks) {
            await admin.query(
              `INSERT INTO ${watermarkTable} (follower, at, key, taken) VALUES ($1, $2, $3, $4) ON CONFLICT (follower) DO UPDATE SET at = EXCLUDED.at, key = EXCLUDED.key, taken = EXCLUDED.taken`,
              [follower, mark.at, mark.key, mark.taken === undefined ? null : JSON.stringify(mark.taken)],
            );
          }
          await admin.exec('COMMIT');
        } catch (error) {
          await admin.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    deadLetter: (letter) =>
      run(async () => {
        await (
          await open()
        ).query(
          `INSERT INTO ${deadTable} (idempotency_key, destination, rule, customer_id, attempts, last_error, failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key, destination) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error, failed_at = EXCLUDED.failed_at`,
          [letter.idempotencyKey, letter.destination, letter.rule, letter.customerId, letter.attempts, letter.lastError.slice(0, 500), letter.failedAt],
        );
      }),
    deadLetters: (rule, first) =>
      run(async () => {
        const rows = await (
          await open()
        ).query(
          `SELECT idempotency_key, destination, rule, customer_id, attempts, last_error, failed_at FROM ${deadTable} WHERE ($1::text IS NULL OR rule = $1) ORDER BY failed_at DESC, idempotency_key LIMIT $2`,
          [rule ?? null, first],
        );
        return rows.map((row) => ({
          idempotencyKey: String(row.idempotency_key),
          destination: String(row.destination),
          rule: String(row.rule),
          customerId: String(row.customer_id),
          attempts: Number(row.attempts),
          lastError: String(row.last_error),
          failedAt: (row.failed_at as Date).toISOString(),
        }));
      }),
    close: () =>
      run(async () => {
        if (opened !== undefined) await (await opened).close();
      }),
  };
}

export function createStateStore(config: TriggerStateConfig): TriggerStateStore {
  return config.store === 'memory' ? createMemoryStateStore() : createPostgresStateStore(config.url, config.table);
}
