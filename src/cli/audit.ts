/** `c360 audit verify`: walks the audit log's hash chain and names the first changed or missing record. */
import type { C360Config } from '../config/types.js';
import { verifyChain } from '../privacy/audit/chain.js';
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
  const store = createAuditStore(privacy.audit);
  try {
    const verdict = verifyChain(await store.readAll());
    if (verdict.ok) {
      out.write(`audit log intact: ${verdict.records} records\n`);
      return 0;
    }
    out.write(`audit log BROKEN at record ${verdict.seq}: ${verdict.problem} (${verdict.records} records read)\n`);
    return 1;
  } finally {
    await store.close();
  }
}
