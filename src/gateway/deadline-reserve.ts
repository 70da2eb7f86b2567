/**
 * The request deadline's reserve: one source's timeout never consumes the other sources'
 * budget (issue 13).
 *
 * A list needs every source's part before it reads its customers' fields: a search ranks
 * every source's matches, a page of customers waits for each customer's links. When one
 * source hangs (accepts and never answers) and its own deadline lies beyond the request's,
 * the list waited until the request deadline, and the same deadline then cut the calls that
 * followed, to sources that answer: the CRM's fields came back SOURCE_TIMEOUT from "crm",
 * a search answered `data: null`.
 *
 * So the request's calls are cut in two steps. `reserveMillis` before the deadline, every
 * call still outstanding is aborted (SOURCE_TIMEOUT from its source), and its source is
 * late for the rest of the request: further calls to it fail at once, without reaching
 * it. The reserve is then the other sources' own: the calls that follow (the fields of the
 * customers whose links failed) run until the deadline itself. A source that answered
 * every call before the reserve is never cut by it.
 */
import { setMaxListeners } from 'node:events';
import { SourceError, type CallOptions, type Connector } from '../../connectors/contract.js';
import { anyOf, callSignal } from './call-signal.js';
import { wrapCalls } from './wrap-calls.js';
import type { LimitsConfig } from '../config/limits-config.js';

/** The reserve: as configured, else a quarter of the request deadline. */
export function reserveMillisOf(limits: LimitsConfig): number {
  return Math.min(limits.deadlineReserveMillis ?? Math.floor(limits.requestDeadlineMillis / 4), limits.requestDeadlineMillis - 1);
}

/** One request's view of the reserve: which sources were still owing an answer when it began. */
export class DeadlineReserve {
  private readonly late = new Set<string>();
  private started: AbortSignal | undefined;
  /** The request's signal and the reserve's, merged once: what every call started before the reserve runs under. */
  private merged: { readonly of: AbortSignal; readonly signal: AbortSignal } | undefined;

  constructor(
    /** Starts the signal that fires `reserveMillis` before the request deadline: on the first source call, not per request. */
    private readonly start: () => AbortSignal,
    private readonly reserveMillis: number,
  ) {}

  /** Fires `reserveMillis` before the request deadline. */
  get signal(): AbortSignal {
    return (this.started ??= this.start());
  }

  /** The connector as this request sees it: cut at the reserve while a call is outstanding, failing at once once late. */
  wrap(connector: Connector): Connector {
    const reserved =
      <R, T>(call: (request: R, options: CallOptions) => Promise<T>) =>
      (request: R, options: CallOptions): Promise<T> => {
        if (this.late.has(connector.name)) return Promise.reject(this.lateError(connector.name));
        // From the reserve on, a source that was not late gets the rest of the request (options.signal: the deadline).
        if (this.signal.aborted) return call(request, options);
        return this.underReserve(options, (signal) => call(request, { ...options, signal })).catch((error: unknown) => {
          // Cut by the reserve, not by the deadline or the client: the source is late for this request.
          if (this.signal.aborted && !options.signal.aborted) {
            this.late.add(connector.name);
            throw error instanceof SourceError ? error : this.lateError(connector.name, error);
          }
          throw error;
        });
      };
    // Inherit everything else (capabilities, health, close…) so the wrapper keeps up with the contract.
    return wrapCalls(connector, reserved);
  }

  /**
   * `call` under a signal that aborts at the reserve or with `options.signal`, whichever is
   * first, with that one's reason. A request's calls share one signal (the request's own
   * deadline and client: the same `options.signal` every time), made at the first call: a
   * signal per call cost every statement an AbortController and two listeners added and
   * removed (issue 12). A caller with a signal of its own gets one for its call alone.
   */
  private underReserve<T>(options: CallOptions, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const merged = this.merged;
    if (merged !== undefined && merged.of === options.signal) return call(merged.signal);
    if (merged !== undefined || options.signal.aborted) return callSignal([options.signal, this.signal], undefined, call);
    // Both signals end with the request (its deadline or the reserve's timer fires, or is cleared
    // when the answer is sent), so their listeners go with them: nothing outlives the request.
    const { signal } = anyOf([options.signal, this.signal]).controller;
    // Every statement of the request listens on it while it runs; dozens is normal, not a leak.
    setMaxListeners(0, signal);
    this.merged = { of: options.signal, signal };
    return call(signal);
  }

  /** Sources cut at the reserve in this request. */
  lateSources(): ReadonlySet<string> {
    return this.late;
  }

  private lateError(source: string, cause?: unknown): SourceError {
    return new SourceError(
      'SOURCE_TIMEOUT',
      source,
      `source "${source}" had not answered ${this.reserveMillis} ms before the request deadline; the rest of the request was kept for the other sources`,
      cause === undefined ? undefined : { cause },
    );
  }
}
