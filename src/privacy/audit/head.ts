/**
 * The audit chain's head, published outside the store so that cutting records off the end
 * is seen: after every append the head (seq, MAC, time, under the chain key) is written to
 * the anchor file when one is configured (`privacy.audit.anchorPath`, on another disk or
 * share than the store), and every `LOG_HEAD_EVERY` records it is printed to the
 * operator's log. `c360 audit verify` reads the anchor and checks the store reaches it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../../gateway/logger.js';
import { signHead, type AuditHead, type AuditRecord, type ChainKey } from './chain.js';

export const LOG_HEAD_EVERY = 100;

export interface HeadPublisher {
  publish(record: AuditRecord): Promise<void>;
}

export function readAnchor(path: string | undefined): AuditHead | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  try {
    const head = JSON.parse(readFileSync(path, 'utf8')) as AuditHead;
    if (!Number.isSafeInteger(head.seq) || typeof head.hash !== 'string' || typeof head.at !== 'string' || typeof head.mac !== 'string')
      throw new Error('not a head');
    return head;
  } catch {
    // An unreadable anchor is a tampered one: it can never match a MAC.
    return { seq: Number.MAX_SAFE_INTEGER, hash: '', at: 'unreadable anchor', mac: '' };
  }
}

export function createHeadPublisher(key: ChainKey, anchorPath: string | undefined, logger: Logger | undefined): HeadPublisher {
  let writing: Promise<void> = Promise.resolve();
  return {
    async publish(record) {
      const head = signHead(record.seq, record.hash, new Date().toISOString(), key);
      if (logger !== undefined && record.seq % LOG_HEAD_EVERY === 0) logger.info({ auditHead: head }, 'audit head');
      if (anchorPath === undefined) return;
      const path = anchorPath;
      // One write at a time; the head only moves forward (another writer may have published a later one).
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          const current = readAnchor(path);
          if (current !== undefined && current.seq !== Number.MAX_SAFE_INTEGER && current.seq >= head.seq) return;
          const temporary = `${path}.${randomUUID()}.tmp`;
          await writeFile(temporary, `${JSON.stringify(head)}\n`, { mode: 0o600 });
          await rename(temporary, path);
        });
      try {
        await writing;
      } catch (error) {
        // The record is written; only its head is not published. Said loudly, not thrown into the request.
        logger?.error({ err: error, anchorPath: path, seq: record.seq }, 'audit head could not be published');
      }
    },
  };
}
