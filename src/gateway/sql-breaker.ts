/**
 * A circuit breaker per SQL source (issue 13, item 7): the REST sources' breaker
 * (connectors/rest/resilience.ts, cockatiel) for PostgreSQL and MySQL sources, with the
 * same `circuitBreaker` shape in c360.yaml. Without it, every request under a black-holed
 * shop waited for the shop's call to be cut; with it, after `consecutiveFailures` calls in
 * a row failed SOURCE_TIMEOUT or SOURCE_UNAVAILABLE, the source's calls fail at once with
 * CIRCUIT_OPEN (never reaching the pool, nor waiting for a bulkhead slot) until
 * `halfOpenAfterMillis` has passed; then one call probes the source, and its success closes
 * the breaker again.
 *
 * What counts: a call that failed SOURCE_TIMEOUT or SOURCE_UNAVAILABLE from this source
 * while its caller still wanted the answer, i.e. the source's own limits ended it (its
 * statement or connect timeout, its per-call deadline) or the server or network failed.
 * A call cut because the caller gave up (the request deadline, the deadline reserve, the
 * client hanging up) says nothing of the source's health and does not count, nor does a
 * saturated bulkhead, a bad request, or a slow call that succeeded.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, IsolatedCircuitError, circuitBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { SourceError } from '../../connectors/contract.js';
import type { BreakerState } from '../../connectors/rest/resilience.js';
import { breakerState } from '../../connectors/rest/resilience.js';

export interface SqlBreakerConfig {
  readonly consecutiveFailures: number;
  readonly halfOpenAfterMillis: number;
}

/** The defaults of `sources.<sql>.circuitBreaker` (src/config/schema.ts). */
export const DEFAULT_SQL_BREAKER: SqlBreakerConfig = { consecutiveFailures: 3, halfOpenAfterMillis: 2_000 };

const COUNTED = new Set(['SOURCE_TIMEOUT', 'SOURCE_UNAVAILABLE']);

/** The mark a caller-side refusal carries, so that the breaker does not count it. */
const NOT_COUNTED = Symbol('notCountedByBreaker');

export class SqlBreaker {
  readonly policy: CircuitBreakerPolicy;
  openings = 0;
  /** Calls refused with CIRCUIT_OPEN since start. */
  refusals = 0;
  /** Told of each refusal (metrics: c360_source_failures_total{code="CIRCUIT_OPEN"}). */
  onRefusal: (() => void) | undefined;
  private openedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly source: string,
    readonly config: SqlBreakerConfig,
  ) {
    this.policy = circuitBreaker(
      handleWhen((error) => error instanceof SourceError && error.source === source && COUNTED.has(error.code) && !(NOT_COUNTED in error)),
      { halfOpenAfter: config.halfOpenAfterMillis, breaker: new ConsecutiveBreaker(config.consecutiveFailures) },
    );
    this.policy.onBreak(() => {
      this.openings += 1;
      this.openedAt = performance.now();
    });
  }

  get state(): BreakerState {
    return breakerState(this.policy);
  }

  /** Open and not yet due for its half-open probe: a call fails before queueing for a slot. */
  refusesNow(): boolean {
    return this.policy.state === CircuitState.Open && performance.now() - this.openedAt < this.config.halfOpenAfterMillis;
  }

  openError(cause?: unknown): SourceError {
    this.refusals += 1;
    this.onRefusal?.();
    return new SourceError(
      'CIRCUIT_OPEN',
      this.source,
      `source "${this.source}" is failing; calls are suspended for up to ${this.config.halfOpenAfterMillis} ms`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** `call` through the breaker; `callerSignal` is the caller's own (without the source's deadline). */
  async run<T>(callerSignal: AbortSignal, call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await call();
        } catch (error) {
          // The caller gave up: not the source's failure.
          if (callerSignal.aborted && error instanceof SourceError) Object.defineProperty(error, NOT_COUNTED, { value: true });
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw this.openError(error);
      throw error;
    }
  }
}

/** The breakers of a gateway's SQL sources, by source name. */
export class SqlBreakers {
  readonly bySource = new Map<string, SqlBreaker>();

  constructor(sources: Readonly<Record<string, { readonly kind: string; readonly circuitBreaker?: Partial<SqlBreakerConfig> } | undefined>>) {
    for (const [name, source] of Object.entries(sources)) {
      if (source === undefined || (source.kind !== 'postgres' && source.kind !== 'mysql')) continue;
      this.bySource.set(name, new SqlBreaker(name, { ...DEFAULT_SQL_BREAKER, ...source.circuitBreaker }));
    }
  }
}
