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
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { createDatabase, dropDatabase } from '../connectors/admin.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { startDemoRestServices, withRestSources } from '../src/demo/rest-services.js';
import { seedCrm, seedDatabases, seedShop } from '../src/demo/seed.js';
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
  /** RSS split as the kernel counts it (/proc/self/status): anonymous pages (heaps, malloc) and file-backed (code, mapped files). */
  readonly rssAnonMegabytes: number | null;
  readonly rssFileMegabytes: number | null;
  readonly heapUsedMegabytes: number;
  readonly heapTotalMegabytes: number;
  /** Memory of C++ objects bound to JavaScript ones (Buffers included), as V8 is told of it. */
  readonly externalMegabytes: number;
  readonly arrayBuffersMegabytes: number;
  /** What V8 itself has malloc'ed outside its heap (compiler zones, snapshot serialisation...). */
  readonly mallocedMegabytes: number;
}

function procStatusMegabytes(field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : Math.round((Number(match[1]) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** RSS and heap used, after a full GC when the process runs with --expose-gc. */
function sampleMemory(atSeconds: number): MemorySample {
  global.gc?.();
  const usage = process.memoryUsage();
  return {
    atSeconds: Math.round(atSeconds),
    rssMegabytes: megabytes(usage.rss),
    rssAnonMegabytes: procStatusMegabytes('RssAnon'),
    rssFileMegabytes: procStatusMegabytes('RssFile'),
    heapUsedMegabytes: megabytes(usage.heapUsed),
    heapTotalMegabytes: megabytes(usage.heapTotal),
    externalMegabytes: megabytes(usage.external),
    arrayBuffersMegabytes: megabytes(usage.arrayBuffers),
    mallocedMegabytes: megabytes(getHeapStatistics().malloced_memory),
  };
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

interface ClientOrder {
  readonly url: string;
  readonly ids: ReadonlyArray<string>;
  /** The longest the client runs; the gateway's process may stop it earlier (`{ stop: true }`, see --measure-minutes). */
  readonly minutes: number;
  readonly ratePerSecond: number;
}

interface ClientResult {
  readonly sent: number;
  readonly seconds: number;
  readonly latenciesMillis: ReadonlyArray<number>;
  readonly errorsByKind: Record<string, number>;
  readonly maxInFlight: number;
}

/**
 * The load: a fixed arrival rate for `minutes`. It runs in a child process (see main), so the
 * client's own fetch buffers and latency arrays are not counted in the gateway's RSS and its
 * event loop does not share the gateway's.
 */
async function runClient(order: ClientOrder): Promise<ClientResult> {
  const latenciesMillis: number[] = [];
  const errorsByKind = new Map<string, number>();
  let sent = 0;
  // Answers without an error: each one that read a personal field is one audit record in the bounded memory store.
  let answered = 0;
  let stopped = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const startedAt = performance.now();
  const endAt = startedAt + order.minutes * 60_000;
  const intervalMillis = 1000 / order.ratePerSecond;

  const fire = async (index: number) => {
    const page = index % 10 === 0;
    const body = page ? { query: PAGE } : { query: ONE_CUSTOMER, variables: { id: order.ids[(index * 7919) % order.ids.length] } };
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const began = performance.now();
    try {
      const response = await fetch(order.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const json = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      const kind = response.status !== 200 ? `http ${response.status}` : json.errors?.[0]?.extensions?.code;
      if (kind !== undefined) errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
      else answered++;
    } catch (error) {
      // fetch's TypeError ("fetch failed") says why in its cause: a reset, a refused connection...
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      const kind = cause === undefined ? (error as Error).name : `${(error as Error).name} (${cause})`;
      errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
    } finally {
      latenciesMillis.push(performance.now() - began);
      inFlight--;
    }
  };

  const pending = new Set<Promise<void>>();
  // A pause (asked for by the gateway's process while it writes a heap snapshot) shifts the schedule by its length:
  // the snapshot blocks the gateway's loop for seconds, and an open-loop client would pile that up into a burst.
  let pausedAt: number | undefined;
  let shift = 0;
  process.on('message', (message: { pause?: boolean; stop?: boolean }) => {
    if (message.stop === true) stopped = true;
    if (message.pause === true) {
      pausedAt = performance.now();
      void Promise.all(pending).then(() => process.send!({ paused: true }));
    } else if (message.pause === false && pausedAt !== undefined) {
      shift += performance.now() - pausedAt;
      pausedAt = undefined;
    }
  });
  // Schedule by the clock, not by setInterval ticks, so a stalled loop catches up instead of quietly lowering the rate.
  const progress = setInterval(() => process.send!({ answered }), 5_000);
  while (!stopped && (performance.now() < endAt + shift || pausedAt !== undefined)) {
    if (pausedAt !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const due = Math.floor((performance.now() - startedAt - shift) / intervalMillis) + 1;
    while (sent < due) {
      const p = fire(sent++);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, intervalMillis / 2)));
  }
  clearInterval(progress);
  await Promise.all(pending);
  return { sent, seconds: (performance.now() - startedAt - shift) / 1000, latenciesMillis, errorsByKind: Object.fromEntries(errorsByKind), maxInFlight };
}

/** The child's side: one order in over IPC, one result out, then exit. */
function clientRole(): void {
  process.once('message', (order: ClientOrder) => {
    if (!('url' in order)) return;
    void runClient(order).then((result) => process.send!(result, () => process.exit(0)));
  });
}

async function main(): Promise<void> {
  const minutes = flag('minutes', 10);
  const ratePerSecond = flag('rate', 40);
  const customers = flag('customers', 2_000);
  // The start figures are taken after this warm-up, so caches filling in the first minute are not read as growth.
  const warmupSeconds = flag('warmup', 60);
  const snapshotDirectory = textFlag('heap-snapshots');
  // After the start snapshot the figures are read again once this long has passed: V8 regrows the heap the snapshot's
  // full GCs shrank, and that regrowth is not a leak either.
  const settleSeconds = flag('settle', 120);
  // A warm-up that ends on a bound rather than on the clock: at least this many error-free answers (each one audit
  // record), so the memory audit window (MEMORY_AUDIT_RECORDS) is full when the start figures are read.
  const warmupAnswers = textFlag('warmup-answers') === undefined ? 0 : flag('warmup-answers', 1);
  // With it, the run lasts this long after the baseline (the start snapshot, settled) and then stops the client,
  // instead of a fixed total; --minutes is then the cap.
  const measureMinutes = textFlag('measure-minutes') === undefined ? undefined : flag('measure-minutes', 30);
  // A throwaway snapshot half-way through the warm-up: writing one costs a few hundred MB of native memory that glibc
  // keeps, so paying that before the baseline makes RSS across the start snapshot comparable with RSS at the end.
  const primeSnapshot = process.argv.includes('--prime-snapshot');
  const postgresUrl = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const mysqlUrl = process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const world = generateDemoWorld({ includeLoyalty: false, seed: 360, customers });
  const crmUrl = await createDatabase('postgres', postgresUrl, `c360_soak_crm_${suffix}`);
  const shopUrl = await createDatabase('mysql', mysqlUrl, `c360_soak_shop_${suffix}`);
  const rest = await startDemoRestServices(world);
  try {
    await seedDatabases(world, [
      [crmUrl, 'postgres', seedCrm],
      [shopUrl, 'mysql', seedShop],
    ]);
    const config = parseConfig(withRestSources(demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }), rest.rawConfig));
    const runtime = createRuntime(config, createLogger({ level: 'warn' }));
    const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
    const ids = world.contacts.map((contact) => encodeCustomerId({ entity: 'contact', key: String(contact.id) }));

    const startSample = sampleMemory(0);
    const memorySamples: MemorySample[] = [];
    let warmSample: MemorySample | undefined;
    let afterSnapshotSample: MemorySample | undefined;
    let startSnapshot: string | undefined;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const startedAt = performance.now();
    const since = () => (performance.now() - startedAt) / 1000;

    // The client is a second process: the memory read here is the gateway's (and the demo REST services'), not the client's.
    const client = fork(fileURLToPath(import.meta.url), ['--client-role'], { execArgv: [], stdio: 'inherit' });
    let onPaused: (() => void) | undefined;
    let answered = 0;
    const clientDone = new Promise<ClientResult>((resolve, reject) => {
      client.on('message', (message: ClientResult | { paused: true } | { answered: number }) => {
        if ('paused' in message) onPaused?.();
        else if ('answered' in message) answered = message.answered;
        else resolve(message);
      });
      client.once('exit', (code) => reject(new Error(`the soak client exited with ${code} before reporting`)));
    });
    client.send({ url: gateway.url, ids, minutes, ratePerSecond } satisfies ClientOrder);

    let snapshotting = false;
    let primed = !primeSnapshot || snapshotDirectory === undefined;
    let answeredAtWarmup: number | undefined;
    let baselineAt: number | undefined;
    let stopSent = false;
    // The client pauses and its requests in flight finish first, so the snapshot's stall does not turn into a burst.
    const paused = (work: () => void) => {
      snapshotting = true;
      void new Promise<void>((resolve) => {
        onPaused = resolve;
        client.send({ pause: true });
      }).then(() => {
        work();
        client.send({ pause: false });
        snapshotting = false;
      });
    };
    const sampler = setInterval(() => {
      if (snapshotting) return;
      if (!primed && since() >= warmupSeconds / 2) {
        primed = true;
        paused(() => {
          const path = snapshot(snapshotDirectory, 'prime');
          if (path !== undefined) rmSync(path, { force: true });
          process.stderr.write(`soak: ${Math.round(since())} s, priming snapshot written and removed\n`);
        });
        return;
      }
      if (warmSample === undefined && since() >= warmupSeconds && answered >= warmupAnswers) {
        warmSample = sampleMemory(since());
        memorySamples.push(warmSample);
        answeredAtWarmup = answered;
        process.stderr.write(
          `soak: ${warmSample.atSeconds} s, warm-up over (${answered} answers), rss ${warmSample.rssMegabytes} MB, heap after GC ${warmSample.heapUsedMegabytes} MB\n`,
        );
        if (snapshotDirectory !== undefined) {
          paused(() => {
            startSnapshot = snapshot(snapshotDirectory, 'start');
            // Read again right after the snapshot: what writing it cost the process stays in RSS (glibc keeps freed pages).
            afterSnapshotSample = sampleMemory(since());
            memorySamples.push(afterSnapshotSample);
          });
        }
        return;
      }
      if (
        baselineAt === undefined &&
        warmSample !== undefined &&
        (snapshotDirectory === undefined || (afterSnapshotSample !== undefined && since() >= afterSnapshotSample.atSeconds + settleSeconds))
      ) {
        baselineAt = since();
        // The baseline itself, so afterStartSnapshotSettled starts here and the measured window is --measure-minutes long.
        if (snapshotDirectory !== undefined) memorySamples.push(sampleMemory(baselineAt));
        return;
      }
      if (measureMinutes !== undefined && baselineAt !== undefined && !stopSent && since() >= baselineAt + measureMinutes * 60) {
        stopSent = true;
        client.send({ stop: true });
      }
      const last = memorySamples.at(-1);
      if (last !== undefined && since() - last.atSeconds >= 60) {
        const sample = sampleMemory(since());
        memorySamples.push(sample);
        process.stderr.write(
          `soak: ${sample.atSeconds} s, rss ${sample.rssMegabytes} MB (anon ${sample.rssAnonMegabytes}), heap after GC ${sample.heapUsedMegabytes} MB, external ${sample.externalMegabytes} MB, malloced ${sample.mallocedMegabytes} MB\n`,
        );
      }
    }, 1_000);
    let result: ClientResult;
    try {
      result = await clientDone;
    } finally {
      clearInterval(sampler);
    }
    const seconds = since();
    loopDelay.disable();
    const endSample = sampleMemory(seconds);
    const endSnapshot = snapshot(snapshotDirectory, 'end');
    const growth = (end: number, start: number) => Math.round(((end - start) / start) * 1000) / 10;
    const between = (from: MemorySample | undefined) =>
      from === undefined
        ? null
        : {
            fromSeconds: from.atSeconds,
            rssMegabytes: { start: from.rssMegabytes, end: endSample.rssMegabytes, growthPercent: growth(endSample.rssMegabytes, from.rssMegabytes) },
            heapAfterGcMegabytes: {
              start: from.heapUsedMegabytes,
              end: endSample.heapUsedMegabytes,
              growthPercent: growth(endSample.heapUsedMegabytes, from.heapUsedMegabytes),
            },
          };
    const sorted = [...result.latenciesMillis].sort((a, b) => a - b);
    const errors = Object.values(result.errorsByKind).reduce((sum, n) => sum + n, 0);
    const report = {
      minutes,
      targetRatePerSecond: ratePerSecond,
      customers,
      requests: result.sent,
      throughputPerSecond: Math.round((result.sent / result.seconds) * 10) / 10,
      latencyMillis: {
        p50: Math.round(percentile(sorted, 50) * 10) / 10,
        p90: Math.round(percentile(sorted, 90) * 10) / 10,
        p99: Math.round(percentile(sorted, 99) * 10) / 10,
        max: Math.round((sorted.at(-1) ?? Number.NaN) * 10) / 10,
      },
      errors,
      errorRate: result.sent === 0 ? 0 : errors / result.sent,
      errorsByKind: result.errorsByKind,
      maxInFlight: result.maxInFlight,
      rssMegabytes: { start: startSample.rssMegabytes, end: endSample.rssMegabytes },
      afterWarmup: between(warmSample),
      afterStartSnapshot: between(afterSnapshotSample),
      afterStartSnapshotSettled: between(
        afterSnapshotSample === undefined ? undefined : memorySamples.find((sample) => sample.atSeconds >= afterSnapshotSample!.atSeconds + settleSeconds),
      ),
      gcExposed: global.gc !== undefined,
      heapSnapshots: { start: startSnapshot ?? null, end: endSnapshot ?? null },
      warmup: {
        seconds: warmSample?.atSeconds ?? null,
        minimumSeconds: warmupSeconds,
        minimumAnswers: warmupAnswers,
        answeredAtWarmup: answeredAtWarmup ?? null,
        primeSnapshot,
      },
      measureMinutes: measureMinutes ?? null,
      startSample,
      endSample,
      memorySamples,
      eventLoopDelayMillis: {
        mean: Math.round(loopDelay.mean / 1e4) / 100,
        p99: Math.round(loopDelay.percentile(99) / 1e4) / 100,
        max: Math.round(loopDelay.max / 1e4) / 100,
      },
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

if (process.argv.includes('--client-role')) clientRole();
else await main();
