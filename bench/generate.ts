/**
 * Benchmark of the demo world at benchmark size: generating 100k customers and ~1M orders,
 * then seeding them into a scratch MariaDB database (dropped at the end).
 *
 *   npm run build && node dist/bench/generate.js [--customers 100000] [--orders 1000000] [--postgres]
 *
 * Servers: MariaDB at C360_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql); with
 * --postgres also PostgreSQL at C360_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createDatabase, dropDatabase, openSqlAdmin, type SqlKind } from '../connectors/admin.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import type { DemoWorld } from '../src/demo/world-types.js';

export interface GenerateBenchResult {
  readonly generateMillis: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly seeds: ReadonlyArray<{ readonly kind: SqlKind; readonly crmMillis: number; readonly shopMillis: number }>;
}

export interface GenerateBenchOptions {
  readonly customers: number;
  readonly totalOrders: number;
  readonly servers: ReadonlyArray<{ readonly kind: SqlKind; readonly url: string }>;
}

export async function benchGenerateAndSeed(options: GenerateBenchOptions): Promise<GenerateBenchResult> {
  const started = performance.now();
  const world = generateDemoWorld({ includeLoyalty: false, seed: 2026, customers: options.customers, totalOrders: options.totalOrders });
  const generateMillis = Math.round(performance.now() - started);
  const seeds: Array<{ kind: SqlKind; crmMillis: number; shopMillis: number }> = [];
  for (const server of options.servers) seeds.push({ kind: server.kind, ...(await seedInto(server.kind, server.url, world)) });
  return { generateMillis, counts: countsOf(world), seeds };
}

async function seedInto(kind: SqlKind, serverUrl: string, world: DemoWorld): Promise<{ crmMillis: number; shopMillis: number }> {
  const name = `c360_bench_seed_${process.pid}`;
  const admin = await openSqlAdmin(kind, await createDatabase(kind, serverUrl, name));
  try {
    const crm = await seedCrm(admin, world);
    const shop = await seedShop(admin, world);
    return { crmMillis: crm.millis, shopMillis: shop.millis };
  } finally {
    await admin.close();
    // A million-row scratch database must not outlive the run.
    await dropDatabase(kind, serverUrl, name);
  }
}

function countsOf(world: DemoWorld): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(world)) if (Array.isArray(value)) counts[name] = value.length;
  return counts;
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const servers: Array<{ kind: SqlKind; url: string }> = [{ kind: 'mysql', url: process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql' }];
  if (process.argv.includes('--postgres'))
    servers.push({ kind: 'postgres', url: process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  const result = await benchGenerateAndSeed({ customers: flag('customers', 100_000), totalOrders: flag('orders', 1_000_000), servers });
  console.log(`generate: ${result.generateMillis} ms`);
  console.log(JSON.stringify(result.counts));
  for (const seed of result.seeds) console.log(`seed ${seed.kind}: CRM ${seed.crmMillis} ms, shop ${seed.shopMillis} ms`);
}

if (process.argv[1]?.endsWith('generate.js')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
