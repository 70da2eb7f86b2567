/**
 * A REST source's open breaker told to the other replicas (the SharedStore on Redis): when
 * this process's breaker opens, it writes "open until T" for `halfOpenAfterMillis`; every
 * replica refuses calls to the source with CIRCUIT_OPEN until T, as if its own breaker had
 * opened, instead of each learning it from its own failures. Read from a copy refreshed
 * in the background at most every REFRESH_MILLIS, so a call never waits on Redis for it.
 */
import { BrokenCircuitError } from 'cockatiel';
import type { SharedStore } from '../../src/state/shared-store.js';

const REFRESH_MILLIS = 500;

export interface SharedBreaker {
  /** Throws BrokenCircuitError while another replica (or this one) said the source is failing. */
  check(): void;
  /** This process's breaker opened. */
  opened(): void;
}

export function createSharedBreaker(store: SharedStore, source: string, halfOpenAfterMillis: number, now: () => number = Date.now): SharedBreaker {
  const key = `breaker:${source}`;
  let openUntil = 0;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let refreshing = false;
  const refresh = (): void => {
    if (refreshing || now() - refreshedAt < REFRESH_MILLIS) return;
    refreshing = true;
    void store.get(key).then(
      (value) => {
        const until = Number(value ?? 0);
        openUntil = Number.isFinite(until) ? Math.max(until, openUntil > now() ? openUntil : 0) : 0;
        refreshedAt = now();
        refreshing = false;
      },
      () => {
        refreshing = false;
      },
    );
  };
  return {
    check() {
      refresh();
      if (now() < openUntil) throw new BrokenCircuitError(`source "${source}" is failing on another replica`);
    },
    opened() {
      openUntil = now() + halfOpenAfterMillis;
      void store.set(key, String(openUntil), halfOpenAfterMillis);
    },
  };
}
