/**
 * The audit log's hash chain: each record carries the hash of the one before and its own,
 * SHA-256 over the previous hash and the record's canonical JSON. Changing a record breaks
 * its hash; deleting one breaks the sequence and the next record's link.
 */
import { createHash } from 'node:crypto';

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
  readonly hash: string;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { prevHash, ...rest } = record;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(rest)).digest('hex');
}

export function chainRecord(facts: AuditFacts, previous: { seq: number; hash: string } | undefined): AuditRecord {
  const unhashed = { ...facts, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: hashRecord(unhashed) };
}

export type ChainVerdict =
  | { readonly ok: true; readonly records: number }
  | { readonly ok: false; readonly records: number; readonly seq: number; readonly problem: string };

/** Checks every record in order; reports the first break. */
export function verifyChain(records: ReadonlyArray<AuditRecord>): ChainVerdict {
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  for (const record of records) {
    if (record.seq !== previous.seq + 1) {
      return { ok: false, records: records.length, seq: record.seq, problem: `record ${previous.seq + 1} is missing (found ${record.seq} after ${previous.seq})` };
    }
    if (record.prevHash !== previous.hash) return { ok: false, records: records.length, seq: record.seq, problem: `record ${record.seq} does not follow record ${previous.seq}` };
    const { hash, ...unhashed } = record;
    if (hashRecord(unhashed) !== hash) return { ok: false, records: records.length, seq: record.seq, problem: `record ${record.seq} was changed` };
    previous = record;
  }
  return { ok: true, records: records.length };
}
