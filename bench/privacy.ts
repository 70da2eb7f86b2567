/**
 * What privacy costs, over HTTP on a seeded demo world (real PostgreSQL and MariaDB):
 *  1. A page of 50 customers with their personal fields, open mode (no privacy section)
 *     vs. the same page as an authenticated agent (API key, field policies, an audit
 *     record to a file per request), sequential requests, median and p95.
 *  2. The partner endpoint's aggregates, which scan every customer at query time.
 * Run: npm run bench:privacy -- [customers=2000] [requests=200]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dropDatabase, openSqlAdmin } from '../connectors/admin.js';
import { parseConfig } from '../src/config/parse.js';
import type { C360Config } from '../src/config/types.js';
import { demoRawConfig } from '../src/demo/config.js';
import { generateDemoWorld } from '../src/demo/generator.js';
import { seedCrm, seedShop } from '../src/demo/seed.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { sha256Hex } from '../src/privacy/auth.js';

const POSTGRES = process.env.C360_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = process.env.C360_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
const PAGE = `query Page($after: String) { customers(first: 50, after: $after) { edges { cursor node { id email phone name { full } address { city } contact { birthDate } } } } }`;

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timePages(url: string, headers: Record<string, string>, requests: number): Promise<{ medianMillis: number; p95Millis: number }> {
  const millis: number[] = [];
  let after: string | null = null;
  for (let n = 0; n < requests + 10; n++) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: PAGE, variables: { after } }),
    });
    const body = (await response.json()) as { data?: { customers: { edges: Array<{ cursor: string }> } }; errors?: unknown[] };
    if (body.errors !== undefined) throw new Error(JSON.stringify(body.errors));
    if (n >= 10) millis.push(performance.now() - started); // the first 10 warm up
    const edges = body.data!.customers.edges;
    after = edges.length === 50 ? edges[49]!.cursor : null;
  }
  millis.sort((a, b) => a - b);
  return { medianMillis: Number(percentile(millis, 50).toFixed(2)), p95Millis: Number(percentile(millis, 95).toFixed(2)) };
}

async function main(): Promise<void> {
  const customers = Number(process.argv[2] ?? 2000);
  const requests = Number(process.argv[3] ?? 200);
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const crmUrl = await createDatabase('postgres', POSTGRES, `c360_bench_priv_crm_${suffix}`);
  const shopUrl = await createDatabase('mysql', MYSQL, `c360_bench_priv_shop_${suffix}`);
  try {
    const world = generateDemoWorld({ includeLoyalty: false, seed: 2026, customers });
    const [crm, shop] = await Promise.all([openSqlAdmin('postgres', crmUrl), openSqlAdmin('mysql', shopUrl)]);
    await Promise.all([seedCrm(crm, world), seedShop(shop, world)]);
    await Promise.all([crm.close(), shop.close()]);
    const base = parseConfig(demoRawConfig({ crmUrl, shopUrl, shopKind: 'mysql', port: 0 }));
    const enforced: C360Config = {
      ...base,
      privacy: parseConfig({
        sources: {},
        entities: {},
        privacy: {
          auth: {
            apiKeys: [
              { id: 'desk', sha256: sha256Hex('bench-agent'), role: 'agent' },
              { id: 'p', sha256: sha256Hex('bench-partner'), role: 'partner', partner: 'acme' },
            ],
          },
          partners: { acme: { pseudonymKey: 'k'.repeat(32), operations: { counts: 'query Counts { audienceCounts(by: REGION) { total } }' } } },
          auditKey: 'a'.repeat(32),
          audit: { store: 'file', path: join(mkdtempSync(join(tmpdir(), 'c360-bench-')), 'audit.jsonl') },
        },
      }).privacy,
    };
    const results: Record<string, unknown> = { customers, requests };
    for (const [label, config, headers] of [
      ['open', base, {}],
      ['agent', enforced, { 'x-api-key': 'bench-agent' }],
    ] as const) {
      const runtime = createRuntime(config, createLogger({ level: 'error' }));
      const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
      results[label] = await timePages(gateway.url, headers, requests);
      if (label === 'agent') {
        const started = performance.now();
        const response = await fetch(gateway.url.replace(/\/graphql$/, '/partner/graphql'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'bench-partner' },
          body: JSON.stringify({ id: 'counts' }),
        });
        await response.json();
        results.partnerAudienceCountsMillis = Math.round(performance.now() - started);
      }
      await gateway.stop();
      await runtime.close();
    }
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await dropDatabase('postgres', POSTGRES, `c360_bench_priv_crm_${suffix}`);
    await dropDatabase('mysql', MYSQL, `c360_bench_priv_shop_${suffix}`);
  }
}

await main();
