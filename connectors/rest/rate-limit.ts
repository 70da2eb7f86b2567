/**
 * Client-side pacing for one source: a token bucket refilled at requestsPerSecond. With
 * the default burst of 1, calls are evenly spaced, which is what a server counting over
 * a sliding second (the company registry's 7 per second) accepts without a 429.
 */
import { sleep } from './sleep.js';

export interface RateLimiter {
  /** Resolves when a call may start; rejects with the signal's reason on abort. */
  acquire(signal: AbortSignal): Promise<void>;
  /** Total time callers waited for a token, for metrics. */
  readonly waitedMillis: number;
}

export function createTokenBucket(options: { readonly requestsPerSecond: number; readonly burst: number }): RateLimiter {
  const intervalMillis = 1000 / options.requestsPerSecond;
  let tokens = options.burst;
  let refilledAt = performance.now();
  let waitedMillis = 0;
  // Callers are served in arrival order: each takes the next free slot.
  let queue: Promise<void> = Promise.resolve();

  function refill(): void {
    const now = performance.now();
    tokens = Math.min(options.burst, tokens + (now - refilledAt) / intervalMillis);
    refilledAt = now;
  }

  async function takeToken(signal: AbortSignal): Promise<void> {
    refill();
    if (tokens < 1) {
      const waitMillis = (1 - tokens) * intervalMillis;
      waitedMillis += waitMillis;
      await sleep(waitMillis, signal);
      refill();
    }
    tokens -= 1;
  }

  return {
    acquire(signal) {
      const turn = queue.then(() => takeToken(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    get waitedMillis() {
      return waitedMillis;
    },
  };
}

/** At most `limit` holders at once; the rest wait in arrival order. */
export function createSemaphore(limit: number): { acquire(signal: AbortSignal): Promise<() => void> } {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active -= 1;
    else next();
  };
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (active < limit) {
        active += 1;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const grant = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(once(release));
        };
        const onAbort = (): void => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal.reason);
        };
        waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
