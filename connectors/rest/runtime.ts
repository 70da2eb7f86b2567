/**
 * What a REST source keeps between requests (HTTP agents, breaker, rate limiter, cache,
 * counters) and the path of every call through it:
 *
 *   cache -> retry (idempotent only) -> concurrency slot -> rate limit -> breaker -> HTTP attempt
 *
 * The breaker sits innermost so that a call queued behind others still fails fast once
 * the source is known to be down, and so that it counts attempts, not loads.
 */
import { createHash } from 'node:crypto';
import { BrokenCircuitError, IsolatedCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { SourceError } from '../contract.js';
import type { JsonValue, SourceCall } from '../contract.js';
import { cacheKey, createReplyCache } from './cache.js';
import type { ReplyCache } from './cache.js';
import type { RestEndpoint, RestSourceConfig } from './config.js';
import { HttpAttemptError, attempt, createHttpClient } from './http.js';
import type { HttpClient, HttpReply } from './http.js';
import { createSemaphore, createTokenBucket } from './rate-limit.js';
import type { RateLimiter } from './rate-limit.js';
import type { PlannedCall } from './request.js';
import { breakerState, createBreaker, createRetry } from './resilience.js';
import type { BreakerState } from './resilience.js';
import type { SharedStore } from '../../src/state/shared-store.js';
import { createSharedBreaker, type SharedBreaker } from './shared-breaker.js';

/** Counters of one REST source, for metrics and tests (see getRestStats). */
export interface RestSourceStats {
  /** HTTP attempts made, retries included. */
  readonly calls: number;
  readonly retries: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheEntries: number;
  /** Replies 429 (Too Many Requests) received. */
  readonly rateLimitedReplies: number;
  /** Time spent waiting for the client-side rate limiter. */
  readonly rateLimitWaitMillis: number;
  readonly breakerState: BreakerState;
  /** How many times the breaker opened. */
  readonly breakerOpenings: number;
}

export interface SourceRuntime {
  readonly config: RestSourceConfig;
  readonly client: HttpClient;
  readonly breaker: CircuitBreakerPolicy;
  readonly limiter: RateLimiter | null;
  readonly slots: ReturnType<typeof createSemaphore>;
  readonly cache: ReplyCache | null;
  /** Where replicas share replies (Redis), behind the local cache; null without a cache or without a shared store. */
  readonly sharedCache: SharedStore | null;
  /** The breaker's openings shared with the other replicas; null without a shared store. */
  readonly sharedBreaker: SharedBreaker | null;
  readonly counters: { calls: number; retries: number; cacheHits: number; cacheMisses: number; rateLimitedReplies: number; breakerOpenings: number };
}

export function createRuntime(config: RestSourceConfig, sharedStore?: SharedStore): SourceRuntime {
  const breaker = createBreaker(config.circuitBreaker);
  const counters = { calls: 0, retries: 0, cacheHits: 0, cacheMisses: 0, rateLimitedReplies: 0, breakerOpenings: 0 };
  const sharedBreaker =
    sharedStore === undefined || sharedStore.kind === 'memory'
      ? null
      : createSharedBreaker(sharedStore, config.name, config.circuitBreaker.halfOpenAfterMillis);
  breaker.onBreak(() => {
    counters.breakerOpenings += 1;
    sharedBreaker?.opened();
  });
  return {
    config,
    client: createHttpClient(config.maxConcurrency),
    breaker,
    limiter: config.rateLimit === null ? null : createTokenBucket(config.rateLimit),
    slots: createSemaphore(config.maxConcurrency),
    cache: config.cache === null ? null : createReplyCache(config.cache),
    // An in-process store would only hold the local cache's entries twice.
    sharedCache: config.cache === null || sharedStore === undefined || sharedStore.kind === 'memory' ? null : sharedStore,
    sharedBreaker,
    counters,
  };
}

export function statsOf(runtime: SourceRuntime): RestSourceStats {
  return {
    ...runtime.counters,
    cacheEntries: runtime.cache?.size ?? 0,
    rateLimitWaitMillis: Math.round(runtime.limiter?.waitedMillis ?? 0),
    breakerState: breakerState(runtime.breaker),
  };
}

export interface CallContext {
  readonly entity: string;
  /** Aborts at the load's deadline or when the caller gives up. */
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
  readonly onCall?: (call: SourceCall) => void;
  /** Rows in a reply, for onCall. */
  readonly countRows: (body: JsonValue) => number;
}

/**
 * The reply to a planned call, from the cache or through the policies; throws
 * HttpAttemptError or a breaker error. The caller stores a reply with rememberReply
 * once it has mapped it.
 */
export async function callSource(runtime: SourceRuntime, endpoint: RestEndpoint, planned: PlannedCall, context: CallContext): Promise<HttpReply> {
  const { config, counters } = runtime;
  // A follow asks "what is new": a cached reply would hide it.
  const cache = endpoint.uncached === true ? null : runtime.cache;
  const key = cache === null ? '' : cacheKey(planned.request.method, planned.request.url, planned.request.body);
  const cached = cache?.get(key);
  if (cached !== undefined) {
    counters.cacheHits += 1;
    return { kind: 'json', body: cached };
  }
  const shared = runtime.sharedCache === null || cache === null ? undefined : await runtime.sharedCache.get(sharedKey(config.name, key));
  const body = shared === undefined ? undefined : parseShared(shared);
  if (body !== undefined) {
    runtime.cache?.set(key, body);
    counters.cacheHits += 1;
    return { kind: 'json', body };
  }
  if (cache !== null) counters.cacheMisses += 1;

  const remainingMillis = (): number => context.deadlineAt - performance.now();
  const once = async (signal: AbortSignal): Promise<HttpReply> => {
    if (signal.aborted) throw signal.reason;
    const release = await runtime.slots.acquire(signal);
    try {
      await runtime.limiter?.acquire(signal);
      runtime.sharedBreaker?.check();
      return await runtime.breaker.execute(async () => {
        const startedAt = performance.now();
        let rows = 0;
        const attemptMillis = Math.min(config.attemptTimeoutMillis, remainingMillis());
        try {
          const reply = await attempt(runtime.client, planned.request, attemptMillis, signal);
          if (reply.kind === 'json') rows = context.countRows(reply.body);
          return reply;
        } catch (error) {
          if (error instanceof HttpAttemptError && error.details.status === 429) counters.rateLimitedReplies += 1;
          // Given less than its own attempt timeout (the rest went queueing), a timeout says nothing of the source's health.
          if (error instanceof HttpAttemptError && error.failure === 'timeout' && attemptMillis < config.attemptTimeoutMillis) {
            throw new HttpAttemptError(error.failure, error.message, { ...error.details, cutShort: true });
          }
          throw error;
        } finally {
          counters.calls += 1;
          context.onCall?.({
            source: config.name,
            entity: context.entity,
            statement: planned.statement,
            rows,
            millis: Math.round(performance.now() - startedAt),
          });
        }
      }, signal);
    } finally {
      release();
    }
  };

  let reply: HttpReply;
  if (endpoint.idempotent && config.retry.maxAttempts > 1) {
    const policy = createRetry(config.retry, remainingMillis);
    let retries = 0;
    const listener = policy.onRetry(() => {
      counters.retries += 1;
      retries += 1;
    });
    try {
      reply = await policy.execute(({ signal }) => once(signal), context.signal);
    } catch (error) {
      // A transient failure left unretried only because the load's time ran out: the load timed out.
      // (A Retry-After beyond the deadline stays the source's refusal: it says so.)
      const triesLeft = retries < config.retry.maxAttempts - 1;
      if (error instanceof HttpAttemptError && error.retryable && triesLeft && error.details.retryAfterMillis === undefined && remainingMillis() <= 0) {
        throw new HttpAttemptError('timeout', `no time left for another try after ${retries + 1} attempts (${error.message})`, {
          ...error.details,
          cause: error,
        });
      }
      throw error;
    } finally {
      listener.dispose();
    }
  } else {
    reply = await once(context.signal);
  }
  return reply;
}

/** Keeps a reply the mapping accepted; a reply it refused is not worth replaying for ttlSeconds. */
export function rememberReply(runtime: SourceRuntime, planned: PlannedCall, body: JsonValue): void {
  const key = cacheKey(planned.request.method, planned.request.url, planned.request.body);
  runtime.cache?.set(key, body);
  // Not awaited: the caller has its reply; the store absorbs (and logs) an outage itself.
  if (runtime.sharedCache !== null && runtime.config.cache !== null)
    void runtime.sharedCache.set(sharedKey(runtime.config.name, key), JSON.stringify(body), runtime.config.cache.ttlSeconds * 1000);
}

/** A shared reply that is not JSON (another writer, a truncated value) is a miss, not an error. */
function parseShared(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** A bounded key for the shared store: the source and a digest of method, URL and body. */
function sharedKey(source: string, key: string): string {
  return `rest:${source}:${createHash('sha256').update(key).digest('base64url')}`;
}

/** Any failure of a call as the SourceError the gateway reports. */
export function toSourceError(error: unknown, config: RestSourceConfig): SourceError {
  const source = config.name;
  if (error instanceof SourceError) return error;
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return new SourceError(
      'CIRCUIT_OPEN',
      source,
      `source "${source}" is failing; calls are suspended for up to ${config.circuitBreaker.halfOpenAfterMillis} ms`,
      { cause: error },
    );
  }
  if (error instanceof HttpAttemptError) {
    switch (error.failure) {
      case 'network':
        return new SourceError('SOURCE_UNAVAILABLE', source, `source "${source}" is ${error.message}`, { cause: error });
      case 'timeout':
      case 'cancelled':
        return new SourceError('SOURCE_TIMEOUT', source, `source "${source}" did not reply within ${config.timeoutMillis} ms`, { cause: error });
      case 'notJson':
        return new SourceError('SOURCE_BAD_RESPONSE', source, `source "${source}" replied a body that is not JSON at $`, { cause: error, path: '$' });
      case 'status': {
        const status = error.details.status ?? 0;
        const why = status === 401 || status === 403 ? 'refused our credentials' : status === 429 ? 'rate-limited us' : 'answered';
        return new SourceError('SOURCE_UNAVAILABLE', source, `source "${source}" ${why}: ${error.message}`, { cause: error });
      }
    }
  }
  return new SourceError('SOURCE_UNAVAILABLE', source, `source "${source}" failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
