/**
 * Three c360 replicas behind HAProxy sharing one Redis (their own redis-server, so that it
 * can be stopped): a client's rate limit holds across replicas; a registry lookup cached
 * by one replica is a hit on another (the registry's own counter); SIGKILL of a replica
 * under load fails at most the requests it held; Redis stopped under load fails none.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoRawConfig } from '../../src/demo/config.js';
import { withRestSources } from '../../src/demo/rest-services.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { waitUntil } from '../support/redis.js';
import { failed, loadAround, loadFor, scratchDir, startHaproxy, startRedisServer, startReplica, type Child } from '../support/replicas.js';

const ADMIN_KEY = 'replicas-admin-key-0123456789abcdef';
const BI_KEY = 'replicas-bi-key-0123456789abcdef0123';
/** The analyst's allowance: a burst of 60, then one every 2 s. */
const BI_BURST = 60;
const BI_PER_MINUTE = 30;

let seeded: SeededWorld;
let scratch: ReturnType<typeof scratchDir>;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let replicas: Child[] = [];
let haproxy: Awaited<ReturnType<typeof startHaproxy>>;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 60, seed: 21, restServices: true });
  scratch = scratchDir();
  redis = await startRedisServer();
  const raw = withRestSources(demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 }), seeded.rest!.rawConfig);
  const config = {
    ...raw,
    redis: { url: redis.url, keyPrefix: 'c360replicas:', commandTimeoutMillis: 250, connectTimeoutMillis: 500 },
    limits: {
      roles: {
        admin: { rateLimit: { operationsPerMinute: 1_000_000, burst: 100_000 } },
        analyst: { rateLimit: { operationsPerMinute: BI_PER_MINUTE, burst: BI_BURST } },
      },
    },
    privacy: {
      auth: {
        apiKeys: [
          { id: 'ops', sha256: sha256Hex(ADMIN_KEY), role: 'admin' },
          { id: 'bi', sha256: sha256Hex(BI_KEY), role: 'analyst' },
        ],
      },
      auditKey: 'replicas-audit-key-0123456789abcdef0123',
      audit: { store: 'memory' },
    },
  };
  const file = join(scratch.dir, 'c360.json');
  writeFileSync(file, JSON.stringify(config));
  replicas = await Promise.all([0, 1, 2].map(() => startReplica(file)));
  haproxy = await startHaproxy(
    scratch.dir,
    replicas.map((replica) => replica.port),
  );
}, 240_000);

afterAll(async () => {
  await haproxy?.kill('SIGKILL');
  await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
  await redis?.kill('SIGKILL');
  scratch?.remove();
  await seeded?.drop();
});

const contacts = () => seeded.world.contacts;
let pick = 0;
const customerBody = () =>
  JSON.stringify({
    query: 'query($id: ID!) { customer(id: $id) { id displayName orders(first: 2) { nodes { total } } } }',
    variables: { id: encodeCustomerId({ entity: 'contact', key: String(contacts()[pick++ % contacts().length]!.id) }) },
  });
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

describe('three replicas behind HAProxy, sharing Redis', () => {
  it('holds a client to its rate limit across the replicas, within 5%', async () => {
    // 150 operations: per-process buckets (3 × 60 at once) would accept every one.
    const outcomes = await loadFor(`${haproxy.url}/graphql`, {
      concurrency: 6,
      durationMillis: 60_000,
      maxRequests: 150,
      headers: { authorization: `Bearer ${BI_KEY}` },
      body: () => JSON.stringify({ query: '{ __typename }' }),
    });
    expect(outcomes).toHaveLength(150);
    const accepted = outcomes.filter((o) => o.status === 200).length;
    const refused = outcomes.filter((o) => o.status === 429 && o.errorCodes.includes('RATE_LIMITED')).length;
    expect(accepted + refused).toBe(outcomes.length);
    const seconds = (Math.max(...outcomes.map((o) => o.endedAt)) - Math.min(...outcomes.map((o) => o.startedAt))) / 1000;
    const allowed = BI_BURST + (BI_PER_MINUTE / 60) * seconds;
    // Per-process buckets would let through about three times as many.
    expect(accepted).toBeGreaterThanOrEqual(Math.floor(allowed * 0.95));
    expect(accepted).toBeLessThanOrEqual(Math.ceil(allowed * 1.05));
  });

  it('answers a registry lookup cached by one replica from the cache on another', async () => {
    const sirens = new Set(seeded.world.companies.map((company) => company.siren));
    const account = seeded.world.accounts.find((a) => sirens.has(a.siren))!;
    const contact = contacts().find((c) => c.accountId === account.id)!;
    const body = JSON.stringify({
      query: 'query($id: ID!) { customer(id: $id) { account { company { siren legalName } } } }',
      variables: { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) },
    });
    const ask = async (replica: Child) =>
      (await fetch(`http://127.0.0.1:${replica.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin }, body })).json();
    const registry = seeded.rest!.registry;
    const before = registry.counters.total;
    const onA = await ask(replicas[0]!);
    const afterA = registry.counters.total;
    expect(afterA).toBeGreaterThan(before);
    // The shared write is not awaited by the request: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const onB = await ask(replicas[1]!);
    expect(onB).toEqual(onA);
    expect(registry.counters.total).toBe(afterA);
  });

  it('runs a persisted query registered on one replica from its hash alone on another', async () => {
    const query = '{ customers(first: 1) { edges { node { id } } } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const post = async (replica: Child, body: unknown) =>
      (
        await fetch(`http://127.0.0.1:${replica.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...asAdmin },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }>;
    expect((await post(replicas[1]!, { extensions: { persistedQuery } })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(replicas[0]!, { query, extensions: { persistedQuery } });
    expect(registered.errors).toBeUndefined();
    expect(await post(replicas[1]!, { extensions: { persistedQuery } })).toEqual(registered);
  });

  it('fails no request beyond those a SIGKILLed replica held, and the others keep serving', async () => {
    const { outcomes, eventAt: killedAt } = await loadAround(
      { url: `${haproxy.url}/graphql`, headers: asAdmin, body: customerBody, before: 16, after: 40 },
      () => replicas[2]!.kill('SIGKILL'),
    );
    const inFlightAtKill = outcomes.filter((o) => o.startedAt <= killedAt && o.endedAt >= killedAt).length;
    const failures = outcomes.filter(failed);
    expect(outcomes.filter((o) => o.startedAt > killedAt && !failed(o)).length).toBeGreaterThanOrEqual(40);
    expect(failures.length).toBeLessThanOrEqual(inFlightAtKill);
    // Every failure was a request already running when the replica died.
    expect(failures.every((o) => o.startedAt <= killedAt)).toBe(true);
  });

  it('fails no request when Redis stops under load, and says so on /ready', async () => {
    const { outcomes, eventAt: stoppedAt } = await loadAround(
      { url: `${haproxy.url}/graphql`, headers: asAdmin, body: customerBody, before: 16, after: 40 },
      () => redis.kill('SIGKILL'),
    );
    expect(outcomes.filter(failed)).toEqual([]);
    expect(outcomes.filter((o) => o.startedAt > stoppedAt).length).toBeGreaterThanOrEqual(40);
    const survivor = replicas[0]!;
    await waitUntil(() => survivor.output.join('').includes('Redis unreachable'));
    const ready = (await (await fetch(`http://127.0.0.1:${survivor.port}/ready`)).json()) as { redis?: { state: string; note?: string } };
    expect(ready.redis).toEqual({ state: 'down', note: expect.stringContaining('per process') });
  });
});
