/**
 * Load benchmark of the gateway over the demo world (10k customers, ~100k orders): Q1 one
 * customer's 360 view, Q2 a page of 50 customers with their last 10 orders, lines and
 * products; each beside the floor (./floor.ts), the same fetches by hand with the raw
 * drivers, run in the same process at the same concurrency. Method and figures: bench/README.md.
 *
 *   npm run bench                      # = npm run build && node dist/bench/load-360.js
 *   node dist/bench/load-360.js --duration 20 --warmup 3 --concurrency 1,8,16 --customers 10000 --orders 100000 --queries Q1,Q2 --pages 20
 *
 * Each flag also reads from the environment: C360_BENCH_DURATION, C360_BENCH_WARMUP,
 * C360_BENCH_CONCURRENCY, C360_BENCH_CUSTOMERS, C360_BENCH_ORDERS, C360_BENCH_QUERIES, C360_BENCH_Q2_PAGES. Servers: PostgreSQL at
 * C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) for the CRM,
 * MariaDB at C360_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql) for the shop.
 * Both scratch databases are dropped at the end, failure included.
 */
import { loadavg } from 'node:os';
import type { SourceCall } from '../connectors/contract.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../src/gateway/runtime.js';
import { startGateway, type Gateway } from '../src/gateway/server.js';
import { decodeCustomerId, encodeCustomerId } from '../src/identity/customer-id.js';
import { decodeCursor } from '../src/resolvers/rows.js';
import { createFloor, type Floor, type FloorCustomer } from './floor-360.js';
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
  seededRandom,
  withScratchWorld,
  type CpuMillis,
} from './harness.js';

export { cpuBetween, cpuSnapshot, percentile, seededRandom, type CpuMillis, type CpuSnapshot } from './harness.js';

export const Q1 = `query Q1($id: ID!) {
  customer(id: $id) {
    id kind displayName email phone
    name { first last full }
    address { street postcode city country }
    sources { source entity key matchedBy }
    contact { id kind firstName lastName companyName email phone mobile birthDate createdAt updatedAt }
    account { id name siren siret industry }
    interactions { id type occurredAt subject agent storeId }
    consents { id purpose channel status recordedAt }
    shopAccounts { id email phone firstName lastName companyName siret birthDate createdAt updatedAt }
    orders(first: 10) {
      nodes { id channel status placedAt total currency storeId
        lines { id sku productName quantity unitPrice lineTotal product { id sku name category brand price } } }
      pageInfo { hasNextPage endCursor }
    }
    events { id type occurredAt query sessionId device product { id sku name category brand price } }
  }
}`;

export const Q2 = `query Q2($after: String) {
  customers(first: 50, after: $after) {
    edges { cursor node {
      id kind displayName email phone
      contact { id firstName lastName companyName email phone mobile }
      orders(first: 10) {
        nodes { id channel status placedAt total currency
          lines { id sku productName quantity unitPrice lineTotal product { id sku name category brand price } } }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface BenchOptions {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly concurrency: ReadonlyArray<number>;
  readonly customers: number;
  readonly totalOrders: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  readonly queries: ReadonlyArray<'Q1' | 'Q2'>;
  /** Pages of 50 whose cursors Q2 picks from. */
  readonly q2Pages: number;
}

export interface RunStats {
  readonly requests: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Successful answers in which some fields were refused (FORBIDDEN), e.g. events without consent. */
  readonly refused: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  /** CPU milliseconds per successful request: this Node process, PostgreSQL, MariaDB. */
  readonly cpuPerRequest: CpuMillis;
  /** The machine's 1-minute load average at the end of the run (2 cores: above 2 is queueing). */
  readonly loadAverage: number;
}

export interface RunRow {
  readonly query: 'Q1' | 'Q2';
  readonly concurrency: number;
  readonly c360: RunStats;
  readonly floor: RunStats;
}

/**
 * A closed loop: `concurrency` workers, each sending its next request as soon as the last
 * answered, until `durationMillis` is over. Latency of successful requests only.
 */
export async function closedLoop(concurrency: number, durationMillis: number, task: () => Promise<void>, postgresDatabase = ''): Promise<RunStats> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = cpuSnapshot(postgresDatabase);
  const refusedBefore = refusedAnswers;
  const started = performance.now();
  const deadline = started + durationMillis;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        await task();
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSnapshot(postgresDatabase);
  const cpuUsed = cpuBetween(cpuBefore, cpuAfter);
  const perRequest = (key: keyof CpuMillis): number => cpuUsed[key] / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    firstError,
    refused: refusedAnswers - refusedBefore,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
    cpuPerRequest: { node: perRequest('node'), postgres: perRequest('postgres'), mariadb: perRequest('mariadb') },
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}

interface GraphQLBody {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ readonly message: string }>;
  readonly extensions?: { readonly trace?: ReadonlyArray<SourceCall> };
}

/** Answers whose only errors were privacy refusals (FORBIDDEN), e.g. events without a profiling consent. */
let refusedAnswers = 0;

/**
 * One POST. The load client only checks the status and that the body has no "errors" key:
 * parsing every response would charge the client's JSON.parse to the gateway (same process).
 * A body with errors is parsed: privacy refusals (FORBIDDEN) are legitimate answers, counted apart.
 */
async function post(url: string, body: string, trace = false): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(trace ? { 'x-c360-trace': '1' } : {}) },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  if (text.includes('"errors":[')) {
    const parsed = JSON.parse(text) as { data?: unknown; errors?: ReadonlyArray<{ extensions?: { code?: unknown } }> };
    const refusalsOnly = parsed.data != null && (parsed.errors ?? []).every((error) => error.extensions?.code === 'FORBIDDEN');
    if (!refusalsOnly) throw new Error(`GraphQL errors: ${text.slice(0, 300)}`);
    refusedAnswers++;
  } else if (!text.startsWith('{"data":{')) {
    throw new Error(`not a GraphQL answer: ${text.slice(0, 300)}`);
  }
  return text;
}

async function postParsed(url: string, query: string, variables: Record<string, unknown>, trace = false): Promise<GraphQLBody> {
  return JSON.parse(await post(url, JSON.stringify({ query, variables }), trace)) as GraphQLBody;
}

export interface TraceSummary {
  readonly statements: number;
  readonly byEntity: Readonly<Record<string, number>>;
  readonly statementMillis: number;
  readonly wallMillis: number;
  readonly calls: ReadonlyArray<SourceCall>;
}

export async function traceOf(url: string, query: string, variables: Record<string, unknown>): Promise<TraceSummary> {
  const started = performance.now();
  const body = await postParsed(url, query, variables, true);
  const wallMillis = performance.now() - started;
  const calls = body.extensions?.trace ?? [];
  const byEntity: Record<string, number> = {};
  for (const call of calls) byEntity[`${call.source}.${call.entity}`] = (byEntity[`${call.source}.${call.entity}`] ?? 0) + 1;
  return { statements: calls.length, byEntity, statementMillis: calls.reduce((sum, call) => sum + call.millis, 0), wallMillis, calls };
}

interface Q2Node {
  readonly id: string;
  readonly orders: { readonly nodes: ReadonlyArray<{ readonly id: string; readonly lines: ReadonlyArray<unknown> }> } | null;
}

/** Customers on which the gateway and the floor disagree (contact, order ids, line count). */
function differences(gatewayNodes: ReadonlyArray<Q2Node>, floorCustomers: ReadonlyArray<FloorCustomer>): string[] {
  const problems: string[] = [];
  if (gatewayNodes.length !== floorCustomers.length) problems.push(`page size ${gatewayNodes.length} vs ${floorCustomers.length}`);
  gatewayNodes.forEach((node, index) => {
    const floor = floorCustomers[index];
    const anchor = decodeCustomerId(node.id);
    const orderIds = (node.orders?.nodes ?? []).map((order) => order.id);
    const lines = (node.orders?.nodes ?? []).reduce((sum, order) => sum + order.lines.length, 0);
    if (floor === undefined || anchor?.key !== floor.contactId || orderIds.join(',') !== floor.orderIds.join(',') || lines !== floor.lineCount) {
      problems.push(
        `${anchor?.key ?? node.id}: gateway orders [${orderIds.join(',')}] ${lines} lines, floor [${floor?.orderIds.join(',') ?? ''}] ${floor?.lineCount ?? 0} lines`,
      );
    }
  });
  return problems;
}

function describe(stats: RunStats): string {
  return `${stats.perSecond.toFixed(1)} req/s, p50 ${ms(stats.p50)} ms, p90 ${ms(stats.p90)} ms, p99 ${ms(stats.p99)} ms, ${stats.requests} ok (${stats.refused} with a field refused), ${stats.errors} errors, CPU/request node ${ms(stats.cpuPerRequest.node)} ms, PostgreSQL ${ms(stats.cpuPerRequest.postgres)} ms, MariaDB ${ms(stats.cpuPerRequest.mariadb)} ms, load average ${stats.loadAverage.toFixed(1)}${stats.firstError === undefined ? '' : ` (first: ${stats.firstError})`}`;
}

export function markdownTable(rows: ReadonlyArray<RunRow>, statements: Readonly<Record<'Q1' | 'Q2', { c360: number; floor: number }>>): string {
  const lines = [
    '| query | conc. | side | req/s | p50 ms | p90 ms | p99 ms | errors | statements/query | p50 c360/floor | CPU ms/req: node / PG / MariaDB | load avg |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const row of rows) {
    const ratio = row.c360.p50 / row.floor.p50;
    for (const side of ['c360', 'floor'] as const) {
      const stats = row[side];
      lines.push(
        `| ${row.query} | ${row.concurrency} | ${side} | ${stats.perSecond.toFixed(1)} | ${ms(stats.p50)} | ${ms(stats.p90)} | ${ms(stats.p99)} | ${stats.errors} | ${statements[row.query][side]} | ${side === 'c360' ? `${ratio.toFixed(2)}x` : ''} | ${ms(stats.cpuPerRequest.node)} / ${ms(stats.cpuPerRequest.postgres)} / ${ms(stats.cpuPerRequest.mariadb)} | ${stats.loadAverage.toFixed(1)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function sleepWhile(seconds: number, task: () => Promise<void>, concurrency: number): Promise<void> {
  if (seconds > 0) await closedLoop(concurrency, seconds * 1000, task);
}

export async function runBench(options: BenchOptions): Promise<void> {
  let runtime: Runtime | undefined;
  let gateway: Gateway | undefined;
  let floor: Floor | undefined;
  const cleanups = [
    async () => {
      await gateway?.stop().catch((error: unknown) => console.error('stopping the gateway:', error));
      await runtime?.close();
      await floor?.close();
    },
  ];
  const scratch = {
    customers: options.customers,
    totalOrders: options.totalOrders,
    postgresUrl: options.postgresUrl,
    mysqlUrl: options.mysqlUrl,
    includeTickets: false,
  };
  await withScratchWorld(
    scratch,
    async ({ crmName, crmUrl, shopUrl, contactIds }) => {
      const config = parseConfig({ ...demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }), limits: BENCH_LIMITS });
      runtime = createRuntime(config, createLogger({ level: 'warn' }));
      gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
      const crmSource = config.sources.crm;
      const poolMax = crmSource !== undefined && crmSource.kind !== 'rest' ? crmSource.poolMax : 10;
      floor = createFloor({
        crmUrl,
        shopUrl,
        poolMax,
        settings: {
          defaultRegion: config.identity.defaultRegion,
          blocklist: config.identity.blocklist,
          maxRecordsPerIdentifier: config.identity.maxRecordsPerIdentifier,
        },
      });
      const url = gateway.url;
      log(`gateway at ${url}; pools: ${poolMax} connections per source, gateway and floor alike`);

      // Q2's cursors: the end cursors of the first pages, walked through the gateway.
      const cursors: Array<string | null> = [null];
      for (let page = 1; page < options.q2Pages; page++) {
        const body = await postParsed(url, 'query($after: String) { customers(first: 50, after: $after) { pageInfo { endCursor } } }', {
          after: cursors.at(-1) ?? null,
        });
        const endCursor = (body.data?.customers as { pageInfo: { endCursor: string | null } } | undefined)?.pageInfo.endCursor ?? null;
        if (endCursor === null) break;
        cursors.push(endCursor);
      }
      const afterKeys = cursors.map((cursor) => (cursor === null ? null : String(decodeCursor(cursor, 2, 'after')[1])));

      // Same answers on both sides, or the comparison means nothing.
      for (const index of [0, Math.floor(cursors.length / 2), cursors.length - 1]) {
        const body = await postParsed(url, Q2, { after: cursors[index] ?? null });
        const nodes = ((body.data?.customers as { edges: Array<{ node: Q2Node }> } | undefined)?.edges ?? []).map((edge) => edge.node);
        const problems = differences(nodes, (await floor.q2(afterKeys[index] ?? null, 50, 10)).customers);
        log(
          `check page ${index}: ${nodes.length} customers, ${problems.length === 0 ? 'gateway and floor agree on every order and line' : `${problems.length} differ, e.g. ${problems.slice(0, 3).join('; ')}`}`,
        );
      }

      const random = seededRandom(42);
      const pick = <T>(values: ReadonlyArray<T>): T => values[Math.floor(random() * values.length)]!;
      const tasks = {
        Q1: {
          c360: async () => {
            await post(url, JSON.stringify({ query: Q1, variables: { id: encodeCustomerId({ entity: 'contact', key: pick(contactIds) }) } }));
          },
          floor: async () => {
            const result = await floor!.q1(pick(contactIds));
            if (result.customers.length !== 1) throw new Error('floor Q1 found no contact');
          },
        },
        Q2: {
          c360: async () => {
            await post(url, JSON.stringify({ query: Q2, variables: { after: pick(cursors) } }));
          },
          floor: async () => {
            const result = await floor!.q2(pick(afterKeys), 50, 10);
            if (result.customers.length !== 50) throw new Error(`floor Q2 page of ${result.customers.length}`);
          },
        },
      } as const;

      // Statements per query: one traced request each, at rest; Q1 on a customer with orders.
      let q1Key = contactIds[Math.floor(contactIds.length / 3)]!;
      for (let index = Math.floor(contactIds.length / 3); index < contactIds.length; index++) {
        q1Key = contactIds[index]!;
        if (((await floor.q1(q1Key)).customers[0]?.orderIds.length ?? 0) > 0) break;
      }
      const traces = {
        Q1: await traceOf(url, Q1, { id: encodeCustomerId({ entity: 'contact', key: q1Key }) }),
        Q2: await traceOf(url, Q2, { after: cursors[1] ?? null }),
      };
      const statements = {
        Q1: { c360: traces.Q1.statements, floor: (await floor.q1(q1Key)).statements },
        Q2: { c360: traces.Q2.statements, floor: (await floor.q2(afterKeys[1] ?? null, 50, 10)).statements },
      };
      for (const name of ['Q1', 'Q2'] as const) {
        const trace = traces[name];
        log(
          `${name} traced (${name === 'Q1' ? `contact ${q1Key}` : 'page 2'}): ${trace.statements} statements (floor ${statements[name].floor}), wall ${ms(trace.wallMillis)} ms, statements' millis summed ${trace.statementMillis}`,
        );
        log(`${name} per source.entity: ${JSON.stringify(trace.byEntity)}`);
        for (const call of trace.calls) {
          log(`  ${call.source}.${call.entity}: ${call.rows} rows, ${call.millis} ms: ${call.statement.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }

      const rows: RunRow[] = [];
      for (const query of options.queries) {
        for (const concurrency of options.concurrency) {
          const results: Partial<Record<'c360' | 'floor', RunStats>> = {};
          for (const side of ['c360', 'floor'] as const) {
            await sleepWhile(options.warmupSeconds, tasks[query][side], concurrency);
            results[side] = await closedLoop(concurrency, options.durationSeconds * 1000, tasks[query][side], crmName);
            log(`${query} c=${concurrency} ${side}: ${describe(results[side])}`);
          }
          rows.push({ query, concurrency, c360: results.c360!, floor: results.floor! });
        }
      }
      console.log(`\n${markdownTable(rows, statements)}\n`);
    },
    cleanups,
  );
}

export function optionsFromArgs(): BenchOptions {
  return {
    durationSeconds: positive('duration', option('duration', 'C360_BENCH_DURATION', '20'), false),
    warmupSeconds: Number(option('warmup', 'C360_BENCH_WARMUP', '3')),
    concurrency: positiveList('concurrency', option('concurrency', 'C360_BENCH_CONCURRENCY', '1,8,16')),
    customers: positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '10000'), true),
    totalOrders: positive('orders', option('orders', 'C360_BENCH_ORDERS', '100000'), true),
    postgresUrl: process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    mysqlUrl: process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
    queries: option('queries', 'C360_BENCH_QUERIES', 'Q1,Q2')
      .split(',')
      .map((value) => {
        const query = value.trim().toUpperCase();
        if (query !== 'Q1' && query !== 'Q2') throw new Error(`--queries expects Q1 and/or Q2, got ${value}`);
        return query;
      }),
    q2Pages: positive('pages', option('pages', 'C360_BENCH_Q2_PAGES', '20'), true),
  };
}

if (process.argv[1]?.endsWith('load-360.js')) {
  const started = performance.now();
  runBench(optionsFromArgs())
    .then(() => console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
