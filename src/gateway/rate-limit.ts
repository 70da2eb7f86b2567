/**
 * Rate limiting per principal, counting GraphQL operations rather than HTTP requests, so
 * that a batch of ten costs ten. A token bucket per principal: `burst` at once, refilled
 * at `operationsPerMinute`. In memory, per process: behind a load balancer each instance
 * enforces its own share.
 */
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { LimitsConfig } from '../config/limits-config.js';
import { ErrorCode } from '../errors/codes.js';
import type { RequestContext } from './context.js';
import { limitsFor, roleOf } from './limits.js';
import type { RateStore } from './rate-store.js';

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
export function rateKeyOf(context: RequestContext, remoteAddress: string | undefined): string {
  const principal = context.privacy?.principal;
  if (principal !== undefined && principal.via !== 'open-local') return `principal:${principal.id}`;
  return `address:${remoteAddress ?? 'unknown'}`;
}

/**
 * `httpRequestOf` gives the HTTP request behind a context. Operations that arrive over
 * HTTP each count (a batch of ten counts ten); operations c360 runs itself for one HTTP
 * request (the CSV export's pages, through executeOperation) count once for that request.
 */
export function rateLimitPlugin(limits: LimitsConfig, httpRequestOf: (context: RequestContext) => IncomingMessage | undefined, limiter: RateStore = new OperationRateLimiter()): ApolloServerPlugin<RequestContext> {
  // The context that first spent from an HTTP request: more operations on that context are
  // a batch (each counts); operations on other contexts of the same request are c360's own pages.
  const firstContextOf = new WeakMap<IncomingMessage, RequestContext>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const httpRequest = httpRequestOf(contextValue);
          if (httpRequest !== undefined) {
            const first = firstContextOf.get(httpRequest);
            if (first === undefined) firstContextOf.set(httpRequest, contextValue);
            else if (first !== contextValue) return;
          }
          const { rateLimit } = limitsFor(limits, roleOf(contextValue));
          const waitMillis = await limiter.take(rateKeyOf(contextValue, httpRequest?.socket.remoteAddress), rateLimit.operationsPerMinute, rateLimit.burst);
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
