/** Times bulk linking alone on the scale world (bench/scale-world.ts): statements, heap, milliseconds. */
import { parseConfig } from '../src/config/parse.js';
import { demoRawConfig } from '../src/demo/config.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { bulkLink } from '../src/identity/bulk-link.js';
import { Loaders } from '../src/loading/loaders.js';
import { ensureScaleWorld, SHOP_MAILBOX_KEY_COLUMN } from './scale-world.js';

const world = await ensureScaleWorld({
  customers: 100_000,
  orders: 1_000_000,
  seed: 2026,
  postgresServerUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  mysqlServerUrl: 'mysql://root@127.0.0.1:3306/mysql',
});
const raw = demoRawConfig({ crmUrl: world.crmUrl, shopUrl: world.shopUrl, shopKind: 'mysql', port: 0 });
const config = parseConfig({
  ...raw,
  entities: { ...raw.entities, shopCustomer: { ...raw.entities.shopCustomer!, normalizedColumns: { email: { email: SHOP_MAILBOX_KEY_COLUMN } } } },
});
const runtime = createRuntime(config, createLogger({ level: 'warn' }));
const calls: Array<{ entity: string; millis: number }> = [];
const loaders = new Loaders(config, runtime.connectors, {
  signal: AbortSignal.timeout(600_000),
  onCall: (call) => void calls.push({ entity: call.entity, millis: call.millis }),
});
// With --expose-gc, the heap the links retain (after a collection, the links alive).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
let arrayPeak = 0;
let heapPeak = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  rssPeak = Math.max(rssPeak, usage.rss);
  arrayPeak = Math.max(arrayPeak, usage.arrayBuffers);
  heapPeak = Math.max(heapPeak, usage.heapUsed);
}, 50);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const linked = await bulkLink(loaders, config.identity, { maxRows: 2_000_000, ...(process.env.CHUNK ? { scanChunk: Number(process.env.CHUNK) } : {}) });
const millis = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
gc?.();
const retainedBytes = gc === undefined ? undefined : process.memoryUsage().heapUsed - heapBefore;
console.log(
  JSON.stringify({
    millis,
    cpuMillis: Math.round((cpu.user + cpu.system) / 1000),
    retainedMB: retainedBytes === undefined ? undefined : +(retainedBytes / 1e6).toFixed(1),
    rssGrowthMB: Math.round((rssPeak - rssBefore) / 1e6),
    heapPeakGrowthMB: Math.round((heapPeak - heapBefore) / 1e6),
    arrayBuffersPeakMB: Math.round(arrayPeak / 1e6),
    stats: linked.stats,
    statements: calls.length,
    statementMillis: Math.round(calls.reduce((s, c) => s + c.millis, 0)),
    load: (await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  }),
);
// Kept alive up to here, so the figure above is the links' own.
void linked.knows({ entity: 'contact', key: '1' });
await runtime.close();
