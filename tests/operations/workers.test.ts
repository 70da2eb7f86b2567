/**
 * `c360 serve --workers 2` as a real process tree: both workers share one port, /metrics
 * on any of them counts the whole instance, SIGHUP replaces every worker under load
 * without failing a request, and SIGTERM drains and exits 0.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoRawConfig } from '../../src/demo/config.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { waitUntil } from '../support/redis.js';
import { failed, loadFor, scratchDir, startReplica, type Child } from '../support/replicas.js';

let seeded: SeededWorld;
let scratch: ReturnType<typeof scratchDir>;
let instance: Child;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 30, seed: 22 });
  scratch = scratchDir();
  const file = join(scratch.dir, 'c360.json');
  // A second of draining: a worker being replaced answers with Connection: close before it stops listening.
  // The load comes from one address; the rate limit (keyed on it in open mode) is not what this tests.
  const lifted = { rateLimit: { operationsPerMinute: 1_000_000, burst: 100_000 } };
  const limits = { drainDelayMillis: 1_000, roles: { admin: lifted, default: lifted } };
  writeFileSync(file, JSON.stringify({ ...demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 }), limits }));
  instance = await startReplica(file, ['--workers', '2'], { C360_LOG_LEVEL: 'info' });
  await waitUntil(() => workerPids().size === 2, 60_000);
}, 240_000);

afterAll(async () => {
  await instance?.kill('SIGKILL');
  scratch?.remove();
  await seeded?.drop();
});

/** Pids of the workers the primary said were listening. */
function workerPids(): Set<number> {
  const lines = instance.output
    .join('')
    .split('\n')
    .filter((line) => line.includes('"worker listening"'));
  return new Set(lines.map((line) => (JSON.parse(line) as { pid: number }).pid));
}

const url = () => `http://127.0.0.1:${instance.port}`;
let pick = 0;
const body = () =>
  JSON.stringify({
    query: 'query($id: ID!) { customer(id: $id) { id displayName } }',
    variables: { id: encodeCustomerId({ entity: 'contact', key: String(seeded.world.contacts[pick++ % seeded.world.contacts.length]!.id) }) },
  });

async function operationsCounted(): Promise<number> {
  const text = await (await fetch(`${url()}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('c360_graphql_operations_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('c360 serve --workers 2', () => {
  it("counts every worker's operations on /metrics, whichever worker answers the scrape", async () => {
    const before = await operationsCounted();
    const outcomes = await loadFor(`${url()}/graphql`, { concurrency: 4, durationMillis: 60_000, maxRequests: 40, headers: {}, body });
    expect(outcomes.filter(failed)).toEqual([]);
    // Round-robin gives each worker about half: a per-worker count would show about 20.
    for (let scrape = 0; scrape < 4; scrape++) expect(await operationsCounted()).toBe(before + 40);
  });

  it('replaces every worker on SIGHUP under load without failing a request', async () => {
    const first = workerPids();
    const stop = new AbortController();
    // Steady, not saturating: the replacement workers need the CPU to start.
    const load = loadFor(`${url()}/graphql`, { concurrency: 2, durationMillis: 90_000, stop: stop.signal, pauseMillis: 25, headers: {}, body });
    await new Promise((resolve) => setTimeout(resolve, 300));
    instance.process.kill('SIGHUP');
    await waitUntil(() => instance.output.join('').includes('"workers restarted"'), 90_000);
    stop.abort();
    const outcomes = await load;
    expect([...workerPids()].filter((pid) => !first.has(pid))).toHaveLength(2);
    expect(outcomes.length).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter(failed)).toEqual([]);
  }, 120_000);

  it('drains and exits 0 on SIGTERM', async () => {
    await instance.stop();
    expect(instance.process.exitCode).toBe(0);
  });
});
