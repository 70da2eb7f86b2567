/**
 * `c360 identity fit`: fits the probabilistic person model to the operator's own records
 * (no labels; src/identity/fit-model.ts) and writes it to the config file as
 * identity.probabilistic.model (comments and layout of the file kept).
 * `c360 identity evaluate --labels FILE`: resolves every record of a labelled sample
 * through the configured gateway and prints precision, recall, F1 and, per class, links
 * made and false merges (src/identity/evaluate.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Row } from '../../connectors/contract.js';
import type { CanonicalEntityName } from '../config/canonical.js';
import type { C360Config } from '../config/types.js';
import { createLogger } from '../gateway/logger.js';
import { createRuntime, type Runtime } from '../gateway/runtime.js';
import { startGateway } from '../gateway/server.js';
import { encodeCustomerId, type AnchorEntity } from '../identity/customer-id.js';
import { evaluateLinkage, formatEvaluation, type LabelledRecordPair } from '../identity/evaluate.js';
import { fitPersonModel } from '../identity/fit-model.js';
import { MATCH_FIELDS } from '../identity/probabilistic.js';

const PAGE = 2000;

/** Up to `limit` records of `entity`, in key order, with the fields the model reads. */
async function sampleRecords(runtime: Runtime, entity: CanonicalEntityName, limit: number): Promise<Row[]> {
  const mapped = runtime.config.entities[entity];
  if (mapped === undefined) return [];
  const connector = runtime.connectors.get(mapped.source);
  if (connector?.scan === undefined) throw new IdentityCommandError(`source "${mapped.source}" cannot list ${entity} records`);
  const projection = ['id', ...MATCH_FIELDS].filter((field) => mapped.fields.has(field));
  const rows: Row[] = [];
  let after: Row['id'] | undefined;
  while (rows.length < limit) {
    const page = await connector.scan(
      {
        entity,
        projection,
        orderBy: [{ field: 'id', direction: 'ASC' }],
        limit: Math.min(PAGE, limit - rows.length),
        ...(after === undefined ? {} : { filter: { op: 'range', field: 'id', gt: after as string | number } }),
      },
      { signal: AbortSignal.timeout(60_000) },
    );
    rows.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return rows;
}

export class IdentityCommandError extends Error {
  override readonly name = 'IdentityCommandError';
}

export interface IdentityCommandOptions {
  readonly file: string;
  readonly sample?: number;
  readonly dryRun?: boolean;
  readonly labels?: string;
  /** Random pairs u is counted on (200,000 when absent). */
  readonly randomPairs?: number;
}

export async function runIdentity(
  config: C360Config,
  subcommand: string | undefined,
  options: IdentityCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  if (subcommand === 'fit') return runFit(config, options, out);
  if (subcommand === 'evaluate') return runEvaluate(config, options, out);
  process.stderr.write('usage: c360 identity fit [--sample N] [--dry-run] | c360 identity evaluate --labels FILE.csv\n');
  return 64;
}

async function runFit(config: C360Config, options: IdentityCommandOptions, out: NodeJS.WritableStream): Promise<number> {
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  try {
    const sample = options.sample ?? 50_000;
    const contacts = await sampleRecords(runtime, 'contact', sample);
    const shops = await sampleRecords(runtime, 'shopCustomer', sample);
    const [left, right] = contacts.length > 0 && shops.length > 0 ? [contacts, shops] : contacts.length > 0 ? [contacts, contacts] : [shops, shops];
    if (left.length < 2) throw new IdentityCommandError('no person records to fit the model on');
    const fitted = fitPersonModel(left, right, options.randomPairs === undefined ? {} : { randomPairs: options.randomPairs });
    out.write(
      `fitted on ${left.length} × ${right.length} records: ${fitted.candidatePairs} blocked pairs (EM, ${fitted.iterations} iterations${fitted.converged ? '' : ', not converged'}), ${fitted.randomPairs} random pairs\n`,
    );
    const document = parseDocument(readFileSync(options.file, 'utf8'));
    document.setIn(['identity', 'probabilistic', 'model'], document.createNode(fitted.model));
    if (options.dryRun === true) {
      out.write(`${JSON.stringify(fitted.model, null, 2)}\n`);
      return 0;
    }
    writeFileSync(options.file, document.toString());
    out.write(`wrote identity.probabilistic.model to ${options.file}\n`);
    return 0;
  } catch (error) {
    if (error instanceof IdentityCommandError) {
      process.stderr.write(`c360 identity fit: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await runtime.close();
  }
}

/** `a,b,label,same` lines ("contact:12,shopCustomer:7,householdEmail,false"), a header first. */
export function readLabelledPairs(text: string): LabelledRecordPair[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(1).map((line, i) => {
    const [a, b, label, same] = line.split(',').map((cell) => cell.trim());
    if (
      a === undefined ||
      b === undefined ||
      !/^(contact|shopCustomer):.+/.test(a) ||
      !/^(contact|shopCustomer):.+/.test(b) ||
      (same !== 'true' && same !== 'false')
    ) {
      throw new IdentityCommandError(`labels line ${i + 2}: expected contact:KEY|shopCustomer:KEY, the same, a label and true|false`);
    }
    return { a, b, label: label ?? '', same: same === 'true' };
  });
}

async function runEvaluate(config: C360Config, options: IdentityCommandOptions, out: NodeJS.WritableStream): Promise<number> {
  if (options.labels === undefined) {
    process.stderr.write('c360 identity evaluate needs --labels FILE.csv (a,b,label,same)\n');
    return 64;
  }
  let pairs: LabelledRecordPair[];
  try {
    pairs = readLabelledPairs(readFileSync(options.labels, 'utf8'));
  } catch (error) {
    process.stderr.write(`c360 identity evaluate: ${(error as Error).message}\n`);
    return 64;
  }
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  try {
    const records = [...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))];
    const members = new Map<string, Set<string>>();
    for (let start = 0; start < records.length; start += 25) {
      const chunk = records.slice(start, start + 25);
      const fields = chunk.map((record, i) => {
        const at = record.indexOf(':');
        const id = encodeCustomerId({ entity: record.slice(0, at) as AnchorEntity, key: record.slice(at + 1) });
        return `c${i}: customer(id: ${JSON.stringify(id)}) { identities { entity key } }`;
      });
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${fields.join(' ')} }` }),
      });
      const body = (await response.json()) as {
        data?: Record<string, { identities: Array<{ entity: string; key: string }> } | null>;
        errors?: Array<{ message: string }>;
      };
      if (body.errors !== undefined) throw new IdentityCommandError(body.errors.map((error) => error.message).join('; '));
      chunk.forEach((record, i) =>
        members.set(record, new Set((body.data?.[`c${i}`]?.identities ?? []).map((identity) => `${identity.entity}:${identity.key}`))),
      );
    }
    out.write(`${formatEvaluation(evaluateLinkage(pairs, (record) => members.get(record)))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof IdentityCommandError) {
      process.stderr.write(`c360 identity evaluate: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await gateway.stop();
    await runtime.close();
  }
}
