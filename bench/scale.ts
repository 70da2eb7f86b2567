/**
 * Scaling benchmark: the Q1/Q2 load of ./load-360.ts against c360 run the ways an operator
 * scales it on one machine, each a real process tree started from dist/ (`bin/c360.js`):
 *
 *   single       one `c360 serve` process, clients straight to it (the baseline)
 *   workers-2    one `c360 serve --workers 2` (node:cluster, one port)
 *   haproxy-1    one replica behind HAProxy (the proxy's own cost, for the next row)
 *   haproxy-3    three replicas behind HAProxy, sharing Redis (rate limits, caches)
 *
 * Every setup answers one Q1 and one Q2 exactly as `single` does before it is timed. The
 * ratios are throughputs over `single` (workers-2) and over `haproxy-1` (haproxy-3), at
 * the same concurrency, in the same run. The load client is this process, on the same two
 * cores: see bench/README-scale.md for what that means for the ratios.
 *
 *   npm run bench:scale     # = npm run build && node dist/bench/scale.js
 *   node dist/bench/scale.js --duration 15 --warmup 3 --concurrency 8 --customers 2000 --orders 20000
 *
 * Redis: C360_BENCH_REDIS_URL (default redis://127.0.0.1:6379), keys under c360bench:<pid>:,
 * deleted at the end. HAProxy: C360_HAPROXY (default /usr/sbin/haproxy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { demoRawConfig } from '../src/demo/config.js';
import { projectRoot } from '../src/gateway/project.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { BENCH_LIMITS, log, ms, option, positive, positiveList, sampleLoadAverage, seededRandom, withScratchWorld } from './harness.js';
import { Q1, Q2, closedLoop, type RunStats } from './load-360.js';

const HAPROXY = process.env.C360_HAPROXY ?? '/usr/sbin/haproxy';
const REDIS_URL = process.env.C360_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Proc {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function start(command: string, args: ReadonlyArray<string>, port: number): Proc {
  const child = spawn(command, args, { cwd: projectRoot(), env: { ...process.env, C360_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    port,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMillis = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not up after ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startC360(configFile: string, more: ReadonlyArray<string> = []): Promise<Proc> {
  const port = await freePort();
  const proc = start(process.execPath, ['bin/c360.js', 'serve', '--config', configFile, '--port', String(port), ...more], port);
  await until(`c360 on ${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(proc.output.join(''));
    return (await fetch(`http://127.0.0.1:${port}/ready`)).status === 200;
  });
  return proc;
}

async function startHaproxy(dir: string, ports: ReadonlyArray<number>): Promise<Proc> {
  const port = await freePort();
  const file = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(
    file,
    [
      'global',
      '  maxconn 4000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  option http-keep-alive',
      '  timeout check 10s',
      'listen c360',
      `  bind 127.0.0.1:${port}`,
      '  balance roundrobin',
      '  option httpchk GET /health',
      '  default-server inter 2s fall 3 rise 1',
      ...ports.map((p, i) => `  server r${i + 1} 127.0.0.1:${p} check`),
      '',
    ].join('\n'),
  );
  const proc = start(HAPROXY, ['-f', file, '-db'], port);
  await until('haproxy', async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200);
  return proc;
}

/** `pid` and its descendants (a --workers primary's workers), from /proc. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** CPU milliseconds (user + system) used so far by `pid` and its descendants. */
function treeCpuMillis(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    } catch {
      // gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Resident memory (MiB) of `pid` and its descendants, from /proc. */
function treeRssMiB(pid: number): number {
  let kib = 0;
  for (const member of processTree(pid)) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

async function postText(url: string, query: string, variables: Record<string, unknown>): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  if (response.status !== 200 || !text.startsWith('{"data":{') || text.includes('"errors":['))
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

interface Setup {
  readonly name: 'single' | 'workers-2' | 'haproxy-1' | 'haproxy-3';
  readonly url: string;
  readonly pids: ReadonlyArray<number>;
  stop(): Promise<void>;
}

interface Row {
  readonly setup: Setup['name'];
  readonly query: 'Q1' | 'Q2';
  readonly concurrency: number;
  readonly stats: RunStats;
  readonly rssMiB: number;
  /** CPU ms of the c360 processes (not the client, not the databases) per answered request. */
  readonly c360CpuMillis: number;
}

async function main(): Promise<void> {
  const durationSeconds = positive('duration', option('duration', 'C360_BENCH_DURATION', '15'), false);
  const warmupSeconds = Number(option('warmup', 'C360_BENCH_WARMUP', '3'));
  const concurrencies = positiveList('concurrency', option('concurrency', 'C360_BENCH_CONCURRENCY', '8'));
  const customers = positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '2000'), true);
  const totalOrders = positive('orders', option('orders', 'C360_BENCH_ORDERS', '20000'), true);
  const scratchDir = mkdtempSync(join(tmpdir(), 'c360-scale-'));
  const keyPrefix = `c360bench:${process.pid}:`;
  const running: Proc[] = [];
  const cleanups = [
    async () => {
      await Promise.allSettled(running.map((proc) => proc.stop()));
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${keyPrefix}*`).catch(() => []);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      rmSync(scratchDir, { recursive: true, force: true });
    },
  ];
  const postgresUrl = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const mysqlUrl = process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
  await withScratchWorld(
    { customers, totalOrders, postgresUrl, mysqlUrl, includeTickets: false },
    async ({ crmName, crmUrl, shopUrl, contactIds }) => {
      const raw = { ...demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }), limits: BENCH_LIMITS };
      const plainFile = join(scratchDir, 'c360.json');
      writeFileSync(plainFile, JSON.stringify(raw));
      const redisFile = join(scratchDir, 'c360-redis.json');
      writeFileSync(redisFile, JSON.stringify({ ...raw, redis: { url: REDIS_URL, keyPrefix } }));

      const launch = async (proc: Promise<Proc>): Promise<Proc> => {
        const started = await proc;
        running.push(started);
        return started;
      };
      const stopAll = async (procs: ReadonlyArray<Proc>) => {
        await Promise.all(procs.map((proc) => proc.stop()));
        running.splice(0, running.length, ...running.filter((proc) => !procs.includes(proc)));
      };
      const setups: Array<() => Promise<Setup>> = [
        async () => {
          const c360 = await launch(startC360(plainFile));
          return { name: 'single', url: `http://127.0.0.1:${c360.port}/graphql`, pids: [c360.child.pid!], stop: () => stopAll([c360]) };
        },
        async () => {
          const c360 = await launch(startC360(plainFile, ['--workers', '2']));
          return { name: 'workers-2', url: `http://127.0.0.1:${c360.port}/graphql`, pids: [c360.child.pid!], stop: () => stopAll([c360]) };
        },
        async () => {
          const c360 = await launch(startC360(redisFile));
          const haproxy = await launch(startHaproxy(scratchDir, [c360.port]));
          return { name: 'haproxy-1', url: `http://127.0.0.1:${haproxy.port}/graphql`, pids: [c360.child.pid!], stop: () => stopAll([haproxy, c360]) };
        },
        async () => {
          const replicas = await Promise.all([0, 1, 2].map(() => launch(startC360(redisFile))));
          const haproxy = await launch(
            startHaproxy(
              scratchDir,
              replicas.map((replica) => replica.port),
            ),
          );
          return {
            name: 'haproxy-3',
            url: `http://127.0.0.1:${haproxy.port}/graphql`,
            pids: replicas.map((replica) => replica.child.pid!),
            stop: () => stopAll([haproxy, ...replicas]),
          };
        },
      ];

      const checkQ1 = { id: encodeCustomerId({ entity: 'contact', key: contactIds[Math.floor(contactIds.length / 3)]! }) };
      let expected: { Q1: string; Q2: string } | undefined;
      const rows: Row[] = [];
      for (const make of setups) {
        const setup = await make();
        const answers = { Q1: await postText(setup.url, Q1, checkQ1), Q2: await postText(setup.url, Q2, { after: null }) };
        expected ??= answers;
        const same = answers.Q1 === expected.Q1 && answers.Q2 === expected.Q2;
        log(
          `${setup.name} at ${setup.url}: ${same ? 'answers Q1 and Q2 exactly as single does' : 'ANSWERS DIFFER from single'}; idle RSS ${setup.pids.map((pid) => treeRssMiB(pid).toFixed(0)).join(' + ')} MiB`,
        );
        if (!same) throw new Error(`${setup.name} answers differently`);
        const random = seededRandom(42);
        const pick = <T>(values: ReadonlyArray<T>): T => values[Math.floor(random() * values.length)]!;
        const cursors: Array<string | null> = [null];
        for (let page = 1; page < 10; page++) {
          const body = JSON.parse(
            await postText(setup.url, 'query($after: String) { customers(first: 50, after: $after) { pageInfo { endCursor } } }', {
              after: cursors.at(-1) ?? null,
            }),
          ) as { data: { customers: { pageInfo: { endCursor: string | null } } } };
          if (body.data.customers.pageInfo.endCursor === null) break;
          cursors.push(body.data.customers.pageInfo.endCursor);
        }
        const tasks = {
          Q1: async () => void (await postText(setup.url, Q1, { id: encodeCustomerId({ entity: 'contact', key: pick(contactIds) }) })),
          Q2: async () => void (await postText(setup.url, Q2, { after: pick(cursors) })),
        };
        for (const query of ['Q1', 'Q2'] as const) {
          for (const concurrency of concurrencies) {
            if (warmupSeconds > 0) await closedLoop(concurrency, warmupSeconds * 1000, tasks[query]);
            let peak = 0;
            const sampler = setInterval(
              () =>
                (peak = Math.max(
                  peak,
                  setup.pids.reduce((sum, pid) => sum + treeRssMiB(pid), 0),
                )),
              1_000,
            );
            const loadAverage = sampleLoadAverage();
            const cpuBefore = setup.pids.reduce((sum, pid) => sum + treeCpuMillis(pid), 0);
            const stats = await closedLoop(concurrency, durationSeconds * 1000, tasks[query], crmName);
            const c360CpuMillis = (setup.pids.reduce((sum, pid) => sum + treeCpuMillis(pid), 0) - cpuBefore) / Math.max(1, stats.requests);
            clearInterval(sampler);
            const machine = loadAverage.stop();
            rows.push({ setup: setup.name, query, concurrency, stats, rssMiB: peak, c360CpuMillis });
            log(
              `${setup.name} ${query} c=${concurrency}: ${stats.perSecond.toFixed(1)} req/s, p50 ${ms(stats.p50)} ms, p99 ${ms(stats.p99)} ms, errors ${stats.errors}${stats.firstError === undefined ? '' : ` (${stats.firstError.slice(0, 120)})`}, c360 CPU ${c360CpuMillis.toFixed(1)} ms/request, peak RSS ${peak.toFixed(0)} MiB, load ${machine.mean.toFixed(1)} (max ${machine.max.toFixed(1)})`,
            );
          }
        }
        await setup.stop();
      }
      console.log(`\n${table(rows)}\n`);
    },
    cleanups,
  );
}

function table(rows: ReadonlyArray<Row>): string {
  const baseline = (row: Row): Row | undefined =>
    rows.find(
      (other) => other.query === row.query && other.concurrency === row.concurrency && other.setup === (row.setup === 'haproxy-3' ? 'haproxy-1' : 'single'),
    );
  const lines = [
    '| setup | query | c | req/s | ratio | over | p50 ms | p99 ms | errors | c360 CPU ms/req | peak RSS MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const base = baseline(row);
    const ratio = base === undefined || base === row ? '1.00' : (row.stats.perSecond / base.stats.perSecond).toFixed(2);
    lines.push(
      `| ${row.setup} | ${row.query} | ${row.concurrency} | ${row.stats.perSecond.toFixed(1)} | ${ratio} | ${base === undefined || base === row ? '' : base.setup} | ${ms(row.stats.p50)} | ${ms(row.stats.p99)} | ${row.stats.errors} | ${row.c360CpuMillis.toFixed(1)} | ${row.rssMiB.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('scale.js')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
