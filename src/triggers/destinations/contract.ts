/** A place signals go. `send` resolves once the destination acknowledged the payload. */
import type { Payload, Signal } from '../signal.js';

export interface Destination {
  readonly name: string;
  readonly kind: 'webhook' | 'nats' | 'rabbitmq';
  send(payload: Payload, signal: Signal): Promise<void>;
  close(): Promise<void>;
}

/** Rejects with a clear message when `work` takes longer than `millis`. */
export async function within<T>(millis: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${millis} ms`)), millis);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
