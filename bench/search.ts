/**
 * Search benchmark (bench/README-search.md):
 *  1. latency of customerSearch at 100k customers, beside a raw-SQL floor asking the same
 *     candidate rows of the same two databases with hand-written statements;
 *  2. on the demo world (2,000 customers, `c360 demo`'s seed), the share of people found in
 *     the first 3 hits, typed "First Last", "LAST First" and in unaccented lower case.
 *
 *   npm run bench:search -- [--customers 100000] [--searches 300] [--demo 2000]
 *
 * The 100k world lives in c360_bench_search_crm (PostgreSQL) and c360_bench_search_shop
 * (MariaDB), kept between runs: a marker table says which world they hold, and a run with
 * another world (or no marker) drops and reseeds them. `--drop` removes them at the end.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createDatabase, dropDatabase, openSqlAdmin, withDatabase, type SqlAdmin } from '../connectors/admin.js';
import { foldForPrefix } from '../connectors/sql/fold.js';
import { postgresFolded } from '../connectors/sql/dialect.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import type { SourceCall } from '../connectors/contract.js';
import type { DemoWorld } from '../src/demo/world-types.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { BENCH_LIMITS, log, ms, option, percentile, positive, seededRandom } from './harness.js';
import { NAME_FORMS, foundWithin, searchCases, type HitSources, type SearchCase } from './search-cases.js';
import { searchIndexSql } from './search-indexes.js';
import { MAILBOX_KEY_COLUMN } from '../src/resolvers/search/index-advice.js';

const POSTGRES_URL = option('postgres', 'C360_BENCH_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const MYSQL_URL = option('mysql', 'C360_BENCH_MYSQL_URL', 'mysql://root@127.0.0.1:3306/mysql');
const CUSTOMERS = positive('customers', option('customers', 'C360_BENCH_CUSTOMERS', '100000'), true);
const SEARCHES = positive('searches', option('searches', 'C360_BENCH_SEARCHES', '300'), true);
const DEMO_CUSTOMERS = positive('demo', option('demo', 'C360_BENCH_DEMO', '2000'), true);
const CRM_NAME = 'c360_bench_search_crm';
const SHOP_NAME = 'c360_bench_search_shop';
const WORLD_SEED = 2026;
/** Bump when the world or its indexes change, so a kept database is reseeded. */
const MARKER = `search-v3 seed=${WORLD_SEED} customers=${CUSTOMERS}`;

const QUERY = `query Search($text: String!) { customerSearch(text: $text, first: 10) {
  edges { matchedOn node { id kind displayName address { city } sources { source key } } } } }`;

function benchWorld(customers: number, seed: number): DemoWorld {
  return generateDemoWorld({ includeLoyalty: false, seed, customers, ordersPerCustomer: 1, includeEvents: false, includeTickets: false });
}

async function marker(admin: SqlAdmin): Promise<string | null> {
  try {
    const rows = await admin.query('SELECT version FROM c360_bench_marker');
    return rows.length === 1 ? String(rows[0]!.version) : null;
  } catch {
    return null;
  }
}

/** The marker a kept database holds, or null when it is missing or unreadable. */
async function markerAt(kind: 'postgres' | 'mysql', url: string): Promise<string | null> {
  try {
    const admin = await openSqlAdmin(kind, url);
    try {
      return await marker(admin);
    } finally {
      await admin.close();
    }
  } catch {
    return null;
  }
}

/** The kept 100k world, seeded when missing or stale. */
async function ensureWorld(world: () => DemoWorld): Promise<{ crmUrl: string; shopUrl: string }> {
  const crmUrl = withDatabase(POSTGRES_URL, CRM_NAME);
  const shopUrl = withDatabase(MYSQL_URL, SHOP_NAME);
  const kept = await Promise.all([markerAt('postgres', crmUrl), markerAt('mysql', shopUrl)]);
  if (kept[0] === MARKER && kept[1] === MARKER) {
    log(`reusing ${CRM_NAME} and ${SHOP_NAME} (${MARKER})`);
    return { crmUrl, shopUrl };
  }
  log(`seeding ${CRM_NAME} and ${SHOP_NAME} (${MARKER}); later runs reuse them`);
  await dropDatabase('postgres', POSTGRES_URL, CRM_NAME).catch(() => undefined);
  await dropDatabase('mysql', MYSQL_URL, SHOP_NAME).catch(() => undefined);
  await createDatabase('postgres', POSTGRES_URL, CRM_NAME);
  await createDatabase('mysql', MYSQL_URL, SHOP_NAME);
  const generated = world();
  const crm = await openSqlAdmin('postgres', crmUrl);
  const shop = await openSqlAdmin('mysql', shopUrl);
  try {
    const started = performance.now();
    await Promise.all([seedCrm(crm, generated), seedShop(shop, generated)]);
    await crm.exec(searchIndexSql('postgres'));
    await shop.exec(searchIndexSql('mysql'));
    await crm.exec('ANALYZE');
    await shop.exec('ANALYZE TABLE customers');
    for (const admin of [crm, shop])
      await admin.exec(`CREATE TABLE c360_bench_marker (version VARCHAR(200)); INSERT INTO c360_bench_marker VALUES ('${MARKER}')`);
    log(`seeded in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await crm.close();
    await shop.close();
  }
  return { crmUrl, shopUrl };
}

async function startSearchGateway(crmUrl: string, shopUrl: string) {
  const demo = demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 });
  // The mailbox-key column searchIndexSql added to the shop, declared as `c360 check` says.
  const entities = { ...demo.entities, shopCustomer: { ...demo.entities.shopCustomer!, normalizedColumns: { email: { email: MAILBOX_KEY_COLUMN } } } };
  const config = parseConfig({ ...demo, entities, limits: BENCH_LIMITS });
  const runtime = createRuntime(config, createLogger({ level: 'warn' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  const search = async (text: string): Promise<Array<HitSources & { id: string }>> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { text } }),
    });
    const body = (await response.json()) as { data?: { customerSearch: { edges: Array<{ node: HitSources & { id: string } }> } }; errors?: unknown };
    if (body.errors !== undefined || body.data === undefined) throw new Error(`search "${text}" failed: ${JSON.stringify(body.errors)}`);
    return body.data.customerSearch.edges.map((edge) => edge.node);
  };
  /** One search with the source calls traced (x-c360-trace: 1): the statements behind it. */
  const traced = async (text: string): Promise<{ millis: number; trace: SourceCall[] }> => {
    const started = performance.now();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
      body: JSON.stringify({ query: QUERY, variables: { text } }),
    });
    const body = (await response.json()) as { errors?: unknown; extensions?: { trace?: SourceCall[] } };
    if (body.errors !== undefined) throw new Error(`search "${text}" failed: ${JSON.stringify(body.errors)}`);
    return { millis: performance.now() - started, trace: body.extensions?.trace ?? [] };
  };
  return {
    search,
    traced,
    stop: async () => {
      await gateway.stop();
      await runtime.close();
    },
  };
}

/**
 * Where a search's time goes: for some of the picked searches, the statements c360 sent
 * (grouped by source, entity and statement shape), their count, rows and time, beside the
 * whole request. Statements of one wave run in parallel, so their times overlap.
 */
async function profile(gateway: Awaited<ReturnType<typeof startSearchGateway>>, texts: ReadonlyArray<string>): Promise<void> {
  const shapes = new Map<string, { calls: number; rows: number; millis: number; worst: number }>();
  let requests = 0;
  let statements = 0;
  for (const text of texts) {
    const { millis, trace } = await gateway.traced(text);
    requests += millis;
    statements += trace.length;
    for (const call of trace) {
      // The shape: placeholders and IN lists of any length read alike.
      const shape = `${call.source}.${call.entity}: ${call.statement
        .replace(/\s+/g, ' ')
        .replace(/(\$\d+|\?)(\s*,\s*(\$\d+|\?))+/g, '…')
        .slice(0, 160)}`;
      const now = shapes.get(shape) ?? { calls: 0, rows: 0, millis: 0, worst: 0 };
      shapes.set(shape, { calls: now.calls + 1, rows: now.rows + call.rows, millis: now.millis + call.millis, worst: Math.max(now.worst, call.millis) });
    }
  }
  log(`profile of ${texts.length} searches: ${ms(requests / texts.length)} ms a request, ${(statements / texts.length).toFixed(1)} statements a search`);
  for (const [shape, at] of [...shapes.entries()].sort((a, b) => b[1].millis - a[1].millis).slice(0, 12)) {
    log(
      `  ${String(at.calls).padStart(4)} calls, ${ms(at.millis / texts.length).padStart(7)} ms a search, worst ${ms(at.worst)} ms, ${(at.rows / at.calls).toFixed(1)} rows a call: ${shape}`,
    );
  }
}

/**
 * The floor: the exact-pass candidate statements written by hand (the same prefixes over the
 * same columns, the same limit), both sources in parallel, no linking, no HTTP, no GraphQL.
 */
function createFloor(crmUrl: string, shopUrl: string) {
  const crm = new pg.Pool({ connectionString: crmUrl, max: 10 });
  const shop = mysql.createPool({ uri: shopUrl, connectionLimit: 10 });
  const pgFold = (column: string) => postgresFolded(`CAST("${column}" AS TEXT)`);
  const like = (value: string) => `${foldForPrefix(value).replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const shapes = (words: string[]): Array<Array<[string, string]>> => {
    const whole = words.join(' ');
    const branches: Array<Array<[string, string]>> = [[['first_name', whole]], [['last_name', whole]], [['company_name', whole]], [['city', whole]]];
    if (words.length === 1 && whole.length >= 3) branches.push([['email', whole]]);
    for (let split = 1; split < words.length; split++) {
      const head = words.slice(0, split).join(' ');
      const tail = words.slice(split).join(' ');
      branches.push(
        [
          ['first_name', head],
          ['last_name', tail],
        ],
        [
          ['last_name', head],
          ['first_name', tail],
        ],
      );
    }
    return branches;
  };
  return {
    async candidates(text: string): Promise<{ crm: Set<string>; shop: Set<string> }> {
      const words = foldForPrefix(text)
        .split(/\s+/)
        .filter((word) => word !== '');
      const branches = shapes(words);
      const pgParams: string[] = [];
      const pgWhere = branches
        .map(
          (branch) =>
            `(${branch
              .map(([column, value]) => {
                pgParams.push(like(value));
                return `${pgFold(column)} LIKE $${pgParams.length} ESCAPE '!'`;
              })
              .join(' AND ')})`,
        )
        .join(' OR ');
      const myParams: string[] = [];
      const myWhere = branches
        .map(
          (branch) =>
            `(${branch
              .map(([column, value]) => {
                myParams.push(like(value));
                return `\`${column}\` LIKE ? ESCAPE '!'`;
              })
              .join(' AND ')})`,
        )
        .join(' OR ');
      const [contacts, [customers]] = await Promise.all([
        crm.query(
          `SELECT id, first_name, last_name, company_name, city, email, phone, mobile, shop_customer_ref FROM contacts WHERE ${pgWhere} ORDER BY id LIMIT 40`,
          pgParams,
        ),
        shop.query(`SELECT id, first_name, last_name, company_name, city, email, phone FROM customers WHERE ${myWhere} ORDER BY id LIMIT 40`, myParams),
      ]);
      return {
        crm: new Set(contacts.rows.map((row: { id: unknown }) => String(row.id))),
        shop: new Set((customers as Array<{ id: unknown }>).map((row) => String(row.id))),
      };
    },
    close: async () => {
      await crm.end();
      await shop.end();
    },
  };
}

function summary(millis: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...millis].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

async function latency(): Promise<void> {
  let generated: DemoWorld | undefined;
  const world = () => (generated ??= benchWorld(CUSTOMERS, WORLD_SEED));
  const { crmUrl, shopUrl } = await ensureWorld(world);
  const cases = searchCases(world());
  const random = seededRandom(17);
  const picked = Array.from({ length: SEARCHES }, () => cases[Math.floor(random() * cases.length)]!);
  const gateway = await startSearchGateway(crmUrl, shopUrl);
  const floor = createFloor(crmUrl, shopUrl);
  try {
    // Agreement: every hit c360 ranks first for a name was among the floor's candidate rows.
    let agreed = 0;
    for (const wanted of picked.slice(0, 30)) {
      const [hits, candidates] = await Promise.all([gateway.search(wanted.text), floor.candidates(wanted.text)]);
      const top = hits[0];
      if (top === undefined || top.sources.some((record) => (record.source === 'crm' ? candidates.crm : candidates.shop).has(record.key))) agreed += 1;
    }
    log(`agreement: the first hit of ${agreed}/30 searches is among the floor's candidate rows`);
    for (const wanted of picked.slice(0, 20)) await Promise.all([gateway.search(wanted.text), floor.candidates(wanted.text)]);
    if (process.argv.includes('--profile'))
      await profile(
        gateway,
        picked.slice(0, 50).map((wanted) => wanted.text),
      );
    const c360: number[] = [];
    const raw: number[] = [];
    let found = 0;
    for (const wanted of picked) {
      let started = performance.now();
      const hits = await gateway.search(wanted.text);
      c360.push(performance.now() - started);
      if (foundWithin(hits, wanted, 3)) found += 1;
      started = performance.now();
      await floor.candidates(wanted.text);
      raw.push(performance.now() - started);
    }
    const a = summary(c360);
    const b = summary(raw);
    log(`${CUSTOMERS} customers, ${picked.length} searches (names in the three forms), one at a time:`);
    log(`  c360 customerSearch: p50 ${ms(a.p50)} ms, p95 ${ms(a.p95)} ms, mean ${ms(a.mean)} ms`);
    log(`  raw-SQL floor:       p50 ${ms(b.p50)} ms, p95 ${ms(b.p95)} ms, mean ${ms(b.mean)} ms`);
    log(`  ratio c360/floor:    p50 ${(a.p50 / b.p50).toFixed(1)}x, p95 ${(a.p95 / b.p95).toFixed(1)}x`);
    log(`  right person in the first 3 hits: ${found}/${picked.length} (${((100 * found) / picked.length).toFixed(1)}%)`);
  } finally {
    await gateway.stop();
    await floor.close();
  }
}

/** The demo world in scratch databases (dropped after), every person searched three ways. */
async function accuracy(): Promise<void> {
  const world = generateDemoWorld({ includeLoyalty: false, seed: 360, customers: DEMO_CUSTOMERS });
  const crmName = `c360_bench_searchdemo_crm_${process.pid}`;
  const shopName = `c360_bench_searchdemo_shop_${process.pid}`;
  const drop = () => Promise.allSettled([dropDatabase('postgres', POSTGRES_URL, crmName), dropDatabase('mysql', MYSQL_URL, shopName)]);
  // Ctrl-C must not leave the scratch databases behind.
  const interrupted = (): void => void drop().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const crmUrl = await createDatabase('postgres', POSTGRES_URL, crmName);
  const shopUrl = await createDatabase('mysql', MYSQL_URL, shopName);
  try {
    const crm = await openSqlAdmin('postgres', crmUrl);
    const shop = await openSqlAdmin('mysql', shopUrl);
    try {
      await Promise.all([seedCrm(crm, world), seedShop(shop, world)]);
    } finally {
      await crm.close();
      await shop.close();
    }
    const gateway = await startSearchGateway(crmUrl, shopUrl);
    try {
      const tally = new Map<string, { found: number; of: number }>();
      const missed: SearchCase[] = [];
      const cases = searchCases(world);
      let next = 0;
      // Four searches in flight: the answer, not the time, is what this part measures.
      const worker = async (): Promise<void> => {
        while (next < cases.length) {
          const wanted = cases[next++]!;
          const hit = foundWithin(await gateway.search(wanted.text), wanted, 3);
          if (!hit) missed.push(wanted);
          for (const key of [wanted.form, `${wanted.form} / ${wanted.silo}`, 'all']) {
            const now = tally.get(key) ?? { found: 0, of: 0 };
            tally.set(key, { found: now.found + (hit ? 1 : 0), of: now.of + 1 });
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      log(`demo world (${DEMO_CUSTOMERS} customers, seed 360): right person in the first 3 hits`);
      for (const key of ['all', ...NAME_FORMS.flatMap((form) => [form, `${form} / crm`, `${form} / shop-only`])]) {
        const { found, of } = tally.get(key) ?? { found: 0, of: 0 };
        log(`  ${key.padEnd(36)} ${found}/${of} (${of === 0 ? '-' : ((100 * found) / of).toFixed(1)}%)`);
      }
      log(
        `  missed, first 10: ${missed
          .slice(0, 10)
          .map((wanted) => JSON.stringify(wanted.text))
          .join(', ')}`,
      );
    } finally {
      await gateway.stop();
    }
  } finally {
    await drop();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

const only = process.argv.includes('--accuracy') ? 'accuracy' : process.argv.includes('--latency') ? 'latency' : 'both';
if (only !== 'accuracy') await latency();
if (only !== 'latency') await accuracy();
if (process.argv.includes('--drop')) {
  await dropDatabase('postgres', POSTGRES_URL, CRM_NAME);
  await dropDatabase('mysql', MYSQL_URL, SHOP_NAME);
}
