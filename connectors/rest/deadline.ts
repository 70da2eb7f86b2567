/**
 * The whole load bounded by the source's timeoutMillis: pages, retries, waits for the
 * rate limiter and Retry-After included. The work is raced against the deadline, so
 * the caller hears SOURCE_TIMEOUT on time even while a retry delay is still sleeping.
 */
import { setMaxListeners } from 'node:events';
import { SourceError } from '../contract.js';
import type { RestSourceConfig } from './config.js';
import { toSourceError } from './runtime.js';

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

export async function withDeadline<T>(
  config: RestSourceConfig,
  callerSignal: AbortSignal,
  work: (signal: AbortSignal, deadlineAt: number) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  // Every call of the load (one per key without batching) listens to this one signal.
  setMaxListeners(0, controller.signal);
  const deadlineAt = performance.now() + config.timeoutMillis;
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(`no complete reply within ${config.timeoutMillis} ms`)), config.timeoutMillis);
  const onCallerAbort = (): void => controller.abort(callerSignal.reason);
  if (callerSignal.aborted) onCallerAbort();
  else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = (): void => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  const running = work(controller.signal, deadlineAt);
  // Whichever loses the race must not surface as an unhandled rejection.
  running.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([running, aborted]);
  } catch (error) {
    if (controller.signal.aborted) {
      const reason: unknown = controller.signal.reason;
      const why = reason instanceof DeadlineExceeded ? `did not reply within ${config.timeoutMillis} ms` : 'call was cancelled by the gateway';
      throw new SourceError('SOURCE_TIMEOUT', config.name, `source "${config.name}" ${why}`, { cause: reason });
    }
    throw toSourceError(error, config);
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener('abort', onCallerAbort);
    // Stops sibling calls of a load that failed, and frees their sockets.
    controller.abort(new DeadlineExceeded('load finished'));
  }
}
