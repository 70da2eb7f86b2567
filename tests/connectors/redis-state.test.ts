import { afterAll, describe, expect, it } from '@jest/globals';
import { redisRateStore } from '../../src/gateway/rate-store.js';
import { openRedis, type RedisConnection } from '../../src/state/redis-connection.js';
import { createRedisStore } from '../../src/state/redis-store.js';
import { capturingLogger, dropKeys, freePort, redisConfig, uniqueKeyPrefix, waitUntil } from '../support/redis.js';

const prefix = uniqueKeyPrefix('state');
const opened: RedisConnection[] = [];

function replica(url?: string) {
  const { logger, lines } = capturingLogger();
  const connection = openRedis(redisConfig(prefix, url), logger);
  opened.push(connection);
  return { connection, lines };
}

afterAll(async () => {
  await Promise.all(opened.map((connection) => connection.close()));
  await dropKeys(prefix);
});

describe('shared state on the real Redis', () => {
  it('lets one replica read what another stored, until its time to live', async () => {
    const a = replica();
    const b = replica();
    await waitUntil(() => a.connection.available && b.connection.available);
    await createRedisStore(a.connection).set('stats:shop', '{"n":3}', 300);
    expect(await createRedisStore(b.connection).get('stats:shop')).toBe('{"n":3}');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await createRedisStore(b.connection).get('stats:shop')).toBeUndefined();
  });

  it('gives out exactly the burst across replicas taking at once (one atomic script)', async () => {
    const replicas = [replica(), replica(), replica()];
    await waitUntil(() => replicas.every((r) => r.connection.available));
    const stores = replicas.map((r) => redisRateStore(r.connection));
    // 60 per minute refills one per second: within this test the burst is all there is.
    const takes = await Promise.all(Array.from({ length: 90 }, (_, i) => stores[i % 3]!.take('principal:bi', 60, 40)));
    expect(takes.filter((wait) => wait === 0)).toHaveLength(40);
    expect(Math.min(...takes.filter((wait) => wait > 0))).toBeGreaterThan(0);
  });

  it('falls back to per-process state with one warning when Redis cannot be reached', async () => {
    const down = replica(`redis://127.0.0.1:${await freePort()}`);
    await waitUntil(() => down.lines.some((line) => line.includes('Redis unreachable')));
    const store = createRedisStore(down.connection);
    await store.set('k', 'v', 60_000);
    expect(await store.get('k')).toBe('v');
    const limiter = redisRateStore(down.connection);
    expect(await limiter.take('address:x', 60, 2)).toBe(0);
    expect(await limiter.take('address:x', 60, 2)).toBe(0);
    expect(await limiter.take('address:x', 60, 2)).toBeGreaterThan(0);
    expect(down.connection.readiness()).toEqual({ state: 'down', note: expect.stringContaining('per process') });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(down.lines.filter((line) => line.includes('Redis unreachable'))).toHaveLength(1);
  });
});
