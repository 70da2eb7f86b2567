/**
 * Soak run of the gateway over the demo world: a fixed arrival rate (open loop, so a slow
 * server meets the same demand instead of a politely slower client) for a bounded time,
 * reporting throughput, latency percentiles, error rate, RSS at start and end and the
 * event-loop delay. Method and figures: bench/README-soak.md.
 *
 *   npm run build && node dist/bench/soak.js --minutes 10 --rate 40 --customers 2000
 *
 * Servers: PostgreSQL at C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * MariaDB at C360_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql); the demo
 * helpdesk and registry are started in process. Everything listens on 127.0.0.1 only;
 * the scratch databases are dropped at the end, failure included.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { createDatabase, dropDatabase, openSqlAdmin } from '../connectors/admin.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { startDemoRestServices, withRestSources } from '../src/demo/rest-services.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';

const ONE_CUSTOMER = `query One($id: ID!) {
  customer(id: $id) { id displayName email phone sources { source entity key matchedBy }
    orders(first: 5) { nodes { id total placedAt lines { productName quantity } } } }
}`;
const PAGE = `query Page { customers(first: 20) { edges { node { id displayName email orders(first: 3) { nodes { id total } } } } } }`;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function percentile(sortedMillis: ReadonlyArray<number>, p: number): number {
  if (sortedMillis.length === 0) return Number.NaN;
  return sortedMillis[Math.min(sortedMillis.length - 1, Math.floor((p / 100) * sortedMillis.length))]!;
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

interface MemorySample {
  readonly atSeconds: number;
  readonly rssMegabytes: number;
  readonly heapUsedMegabytes: number;
}

/** RSS and heap used, after a full GC when the process runs with --expose-gc. */
function sampleMemory(atSeconds: number): MemorySample {
  global.gc?.();
  const usage = process.memoryUsage();
  return { atSeconds: Math.round(atSeconds), rssMegabytes: megabytes(usage.rss), heapUsedMegabytes: megabytes(usage.heapUsed) };
}

/** A heap snapshot in `directory` (open it in Chrome DevTools' Memory tab and compare the two). */
function snapshot(directory: string | undefined, name: string): string | undefined {
  if (directory === undefined) return undefined;
  mkdirSync(directory, { recursive: true });
  return writeHeapSnapshot(join(directory, `${name}.heapsnapshot`));
}

function textFlag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const minutes = flag('minutes', 10);
  const ratePerSecond = flag('rate', 40);
  const customers = flag('customers', 2_000);
  // The start figures are taken after this warm-up, so caches filling in the first minute are not read as growth.
  const warmupSeconds = flag('warmup', 60);
  const snapshotDirectory = textFlag('heap-snapshots');
  const postgresUrl = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const mysqlUrl = process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const world = generateDemoWorld({ seed: 360, customers });
  const crmUrl = await createDatabase('postgres', postgresUrl, `c360_soak_crm_${suffix}`);
  const shopUrl = await createDatabase('mysql', mysqlUrl, `c360_soak_shop_${suffix}`);
  const rest = await startDemoRestServices(world);
  try {
    for (const [url, kind, seed] of [[crmUrl, 'postgres', seedCrm], [shopUrl, 'mysql', seedShop]] as const) {
      const admin = await openSqlAdmin(kind, url);
      try {
        await seed(admin, world);
      } finally {
        await admin.close();
      }
    }
    const config = parseConfig(withRestSources(demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }), rest.rawConfig));
    const runtime = createRuntime(config, createLogger({ level: 'warn' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    const ids = world.contacts.map((contact) => encodeCustomerId({ entity: 'contact', key: String(contact.id) }));

    global.gc?.();
    const rssStartBytes = process.memoryUsage().rss;
    const memorySamples: MemorySample[] = [];
    let warmSample: MemorySample | undefined;
    let startSnapshot: string | undefined;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const latenciesMillis: number[] = [];
    const errorsByKind = new Map<string, number>();
    let sent = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const startedAt = performance.now();
    const endAt = startedAt + minutes * 60_000;
    const intervalMillis = 1000 / ratePerSecond;

    const fire = async (index: number) => {
      const page = index % 10 === 0;
      const body = page ? { query: PAGE } : { query: ONE_CUSTOMER, variables: { id: ids[(index * 7919) % ids.length] } };
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const began = performance.now();
      try {
        const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
        const json = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        const kind = response.status !== 200 ? `http ${response.status}` : json.errors?.[0]?.extensions?.code;
        if (kind !== undefined) errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
      } catch (error) {
        const kind = (error as Error).name;
        errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
      } finally {
        latenciesMillis.push(performance.now() - began);
        inFlight--;
      }
    };

    const pending = new Set<Promise<void>>();
    let lastReport = startedAt;
    // Schedule by the clock, not by setInterval ticks, so a stalled loop catches up instead of quietly lowering the rate.
    while (performance.now() < endAt) {
      const due = Math.floor((performance.now() - startedAt) / intervalMillis) + 1;
      while (sent < due) {
        const p = fire(sent++);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      if (warmSample === undefined && performance.now() - startedAt >= warmupSeconds * 1000) {
        warmSample = sampleMemory((performance.now() - startedAt) / 1000);
        startSnapshot = snapshot(snapshotDirectory, 'start');
        memorySamples.push(warmSample);
      }
      if (performance.now() - lastReport >= 60_000) {
        lastReport = performance.now();
        const sample = sampleMemory((lastReport - startedAt) / 1000);
        memorySamples.push(sample);
        process.stderr.write(`soak: ${sample.atSeconds} s, ${sent} sent, rss ${sample.rssMegabytes} MB, heap after GC ${sample.heapUsedMegabytes} MB\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, intervalMillis / 2)));
    }
    await Promise.all(pending);
    const seconds = (performance.now() - startedAt) / 1000;
    loopDelay.disable();
    const endSample = sampleMemory(seconds);
    const endSnapshot = snapshot(snapshotDirectory, 'end');
    const rssEndBytes = process.memoryUsage().rss;
    const growth = (end: number, start: number) => Math.round(((end - start) / start) * 1000) / 10;
    const sorted = [...latenciesMillis].sort((a, b) => a - b);
    const errors = [...errorsByKind.values()].reduce((sum, n) => sum + n, 0);
    const report = {
      minutes,
      targetRatePerSecond: ratePerSecond,
      customers,
      requests: sent,
      throughputPerSecond: Math.round((sent / seconds) * 10) / 10,
      latencyMillis: { p50: Math.round(percentile(sorted, 50) * 10) / 10, p90: Math.round(percentile(sorted, 90) * 10) / 10, p99: Math.round(percentile(sorted, 99) * 10) / 10, max: Math.round((sorted.at(-1) ?? Number.NaN) * 10) / 10 },
      errors,
      errorRate: sent === 0 ? 0 : errors / sent,
      errorsByKind: Object.fromEntries(errorsByKind),
      maxInFlight,
      rssMegabytes: { start: megabytes(rssStartBytes), end: megabytes(rssEndBytes) },
      afterWarmup: warmSample === undefined ? null : {
        rssMegabytes: { start: warmSample.rssMegabytes, end: endSample.rssMegabytes, growthPercent: growth(endSample.rssMegabytes, warmSample.rssMegabytes) },
        heapAfterGcMegabytes: { start: warmSample.heapUsedMegabytes, end: endSample.heapUsedMegabytes, growthPercent: growth(endSample.heapUsedMegabytes, warmSample.heapUsedMegabytes) },
      },
      gcExposed: global.gc !== undefined,
      heapSnapshots: { start: startSnapshot ?? null, end: endSnapshot ?? null },
      memorySamples,
      eventLoopDelayMillis: { mean: Math.round(loopDelay.mean / 1e4) / 100, p99: Math.round(loopDelay.percentile(99) / 1e4) / 100, max: Math.round(loopDelay.max / 1e4) / 100 },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    await gateway.stop();
    await runtime.close();
  } finally {
    await rest.stop();
    await dropDatabase('postgres', postgresUrl, `c360_soak_crm_${suffix}`);
    await dropDatabase('mysql', mysqlUrl, `c360_soak_shop_${suffix}`);
  }
}

await main();
