/**
 * Where the operation rate limit (./rate-limit.ts) keeps its token buckets. In process by
 * default; with `redis` configured, one bucket per key for every replica, updated by one
 * Lua script (read, refill, take, write in a single atomic step, on Redis's clock), so N
 * replicas enforce the limit once, not N times. Redis unreachable: the per-process
 * limiter answers, as with one replica.
 */
import type { RedisConnection } from '../state/redis-connection.js';
import { OperationRateLimiter } from './rate-limit.js';

export interface RateStore {
  /** Takes one operation from `key`'s bucket: 0, or the milliseconds to wait when it is empty. */
  take(key: string, operationsPerMinute: number, burst: number): number | Promise<number>;
}

/**
 * KEYS[1] the bucket; ARGV[1] refill per millisecond, ARGV[2] burst. Returns the wait in ms.
 * TIME is Redis's clock, the same for every replica whatever their clocks say.
 */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait
`;

type TakeCommand = (key: string, refillPerMillis: string, burst: string) => Promise<number>;

export function redisRateStore(connection: RedisConnection, fallback: RateStore = new OperationRateLimiter()): RateStore {
  const { client } = connection;
  client.defineCommand('c360RateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const take = (client as unknown as { c360RateTake: TakeCommand }).c360RateTake.bind(client);
  return {
    async take(key, operationsPerMinute, burst) {
      if (!connection.available) return fallback.take(key, operationsPerMinute, burst);
      try {
        return Number(await take(`${connection.keyPrefix}rate:${key}`, String(operationsPerMinute / 60_000), String(burst)));
      } catch (error) {
        connection.failed(error, 'rate limit');
        return fallback.take(key, operationsPerMinute, burst);
      }
    },
  };
}
