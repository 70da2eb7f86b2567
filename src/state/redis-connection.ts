/**
 * The one Redis connection of a process (ioredis), shared by the store and the rate
 * limiter. It never queues a command while disconnected and never waits longer than
 * `commandTimeoutMillis`: a caller that gets an error falls back to its per-process state.
 * It reconnects by itself, forever, with a capped backoff. One warning per outage, one
 * info line when Redis is back; /ready shows the state (src/gateway/shutdown.ts).
 */
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/redis-config.js';
import type { Logger } from '../gateway/logger.js';

/** Longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MILLIS = 2_000;

export interface RedisReadiness {
  readonly state: 'up' | 'down';
  /** While down: what degrades, for the operator. */
  readonly note?: string;
}

export interface RedisConnection {
  readonly client: Redis;
  readonly keyPrefix: string;
  /** Connected and ready: commands are worth sending. */
  readonly available: boolean;
  readiness(): RedisReadiness;
  /** A command failed: logs the outage once and lets the caller fall back. */
  failed(error: unknown, what: string): void;
  close(): Promise<void>;
}

const DEGRADED_NOTE = 'Redis unreachable: rate limits, caches and persisted queries are per process until it is back';

export function openRedis(config: RedisConfig, logger: Logger): RedisConnection {
  const client = new Redis(config.url, {
    connectTimeout: config.connectTimeoutMillis,
    commandTimeout: config.commandTimeoutMillis,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(100 * times, MAX_RECONNECT_DELAY_MILLIS),
    lazyConnect: false,
    // How long a closing socket may linger before it is destroyed (shutdown, tests).
    disconnectTimeout: 200,
  });
  let outage = false;
  let closing = false;
  const noteOutage = (error: unknown, what: string): void => {
    if (outage || closing) return;
    outage = true;
    logger.warn({ err: error, what, redis: redact(config.url) }, DEGRADED_NOTE);
  };
  // Without an 'error' listener an unreachable Redis would crash the process.
  client.on('error', (error) => noteOutage(error, 'connection'));
  client.on('ready', () => {
    if (outage) logger.info({ redis: redact(config.url) }, 'Redis is back: shared state is shared again');
    outage = false;
  });
  client.on('end', () => noteOutage(new Error('connection closed'), 'connection'));
  return {
    client,
    keyPrefix: config.keyPrefix,
    get available() {
      return client.status === 'ready';
    },
    readiness() {
      return client.status === 'ready' ? { state: 'up' } : { state: 'down', note: DEGRADED_NOTE };
    },
    failed: noteOutage,
    async close() {
      closing = true;
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch {
          // fall through: drop the socket
        }
      }
      client.disconnect();
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis';
  }
}
