/**
 * Load benchmark of the customer-360 query on the indexes an operator already has
 * (method and figures: bench/README.md). A retailer of 10k customers / 100k orders seeded
 * once into PostgreSQL (CRM) and MariaDB (shop) and reused (./operator-world.ts); c360 and
 * a floor of raw pg + mysql2 making the ideal calls (./floor.ts), both over HTTP on this
 * process; a closed-loop client in its own process (./client.ts) at 10 connections; per
 * operation and target a warm-up then 3 runs of 20 s, the same inputs in the same order.
 * Answers are compared with the floor's before anything is timed.
 *
 *   npm run bench        # = npm run build && node --max-semi-space-size=64 dist/bench/load.js (c360's own V8 flag, both targets)
 *   node dist/bench/load.js --duration 20 --warmup 5 --runs 3 --connections 10 --queries Q1,Q2,CRM --targets c360,floor
 *   node dist/bench/load.js --reseed      # drop and seed the bench databases again
 *   node dist/bench/load.js --targets c360 --profile /tmp/prof   # a CPU profile of c360's measured runs per query
 *
 * Flags also read C360_BENCH_DURATION, C360_BENCH_WARMUP, C360_BENCH_RUNS, C360_BENCH_CONNECTIONS,
 * C360_BENCH_QUERIES, C360_BENCH_TARGETS, C360_BENCH_CUSTOMERS, C360_BENCH_ORDERS; servers at
 * C360_BENCH_POSTGRES_URL and C360_BENCH_MYSQL_URL.
 */
import { fork } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { SourceCall } from '../connectors/contract.js';
import { openSqlAdmin } from '../connectors/admin.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../src/gateway/runtime.js';
import { startGateway, type Gateway } from '../src/gateway/server.js';
import { emailsOf } from '../src/identity/link.js';
import { encodeCursor } from '../src/resolvers/rows.js';
import type { ClientJob, ClientResult } from './client.js';
import { startFloor, type Floor } from './floor.js';
import { BENCH_LIMITS, log, ms, option, percentile, positive, seededRandom } from './harness.js';
import { operatorWorld } from './operator-world.js';
import { QUERIES, type QueryName } from './queries.js';

type Target = 'c360' | 'floor';

interface Options {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly runs: number;
  readonly connections: number;
  readonly queries: ReadonlyArray<QueryName>;
  readonly targets: ReadonlyArray<Target>;
  readonly customers: number;
  readonly totalOrders: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  readonly reseed: boolean;
  /** Time even when answers differ (only to measure a tree that answers otherwise, e.g. before the change). */
  readonly skipCheck: boolean;
  /** A directory for one CPU profile per query of c360's measured runs only (no start-up, no warm-up, no floor). */
  readonly profileDir: string | undefined;
}

interface RunFigures {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  /** CPU ms of this process (the target: gateway or floor) per successful request. */
  readonly cpuPerRequest: number;
  /** Share of that CPU spent in garbage collection. */
  readonly gcShare: number;
  readonly loadAverage: number;
}

let gcMillis = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMillis += entry.duration;
}).observe({ entryTypes: ['gc'] });

function runClient(job: ClientJob): Promise<ClientResult> {
  const child = fork(fileURLToPath(new URL('./client.js', import.meta.url)), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => {
      child.kill();
      resolve(result as ClientResult);
    });
    child.once('error', reject);
    child.send(job);
  });
}

async function measure(url: string, bodies: ReadonlyArray<string>, options: Options, seconds: number): Promise<RunFigures> {
  const cpuBefore = process.cpuUsage();
  const gcBefore = gcMillis;
  const result = await runClient({ url, bodies, connections: options.connections, durationMillis: seconds * 1000 });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMillis = (cpu.user + cpu.system) / 1000;
  if (result.firstError !== undefined) log(`  first error: ${result.firstError}`);
  return {
    perSecond: result.requests / result.seconds,
    p50: percentile(result.latencies, 0.5),
    p99: percentile(result.latencies, 0.99),
    requests: result.requests,
    errors: result.errors,
    cpuPerRequest: cpuMillis / Math.max(1, result.requests),
    gcShare: (gcMillis - gcBefore) / Math.max(1, cpuMillis),
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}

async function post(
  url: string,
  body: string,
  trace = false,
): Promise<{ data?: unknown; errors?: unknown; extensions?: { trace?: ReadonlyArray<SourceCall> } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(trace ? { 'x-c360-trace': '1' } : {}) }, body });
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

/** The first path at which two JSON values differ. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== null) return found;
  }
  return `${path}: differs`;
}

const median = (values: ReadonlyArray<number>): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function main(options: Options): Promise<void> {
  // Both targets run in this process: the same V8 flags for c360 and the floor (npm run bench passes bin/c360.js's).
  log(`node ${process.version}, flags: ${process.execArgv.join(' ') || '(none)'}, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`);
  const world = await operatorWorld(options);
  log(
    `data: ${Object.entries(world.counts)
      .map(([table, count]) => `${table} ${count}`)
      .join(', ')}`,
  );
  for (const index of world.indexes) log(`index ${index}`);

  const raw = demoRawConfig({ crmUrl: world.crmUrl, shopUrl: world.shopUrl, shopKind: 'mysql', port: 0 });
  // Q1 is "by e-mail, linked by e-mail": the identity rules of this bench link on e-mails only.
  // E-mails compared trimmed and lower-cased, as the floor does: without the built-in mailbox
  // rules (gmail dots, "+tags", domain typos), whose loose keys no operator index serves.
  const config = parseConfig({ ...raw, identity: { ...raw.identity, rules: ['EMAIL'], email: { builtIn: false } }, limits: BENCH_LIMITS });
  let runtime: Runtime | undefined;
  let gateway: Gateway | undefined;
  let floor: Floor | undefined;
  try {
    runtime = createRuntime(config, createLogger({ level: 'warn' }));
    gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    const settings = {
      defaultRegion: config.identity.defaultRegion,
      blocklist: config.identity.blocklist,
      maxRecordsPerIdentifier: config.identity.maxRecordsPerIdentifier,
      email: config.identity.email,
    };
    floor = await startFloor({ crmUrl: world.crmUrl, shopUrl: world.shopUrl, poolMax: 10, settings });
    const urls: Record<Target, string> = { c360: gateway.url, floor: floor.url };

    // Inputs: Q1 e-mails of CRM contacts (stored trimmed, not a placeholder), Q2/CRM the first 20 pages' cursors.
    const crm = await openSqlAdmin('postgres', world.crmUrl);
    const contacts = await crm.query('SELECT id, email FROM contacts ORDER BY id');
    await crm.close();
    const emails = contacts
      .filter((row) => typeof row.email === 'string' && row.email === row.email.trim())
      .flatMap((row) => emailsOf({ email: String(row.email) }, settings));
    const cursors: Array<string | null> = [null, ...Array.from({ length: 19 }, (_, page) => encodeCursor([0, String(contacts[(page + 1) * 50 - 1]!.id)]))];
    const random = seededRandom(42);
    const pick = <T>(values: ReadonlyArray<T>): T => values[Math.floor(random() * values.length)]!;
    const bodiesOf = (query: QueryName, count: number): string[] =>
      Array.from({ length: count }, () =>
        JSON.stringify({ operationName: query, query: QUERIES[query], variables: query === 'Q1' ? { email: pick(emails) } : { after: pick(cursors) } }),
      );
    const bodies: Record<QueryName, string[]> = { Q1: bodiesOf('Q1', 2000), Q2: bodiesOf('Q2', 200), CRM: bodiesOf('CRM', 200) };

    // Same answers, or the comparison means nothing.
    for (const query of options.queries) {
      const checked = bodies[query].slice(0, query === 'Q1' ? 200 : 20);
      let differing = 0;
      for (const body of checked) {
        const [ours, theirs] = await Promise.all([post(urls.c360, body), post(urls.floor, body)]);
        const difference =
          ours.errors !== undefined
            ? `c360 errors: ${JSON.stringify(ours.errors).slice(0, 300)}`
            : theirs.errors !== undefined
              ? `floor errors: ${JSON.stringify(theirs.errors).slice(0, 300)}`
              : firstDifference(ours.data, theirs.data);
        if (difference !== null) {
          differing++;
          if (differing <= 3) log(`${query} differs on ${body.slice(0, 160)}: ${difference}`);
        }
      }
      log(`${query}: ${checked.length - differing} of ${checked.length} answers equal to the floor's`);
      if (differing > 0 && !options.skipCheck) throw new Error(`${query}: c360 and the floor disagree; nothing timed`);
    }

    // Statements per query per source: one traced request at rest.
    const statements: Record<string, string> = {};
    for (const query of options.queries) {
      const body = bodies[query][1]!;
      const traced = await post(urls.c360, body, true);
      const calls = traced.extensions?.trace ?? [];
      const bySource: Record<string, number> = {};
      for (const call of calls) bySource[call.source] = (bySource[call.source] ?? 0) + 1;
      await post(urls.floor, body);
      statements[query] = `c360 ${JSON.stringify(bySource)}, floor ${JSON.stringify(floor.statements[query])}`;
      log(`${query} statements: ${statements[query]}`);
      for (const call of calls)
        log(`  ${call.source}.${call.entity}: ${call.rows} rows, ${call.millis} ms: ${call.statement.replace(/\s+/g, ' ').slice(0, 220)}`);
    }

    const results: Array<{ query: QueryName; target: Target; runs: RunFigures[] }> = [];
    for (const query of options.queries) {
      for (const target of options.targets) {
        if (options.warmupSeconds > 0) await measure(urls[target], bodies[query], options, options.warmupSeconds);
        const runs: RunFigures[] = [];
        const profiler = options.profileDir !== undefined && target === 'c360' ? new Session() : undefined;
        if (profiler !== undefined) {
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        for (let run = 0; run < options.runs; run++) {
          const figures = await measure(urls[target], bodies[query], options, options.durationSeconds);
          runs.push(figures);
          log(
            `${query} ${target} run ${run + 1}: ${figures.perSecond.toFixed(1)} req/s, p50 ${ms(figures.p50)} ms, p99 ${ms(figures.p99)} ms, ` +
              `${figures.requests} ok, ${figures.errors} errors, CPU ${ms(figures.cpuPerRequest)} ms/req (GC ${(figures.gcShare * 100).toFixed(0)}%), load ${figures.loadAverage.toFixed(1)}`,
          );
        }
        if (profiler !== undefined) {
          const { profile } = await profiler.post('Profiler.stop');
          const file = `${options.profileDir}/c360-${query}.cpuprofile`;
          await writeFile(file, JSON.stringify(profile));
          profiler.disconnect();
          log(`  profile of the measured runs: ${file}`);
        }
        results.push({ query, target, runs });
      }
    }

    const lines = [
      '| query | target | req/s (median of runs) | p50 ms | p99 ms | ratio to floor | CPU ms/req (GC wall ms / CPU ms) | errors | runs req/s |',
      '|---|---|---:|---:|---:|---:|---:|---:|---|',
    ];
    for (const { query, target, runs } of results) {
      const floorRuns = results.find((result) => result.query === query && result.target === 'floor')?.runs;
      const rate = median(runs.map((run) => run.perSecond));
      const ratio = floorRuns === undefined ? '' : `${(rate / median(floorRuns.map((run) => run.perSecond))).toFixed(2)}x`;
      lines.push(
        `| ${query} | ${target} | ${rate.toFixed(1)} | ${ms(median(runs.map((run) => run.p50)))} | ${ms(median(runs.map((run) => run.p99)))} | ${target === 'c360' ? ratio : ''} | ` +
          `${ms(median(runs.map((run) => run.cpuPerRequest)))} (${(median(runs.map((run) => run.gcShare)) * 100).toFixed(0)}%) | ${runs.reduce((sum, run) => sum + run.errors, 0)} | ${runs.map((run) => run.perSecond.toFixed(1)).join(' / ')} |`,
      );
    }
    console.log(`\n${lines.join('\n')}\n`);
    for (const query of options.queries) console.log(`${query} statements per query: ${statements[query]}`);
  } finally {
    await gateway?.stop().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    await floor?.close().catch(() => undefined);
  }
}

function listOf<T extends string>(name: string, value: string, allowed: ReadonlyArray<T>): T[] {
  return value.split(',').map((item) => {
    const trimmed = item.trim() as T;
    if (!allowed.includes(trimmed)) throw new Error(`--${name} expects some of ${allowed.join(', ')}, got ${item}`);
    return trimmed;
  });
}

export function optionsFromArgs(): Options {
  return {
    durationSeconds: positive('duration', option('duration', 'C360_BENCH_DURATION', '20'), false),
    warmupSeconds: Number(option('warmup', 'C360_BENCH_WARMUP', '5')),
    runs: positive('runs', option('runs', 'C360_BENCH_RUNS', '3'), true),
    connections: positive('connections', option('connections', 'C360_BENCH_CONNECTIONS', '10'), true),
    queries: listOf('queries', option('queries', 'C360_BENCH_QUERIES', 'Q1,Q2,CRM'), ['Q1', 'Q2', 'CRM'] as const),
    targets: listOf('targets', option('targets', 'C360_BENCH_TARGETS', 'c360,floor'), ['c360', 'floor'] as const),
    customers: positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '10000'), true),
    totalOrders: positive('orders', option('orders', 'C360_BENCH_ORDERS', '100000'), true),
    postgresUrl: process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    mysqlUrl: process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
    reseed: process.argv.includes('--reseed'),
    skipCheck: process.argv.includes('--skip-check'),
    profileDir: process.argv.includes('--profile') ? option('profile', 'C360_BENCH_PROFILE', '') : undefined,
  };
}

if (process.argv[1]?.endsWith('load.js')) {
  const started = performance.now();
  main(optionsFromArgs())
    .then(() => console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
