/**
 * One call's abort signal: aborted when any of `signals` aborts (with its reason) or after
 * `timeoutMillis` (a TimeoutError, as AbortSignal.timeout gives), and released when the
 * call settles: its timer cleared and its listeners removed.
 *
 * AbortSignal.any over AbortSignal.timeout, which this replaces on the per-statement path,
 * left every call's timer pending for its whole deadline (a SQL source's 8 s: thousands of
 * live timers and signals at a few hundred requests a second) and tracked its sources
 * through weak references the garbage collector has to process (issue 12).
 */
export function callSignal<T>(signals: ReadonlyArray<AbortSignal>, timeoutMillis: number | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted !== undefined) return call(AbortSignal.abort(aborted.reason));
  const { controller, onAbort } = anyOf(signals);
  const timer =
    timeoutMillis === undefined
      ? undefined
      : setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMillis);
  timer?.unref();
  const release = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
  };
  let running: Promise<T>;
  try {
    running = call(controller.signal);
  } catch (error) {
    release();
    throw error;
  }
  return running.finally(release);
}

/**
 * A controller aborted when any of `signals` aborts, with its reason; `onAbort` is the
 * listener added to each of them, for a caller that removes it when done (callSignal).
 */
export function anyOf(signals: ReadonlyArray<AbortSignal>): { readonly controller: AbortController; readonly onAbort: (this: AbortSignal) => void } {
  const controller = new AbortController();
  const onAbort = function (this: AbortSignal): void {
    controller.abort(this.reason);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  return { controller, onAbort };
}
