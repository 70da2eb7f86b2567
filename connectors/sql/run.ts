/**
 * Running one statement: render placeholders, race the caller's signal, report the call,
 * turn any driver failure into a SourceError. Every statement a SQL connector sends goes
 * through here, so `onCall` sees each one exactly once.
 */
import { SourceError } from '../contract.js';
import type { CallOptions, SourceFailure } from '../contract.js';
import { abortedError, toSourceError } from './errors.js';
import type { StatementContext } from './errors.js';
import { render } from './fragment.js';
import type { Fragment, RenderedStatement } from './fragment.js';

export type DriverRecord = Readonly<Record<string, unknown>>;

/** What a SQL connector needs from its driver: the rest is shared. */
export interface SqlDriver {
  query(statement: RenderedStatement): Promise<ReadonlyArray<DriverRecord>>;
  classify(error: unknown): SourceFailure;
}

export async function runStatement(
  driver: SqlDriver,
  placeholder: (position: number) => string,
  context: StatementContext,
  fragment: Fragment,
  options: CallOptions,
): Promise<ReadonlyArray<DriverRecord>> {
  const statement = render(fragment, placeholder);
  if (options.signal.aborted) throw abortedError(context, options.signal.reason);
  const startedAt = performance.now();
  const report = (rows: number): void =>
    options.onCall?.({
      source: context.source,
      entity: context.entity,
      statement: statement.text,
      rows,
      millis: Math.round(performance.now() - startedAt),
    });
  try {
    const records = await withSignal(driver, context, driver.query(statement), options.signal);
    report(records.length);
    return records;
  } catch (error) {
    report(0);
    throw error;
  }
}

/**
 * `work`, or a SOURCE_TIMEOUT as soon as `signal` fires; driver errors become
 * SourceErrors. An abandoned statement keeps running until the server-side timeout
 * ends it: the driver gives no cheap way to cancel it, and the caller must not wait.
 */
export function withSignal<T>(driver: SqlDriver, context: StatementContext, work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(abortedError(context, signal.reason));
    if (signal.aborted) {
      abort();
    } else {
      signal.addEventListener('abort', abort, { once: true });
    }
    work
      .then(resolve, (error: unknown) => reject(error instanceof SourceError ? error : toSourceError(driver.classify(error), context, error)))
      .finally(() => signal.removeEventListener('abort', abort));
  });
}
