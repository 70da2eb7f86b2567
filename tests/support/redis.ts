/** The machine's Redis (README: "The machine"), with a key prefix no other test uses, cleaned up after. */
import { Writable } from 'node:stream';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../../src/config/redis-config.js';
import { createLogger, type Logger } from '../../src/gateway/logger.js';

export const REDIS_SERVER_URL = process.env.C360_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueKeyPrefix(name: string): string {
  return `c360test:${name}:${process.pid}:${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}:`;
}

export function redisConfig(keyPrefix: string, url = REDIS_SERVER_URL): RedisConfig {
  return { url, keyPrefix, commandTimeoutMillis: 500, connectTimeoutMillis: 1_000 };
}

/** Deletes every key under `keyPrefix`. */
export async function dropKeys(keyPrefix: string, url = REDIS_SERVER_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A logger whose JSON lines land in `lines`. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

/** A port of 127.0.0.1 nothing listens on (taken, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMillis = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
