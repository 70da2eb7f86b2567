/**
 * `c360 check`: connects to each source and says precisely which mapped table or column is
 * missing, which stored enum values no map covers, which REST call or JSON path fails
 * (src/gateway/mapping-check.ts, shared with `serve`), and which lookups no index serves.
 */
import type { KeyPart } from '../../connectors/contract.js';
import type { C360Config } from '../config/types.js';
import { blockingParts, blockingRuleFields, blockingRuleName } from '../identity/probabilistic.js';
import { createLogger } from '../gateway/logger.js';
import { createRuntime } from '../gateway/runtime.js';
import { countUnparseableDates } from './check-dates.js';
import { checkConnector, findingLine } from '../gateway/mapping-check.js';
import { searchIndexAdvice } from '../resolvers/search/index-advice.js';

/** The blocking rules' loads on the anchor entities `source` holds, when probabilistic matching is on. */
function blockingLookupsOf(config: C360Config, source: string): Array<{ entity: string; name: string; parts: KeyPart[] }> {
  const probabilistic = config.identity.probabilistic;
  if (!probabilistic.enabled) return [];
  return (['contact', 'shopCustomer'] as const).flatMap((entity) => {
    // The mapping of the entity in this source (an entity may be mapped in several).
    const mapped = config.entities[entity]?.parts.find((part) => part.source === source);
    if (mapped === undefined) return [];
    return probabilistic.blocking.flatMap((rule) =>
      blockingRuleFields(rule).every((field) => mapped.fields.has(field)) ? [{ entity, name: blockingRuleName(rule), parts: blockingParts(rule) }] : [],
    );
  });
}

export async function runCheck(config: C360Config, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  let failures = 0;
  try {
    for (const connector of runtime.connectors.values()) {
      try {
        const findings = await checkConnector(connector);
        const errors = findings.filter((finding) => finding.severity === 'error');
        for (const finding of findings) out.write(`${finding.severity === 'error' ? 'FAIL ' : 'WARN '} ${connector.name}: ${findingLine(finding)}\n`);
        failures += errors.length;
        if (errors.length === 0) {
          const source = config.sources[connector.name];
          out.write(`ok    ${connector.name}: ${source?.kind === 'rest' ? 'every endpoint answered' : 'every mapped table and column exists'}\n`);
          for (const dates of source === undefined ? [] : await countUnparseableDates(source, connector)) {
            const where = `entities.${dates.entity}.fields.${dates.field}`;
            if (dates.unparseable === 0) out.write(`ok    ${connector.name}: ${where}: ${dates.present} values, every one a date in ${dates.format}\n`);
            else
              out.write(`WARN  ${connector.name}: ${where}: ${dates.unparseable} of ${dates.present} values are not dates in ${dates.format} (read as null)\n`);
          }
          // Advice, not a failure: an unindexed lookup answers correctly, by scanning.
          for (const lookup of (await connector.describeLookups?.({ signal: AbortSignal.timeout(30_000) })) ?? []) {
            out.write(`${lookup.served ? 'ok   ' : 'WARN '} ${connector.name}: lookup ${lookup.message}\n`);
          }
          const blocking = blockingLookupsOf(config, connector.name);
          if (blocking.length > 0)
            for (const lookup of (await connector.describeBlockingLookups?.(blocking, { signal: AbortSignal.timeout(30_000) })) ?? []) {
              out.write(`${lookup.served ? 'ok   ' : 'WARN '} ${connector.name}: lookup ${lookup.message}\n`);
            }
        }
      } catch (error) {
        failures += 1;
        const code = (error as { code?: unknown }).code;
        out.write(`FAIL  ${connector.name}: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}\n`);
      }
    }
  } finally {
    await runtime.close();
  }
  for (const advice of searchIndexAdvice(config)) {
    const what =
      advice.serves === 'search'
        ? `customerSearch on entities.${advice.entity}.fields.${advice.field}`
        : `linking customerSearch hits by entities.${advice.entity}.fields.${advice.field} (mailbox key)`;
    out.write(`index ${advice.source}: ${what} needs: ${advice.sql}\n`);
  }
  out.write(failures === 0 ? 'c360 check: all sources match the mapping\n' : `c360 check: ${failures} problem${failures === 1 ? '' : 's'}\n`);
  return failures === 0 ? 0 : 1;
}
