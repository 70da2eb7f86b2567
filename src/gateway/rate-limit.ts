/**
 * Rate limiting per principal, counting GraphQL operations rather than HTTP requests, so
 * that a batch of ten costs ten. A token bucket per principal: `burst` at once, refilled
 * at `operationsPerMinute`. In memory, per process: behind a load balancer each instance
 * enforces its own share.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { LimitsConfig } from '../config/limits-config.js';
import { ErrorCode } from '../errors/codes.js';
import type { RequestContext } from './context.js';
import { limitsFor, roleOf } from './limits.js';

interface Bucket {
  tokens: number;
  updatedMillis: number;
}

/** Buckets past this many are swept of the full ones (principals gone quiet). */
const SWEEP_ABOVE_BUCKETS = 10_000;

export class OperationRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one operation from `key`'s bucket; the wait in milliseconds when it is empty, else 0. */
  take(key: string, operationsPerMinute: number, burst: number): number {
    const nowMillis = this.now();
    const refillPerMillis = operationsPerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedMillis: nowMillis };
    bucket.tokens = Math.min(burst, bucket.tokens + (nowMillis - bucket.updatedMillis) * refillPerMillis);
    bucket.updatedMillis = nowMillis;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= SWEEP_ABOVE_BUCKETS) this.sweep(nowMillis, refillPerMillis, burst);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMillis);
  }

  private sweep(nowMillis: number, refillPerMillis: number, burst: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (nowMillis - bucket.updatedMillis) * refillPerMillis >= burst) this.buckets.delete(key);
    }
  }
}

/**
 * Who is counted: the authenticated principal's id; for anonymous callers (no principal,
 * or the open local mode) the client address, so that one noisy client does not use up
 * everyone's allowance.
 */
export function rateKeyOf(context: Pick<RequestContext, 'privacy'>, remoteAddress: string | undefined): string {
  const principal = context.privacy?.principal;
  if (principal !== undefined && principal.via !== 'open-local') return `principal:${principal.id}`;
  return `address:${remoteAddress ?? 'unknown'}`;
}

/**
 * What one HTTP request is charged, carried *in* the context as a plain property. Apollo
 * clones the context for every operation it runs (executeOperation, each operation of a
 * batch), so anything keyed on the context object's identity is lost; a property survives
 * the shallow clone and all clones share this one object.
 */
export interface RateCharge {
  /** `principal:<id>` or `address:<client address>` (rateKeyOf). */
  readonly key: string;
  /** `each`: every operation counts (a batch of ten counts ten). `once`: the first operation pays for all (the CSV export's pages). */
  readonly mode: 'each' | 'once';
  spent: boolean;
}

export function rateChargeFor(context: Pick<RequestContext, 'privacy'>, remoteAddress: string | undefined, mode: RateCharge['mode']): RateCharge {
  return { key: rateKeyOf(context, remoteAddress), mode, spent: false };
}

/**
 * Charges the context's RateCharge. An operation without one is c360's own internal
 * execution with no caller behind it; it is charged to `internal`, never to a shared
 * anonymous bucket of callers.
 */
export function rateLimitPlugin(limits: LimitsConfig): ApolloServerPlugin<RequestContext> {
  const limiter = new OperationRateLimiter();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const charge = contextValue.rateCharge;
          if (charge?.mode === 'once' && charge.spent) return;
          if (charge !== undefined) charge.spent = true;
          const { rateLimit } = limitsFor(limits, roleOf(contextValue));
          const waitMillis = limiter.take(charge?.key ?? 'internal', rateLimit.operationsPerMinute, rateLimit.burst);
          if (waitMillis === 0) return;
          const retryAfterSeconds = Math.max(1, Math.ceil(waitMillis / 1000));
          throw new GraphQLError(`Rate limit exceeded: at most ${rateLimit.operationsPerMinute} operations per minute. Retry in ${retryAfterSeconds} s.`, {
            extensions: {
              code: ErrorCode.RATE_LIMITED,
              retryAfterSeconds,
              http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
            },
          });
        },
      };
    },
  };
}
