/**
 * Insights at a retailer's size: the demo world at 100k customers / 1M orders (CRM on
 * PostgreSQL, shop on MariaDB with the covering indexes), each c360 figure beside the raw
 * SQL for the same answer on the same databases in the same run, answers compared first,
 * statements counted from the x-c360-trace header.
 *
 *   npm run build && node dist/bench/insights-scale.js [--runs 5] [--skip-csv] [--csv-rfm]
 *
 * The world is seeded once into fixed-name databases and reused (bench/scale-world.ts).
 * Servers: C360_BENCH_POSTGRES_URL, C360_BENCH_MYSQL_URL (defaults: the local ones).
 */
import { writeHeapSnapshot } from 'node:v8';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { junkEmailFilter } from '../src/identity/quality-report.js';
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../src/gateway/runtime.js';
import { startGateway, type Gateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { defaultInsightsConfig } from '../src/config/insights-config.js';
import { boundariesOf } from '../src/insights/statistics.js';
import { createSchema } from '../src/gateway/server.js';
import { partnerResolvers, type PartnerContext } from '../src/privacy/partner/resolvers.js';
import { PartnerBudget } from '../src/privacy/partner/release-policy.js';
import { matchingEmailHashes } from '../src/privacy/partner/email-hash.js';
import { linkMapCacheOf } from '../src/identity/link-map-cache.js';
import { heapBoundTotals } from '../src/gateway/heap-bound.js';
import { ensureScaleWorld, SHOP_MAILBOX_KEY_COLUMN } from './scale-world.js';

const DAY = 86_400_000;
const argv = process.argv.slice(2);
const RUNS = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5;
/** `--only one,segments,page,walk,intent,dq,csv`: a subset (walk needs segments). */
const ONLY = argv.includes('--only') ? new Set(argv[argv.indexOf('--only') + 1]!.split(',')) : undefined;
/**
 * `--heap-profile FILE`: a sampling heap profile of the second (link map warm) export: the
 * objects not yet collected at its end, or with C360_BENCH_HEAP_PROFILE_PROMOTED=1 also those a
 * full collection took (what outlived the scavenges: the old generation's garbage).
 */
const HEAP_PROFILE = argv.includes('--heap-profile') ? argv[argv.indexOf('--heap-profile') + 1] : undefined;
/**
 * --csv-warmup: one export before the timed ones, so the export that builds the link map runs in a
 * process that has served one (its caches filled, its code compiled), as a gateway that has been up
 * a while rebuilds its map; without it, the first export of the process builds the map.
 */
const CSV_WARMUP = argv.includes('--csv-warmup');
const CSV_KEEP_WARM = argv.includes('--csv-keep-warm');
/** C360_BENCH_HEAP_SNAPSHOTS=DIR: a heap snapshot before and after each export (compare with dist/bench/heap-diff.js). */
const HEAP_SNAPSHOTS = process.env.C360_BENCH_HEAP_SNAPSHOTS;
const want = (section: string): boolean => ONLY === undefined || ONLY.has(section);

interface Figure {
  readonly what: string;
  readonly c360Millis: number;
  readonly rawMillis: number | null;
  readonly ratio: number | null;
  readonly statements: number;
  readonly note?: string;
}

type Trace = Array<{ statement: string; entity: string; millis: number }>;

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(run: () => Promise<T>): Promise<{ millis: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { millis: performance.now() - started, value };
}

/** Until the gateway's /ready answers 200 (its link map's first build settled), for at most two minutes. */
async function untilReady(gateway: Gateway): Promise<void> {
  const ready = gateway.url.replace(/\/graphql$/, '/ready');
  const started = performance.now();
  while ((await fetch(ready)).status !== 200) {
    if (performance.now() - started > 120_000) throw new Error(`${ready} did not answer 200 within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const postgresServerUrl = process.env.C360_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const mysqlServerUrl = process.env.C360_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
  const world = await ensureScaleWorld({ customers: 100_000, orders: 1_000_000, seed: 2026, postgresServerUrl, mysqlServerUrl }, say);
  if (world.seeded) say(`seeded in ${world.seedMillis} ms`);
  const asOf = world.asOf;
  const settings = defaultInsightsConfig();
  const windowStart = sqlTime(Date.parse(asOf) - settings.rfm.windowDays * DAY);
  const lookbackStart = sqlTime(Date.parse(asOf) - settings.intent.lookbackDays * DAY);
  const at = sqlTime(Date.parse(asOf));
  const raw = mysql.createPool({ uri: world.shopUrl, connectionLimit: 4, decimalNumbers: true });

  const rawConfig = demoRawConfig({ crmUrl: world.crmUrl, shopUrl: world.shopUrl, shopKind: 'mysql', port: 0 });
  const configInput = {
    ...rawConfig,
    // The shop's mailbox key column (bench/scale-world.ts), declared as an operator would.
    entities: {
      ...rawConfig.entities,
      shopCustomer: { ...rawConfig.entities.shopCustomer!, normalizedColumns: { email: { email: SHOP_MAILBOX_KEY_COLUMN } } },
    },
    // A generous connect timeout: on the loaded bench machine a busy event loop can hold a MariaDB handshake past the 3 s default.
    sources: {
      crm: { ...rawConfig.sources.crm, timeoutMillis: 120_000, connectTimeoutMillis: 30_000 },
      shop: { ...rawConfig.sources.shop, timeoutMillis: 120_000, connectTimeoutMillis: 30_000 },
    },
    limits: {
      requestDeadlineMillis: 120_000,
      roles: Object.fromEntries(
        ['default', 'admin'].map((role) => [role, { maxPageSize: 1_000, maxCost: 100_000_000, rateLimit: { operationsPerMinute: 1_000_000, burst: 100_000 } }]),
      ),
    },
  };
  const config = parseConfig(configInput);
  const open = async (withConfig = config): Promise<{ runtime: Runtime; gateway: Gateway }> => {
    const runtime = createRuntime(withConfig, createLogger({ level: 'warn' }));
    return { runtime, gateway: await startGateway(runtime, { port: 0, host: '127.0.0.1' }) };
  };
  const ask = async (gateway: Gateway, query: string, variables: Record<string, unknown> = {}): Promise<{ data: Record<string, unknown>; trace: Trace }> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown; extensions?: { trace?: Trace } };
    if (body.errors !== undefined) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    if (process.env.C360_BENCH_TRACE === '1')
      for (const call of body.extensions?.trace ?? []) say(`  ${Math.round(call.millis)} ms ${call.entity}: ${call.statement.slice(0, 160)}`);
    return { data: body.data!, trace: body.extensions?.trace ?? [] };
  };
  const rawQuery = async (text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
    (await raw.query(text, params))[0] as Array<Record<string, unknown>>;
  const figures: Figure[] = [];
  const record = (figure: Omit<Figure, 'ratio'>) => {
    const full = {
      ...figure,
      c360Millis: Math.round(figure.c360Millis),
      rawMillis: figure.rawMillis === null ? null : Math.round(figure.rawMillis),
      ratio: figure.rawMillis === null ? null : Math.round((figure.c360Millis / figure.rawMillis) * 100) / 100,
    };
    figures.push(full);
    say(JSON.stringify(full));
  };

  // The hand-written scoring: per-customer aggregates, then rank-based quintiles (docs/insights.md).
  const base = `SELECT customer_id AS cid, COUNT(*) AS frequency, SUM(total) AS monetary, TIMESTAMPDIFF(SECOND, MAX(placed_at), '${at}') DIV 86400 AS recency_days, TIMESTAMPDIFF(SECOND, MIN(placed_at), '${at}') DIV 86400 AS tenure_days FROM orders WHERE placed_at > '${windowStart}' AND placed_at <= '${at}' AND status NOT IN ('cancelled', 'returned') GROUP BY customer_id`;
  const scored = `SELECT b.*, 1 + (5 * (RANK() OVER (ORDER BY b.recency_days DESC) - 1)) DIV COUNT(*) OVER () AS r, 1 + (5 * (RANK() OVER (ORDER BY b.frequency) - 1)) DIV COUNT(*) OVER () AS f, 1 + (5 * (RANK() OVER (ORDER BY b.monetary) - 1)) DIV COUNT(*) OVER () AS m FROM (${base}) b`;
  const weights = settings.intent.weights;
  const decayed = `SUM(CASE type WHEN 'product_view' THEN ${weights.PRODUCT_VIEW} WHEN 'search' THEN ${weights.SEARCH} WHEN 'add_to_cart' THEN ${weights.ADD_TO_CART} WHEN 'checkout_started' THEN ${weights.CHECKOUT_STARTED} ELSE 0 END * POWER(0.5, TIMESTAMPDIFF(SECOND, occurred_at, '${at}') / 86400.0 / ${settings.intent.halfLifeDays}))`;
  const eventScores = `SELECT customer_id AS cid, ${decayed} AS score FROM web_events WHERE occurred_at > '${lookbackStart}' AND occurred_at <= '${at}' GROUP BY customer_id`;
  const predicate = (when: Record<string, { min?: number; max?: number }>): string =>
    Object.entries(when)
      .flatMap(([metric, range]) => {
        const name = {
          r: 's.r',
          f: 's.f',
          m: 's.m',
          recencyDays: 's.recency_days',
          frequency: 's.frequency',
          monetary: 's.monetary',
          tenureDays: 's.tenure_days',
        }[metric]!;
        return [...(range.min === undefined ? [] : [`${name} >= ${range.min}`]), ...(range.max === undefined ? [] : [`${name} <= ${range.max}`])];
      })
      .join(' AND ') || '1 = 1';
  const rfmSegments = settings.segments.flatMap((segment) =>
    segment.rule.kind === 'rfm' ? [{ id: segment.id, when: segment.rule.when as Record<string, { min?: number; max?: number }> }] : [],
  );

  const { runtime, gateway } = await open();
  {
    // The default keeps the link map warm (analytics.linkMap.keepWarm auto): nothing is timed
    // while its first build runs. Sections that time a cold map clear it first.
    const started = performance.now();
    await untilReady(gateway);
    say(`gateway ready (link map built) after ${Math.round(performance.now() - started)} ms`);
  }
  let counts = new Map<string, number>();
  const PAGE = `query($first: Int, $after: String, $filter: CustomerFilter) { customers(first: $first, after: $after, filter: $filter) { edges { node { id sources { entity key } } } pageInfo { hasNextPage endCursor } } }`;
  const shopKeysOf = (data: Record<string, unknown>): string[] =>
    (data.customers as { edges: Array<{ node: { sources: Array<{ entity: string; key: string }> } }> }).edges.flatMap((edge) =>
      edge.node.sources.filter((s) => s.entity === 'shopCustomer').map((s) => s.key),
    );

  if (want('one')) {
    // 1. One customer, cold then warm.
    const shopKey = (
      await rawQuery(
        `SELECT customer_id AS cid FROM orders WHERE placed_at > '${windowStart}' GROUP BY customer_id HAVING COUNT(*) >= 3 ORDER BY customer_id LIMIT 1 OFFSET 500`,
      )
    )[0]!.cid;
    const customerId = encodeCustomerId({ entity: 'shopCustomer', key: String(shopKey) });
    const ONE = `query($id: ID!, $asOf: DateTime) { customer(id: $id) { rfm(asOf: $asOf) { code recencyDays frequency monetary statisticsComputedAt } segments(asOf: $asOf) { id } intent(asOf: $asOf) { level score aboutToBuy } } }`;
    const rawScoring = await timed(() => rawQuery(scored));
    const rawByCid = new Map(rawScoring.value.map((row) => [String(row.cid), row]));
    const cold = await timed(() => ask(gateway, ONE, { id: customerId, asOf }));
    const want = rawByCid.get(String(shopKey))!;
    const got = (cold.value.data.customer as { rfm: { code: string } }).rfm;
    if (got.code !== `${want.r}${want.f}${want.m}`) throw new Error(`one customer: c360 ${got.code}, raw ${want.r}${want.f}${want.m}`);
    record({
      what: 'one customer rfm+segments+intent, cold statistics (vs the raw scoring statement)',
      c360Millis: cold.millis,
      rawMillis: rawScoring.millis,
      statements: cold.value.trace.length,
    });
    const boundariesCall = cold.value.trace.find((call) => call.statement.includes('ROW_NUMBER()'));
    record({
      what: 'the boundaries statement of that cold read (vs the raw scoring statement)',
      c360Millis: boundariesCall?.millis ?? 0,
      rawMillis: rawScoring.millis,
      statements: 1,
    });
    const warm: number[] = [];
    const rawOwn: number[] = [];
    let warmStatements = 0;
    const insightsShare: number[] = [];
    for (let run = 0; run < Math.max(RUNS, 21); run++) {
      const c = await timed(() => ask(gateway, ONE, { id: customerId, asOf }));
      warm.push(c.millis);
      warmStatements = c.value.trace.length;
      // The insights statements (own orders, events, store visits); the rest is identity linking.
      insightsShare.push(c.value.trace.filter((call) => ['order', 'event', 'interaction'].includes(call.entity)).reduce((sum, call) => sum + call.millis, 0));
      rawOwn.push(
        (
          await timed(() =>
            Promise.all([
              rawQuery(`${base.replace('GROUP BY customer_id', 'AND customer_id = ? GROUP BY customer_id')}`, [shopKey]),
              rawQuery(`${eventScores.replace('GROUP BY customer_id', 'AND customer_id = ? GROUP BY customer_id')}`, [shopKey]),
            ]),
          )
        ).millis,
      );
    }
    record({
      what: 'one customer rfm+segments+intent, warm statistics, p50 (vs its own orders and events by hand)',
      c360Millis: median(warm),
      rawMillis: median(rawOwn),
      statements: warmStatements,
      note: `insights statements (order, event, interaction) sum to ${Math.round(median(insightsShare))} ms p50; the rest is the customer's identity lookups`,
    });
  }

  if (want('segments')) {
    // 2. segments.
    const SEGMENTS = `query($asOf: DateTime) { segments(asOf: $asOf) { segment { id } customers revenue } }`;
    // The same answer: per segment customers, revenue and orders (for the average basket), and the base's revenue.
    const rawSegmentsSql = `SELECT SUM(s.monetary) AS base_revenue, ${rfmSegments.map((segment) => `SUM(CASE WHEN ${predicate(segment.when)} THEN 1 ELSE 0 END) AS \`${segment.id}\`, SUM(CASE WHEN ${predicate(segment.when)} THEN s.monetary ELSE 0 END) AS \`${segment.id}_revenue\`, SUM(CASE WHEN ${predicate(segment.when)} THEN s.frequency ELSE 0 END) AS \`${segment.id}_orders\``).join(', ')} FROM (${scored}) s`;
    const highScore = settings.intent.levels.high;
    const rawShoppersSql = `SELECT COUNT(*) AS customers FROM (${eventScores}) i WHERE i.score >= ${highScore} AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = i.cid AND o.placed_at > '${windowStart}' AND o.placed_at <= '${at}' AND o.status NOT IN ('cancelled', 'returned'))`;
    const segmentsC360: number[] = [];
    const segmentsRaw: number[] = [];
    let segmentStatements = 0;
    for (let run = 0; run < RUNS; run++) {
      const c = await timed(() => ask(gateway, SEGMENTS, { asOf }));
      segmentsC360.push(c.millis);
      segmentStatements = c.value.trace.length;
      counts = new Map((c.value.data.segments as Array<{ segment: { id: string }; customers: number }>).map((s) => [s.segment.id, s.customers]));
      const revenues = new Map((c.value.data.segments as Array<{ segment: { id: string }; revenue: number }>).map((s) => [s.segment.id, s.revenue]));
      const r = await timed(() => Promise.all([rawQuery(rawSegmentsSql), rawQuery(rawShoppersSql)]));
      segmentsRaw.push(r.millis);
      const [[grid], [shoppers]] = r.value as [Array<Record<string, unknown>>, Array<Record<string, unknown>>];
      for (const segment of rfmSegments)
        if (Number(grid![segment.id]) !== counts.get(segment.id))
          throw new Error(`segments: ${segment.id} c360 ${counts.get(segment.id)}, raw ${grid![segment.id]}`);
      for (const segment of rfmSegments)
        if (Math.abs(Number(grid![`${segment.id}_revenue`]) - revenues.get(segment.id)!) > 0.01)
          throw new Error(`segments: ${segment.id} revenue c360 ${revenues.get(segment.id)}, raw ${grid![`${segment.id}_revenue`]}`);
      if (Number(shoppers!.customers) !== counts.get('window_shoppers'))
        throw new Error(`window_shoppers: c360 ${counts.get('window_shoppers')}, raw ${shoppers!.customers}`);
    }
    record({
      what: 'segments (vs the raw scoring + window-shoppers statements, in parallel)',
      c360Millis: median(segmentsC360),
      rawMillis: median(segmentsRaw),
      statements: segmentStatements,
    });
  }

  if (want('page')) {
    // 3. A filtered page of 50.
    const loyal = rfmSegments.find((segment) => segment.id === 'loyal')!;
    const pageC360: number[] = [];
    const pageRaw: number[] = [];
    let pageStatements = 0;
    for (let run = 0; run < RUNS; run++) {
      const c = await timed(() => ask(gateway, PAGE, { first: 50, filter: { segment: 'loyal', asOf } }));
      pageC360.push(c.millis);
      pageStatements = c.value.trace.length;
      const r = await timed(() => rawQuery(`SELECT s.cid FROM (${scored}) s WHERE ${predicate(loyal.when)} ORDER BY s.cid LIMIT 50`));
      pageRaw.push(r.millis);
      const rawIds = new Set(r.value.map((row) => String(row.cid)));
      const missing = shopKeysOf(c.value.data).filter((key) => !rawIds.has(key));
      if (run === 0 && rawIds.size > 0 && shopKeysOf(c.value.data).filter((key) => rawIds.has(key)).length < 40)
        throw new Error(`filtered page: c360 and raw differ (${missing.slice(0, 5).join(',')})`);
    }
    record({
      what: 'page of 50 filtered on segment loyal (vs raw scoring + filter + LIMIT 50)',
      c360Millis: median(pageC360),
      rawMillis: median(pageRaw),
      statements: pageStatements,
    });
  }

  if (want('walk')) {
    // 4. Walking the segment closest to 10k members.
    // A segment on scores (so the walk uses the cached boundaries), the one closest to 10k members.
    const scoredSegment = (id: string) => rfmSegments.some((s) => s.id === id && ['r', 'f', 'm'].some((metric) => metric in s.when));
    const target = [...counts.entries()].filter(([id]) => scoredSegment(id)).sort((a, b) => Math.abs(a[1] - 10_000) - Math.abs(b[1] - 10_000))[0]!;
    const walked = rfmSegments.find((segment) => segment.id === target[0])!;
    let byEntity = new Map<string, number>();
    const walkOnce = () =>
      timed(async () => {
        let after: string | null = null;
        let statements = 0;
        const keys = new Set<string>();
        for (;;) {
          const page = await ask(gateway, PAGE, { first: 100, after, filter: { segment: walked.id, asOf } });
          statements += page.trace.length;
          for (const call of page.trace) byEntity.set(call.entity, (byEntity.get(call.entity) ?? 0) + call.millis);
          for (const key of shopKeysOf(page.data)) keys.add(key);
          const info = (page.data.customers as { pageInfo: { hasNextPage: boolean; endCursor: string | null } }).pageInfo;
          if (!info.hasNextPage) return { keys, statements };
          after = info.endCursor;
        }
      });
    // First with no link map (the first page starts its build in the background), then with the map warm.
    linkMapCacheOf(runtime).clear();
    const coldWalk = await walkOnce();
    const coldByEntity = byEntity;
    // Warm: the median of RUNS walks, as every other figure here is a median.
    const warmWalks: Array<Awaited<ReturnType<typeof walkOnce>>> = [];
    const warmEntities: Array<Map<string, number>> = [];
    for (let run = 0; run < RUNS; run++) {
      byEntity = new Map();
      warmWalks.push(await walkOnce());
      warmEntities.push(byEntity);
    }
    const order = warmWalks.map((_, index) => index).sort((a, b) => warmWalks[a]!.millis - warmWalks[b]!.millis);
    const middle = order[Math.floor(order.length / 2)]!;
    const walk = warmWalks[middle]!;
    byEntity = warmEntities[middle]!;
    const warmSpread = `warm walks ${warmWalks.map((w) => Math.round(w.millis)).join(', ')} ms (median of ${RUNS})`;
    const rawWalk = await timed(() => rawQuery(`SELECT s.cid FROM (${scored}) s WHERE ${predicate(walked.when)} ORDER BY s.cid`));
    const rawMembers = new Set(rawWalk.value.map((row) => String(row.cid)));
    // The walk's own statements, without the pages' identity linking: keyset pages of 100 on the connector.
    const shop = runtime.connectors.get('shop')!;
    const boundaries = boundariesOf(
      (await shop.analytics!({ kind: 'rfmBoundaries', asOf, windowDays: settings.rfm.windowDays }, { signal: AbortSignal.timeout(120_000) }))[0]!,
    );
    const keysetWalk = await timed(async () => {
      const ids: string[] = [];
      let pages = 0;
      for (let afterId: string | undefined; ; pages++) {
        const rows = await shop.analytics!(
          {
            kind: 'members',
            of: { kind: 'rfm', predicate: walked.when, asOf, windowDays: settings.rfm.windowDays, boundaries },
            ...(afterId === undefined ? {} : { afterId }),
            limit: 100,
          },
          { signal: AbortSignal.timeout(120_000) },
        );
        ids.push(...rows.map((row) => String(row.customerId)));
        if (rows.length < 100) return { ids, pages: pages + 1 };
        afterId = ids.at(-1);
      }
    });
    const sameMembers = keysetWalk.value.ids.length === rawMembers.size && keysetWalk.value.ids.every((id) => rawMembers.has(id));
    if (!sameMembers) throw new Error(`keyset walk: ${keysetWalk.value.ids.length} members, raw ${rawMembers.size}`);
    record({
      what: `walk of ${walked.id}: the keyset statements alone, pages of 100 (vs one raw statement)`,
      c360Millis: keysetWalk.millis,
      rawMillis: rawWalk.millis,
      statements: keysetWalk.value.pages,
      note: 'same member set as the raw statement',
    });
    const millisByEntity = (entities: Map<string, number>) =>
      JSON.stringify(Object.fromEntries([...entities].map(([entity, millis]) => [entity, Math.round(millis)])));
    for (const [label, run, entities] of [
      ['no link map at start, built in the background from the first page', coldWalk, coldByEntity],
      ['link map warm', walk, byEntity],
    ] as const) {
      const inBoth = [...rawMembers].filter((key) => run.value.keys.has(key)).length;
      // Every member is walked (the walked keys also hold the other shop accounts of the members' customers).
      if (inBoth !== rawMembers.size) throw new Error(`walk (${label}): ${inBoth} of the ${rawMembers.size} raw members walked`);
      record({
        what: `walk of segment ${walked.id} (${target[1]} members) by pages of 100, ${label} (vs one raw statement)`,
        c360Millis: run.millis,
        rawMillis: rawWalk.millis,
        statements: run.value.statements,
        note: `${rawMembers.size} raw members, ${inBoth} of them walked; statement millis by entity ${millisByEntity(entities)}${run === walk ? `; ${warmSpread}` : ''}`,
      });
    }
  }

  if (want('intent')) {
    // 5. Intent distribution.
    const levels = settings.intent.levels;
    const rawLevels = `SELECT (CASE WHEN ROUND(i.score, 3) >= ${levels.low} THEN 1 ELSE 0 END + CASE WHEN ROUND(i.score, 3) >= ${levels.medium} THEN 1 ELSE 0 END + CASE WHEN ROUND(i.score, 3) >= ${levels.high} THEN 1 ELSE 0 END) AS level, COUNT(*) AS n FROM (${eventScores}) i GROUP BY 1`;
    const DISTRIBUTION = `query($asOf: DateTime) { intentDistribution(asOf: $asOf) { levels { level shopAccounts } } }`;
    const distC360: number[] = [];
    const distRaw: number[] = [];
    let distStatements = 0;
    for (let run = 0; run < RUNS; run++) {
      const c = await timed(() => ask(gateway, DISTRIBUTION, { asOf }));
      distC360.push(c.millis);
      distStatements = c.value.trace.length;
      const r = await timed(() => rawQuery(rawLevels));
      distRaw.push(r.millis);
      const got = (c.value.data.intentDistribution as { levels: Array<{ shopAccounts: number }> }).levels.map((l) => l.shopAccounts);
      const wantLevels = [0, 1, 2, 3].map((level) => Number(r.value.find((row) => Number(row.level) === level)?.n ?? 0));
      if (got.join() !== wantLevels.join()) throw new Error(`intent distribution: c360 ${got}, raw ${wantLevels}`);
    }
    record({ what: 'intent distribution (vs one raw GROUP BY)', c360Millis: median(distC360), rawMillis: median(distRaw), statements: distStatements });
  }

  if (want('dq')) {
    // 6. dataQualityReport: c360 alone (its statements replayed by hand are the same aggregates).
    const DQ = `{ dataQualityReport { issues { source entity kind count } records { source entity count } } }`;
    const dq: number[] = [];
    let dqStatements = 0;
    for (let run = 0; run < RUNS; run++) {
      const c = await timed(() => ask(gateway, DQ));
      dq.push(c.millis);
      dqStatements = c.value.trace.length;
    }
    // The raw floor: the same counts by hand, the CRM's and the shop's statements all at once.
    const prefixes = (junkEmailFilter(config.identity) as unknown as { filters: Array<{ value: string }> }).filters.map((filter) => filter.value);
    const stale = new Date(Date.now() - 2 * 365 * DAY);
    const crm = new pg.Pool({ connectionString: world.crmUrl, max: 4 });
    const junkSql = (placeholder: (i: number) => string) => prefixes.map((_prefix, i) => `LOWER(TRIM(email)) LIKE ${placeholder(i)}`).join(' OR ');
    const likeOf = (prefix: string) => `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const rawDq = async () => {
      const pgq = async (text: string, params: unknown[] = []) => (await crm.query(text, params)).rows[0] as Record<string, unknown>;
      const [ct, cp, cj, cs, st, sp, sj, ss] = await Promise.all([
        pgq(
          'SELECT COUNT(*) AS records, COUNT(email) AS email, COUNT(last_name) AS last_name, COUNT(postcode) AS postcode, COUNT(DISTINCT email) AS distinct_emails FROM contacts',
        ),
        pgq('SELECT COUNT(*) AS n FROM contacts WHERE phone IS NULL AND mobile IS NULL'),
        // One LIKE ANY over the lower-cased, trimmed email (LIKE's default escape, the backslash), as c360 now asks.
        pgq('SELECT COUNT(*) AS n FROM contacts WHERE LOWER(TRIM(email)) LIKE ANY($1::text[])', [
          prefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
        ]),
        pgq('SELECT COUNT(*) AS n FROM contacts WHERE updated_at IS NULL OR updated_at < $1', [stale]),
        rawQuery(
          'SELECT COUNT(*) AS records, COUNT(email) AS email, COUNT(last_name) AS last_name, COUNT(postcode) AS postcode, COUNT(DISTINCT email) AS distinct_emails FROM customers',
        ),
        rawQuery('SELECT COUNT(*) AS n FROM customers WHERE phone IS NULL'),
        rawQuery(`SELECT COUNT(*) AS n FROM customers WHERE ${junkSql(() => "? ESCAPE '!'")}`, prefixes.map(likeOf)),
        rawQuery('SELECT COUNT(*) AS n FROM customers WHERE updated_at IS NULL OR updated_at < ?', [sqlTime(stale.getTime())]),
      ]);
      return { contact: [ct, cp, cj, cs], shop: [st![0], sp![0], sj![0], ss![0]] };
    };
    const dqRaw: number[] = [];
    let dqAnswer: Record<string, unknown> | undefined;
    for (let run = 0; run < RUNS; run++) {
      const r = await timed(rawDq);
      dqRaw.push(r.millis);
      dqAnswer = r.value as unknown as Record<string, unknown>;
    }
    const c360Dq = (await ask(gateway, DQ)).data.dataQualityReport as {
      records: Array<{ entity: string; count: number }>;
      issues: Array<{ entity: string; kind: string; count: number }>;
    };
    const answer = dqAnswer as { contact: Array<Record<string, unknown>>; shop: Array<Record<string, unknown>> };
    for (const [entity, rows] of [
      ['contact', answer.contact],
      ['shopCustomer', answer.shop],
    ] as const) {
      const issue = (kind: string) => c360Dq.issues.find((i) => i.entity === entity && i.kind === kind)?.count;
      const [totals, noPhone, junk, staleRows] = rows;
      const checks: Array<[string, number | undefined, number]> = [
        ['records', c360Dq.records.find((r) => r.entity === entity)?.count, Number(totals!.records)],
        ['MISSING_EMAIL', issue('MISSING_EMAIL'), Number(totals!.records) - Number(totals!.email)],
        ['MISSING_PHONE', issue('MISSING_PHONE'), Number(noPhone!.n)],
        ['JUNK_EMAIL', issue('JUNK_EMAIL'), Number(junk!.n)],
        ['SHARED_EMAIL', issue('SHARED_EMAIL'), Number(totals!.email) - Number(totals!.distinct_emails)],
        ['STALE', issue('STALE'), Number(staleRows!.n)],
      ];
      for (const [name, got, expected] of checks) if (got !== expected) throw new Error(`dataQualityReport ${entity} ${name}: c360 ${got}, raw ${expected}`);
    }
    await crm.end();
    record({
      what: 'dataQualityReport (vs the same counts by hand, all statements in parallel)',
      c360Millis: median(dq),
      rawMillis: median(dqRaw),
      statements: dqStatements,
    });
  }

  if (want('partner')) {
    // 8. Partner aggregates, called as the partner endpoint calls them (its 60 s deadline), k = 1 and no rounding so the counts can be checked.
    const canonicalSchema = createSchema(runtime.config);
    let partnerStatements = 0;
    let partnerMillis: Record<string, number> = {};
    const contextFor = (): PartnerContext => ({
      onCall: (call) => {
        partnerStatements++;
        partnerMillis[call.entity] = Math.round((partnerMillis[call.entity] ?? 0) + call.millis);
      },
      partner: 'bench',
      partnerConfig: { pseudonymKey: 'bench-key-0123456789abcdef', keyVersion: 1 } as unknown as PartnerContext['partnerConfig'],
      minGroupSize: 1,
      runtime,
      canonicalSchema,
      signal: AbortSignal.timeout(Number(process.env.C360_BENCH_PARTNER_DEADLINE ?? 60_000)),
      disclosed: new Set(),
      asOf: new Date(asOf),
      policy: {
        minGroupSize: 1,
        roundTo: 1,
        minOverlapHashes: 1,
        epsilonPerQuery: undefined,
        epsilonPerPeriod: undefined,
        queriesPerPeriod: 1_000_000,
        periodMillis: 3_600_000,
      },
      budget: new PartnerBudget(),
    });
    const crm = new pg.Pool({ connectionString: world.crmUrl, max: 4 });
    // The floor: the statements the answer needs at least, in parallel: consents (latest per contact), both sources' identifiers, the scoring.
    const rawPartner = () =>
      Promise.all([
        crm.query(
          "SELECT contact_id FROM (SELECT DISTINCT ON (contact_id) contact_id, status FROM consents WHERE purpose = 'partner_sharing' ORDER BY contact_id, recorded_at DESC, id DESC) c WHERE status = 'granted'",
        ),
        crm.query('SELECT id, email, phone, mobile, shop_customer_ref FROM contacts'),
        rawQuery('SELECT id, email, phone FROM customers'),
        rawQuery(scored),
      ]);
    // The partner's hashes, read before any timing (the overlap's figure is the call alone).
    const overlapHashes = (await crm.query('SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 1000')).rows.flatMap((row) =>
      matchingEmailHashes(String(row.email)),
    );
    const partnerCalls = [
      ['audienceCounts(by: SEGMENT)', (ctx: PartnerContext) => partnerResolvers.Query.audienceCounts(undefined, { by: 'SEGMENT' }, ctx)],
      ['overlap (1000 hashes)', (ctx: PartnerContext) => partnerResolvers.Query.overlap(undefined, { emailSha256: overlapHashes }, ctx)],
    ] as const;
    const countsOf = (answer: { groups: ReadonlyArray<{ value: string; count: number }> }) => JSON.stringify(answer.groups);
    const answers = new Map<string, string>();
    for (const [label, call] of partnerCalls) {
      const run = () => call(contextFor());
      // Cold (no link map: this call builds it) then warm (the map cached by the cold call).
      for (const state of ['no link map', 'link map warm'] as const) {
        if (state === 'no link map') linkMapCacheOf(runtime).clear();
        partnerStatements = 0;
        partnerMillis = {};
        const c = await timed(run);
        const statements = partnerStatements;
        const byEntity = JSON.stringify(partnerMillis);
        const r = await timed(rawPartner);
        const consented = r.value[0].rows.length;
        const total = c.value.groups.reduce((sum, group) => sum + group.count, 0);
        // Cold and warm answer alike.
        if (answers.has(label) && answers.get(label) !== countsOf(c.value)) throw new Error(`partner ${label}: ${state} answered otherwise`);
        answers.set(label, countsOf(c.value));
        if (label.startsWith('audience') && Math.abs(total - consented) > consented * 0.01)
          throw new Error(`partner: c360 counts ${total} consented customers, raw ${consented} consented contacts`);
        record({
          what: `partner ${label}, ${state} (vs consents + identifiers + raw scoring, in parallel)`,
          c360Millis: c.millis,
          rawMillis: r.millis,
          statements,
          note: `c360 total ${total}, raw consented contacts ${consented}; statement millis by entity ${byEntity}`,
        });
      }
    }
    // A second gateway that keeps the map warm (analytics.linkMap.keepWarm, on by default): not
    // ready until its first build settled, then no partner call is cold.
    {
      const started = performance.now();
      const warm = await open(parseConfig({ ...configInput, analytics: { linkMap: { keepWarm: true } } }));
      await untilReady(warm.gateway);
      const readyMillis = performance.now() - started;
      for (const [label, run] of partnerCalls) {
        partnerStatements = 0;
        const c = await timed(() => run({ ...contextFor(), runtime: warm.runtime }));
        const statements = partnerStatements;
        if (countsOf(c.value) !== answers.get(label)) throw new Error(`partner ${label}: the keepWarm gateway answered otherwise than the first`);
        const r = await timed(rawPartner);
        record({
          what: `partner ${label}, called right after /ready answered 200 on a gateway keeping the map warm (vs the same floor)`,
          c360Millis: c.millis,
          rawMillis: r.millis,
          statements,
          note: `/ready 200 after ${Math.round(readyMillis)} ms from the gateway's start (the map's first build); c360 total ${c.value.groups.reduce((sum, group) => sum + group.count, 0)}`,
        });
      }
      await warm.gateway.stop();
      await warm.runtime.close();
    }
    await crm.end();
  }

  // 7. CSV of the whole base.
  if (want('csv') && !argv.includes('--skip-csv')) {
    // --csv-keep-warm: the exports run on a gateway keeping the map warm (analytics.linkMap.keepWarm),
    // timed once /ready answers 200: no export builds the map, the first is the process's first.
    const csvGateway = CSV_KEEP_WARM ? await open(parseConfig({ ...configInput, analytics: { linkMap: { keepWarm: true } } })) : { runtime, gateway };
    if (CSV_KEEP_WARM) {
      const started = performance.now();
      await untilReady(csvGateway.gateway);
      say(`CSV gateway keeping the map warm: /ready 200 after ${Math.round(performance.now() - started)} ms`);
    }
    for (const [index, [label, selection]] of [
      ...(CSV_WARMUP ? [['id, displayName, email', 'id displayName email']] : []),
      ['id, displayName, email', 'id displayName email'],
      // Again with the map the first one built: the export's own memory, without the map's build.
      ['id, displayName, email', 'id displayName email'],
      ...(argv.includes('--csv-rfm') ? [['id, displayName, email, rfm { code }', `id displayName email rfm(asOf: "${asOf}") { code }`]] : []),
    ].entries()) {
      // The first export builds the link map (none cached), a later one reuses it.
      const coldAt = CSV_KEEP_WARM ? -1 : CSV_WARMUP ? 1 : 0;
      const mapState =
        index > coldAt
          ? 'link map warm'
          : index < coldAt
            ? 'no link map (the warm-up export)'
            : CSV_WARMUP
              ? 'no link map, after a warm-up export'
              : `no link map, ${ONLY?.size === 1 ? "the process's first export" : 'after the earlier sections'}`;
      if (index <= coldAt) linkMapCacheOf(csvGateway.runtime).clear();
      const query = `query($after: String) { customers(first: 100, after: $after) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`;
      if (HEAP_SNAPSHOTS !== undefined) writeHeapSnapshot(`${HEAP_SNAPSHOTS}/csv-${index}-before.heapsnapshot`);
      const rssBefore = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      let rssPeak = rssBefore;
      let heapPeak = heapBefore;
      const collectionsBefore = { ...heapBoundTotals };
      const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        rssPeak = Math.max(rssPeak, usage.rss);
        heapPeak = Math.max(heapPeak, usage.heapUsed);
      }, 200);
      const capMillis = 180_000;
      const profiling = HEAP_PROFILE !== undefined && index === 1 ? await startHeapSampling() : undefined;
      const csv = await timed(async () => {
        const response = await fetch(csvGateway.gateway.url.replace(/\/graphql$/, '/export/csv'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, path: 'customers' }),
          signal: AbortSignal.timeout(capMillis),
        });
        if (response.status !== 200) throw new Error(`CSV export answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
        const reader = response.body!.getReader();
        let lines = 0;
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const byte of value) if (byte === 0x0a) lines++;
          }
        } catch {
          return { lines, complete: false };
        }
        return { lines, complete: true };
      });
      clearInterval(sampler);
      if (HEAP_SNAPSHOTS !== undefined) writeHeapSnapshot(`${HEAP_SNAPSHOTS}/csv-${index}-after.heapsnapshot`);
      if (profiling !== undefined) await profiling.stop(HEAP_PROFILE!);
      const rawCsv = await timed(() => rawQuery('SELECT id, first_name, last_name, email FROM customers'));
      record({
        what: `CSV of the whole base (${label}), ${mapState}${csv.value.complete ? '' : `: stopped at the ${capMillis / 1000} s cap`}`,
        c360Millis: csv.millis,
        rawMillis: rawCsv.millis,
        statements: 0,
        note: `${csv.value.lines - 1} rows, RSS growth ${Math.round((rssPeak - rssBefore) / 1e6)} MB, heapUsed growth ${Math.round((heapPeak - heapBefore) / 1e6)} MB, ${heapBoundTotals.collections - collectionsBefore.collections} heap-bound collections pausing ${Math.round(heapBoundTotals.pauseMillis - collectionsBefore.pauseMillis)} ms`,
      });
    }
    if (CSV_KEEP_WARM) {
      await csvGateway.gateway.stop();
      await csvGateway.runtime.close();
    }
  }

  await gateway.stop();
  await runtime.close();
  await raw.end();
  console.log(JSON.stringify({ asOf, customers: world.customers, seeded: world.seeded, runs: RUNS, figures }, null, 2));
}

/** The inspector's sampling heap profiler (what allocated the objects still in the heap when stopped). */
async function startHeapSampling(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32_768,
    includeObjectsCollectedByMajorGC: process.env.C360_BENCH_HEAP_PROFILE_PROMOTED === '1',
  });
  return {
    async stop(file) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function sqlTime(millis: number): string {
  return new Date(millis)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
}

await main();
