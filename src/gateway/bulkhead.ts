/**
 * Per-source bulkheads: each source gets its own number of concurrent calls and its own
 * short queue, so a slow helpdesk fills the helpdesk's slots and fails fast once its queue
 * is full, while CRM calls never wait behind it. Every connector the gateway uses is
 * wrapped here once, at start.
 */
import { SourceError, type CallOptions, type Connector } from '../../connectors/contract.js';
import { callSignal } from './call-signal.js';
import { wrapCalls } from './wrap-calls.js';
import type { BulkheadLimits, LimitsConfig } from '../config/limits-config.js';
import type { SqlBreaker } from './sql-breaker.js';

export class Bulkhead {
  active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly source: string,
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) await this.enqueue(signal);
    else this.active++;
    try {
      return await call();
    } finally {
      // The slot passes straight to the next waiter, so a burst cannot overtake the queue.
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next();
    }
  }

  private enqueue(signal: AbortSignal): Promise<void> {
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(
        new SourceError(
          'SOURCE_UNAVAILABLE',
          this.source,
          `source "${this.source}" is saturated: ${this.active} calls running and ${this.waiting.length} queued`,
        ),
      );
    }
    if (signal.aborted)
      return Promise.reject(new SourceError('SOURCE_TIMEOUT', this.source, `request deadline passed before a call to "${this.source}" could start`));
    return new Promise<void>((resolve, reject) => {
      const admit = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(admit);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new SourceError('SOURCE_TIMEOUT', this.source, `request deadline passed while waiting for a call slot of "${this.source}"`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(admit);
    });
  }
}

export class Bulkheads {
  readonly bySource = new Map<string, Bulkhead>();

  constructor(names: Iterable<string>, limits: LimitsConfig['bulkheads']) {
    for (const name of names) {
      const own: BulkheadLimits = limits.sources[name] ?? limits.default;
      this.bySource.set(name, new Bulkhead(name, own.maxConcurrent, own.maxQueued));
    }
  }
}

/**
 * The connector with its calls through the source's bulkhead and under the source's own
 * deadline: each call (its wait for a slot included) ends at `callDeadlineMillis` or at the
 * request's end, whichever is first, so a source that hangs (a black-holed connection)
 * spends its own time, never the request's budget of the other sources.
 */
export function guardConnector(connector: Connector, bulkhead: Bulkhead, callDeadlineMillis?: number, breaker?: SqlBreaker): Connector {
  const guarded =
    <R, T>(call: (request: R, options: CallOptions) => Promise<T>) =>
    (request: R, options: CallOptions): Promise<T> => {
      // An open breaker (./sql-breaker.ts) refuses before the call queues behind the hanging ones.
      if (breaker?.refusesNow() === true) return Promise.reject(breaker.openError());
      const run = (signal: AbortSignal): Promise<T> => {
        const own = signal === options.signal ? options : { ...options, signal };
        return bulkhead.run(signal, breaker === undefined ? () => call(request, own) : () => breaker.run(options.signal, () => call(request, own)));
      };
      return callDeadlineMillis === undefined ? run(options.signal) : callSignal([options.signal], callDeadlineMillis, run);
    };
  // Inherit everything else (capabilities, health, close…) so the wrapper keeps up with the contract.
  return wrapCalls(connector, guarded);
}
