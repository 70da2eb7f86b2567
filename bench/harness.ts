/**
 * What the load benchmarks share (bench/load.ts over the databases, bench/load-rest.ts with
 * the REST sources beside them): the scratch demo world seeded into fresh databases and
 * dropped at the end (failure and Ctrl-C included), a seeded PRNG, percentiles, CPU and
 * load-average sampling from /proc, and the flag/environment option readers.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createDatabase, dropDatabase, openSqlAdmin, type SqlAdmin } from '../connectors/admin.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import type { DemoWorld } from '../src/demo/world-types.js';

export const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** A small seeded generator (mulberry32): the same picks on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: ReadonlyArray<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const ms = (value: number): string => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1));

export interface CpuMillis {
  readonly node: number;
  readonly postgres: number;
  readonly mariadb: number;
}

export interface CpuSnapshot extends CpuMillis {
  /** "postgres:<pid>" / "mariadb:<pid>" -> CPU ms. */
  readonly perProcess: ReadonlyMap<string, number>;
}

const SERVER_COMMANDS: Readonly<Record<string, 'postgres' | 'mariadb'>> = { postgres: 'postgres', mariadbd: 'mariadb', mysqld: 'mariadb' };

/**
 * CPU time used so far by this process and by the local database servers, from /proc
 * (Linux; NaN elsewhere). PostgreSQL: only the backends connected to `postgresDatabase`
 * (their process title names it), so other users of the server are not counted; a backend
 * that ends between two snapshots loses its share. MariaDB is one process whose threads
 * cannot be told apart here: its figure is the whole server's.
 */
export function cpuSnapshot(postgresDatabase: string): CpuSnapshot {
  const usage = process.cpuUsage();
  const totals: Record<'postgres' | 'mariadb', number> = { postgres: 0, mariadb: 0 };
  const perProcess = new Map<string, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return { node: (usage.user + usage.system) / 1000, postgres: Number.NaN, mariadb: Number.NaN, perProcess };
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const server = SERVER_COMMANDS[command];
      if (server === undefined) continue;
      if (server === 'postgres' && postgresDatabase !== '' && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${postgresDatabase} `)) continue;
      // Fields after "(comm) ": state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
      totals[server] += ticks * 10; // USER_HZ is 100 on Linux
      perProcess.set(`${server}:${pid}`, ticks * 10);
    } catch {
      // the process ended between readdir and read
    }
  }
  return { node: (usage.user + usage.system) / 1000, ...totals, perProcess };
}

/** CPU used between two snapshots; a process gone by `after` (a closed backend) counts for nothing. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuMillis {
  const used = { node: after.node - before.node, postgres: 0, mariadb: 0 };
  for (const [key, millis] of after.perProcess) {
    const server = key.startsWith('postgres:') ? 'postgres' : 'mariadb';
    used[server] += millis - (before.perProcess.get(key) ?? 0);
  }
  if (Number.isNaN(after.postgres)) return { node: used.node, postgres: Number.NaN, mariadb: Number.NaN };
  return used;
}

/** The machine's 1-minute load average, sampled every `everyMillis` until stop(): its mean and max. */
export function sampleLoadAverage(everyMillis = 2_000): { stop(): { mean: number; max: number } } {
  const samples: number[] = [loadavg()[0] ?? Number.NaN];
  const timer = setInterval(() => samples.push(loadavg()[0] ?? Number.NaN), everyMillis);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0] ?? Number.NaN);
      return { mean: samples.reduce((sum, value) => sum + value, 0) / samples.length, max: Math.max(...samples) };
    },
  };
}

/** `--name value`, else the environment variable, else the fallback. */
export function option(name: string, env: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) {
    const value = process.argv[at + 1];
    if (value === undefined) throw new Error(`--${name} expects a value`);
    return value;
  }
  return process.env[env] ?? fallback;
}

export function positive(name: string, value: string, integer: boolean): number {
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new Error(`--${name} expects a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return number;
}

export function positiveList(name: string, value: string): number[] {
  return value.split(',').map((item) => positive(name, item.trim(), true));
}

export interface ScratchWorldOptions {
  readonly customers: number;
  readonly totalOrders: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  /** The helpdesk's tickets; the databases are the same either way (tickets have their own PRNG stream). */
  readonly includeTickets: boolean;
}

export interface ScratchWorld {
  readonly world: DemoWorld;
  readonly crmName: string;
  readonly crmUrl: string;
  readonly shopUrl: string;
  /** Every CRM contact id, ascending. */
  readonly contactIds: ReadonlyArray<string>;
}

/**
 * Generates the demo world (seed 2026), seeds it into fresh databases c360_bench_crm_<pid>
 * (PostgreSQL) and c360_bench_shop_<pid> (MariaDB), ANALYZEs them, runs `body`, and drops
 * both databases at the end: on success, on failure, and on SIGINT/SIGTERM.
 */
export async function withScratchWorld<T>(
  options: ScratchWorldOptions,
  body: (scratch: ScratchWorld) => Promise<T>,
  cleanups: Array<() => Promise<void>> = [],
): Promise<T> {
  const suffix = `${process.pid}`;
  const crmName = `c360_bench_crm_${suffix}`;
  const shopName = `c360_bench_shop_${suffix}`;
  const admins: SqlAdmin[] = [];
  const created: Array<() => Promise<void>> = [];
  // Ctrl-C must not leave 100k-order databases (or services) behind either.
  const interrupted = (): void => {
    void Promise.allSettled(cleanups.map((cleanup) => cleanup()))
      .then(() => Promise.allSettled(created.map((drop) => drop())))
      .then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const crmUrl = await createDatabase('postgres', options.postgresUrl, crmName);
    created.push(() => dropDatabase('postgres', options.postgresUrl, crmName));
    const shopUrl = await createDatabase('mysql', options.mysqlUrl, shopName);
    created.push(() => dropDatabase('mysql', options.mysqlUrl, shopName));

    let started = performance.now();
    const world = generateDemoWorld({
      includeLoyalty: false,
      seed: 2026,
      customers: options.customers,
      totalOrders: options.totalOrders,
      includeTickets: options.includeTickets,
    });
    log(
      `generated in ${Math.round(performance.now() - started)} ms: ${world.contacts.length} contacts, ${world.shopCustomers.length} shop customers, ` +
        `${world.orders.length} orders, ${world.orderLines.length} order lines, ${world.events.length} events, ${world.products.length} products` +
        (options.includeTickets ? `, ${world.tickets.length} tickets, ${world.companies.length} companies` : ''),
    );
    const crmAdmin = await openSqlAdmin('postgres', crmUrl);
    admins.push(crmAdmin);
    const shopAdmin = await openSqlAdmin('mysql', shopUrl);
    admins.push(shopAdmin);
    started = performance.now();
    const [crmSeed, shopSeed] = await Promise.all([seedCrm(crmAdmin, world), seedShop(shopAdmin, world)]);
    // Fresh statistics, as a database that has lived a while would have them.
    await crmAdmin.exec('ANALYZE');
    await shopAdmin.exec('ANALYZE TABLE customers, products, orders, order_lines, web_events');
    log(`seeded in ${Math.round(performance.now() - started)} ms (CRM ${crmSeed.millis} ms, shop ${shopSeed.millis} ms, in parallel), then ANALYZE`);
    const contactIds = (await crmAdmin.query('SELECT id FROM contacts ORDER BY id')).map((row) => String(row.id));
    return await body({ world, crmName, crmUrl, shopUrl, contactIds });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleaning up:', error));
    for (const admin of admins) await admin.close().catch(() => undefined);
    for (const drop of created.reverse()) await drop().catch((error: unknown) => console.error('dropping a scratch database:', error));
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/**
 * The benchmark measures the gateway, not its per-principal rate limit: every request of a
 * closed loop comes from one client, so the default (1,200 operations a minute) would
 * answer most of them 429.
 */
export const BENCH_LIMITS = { roles: { default: { rateLimit: { operationsPerMinute: 10_000_000, burst: 1_000_000 } } } } as const;
