/**
 * The SharedStore on Redis: what one replica stores, the others read. While Redis is
 * unreachable (or slower than its command timeout) the store reads and writes a
 * per-process memory store instead, so a request never fails for it.
 */
import type { RedisConnection } from './redis-connection.js';
import { createMemoryStore, type SharedStore } from './shared-store.js';

export function createRedisStore(connection: RedisConnection, fallback: SharedStore = createMemoryStore()): SharedStore {
  const { client } = connection;
  const keyOf = (key: string): string => `${connection.keyPrefix}store:${key}`;
  return {
    kind: 'redis',
    async get(key) {
      if (!connection.available) return fallback.get(key);
      try {
        return (await client.get(keyOf(key))) ?? undefined;
      } catch (error) {
        connection.failed(error, 'get');
        return fallback.get(key);
      }
    },
    async set(key, value, ttlMillis) {
      if (!connection.available) return fallback.set(key, value, ttlMillis);
      try {
        await client.set(keyOf(key), value, 'PX', Math.max(1, Math.round(ttlMillis)));
      } catch (error) {
        connection.failed(error, 'set');
        await fallback.set(key, value, ttlMillis);
      }
    },
    async delete(key) {
      await fallback.delete(key);
      if (!connection.available) return;
      try {
        await client.del(keyOf(key));
      } catch (error) {
        connection.failed(error, 'delete');
      }
    },
    async close() {
      await fallback.close();
    },
  };
}
