/**
 * Query-time record linkage on FEBRL, scored against the known truth.
 * febrl4: dataset4a in PostgreSQL (contact), dataset4b in MariaDB (shopCustomer); every 4a
 * record is resolved through GraphQL (`customer(id)`) and its PROBABILISTIC shop
 * identities are the links c360 makes. febrl3: dataset3 in PostgreSQL only; each record's
 * same-source identities are its duplicates. Prints precision, recall, F1, latency per
 * resolution (p50/p99) and statements per resolution. Method and figures: bench/README-febrl.md.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/febrl.js [febrl4|febrl3|all] [--limit N] [--default-model] [--names-may-disagree]
 *     [--transitive N] [--misses K] [--twins-may-share-a-birth-date]
 * The model is the one `c360 identity fit` writes (run on the loaded tables, no truth used).
 */
import { join } from 'node:path';
import { createDatabase, dropDatabase } from '../connectors/admin.js';
import type { SourceCall } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse, stringify } from 'yaml';
import { runIdentity } from '../src/cli/identity.js';
import { loadConfigFile } from '../src/config/load.js';
import { entityOf, febrlEntity, loadFebrlTable, pairKey, percentile, readFebrl, scoreLinks, type FebrlRecord } from './febrl-data.js';

const DATA = process.env.C360_FEBRL_DIR ?? '/work/shared/data/febrl';
const POSTGRES = process.env.C360_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = process.env.C360_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

const QUERY = `query ($id: ID!) { customer(id: $id) { identities { entity key matchedBy score } duplicateCandidates { entity key score } } }`;

interface Identity {
  readonly entity: string;
  readonly key: string;
  readonly matchedBy: string;
}

interface Resolution {
  readonly identities: ReadonlyArray<Identity>;
  readonly candidates: ReadonlyArray<{ readonly entity: string; readonly key: string }>;
  readonly millis: number;
  readonly statements: number;
}

/** `default`: the shipped French person model; `fitted`: fitted to this data set first (bench/febrl-fit.ts). */
const MODEL = process.argv.includes('--default-model') ? 'default' : 'fitted';
/** `--names-may-disagree`: turn off the relatives guard (identity.probabilistic.namesMustAgree). */
const NAMES_MUST_AGREE = !process.argv.includes('--names-may-disagree');
function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
/** `--transitive N`: identity.probabilistic.transitiveLinks (0, the default, resolves no hop). */
const TRANSITIVE_LINKS = Number(argValue('--transitive') ?? 0);
/** `--misses K`: print the first K false negatives and false links, with both records. */
const MISSES = Number(argValue('--misses') ?? 0);

function printMisses(predicted: ReadonlySet<string>, truth: ReadonlySet<string>, records: ReadonlyArray<FebrlRecord>): void {
  if (MISSES <= 0) return;
  const byId = new Map(records.map((r) => [r.id, r]));
  const recordsOf = (pair: string) => pair.split('|').map((id) => byId.get(id) ?? id);
  for (const pair of [...truth].filter((p) => !predicted.has(p)).slice(0, MISSES)) console.log(JSON.stringify({ missed: recordsOf(pair) }));
  for (const pair of [...predicted].filter((p) => !truth.has(p)).slice(0, MISSES)) console.log(JSON.stringify({ falseLink: recordsOf(pair) }));
}

/** `--twins-may-share-a-birth-date`: identity.probabilistic.twinsApart false (FEBRL replaces given names and keeps the date). */
const TWINS_APART = !process.argv.includes('--twins-may-share-a-birth-date');

function identitySettings(sameSource: boolean): Record<string, unknown> {
  return {
    probabilistic: {
      enabled: true,
      sameSource,
      namesMustAgree: NAMES_MUST_AGREE,
      twinsApart: TWINS_APART,
      transitiveLinks: TRANSITIVE_LINKS,
      blocking: ['birthDate', 'lastName', 'postcode', 'firstName', 'nationalId'],
    },
  };
}

/**
 * The model `c360 identity fit` writes for this config: the command itself runs on a
 * config file holding `raw`, reading the loaded tables, and the file it rewrote is read back.
 */
async function fittedByCli(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (MODEL !== 'fitted') return raw;
  const dir = mkdtempSync(join(tmpdir(), 'c360-febrl-fit-'));
  try {
    const file = join(dir, 'c360.yaml');
    writeFileSync(file, stringify(raw));
    const code = await runIdentity(loadConfigFile(file), 'fit', { file }, process.stderr);
    if (code !== 0) throw new Error(`c360 identity fit exited ${code}`);
    const fitted = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    console.log(JSON.stringify({ fittedModel: (fitted.identity as { probabilistic: { model: unknown } }).probabilistic.model }));
    return fitted;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function resolveAll(url: string, records: ReadonlyArray<FebrlRecord>): Promise<Resolution[]> {
  const resolutions: Resolution[] = [];
  // One at a time: the latency of resolving one customer, not of a saturated gateway.
  for (const record of records) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
      body: JSON.stringify({ query: QUERY, variables: { id: encodeCustomerId({ entity: 'contact', key: record.id }) } }),
    });
    const body = (await response.json()) as {
      data?: { customer: { identities: Identity[]; duplicateCandidates: Array<{ entity: string; key: string }> } | null };
      errors?: unknown[];
      extensions?: { trace?: SourceCall[] };
    };
    const millis = performance.now() - started;
    if (body.errors !== undefined || body.data?.customer == null) throw new Error(`resolving ${record.id}: ${JSON.stringify(body.errors ?? body.data)}`);
    resolutions.push({
      identities: body.data.customer.identities,
      candidates: body.data.customer.duplicateCandidates,
      millis,
      statements: body.extensions?.trace?.length ?? 0,
    });
  }
  return resolutions;
}

function summary(name: string, predicted: Set<string>, truth: Set<string>, resolutions: ReadonlyArray<Resolution>, possible: number): void {
  const quality = scoreLinks(predicted, truth);
  const millis = resolutions.map((r) => r.millis).sort((a, b) => a - b);
  const statements = resolutions.map((r) => r.statements).sort((a, b) => a - b);
  const figures = {
    dataset: name,
    namesMustAgree: NAMES_MUST_AGREE,
    twinsApart: TWINS_APART,
    transitiveLinks: TRANSITIVE_LINKS,
    resolutions: resolutions.length,
    truePairs: quality.truePairs,
    linkedPairs: quality.predictedPairs,
    truePositives: quality.truePositives,
    precision: Number(quality.precision.toFixed(4)),
    recall: Number(quality.recall.toFixed(4)),
    f1: Number(quality.f1.toFixed(4)),
    possibleDuplicatePairs: possible,
    latencyMillis: {
      p50: Number(percentile(millis, 50).toFixed(2)),
      p99: Number(percentile(millis, 99).toFixed(2)),
      max: Number((millis.at(-1) ?? 0).toFixed(2)),
    },
    statementsPerResolution: { min: statements[0] ?? 0, p50: percentile(statements, 50), p99: percentile(statements, 99), max: statements.at(-1) ?? 0 },
  };
  console.log(JSON.stringify(figures));
}

// The bench is one client sending thousands of operations: lift the per-principal rate limit.
const UNLIMITED = { rateLimit: { operationsPerMinute: 100_000_000, burst: 100_000_000 } };

async function withGateway<T>(raw: Record<string, unknown>, run: (url: string) => Promise<T>): Promise<T> {
  const config = { ...raw, limits: { roles: { default: UNLIMITED, admin: UNLIMITED } } };
  const runtime = createRuntime(parseConfig(config), createLogger({ level: 'error' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  try {
    return await run(gateway.url);
  } finally {
    await gateway.stop();
    await runtime.close();
  }
}

async function febrl4(limit: number): Promise<void> {
  const a = readFebrl(join(DATA, 'dataset4a.csv'));
  const b = readFebrl(join(DATA, 'dataset4b.csv'));
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const crmDb = `c360_febrl4a_${suffix}`;
  const shopDb = `c360_febrl4b_${suffix}`;
  const crmUrl = await createDatabase('postgres', POSTGRES, crmDb);
  const shopUrl = await createDatabase('mysql', MYSQL, shopDb);
  try {
    await loadFebrlTable('postgres', crmUrl, 'person_a', a);
    await loadFebrlTable('mysql', shopUrl, 'person_b', b);
    const raw = {
      server: { port: 0 },
      sources: { crm: { kind: 'postgres', url: crmUrl }, shop: { kind: 'mysql', url: shopUrl } },
      // Linking 4a to 4b: duplicates inside 4a are febrl3's question, not this one.
      identity: identitySettings(false),
      entities: { contact: febrlEntity('crm', 'person_a', 'contact'), shopCustomer: febrlEntity('shop', 'person_b', 'shopCustomer') },
    };
    const records = a.slice(0, limit);
    const resolutions = await withGateway(await fittedByCli(raw), (url) => resolveAll(url, records));
    const predicted = new Set<string>();
    let possible = 0;
    records.forEach((record, i) => {
      for (const identity of resolutions[i]!.identities) {
        if (identity.entity === 'shopCustomer') predicted.add(pairKey(record.id, identity.key));
      }
      possible += resolutions[i]!.candidates.filter((c) => c.entity === 'shopCustomer').length;
    });
    const inB = new Set(b.map((r) => r.id));
    const truth = new Set(
      records
        .map((r) => `rec-${entityOf(r.id)}-dup-0`)
        .filter((id) => inB.has(id))
        .map((id) => pairKey(`rec-${entityOf(id)}-org`, id)),
    );
    summary('febrl4 (4a in PostgreSQL -> 4b in MariaDB)', predicted, truth, resolutions, possible);
    printMisses(predicted, truth, [...a, ...b]);
  } finally {
    await dropDatabase('postgres', POSTGRES, crmDb);
    await dropDatabase('mysql', MYSQL, shopDb);
  }
}

async function febrl3(limit: number): Promise<void> {
  const all = readFebrl(join(DATA, 'dataset3.csv'));
  const db = `c360_febrl3_${process.pid}_${Date.now().toString(36)}`;
  const url = await createDatabase('postgres', POSTGRES, db);
  try {
    await loadFebrlTable('postgres', url, 'person', all);
    const raw = {
      server: { port: 0 },
      sources: { crm: { kind: 'postgres', url } },
      identity: identitySettings(true),
      entities: { contact: febrlEntity('crm', 'person', 'contact') },
    };
    const records = all.slice(0, limit);
    const resolutions = await withGateway(await fittedByCli(raw), (gatewayUrl) => resolveAll(gatewayUrl, records));
    const predicted = new Set<string>();
    let possible = 0;
    records.forEach((record, i) => {
      for (const identity of resolutions[i]!.identities) {
        if (identity.matchedBy === 'PROBABILISTIC') predicted.add(pairKey(record.id, identity.key));
      }
      possible += resolutions[i]!.candidates.length;
    });
    // True pairs among the resolved records and every record of their entity.
    const byEntity = new Map<string, string[]>();
    for (const record of all) byEntity.set(entityOf(record.id), [...(byEntity.get(entityOf(record.id)) ?? []), record.id]);
    const truth = new Set<string>();
    for (const record of records) {
      for (const other of byEntity.get(entityOf(record.id)) ?? []) if (other !== record.id) truth.add(pairKey(record.id, other));
    }
    summary('febrl3 (dataset3 in PostgreSQL, duplicates in one source)', predicted, truth, resolutions, possible);
    printMisses(predicted, truth, all);
  } finally {
    await dropDatabase('postgres', POSTGRES, db);
  }
}

const which = process.argv[2] ?? 'all';
const limit = Number(argValue('--limit') ?? Number.POSITIVE_INFINITY);
if (which === 'febrl4' || which === 'all') await febrl4(limit);
if (which === 'febrl3' || which === 'all') await febrl3(limit);
