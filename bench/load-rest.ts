/**
 * Load benchmark with the REST sources: Q1 and Q2 of bench/load.ts, now also asking for the
 * customer's helpdesk tickets and their account's company card, with the demo helpdesk and
 * company registry started beside the databases from the same generated world. Two
 * scenarios: the helpdesk at 20 ms latency, then the same failing 20% of its calls (503).
 * Reports requests/s, p50, p99 and the share of complete, partial and failed answers, with
 * the connector's retries. Method and figures: bench/README.md.
 *
 *   npm run bench:rest                 # = npm run build && node dist/bench/load-rest.js
 *   node dist/bench/load-rest.js --duration 15 --warmup 3 --concurrency 4,8 --queries Q1,Q2 \
 *     --scenarios healthy,failing --latency 20 --error-rate 0.2 --customers 10000 --orders 100000 --pages 20
 *
 * Each flag also reads from the environment (C360_BENCH_REST_*, see optionsFromArgs), the
 * database servers from C360_BENCH_POSTGRES_URL and C360_BENCH_MYSQL_URL as bench/load.ts.
 * Scratch databases are dropped and the services stopped at the end, failure included.
 */
import { getRestStats } from '../connectors/rest/index.js';
import type { RestSourceStats } from '../connectors/rest/runtime.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { startDemoRestServices, withRestSources, type DemoRestServices } from '../src/demo/rest-services.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../src/gateway/runtime.js';
import { startGateway, type Gateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import {
  BENCH_LIMITS,
  cpuBetween,
  cpuSnapshot,
  log,
  ms,
  option,
  percentile,
  positive,
  positiveList,
  sampleLoadAverage,
  seededRandom,
  withScratchWorld,
  type CpuMillis,
} from './harness.js';
import { Q1, Q2, traceOf } from './load-360.js';

/** Q1 of load.ts + tickets with their messages, the service summary, and the account's company card. */
export const Q1_REST = extend(
  extend(Q1, 'account { id name siren siret industry }', 'account { id name siren siret industry company { legalName nafLabel headcountBand } }'),
  '    events {',
  '    tickets { subject status messages { body } }\n    service { openTickets lastContactAt averageSatisfaction }\n    events {',
);

/** Q2 of load.ts + each customer's last 5 tickets and their account's company name. */
export const Q2_REST = extend(
  Q2,
  '      contact { id firstName lastName companyName email phone mobile }',
  '      contact { id firstName lastName companyName email phone mobile }\n      tickets(first: 5) { id subject status createdAt }\n      account { company { legalName } }',
);

function extend(query: string, anchor: string, replacement: string): string {
  if (!query.includes(anchor)) throw new Error(`bench query: "${anchor}" not found`);
  return query.replace(anchor, replacement);
}

type QueryName = 'Q1' | 'Q2';
type ScenarioName = 'healthy' | 'failing';

export interface RestBenchOptions {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly concurrency: ReadonlyArray<number>;
  readonly queries: ReadonlyArray<QueryName>;
  readonly scenarios: ReadonlyArray<ScenarioName>;
  readonly latencyMillis: number;
  readonly errorRate: number;
  readonly customers: number;
  readonly totalOrders: number;
  readonly q2Pages: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
}

/**
 * What one answer was:
 * - complete: no errors at all;
 * - refused: the only errors are privacy refusals (FORBIDDEN; Q1's events without a profiling consent), the rest complete;
 * - partial: the only other errors are on helpdesk fields (tickets, service) with a SOURCE_* (or CIRCUIT_OPEN,
 *   BULKHEAD_FULL) code, and the rest of the answer is there (Q1: the customer; Q2: a page of 50);
 * - failed: anything else (HTTP error, no data, an error elsewhere).
 */
type Outcome = 'complete' | 'refused' | 'partial' | 'failed';

const HELPDESK_FIELDS: ReadonlySet<string> = new Set(['tickets', 'service']);
const DEGRADED_CODES = /^(SOURCE_[A-Z_]+|CIRCUIT_OPEN|BULKHEAD_FULL)$/;

interface GraphQLError {
  readonly message?: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: { readonly code?: unknown };
}

interface Classified {
  readonly outcome: Outcome;
  /** Error codes in this answer (FORBIDDEN excluded), e.g. SOURCE_UNAVAILABLE. */
  readonly codes: ReadonlyArray<string>;
  /** Customers whose tickets came back null. */
  readonly ticketsNull: number;
  readonly detail?: string;
}

function classify(query: QueryName, status: number, text: string): Classified {
  if (status !== 200) return { outcome: 'failed', codes: [`HTTP ${status}`], ticketsNull: 0, detail: text.slice(0, 200) };
  // Like load.ts: no JSON.parse of a clean ~200 kB answer, it would be charged to the gateway (same process).
  if (!text.includes('"errors":[')) {
    return text.startsWith('{"data":{')
      ? { outcome: 'complete', codes: [], ticketsNull: 0 }
      : { outcome: 'failed', codes: ['not GraphQL'], ticketsNull: 0, detail: text.slice(0, 200) };
  }
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: ReadonlyArray<GraphQLError> };
  const errors = (body.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN');
  const codes = errors.map((error) => String(error.extensions?.code ?? 'NO_CODE'));
  const intact =
    query === 'Q1' ? body.data?.customer != null : ((body.data?.customers as { edges?: ReadonlyArray<unknown> } | null | undefined)?.edges?.length ?? 0) === 50;
  const ticketsNull =
    query === 'Q1'
      ? (body.data?.customer as { tickets?: unknown } | null | undefined)?.tickets === null
        ? 1
        : 0
      : ((body.data?.customers as { edges?: ReadonlyArray<{ node?: { tickets?: unknown } }> } | null | undefined)?.edges ?? []).filter(
          (edge) => edge.node?.tickets === null,
        ).length;
  if (!intact) return { outcome: 'failed', codes, ticketsNull, detail: text.slice(0, 300) };
  if (errors.length === 0) return { outcome: 'refused', codes, ticketsNull };
  const onHelpdesk = errors.every(
    (error) =>
      (error.path ?? []).some((segment) => typeof segment === 'string' && HELPDESK_FIELDS.has(segment)) && DEGRADED_CODES.test(String(error.extensions?.code)),
  );
  return onHelpdesk ? { outcome: 'partial', codes, ticketsNull } : { outcome: 'failed', codes, ticketsNull, detail: text.slice(0, 300) };
}

export interface RestRunStats {
  readonly answers: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Latency of every answer that was not failed (complete, refused, partial). */
  readonly p50: number;
  readonly p99: number;
  /** Same, complete and refused answers only. */
  readonly p99Whole: number;
  /** Same, partial answers only. */
  readonly p99Partial: number;
  readonly codes: Readonly<Record<string, number>>;
  readonly ticketsNull: number;
  readonly firstFailure: string | undefined;
  readonly cpuPerAnswer: CpuMillis;
  readonly loadAverage: { readonly mean: number; readonly max: number };
  readonly helpdesk: SourceDelta;
  readonly registry: SourceDelta;
}

/** A REST source over one run: the connector's counters and the service's own. */
export interface SourceDelta {
  /** HTTP attempts the connector made, retries included. */
  readonly calls: number;
  readonly retries: number;
  readonly cacheHits: number;
  readonly breakerOpenings: number;
  /** Requests the service received, by status. */
  readonly served: Readonly<Record<string, number>>;
}

function sourceDelta(
  before: { stats: RestSourceStats | undefined; served: Record<string, number> },
  after: { stats: RestSourceStats | undefined; served: Record<string, number> },
): SourceDelta {
  const counter = (key: 'calls' | 'retries' | 'cacheHits' | 'breakerOpenings'): number => (after.stats?.[key] ?? 0) - (before.stats?.[key] ?? 0);
  const served: Record<string, number> = {};
  for (const [status, count] of Object.entries(after.served)) {
    const delta = count - (before.served[status] ?? 0);
    if (delta > 0) served[status] = delta;
  }
  return { calls: counter('calls'), retries: counter('retries'), cacheHits: counter('cacheHits'), breakerOpenings: counter('breakerOpenings'), served };
}

async function measure(
  concurrency: number,
  durationMillis: number,
  query: QueryName,
  send: () => Promise<{ status: number; text: string }>,
  sources: () => {
    helpdesk: { stats: RestSourceStats | undefined; served: Record<string, number> };
    registry: { stats: RestSourceStats | undefined; served: Record<string, number> };
  },
  crmName: string,
): Promise<RestRunStats> {
  const kept: number[] = [];
  const whole: number[] = [];
  const partial: number[] = [];
  const byOutcome: Record<Outcome, number> = { complete: 0, refused: 0, partial: 0, failed: 0 };
  const codes: Record<string, number> = {};
  let ticketsNull = 0;
  let firstFailure: string | undefined;
  const sourcesBefore = sources();
  const cpuBefore = cpuSnapshot(crmName);
  const load = sampleLoadAverage();
  const started = performance.now();
  const deadline = started + durationMillis;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      let result: Classified;
      try {
        const { status, text } = await send();
        result = classify(query, status, text);
      } catch (error) {
        result = { outcome: 'failed', codes: ['client'], ticketsNull: 0, detail: error instanceof Error ? error.message : String(error) };
      }
      const millis = performance.now() - sent;
      byOutcome[result.outcome] += 1;
      for (const code of result.codes) codes[code] = (codes[code] ?? 0) + 1;
      ticketsNull += result.ticketsNull;
      if (result.outcome === 'failed') {
        firstFailure ??= result.detail ?? result.codes.join(',');
      } else {
        kept.push(millis);
        (result.outcome === 'partial' ? partial : whole).push(millis);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const loadAverage = load.stop();
  const cpuUsed = cpuBetween(cpuBefore, cpuSnapshot(crmName));
  const sourcesAfter = sources();
  const answers = byOutcome.complete + byOutcome.refused + byOutcome.partial + byOutcome.failed;
  for (const list of [kept, whole, partial]) list.sort((a, b) => a - b);
  const perAnswer = (key: keyof CpuMillis): number => cpuUsed[key] / Math.max(1, answers);
  return {
    answers,
    seconds,
    perSecond: answers / seconds,
    byOutcome,
    p50: percentile(kept, 0.5),
    p99: percentile(kept, 0.99),
    p99Whole: percentile(whole, 0.99),
    p99Partial: percentile(partial, 0.99),
    codes,
    ticketsNull,
    firstFailure,
    cpuPerAnswer: { node: perAnswer('node'), postgres: perAnswer('postgres'), mariadb: perAnswer('mariadb') },
    loadAverage,
    helpdesk: sourceDelta(sourcesBefore.helpdesk, sourcesAfter.helpdesk),
    registry: sourceDelta(sourcesBefore.registry, sourcesAfter.registry),
  };
}

interface RestRow {
  readonly scenario: ScenarioName;
  readonly query: QueryName;
  readonly concurrency: number;
  readonly stats: RestRunStats;
}

const share = (part: number, whole: number): string => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

export function restMarkdownTable(rows: ReadonlyArray<RestRow>, latencyMillis: number, errorRate: number): string {
  const lines = [
    '| scenario | query | conc. | req/s | p50 ms | p99 ms | complete | of which a field refused | partial | failed | helpdesk calls/req | retries | 503s served | breaker openings | registry calls | CPU ms/req: node / PG / MariaDB | load avg mean (max) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const { scenario, query, concurrency, stats } of rows) {
    const label = scenario === 'healthy' ? `helpdesk ${latencyMillis} ms` : `helpdesk ${latencyMillis} ms, ${Math.round(errorRate * 100)}% 503`;
    const complete = stats.byOutcome.complete + stats.byOutcome.refused;
    lines.push(
      `| ${label} | ${query} | ${concurrency} | ${stats.perSecond.toFixed(1)} | ${ms(stats.p50)} | ${ms(stats.p99)} | ${share(complete, stats.answers)} | ${share(stats.byOutcome.refused, stats.answers)} | ${share(stats.byOutcome.partial, stats.answers)} | ${share(stats.byOutcome.failed, stats.answers)} | ` +
        `${(stats.helpdesk.calls / Math.max(1, stats.answers)).toFixed(2)} | ${stats.helpdesk.retries} | ${stats.helpdesk.served['503'] ?? 0} | ${stats.helpdesk.breakerOpenings} | ${stats.registry.calls} | ` +
        `${ms(stats.cpuPerAnswer.node)} / ${ms(stats.cpuPerAnswer.postgres)} / ${ms(stats.cpuPerAnswer.mariadb)} | ${stats.loadAverage.mean.toFixed(1)} (${stats.loadAverage.max.toFixed(1)}) |`,
    );
  }
  return lines.join('\n');
}

function describe(stats: RestRunStats): string {
  const { byOutcome } = stats;
  return (
    `${stats.answers} answers, ${stats.perSecond.toFixed(1)} req/s, p50 ${ms(stats.p50)} ms, p99 ${ms(stats.p99)} ms (whole ${ms(stats.p99Whole)}, partial ${ms(stats.p99Partial)}); ` +
    `complete ${byOutcome.complete}, refused-only ${byOutcome.refused}, partial ${byOutcome.partial}, failed ${byOutcome.failed}; codes ${JSON.stringify(stats.codes)}; customers with tickets null ${stats.ticketsNull}; ` +
    `helpdesk ${JSON.stringify(stats.helpdesk)}; registry ${JSON.stringify(stats.registry)}; CPU/answer node ${ms(stats.cpuPerAnswer.node)} ms, PG ${ms(stats.cpuPerAnswer.postgres)} ms, MariaDB ${ms(stats.cpuPerAnswer.mariadb)} ms; ` +
    `load avg mean ${stats.loadAverage.mean.toFixed(1)} max ${stats.loadAverage.max.toFixed(1)}` +
    (stats.firstFailure === undefined ? '' : `; first failure: ${stats.firstFailure}`)
  );
}

async function postText(url: string, body: string, trace = false): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(trace ? { 'x-c360-trace': '1' } : {}) }, body });
  return { status: response.status, text: await response.text() };
}

export async function runRestBench(options: RestBenchOptions): Promise<void> {
  let runtime: Runtime | undefined;
  let gateway: Gateway | undefined;
  let rest: DemoRestServices | undefined;
  const cleanups = [
    async () => {
      await gateway?.stop().catch((error: unknown) => console.error('stopping the gateway:', error));
      await runtime?.close();
      await rest?.stop();
    },
  ];
  const scratch = {
    customers: options.customers,
    totalOrders: options.totalOrders,
    postgresUrl: options.postgresUrl,
    mysqlUrl: options.mysqlUrl,
    includeTickets: true,
  };
  await withScratchWorld(
    scratch,
    async ({ world, crmName, crmUrl, shopUrl, contactIds }) => {
      rest = await startDemoRestServices(world);
      const services = rest;
      const config = parseConfig({ ...withRestSources(demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }), rest.rawConfig), limits: BENCH_LIMITS });
      runtime = createRuntime(config, createLogger({ level: 'warn' }));
      gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
      const url = gateway.url;
      const connectors = runtime.connectors;
      log(`gateway at ${url}; helpdesk at ${services.helpdesk.url}, registry at ${services.registry.url}`);

      const sources = () => ({
        helpdesk: { stats: getRestStats(connectors.get('helpdesk')!), served: { ...services.helpdesk.counters.byStatus } },
        registry: { stats: getRestStats(connectors.get('registry')!), served: { ...services.registry.counters.byStatus } },
      });

      // Q2's cursors: the end cursors of the first pages, walked through the gateway.
      const cursors: Array<string | null> = [null];
      for (let page = 1; page < options.q2Pages; page++) {
        const { text } = await postText(
          url,
          JSON.stringify({
            query: 'query($after: String) { customers(first: 50, after: $after) { pageInfo { endCursor } } }',
            variables: { after: cursors.at(-1) ?? null },
          }),
        );
        const endCursor =
          (JSON.parse(text) as { data?: { customers?: { pageInfo: { endCursor: string | null } } } }).data?.customers?.pageInfo.endCursor ?? null;
        if (endCursor === null) break;
        cursors.push(endCursor);
      }

      // Warm the registry cache: every contact's account's company, through the gateway, at the
      // registry's 7 calls/s. After this, company cards come from the connector's 24 h cache.
      let started = performance.now();
      let after: string | null = null;
      let pages = 0;
      let companyErrors = 0;
      for (;;) {
        const { text } = await postText(
          url,
          JSON.stringify({
            query:
              'query($after: String) { customers(first: 50, after: $after) { edges { node { account { company { siren } } } } pageInfo { endCursor hasNextPage } } }',
            variables: { after },
          }),
        );
        const body = JSON.parse(text) as { data?: { customers?: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } }; errors?: unknown[] };
        companyErrors += body.errors?.length ?? 0;
        pages++;
        const info = body.data?.customers?.pageInfo;
        if (info === undefined || !info.hasNextPage || info.endCursor === null) break;
        after = info.endCursor;
      }
      const warmed = sources().registry;
      log(
        `registry cache warmed in ${((performance.now() - started) / 1000).toFixed(1)} s over ${pages} pages: ${warmed.stats?.cacheEntries ?? 0} entries, ` +
          `${warmed.stats?.calls ?? 0} calls, ${warmed.stats?.rateLimitedReplies ?? 0} replies 429, ${companyErrors} errors; world has ${world.companies.length} companies`,
      );
      if (companyErrors > 0) {
        // A second pass picks up whatever timed out in the first.
        started = performance.now();
        after = null;
        for (;;) {
          const { text } = await postText(
            url,
            JSON.stringify({
              query:
                'query($after: String) { customers(first: 50, after: $after) { edges { node { account { company { siren } } } } pageInfo { endCursor hasNextPage } } }',
              variables: { after },
            }),
          );
          const info = (JSON.parse(text) as { data?: { customers?: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } } }).data?.customers
            ?.pageInfo;
          if (info === undefined || !info.hasNextPage || info.endCursor === null) break;
          after = info.endCursor;
        }
        log(`second warm-up pass in ${((performance.now() - started) / 1000).toFixed(1)} s: ${sources().registry.stats?.cacheEntries ?? 0} entries`);
      }

      const random = seededRandom(42);
      const pick = <T>(values: ReadonlyArray<T>): T => values[Math.floor(random() * values.length)]!;
      const tasks: Record<QueryName, () => Promise<{ status: number; text: string }>> = {
        Q1: () => postText(url, JSON.stringify({ query: Q1_REST, variables: { id: encodeCustomerId({ entity: 'contact', key: pick(contactIds) }) } })),
        Q2: () => postText(url, JSON.stringify({ query: Q2_REST, variables: { after: pick(cursors) } })),
      };

      const rows: RestRow[] = [];
      for (const scenario of options.scenarios) {
        Object.assign(services.helpdesk.knobs, {
          latencyMillis: options.latencyMillis,
          errorRate: scenario === 'failing' ? options.errorRate : 0,
          errorStatus: 503,
        });
        log(`scenario ${scenario}: helpdesk knobs ${JSON.stringify(services.helpdesk.knobs)}`);
        if (scenario === options.scenarios[0]) {
          // One traced request each, at rest: the SQL statements and HTTP calls, with their millis.
          const q1Key = world.contacts.find((contact) => contact.accountId != null && contact.email != null)?.id ?? contactIds[0]!;
          for (const [name, query, variables] of [
            ['Q1', Q1_REST, { id: encodeCustomerId({ entity: 'contact', key: String(q1Key) }) }],
            ['Q2', Q2_REST, { after: cursors[1] ?? null }],
          ] as const) {
            try {
              const trace = await traceOf(url, query, variables);
              log(`${name} traced: ${trace.statements} calls, wall ${ms(trace.wallMillis)} ms, per source.entity ${JSON.stringify(trace.byEntity)}`);
              for (const call of trace.calls.filter((call) => call.source === 'helpdesk' || call.source === 'registry')) {
                log(`  ${call.source}.${call.entity}: ${call.rows} rows, ${call.millis} ms: ${call.statement.slice(0, 140)}`);
              }
            } catch (error) {
              log(`${name} trace failed: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
        }
        for (const query of options.queries) {
          for (const concurrency of options.concurrency) {
            if (options.warmupSeconds > 0) await measure(concurrency, options.warmupSeconds * 1000, query, tasks[query], sources, crmName);
            const stats = await measure(concurrency, options.durationSeconds * 1000, query, tasks[query], sources, crmName);
            log(`${scenario} ${query} c=${concurrency}: ${describe(stats)}`);
            rows.push({ scenario, query, concurrency, stats });
          }
        }
      }
      console.log(`\n${restMarkdownTable(rows, options.latencyMillis, options.errorRate)}\n`);
    },
    cleanups,
  );
}

export function optionsFromArgs(): RestBenchOptions {
  const errorRate = Number(option('error-rate', 'C360_BENCH_REST_ERROR_RATE', '0.2'));
  if (!(errorRate >= 0 && errorRate <= 1)) throw new Error(`--error-rate expects a share between 0 and 1, got ${errorRate}`);
  return {
    durationSeconds: positive('duration', option('duration', 'C360_BENCH_REST_DURATION', '15'), false),
    warmupSeconds: Number(option('warmup', 'C360_BENCH_REST_WARMUP', '3')),
    concurrency: positiveList('concurrency', option('concurrency', 'C360_BENCH_REST_CONCURRENCY', '4,8')),
    queries: option('queries', 'C360_BENCH_REST_QUERIES', 'Q1,Q2')
      .split(',')
      .map((value) => {
        const query = value.trim().toUpperCase();
        if (query !== 'Q1' && query !== 'Q2') throw new Error(`--queries expects Q1 and/or Q2, got ${value}`);
        return query;
      }),
    scenarios: option('scenarios', 'C360_BENCH_REST_SCENARIOS', 'healthy,failing')
      .split(',')
      .map((value) => {
        const scenario = value.trim();
        if (scenario !== 'healthy' && scenario !== 'failing') throw new Error(`--scenarios expects healthy and/or failing, got ${value}`);
        return scenario;
      }),
    latencyMillis: Number(option('latency', 'C360_BENCH_REST_LATENCY', '20')),
    errorRate,
    customers: positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '10000'), true),
    totalOrders: positive('orders', option('orders', 'C360_BENCH_ORDERS', '100000'), true),
    q2Pages: positive('pages', option('pages', 'C360_BENCH_Q2_PAGES', '20'), true),
    postgresUrl: process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    mysqlUrl: process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
  };
}

if (process.argv[1]?.endsWith('load-rest.js')) {
  const started = performance.now();
  runRestBench(optionsFromArgs())
    .then(() => console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
