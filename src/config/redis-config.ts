/**
 * The `redis` section of c360.yaml: where replicas keep the state they share (rate limits,
 * REST reply caches, persisted-query documents, statistics). Absent: all of it stays in
 * process, as with one replica. Redis down: the same, with a warning (docs/operations.md).
 */
import { z } from 'zod';

const redisUrl = z.string().refine(
  (value) => {
    try {
      return ['redis:', 'rediss:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'expected a URL starting with redis:// or rediss://' },
);

export const redisSchema = z
  .object({
    url: redisUrl,
    /** Every key c360 writes starts with this, so several deployments can share one Redis. */
    keyPrefix: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w:.-]+$/, 'letters, digits and _ : . - only')
      .default('c360:'),
    /** A command that takes longer counts as an outage for that request (per-process fallback). */
    commandTimeoutMillis: z.int().min(1).max(60_000).default(250),
    connectTimeoutMillis: z.int().min(1).max(120_000).default(2_000),
  })
  .strict();

export interface RedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMillis: number;
  readonly connectTimeoutMillis: number;
}
