/**
 * What lives as long as the process: the validated config and one connector per source
 * (each with its own pool). Requests borrow from it; shutdown closes it.
 */
import type { Connector, SourceHealth } from '../../connectors/contract.js';
import { createSqlConnector } from '../../connectors/index.js';
import { createRestConnector } from '../../connectors/rest/index.js';
import type { C360Config } from '../config/types.js';
import type { Logger } from './logger.js';
import { createMemoryStore, type SharedStore } from '../state/shared-store.js';
import { openRedis, type RedisConnection } from '../state/redis-connection.js';
import { createRedisStore } from '../state/redis-store.js';
import { redisRateStore, type RateStore } from './rate-store.js';

export interface Runtime {
  readonly config: C360Config;
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly logger: Logger;
  /** Statistics, caches and documents that replicas may share (in process unless Redis is configured). */
  readonly sharedStore: SharedStore;
  /** The Redis connection when `redis` is configured (its state goes on /ready). */
  readonly redis: RedisConnection | undefined;
  /** Token buckets shared by replicas; undefined: each gateway keeps its own in process. */
  readonly rateStore: RateStore | undefined;
  /** Per-source state, each probe bounded by timeoutMillis. */
  health(timeoutMillis?: number): Promise<Record<string, SourceHealth>>;
  close(): Promise<void>;
}

export function createRuntime(config: C360Config, logger: Logger, extraConnectors: ReadonlyArray<Connector> = [], givenStore?: SharedStore): Runtime {
  const redis = config.redis === undefined ? undefined : openRedis(config.redis, logger);
  const sharedStore = givenStore ?? (redis === undefined ? createMemoryStore() : createRedisStore(redis));
  const connectors = new Map<string, Connector>();
  for (const source of Object.values(config.sources)) {
    connectors.set(source.name, source.kind === 'rest' ? createRestConnector(source, sharedStore) : createSqlConnector(source));
  }
  for (const connector of extraConnectors) connectors.set(connector.name, connector);
  return {
    config,
    connectors,
    logger,
    sharedStore,
    redis,
    rateStore: redis === undefined ? undefined : redisRateStore(redis),
    async health(timeoutMillis = 2_000) {
      const entries = await Promise.all(
        [...connectors.values()].map(async (connector): Promise<[string, SourceHealth]> => {
          try {
            return [connector.name, await connector.health(AbortSignal.timeout(timeoutMillis))];
          } catch (error) {
            return [connector.name, { state: 'down', detail: (error as Error).message }];
          }
        }),
      );
      return Object.fromEntries(entries);
    },
    async close() {
      await Promise.allSettled([...connectors.values()].map((connector) => connector.close()));
      await sharedStore.close();
      await redis?.close();
    },
  };
}
