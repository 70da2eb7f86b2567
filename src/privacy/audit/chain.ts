/**
 * The audit log's chain: each record carries the MAC of the one before and its own,
 * HMAC-SHA256 under a key kept outside the store (derived from `privacy.auditKey`) over
 * the previous MAC and the record's canonical JSON. Someone who can write the store but
 * does not hold the key cannot change, delete, renumber or reorder records and recompute
 * the chain: every MAC from the first change on fails. The last records cut off the end
 * leave a valid chain, so the head (last seq and MAC) is published outside the store
 * (./head.ts) and verification checks the store still reaches it.
 */
import { createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** One audit record, without raw personal values: customers are keyed pseudonyms. */
export interface AuditFacts {
  readonly at: string;
  readonly requestId: string;
  readonly principal: string;
  readonly role: string;
  readonly purpose: string | null;
  /** operation name, or "anonymous", with its type: "query CustomerCard". */
  readonly operation: string;
  readonly endpoint: 'graphql' | 'partner' | 'trigger';
  readonly customers: ReadonlyArray<string>;
  readonly fields: ReadonlyArray<string>;
  readonly outcome: 'allowed' | 'denied' | 'partial';
}

export interface AuditRecord extends AuditFacts {
  readonly seq: number;
  readonly prevHash: string;
  /** HMAC-SHA256 (hex) under the chain key. */
  readonly hash: string;
}

/** The chain's MAC key, derived from the audit key so that neither the pseudonyms' key nor this one is in the store. */
export type ChainKey = Buffer & { readonly __chainKey: true };

export function chainKeyFrom(auditKey: string | Buffer): ChainKey {
  return createHmac('sha256', auditKey).update('c360 audit chain v2').digest() as ChainKey;
}

/** Keys sorted, undefined members left out; what each record's MAC covers, so its bytes never change across versions. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    // A record's lists (its customers' pseudonyms, its fields) hold strings only: written by
    // JSON.stringify at once, the same bytes as element by element (a page names 50 customers).
    return value.every(isScalar) ? JSON.stringify(value) : `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function hashRecord(record: Omit<AuditRecord, 'hash'>, key: ChainKey): string {
  const { prevHash, ...rest } = record;
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonicalJson(rest)).digest('hex');
}

export function chainRecord(facts: AuditFacts, previous: { seq: number; hash: string } | undefined, key: ChainKey): AuditRecord {
  const unhashed = { ...facts, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: hashRecord(unhashed, key) };
}

/** What a store holds at one position: a parsed record, or a line that is not one (a torn write). */
export interface AuditEntry {
  /** 1-based line (file) or row (table) number. */
  readonly position: number;
  readonly record: AuditRecord | undefined;
  /** Why `record` is undefined. */
  readonly unreadable?: string;
}

/** The published head: the last record's seq and MAC, itself under a MAC. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly mac: string;
}

export function signHead(seq: number, hash: string, at: string, key: ChainKey): AuditHead {
  return { seq, hash, at, mac: createHmac('sha256', key).update(`head\n${seq}\n${hash}\n${at}`).digest('hex') };
}

export type ChainVerdict =
  | { readonly ok: true; readonly records: number; readonly head: 'matched' | 'none' }
  | { readonly ok: false; readonly records: number; readonly seq: number; readonly problem: string };

const HEX64 = /^[0-9a-f]{64}$/;

function isRecordShape(value: unknown): value is AuditRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Number.isSafeInteger(record.seq) && typeof record.prevHash === 'string' && typeof record.hash === 'string' && HEX64.test(record.hash);
}

/** Records as plain entries, numbered from 1 (stores that cannot hold a torn record). */
export function entriesOf(records: ReadonlyArray<AuditRecord>): AuditEntry[] {
  return records.map((record, index) => ({ position: index + 1, record }));
}

/**
 * Checks every entry in order and reports the first break, naming the record (or, for a
 * line that is no record, its position and the record before it); then, when a head was
 * published, that the chain still reaches it (truncation).
 */
export function verifyChain(entries: ReadonlyArray<AuditEntry>, key: ChainKey, head?: AuditHead): ChainVerdict {
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  const total = entries.length;
  const recordsAt = new Map<number, string>();
  for (const entry of entries) {
    const record = entry.record;
    if (record === undefined || !isRecordShape(record)) {
      const why = entry.unreadable ?? 'not an audit record';
      return { ok: false, records: total, seq: previous.seq + 1, problem: `line ${entry.position} (after record ${previous.seq}) is unreadable: ${why}` };
    }
    if (record.seq !== previous.seq + 1) {
      const problem =
        record.seq > previous.seq + 1
          ? `record ${previous.seq + 1} is missing (found ${record.seq} after ${previous.seq})`
          : `record ${record.seq} is out of place (found after ${previous.seq})`;
      return { ok: false, records: total, seq: record.seq, problem };
    }
    const { hash, ...unhashed } = record;
    if (hashRecord(unhashed, key) !== hash) {
      return { ok: false, records: total, seq: record.seq, problem: `record ${record.seq} was changed (its MAC does not match)` };
    }
    if (record.prevHash !== previous.hash)
      return { ok: false, records: total, seq: record.seq, problem: `record ${record.seq} does not follow record ${previous.seq}` };
    recordsAt.set(record.seq, record.hash);
    previous = record;
  }
  if (head === undefined) return { ok: true, records: total, head: 'none' };
  if (signHead(head.seq, head.hash, head.at, key).mac !== head.mac) {
    return { ok: false, records: total, seq: head.seq, problem: 'the published head was changed (its MAC does not match)' };
  }
  if (previous.seq < head.seq) {
    return {
      ok: false,
      records: total,
      seq: previous.seq + 1,
      problem: `the log was truncated: it ends at record ${previous.seq}, the head published at ${head.at} is record ${head.seq}`,
    };
  }
  if (recordsAt.get(head.seq) !== head.hash) {
    return { ok: false, records: total, seq: head.seq, problem: `record ${head.seq} is not the one published as head at ${head.at}` };
  }
  return { ok: true, records: total, head: 'matched' };
}
