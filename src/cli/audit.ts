/** `c360 audit verify`: walks the audit log's keyed chain up to its published head and names the first changed, missing, torn or cut-off record. */
import type { C360Config } from '../config/types.js';
import { chainKeyFrom, verifyChain } from '../privacy/audit/chain.js';
import { readAnchor } from '../privacy/audit/head.js';
import { createAuditStore } from '../privacy/audit/store.js';

export async function runAudit(config: C360Config, subcommand: string | undefined, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (subcommand !== 'verify') {
    out.write('usage: c360 audit verify [--config FILE]\n');
    return 64;
  }
  const privacy = config.privacy;
  if (privacy === undefined) {
    out.write('no privacy section in the config: the audit log is kept in memory only, nothing to verify\n');
    return 64;
  }
  if (privacy.audit.store === 'memory') {
    out.write('the audit store is "memory": nothing outlives the process, nothing to verify\n');
    return 64;
  }
  const key = chainKeyFrom(privacy.auditKey);
  const store = createAuditStore(privacy.audit, key);
  try {
    let entries;
    try {
      entries = await store.readEntries();
    } catch (error) {
      out.write(`audit log unreadable: ${(error as Error).message}\n`);
      return 1;
    }
    const verdict = verifyChain(entries, key, readAnchor(privacy.audit.anchorPath));
    if (verdict.ok) {
      const head =
        verdict.head === 'matched'
          ? ', up to its published head'
          : privacy.audit.anchorPath === undefined
            ? ' (no anchorPath configured: records cut off the end cannot be seen)'
            : ' (no head published yet)';
      out.write(`audit log intact: ${verdict.records} records${head}\n`);
      return 0;
    }
    out.write(`audit log BROKEN at record ${verdict.seq}: ${verdict.problem} (${verdict.records} records read)\n`);
    return 1;
  } finally {
    await store.close();
  }
}
