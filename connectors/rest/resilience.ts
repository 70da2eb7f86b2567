/**
 * The cockatiel policies of a REST source. The breaker is one per source and outlives
 * requests; the retry policy is built per load, because whether a wait is worth it
 * depends on the time that load has left.
 */
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, retry } from 'cockatiel';
import type { IBackoff, IRetryBackoffContext, RetryPolicy } from 'cockatiel';
import type { RestSourceConfig } from './config.js';
import { HttpAttemptError } from './http.js';

export type BreakerState = 'closed' | 'open' | 'halfOpen' | 'isolated';

export function createBreaker(config: RestSourceConfig['circuitBreaker']): CircuitBreakerPolicy {
  return circuitBreaker(
    handleWhen((error) => error instanceof HttpAttemptError && error.countsForBreaker),
    { halfOpenAfter: config.halfOpenAfterMillis, breaker: new ConsecutiveBreaker(config.consecutiveFailures) },
  );
}

export function breakerState(breaker: CircuitBreakerPolicy): BreakerState {
  switch (breaker.state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'halfOpen';
    case CircuitState.Isolated:
      return 'isolated';
  }
}

type RetryContext = IRetryBackoffContext<unknown>;

/**
 * Capped exponential backoff with "equal jitter" (half fixed, half random), so that
 * callers failing together do not retry together; a Retry-After from the server wins
 * over the computed delay, as the server knows when it will take calls again.
 */
class RetryAfterBackoff implements IBackoff<RetryContext> {
  constructor(
    private readonly options: RestSourceConfig['retry'],
    readonly duration: number,
  ) {}

  next(context: RetryContext): IBackoff<RetryContext> {
    const { initialDelayMillis, maxDelayMillis } = this.options;
    const capMillis = Math.min(maxDelayMillis, initialDelayMillis * 2 ** Math.max(0, context.attempt - 1));
    const jitteredMillis = capMillis / 2 + (Math.random() * capMillis) / 2;
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfterMillis = error instanceof HttpAttemptError ? error.details.retryAfterMillis : undefined;
    // A little spread on top of Retry-After, so that a crowd told "1 s" does not return as a crowd.
    const durationMillis = retryAfterMillis === undefined ? jitteredMillis : retryAfterMillis + Math.random() * Math.min(initialDelayMillis, 100);
    return new RetryAfterBackoff(this.options, durationMillis);
  }
}

/**
 * Retries transient failures of an idempotent call, and only while the server's
 * Retry-After fits in the time the load has left: waiting past the deadline would only
 * turn a clear "rate limited" into a vaguer timeout.
 */
export function createRetry(options: RestSourceConfig['retry'], remainingMillis: () => number): RetryPolicy {
  return retry(
    handleWhen((error) => error instanceof HttpAttemptError && error.retryable && (error.details.retryAfterMillis ?? 0) < remainingMillis()),
    { maxAttempts: options.maxAttempts - 1, backoff: new RetryAfterBackoff(options, 0) },
  );
}
