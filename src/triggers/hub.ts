/**
 * In-process fan-out of fired signals to GraphQL subscribers (graphql-ws). Each subscriber
 * has a bounded buffer: a subscriber too slow to read loses the oldest signals (counted),
 * it never makes c360 hold more.
 */
import type { Signal } from './signal.js';

const BUFFER = 100;

interface Subscriber {
  readonly trigger: string;
  readonly buffer: Signal[];
  wake: (() => void) | undefined;
  closed: boolean;
}

export class SignalHub {
  private readonly subscribers = new Set<Subscriber>();
  dropped = 0;

  publish(signal: Signal): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.trigger !== signal.trigger) continue;
      if (subscriber.buffer.length >= BUFFER) {
        subscriber.buffer.shift();
        this.dropped++;
      }
      subscriber.buffer.push(signal);
      subscriber.wake?.();
    }
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(trigger: string): AsyncIterableIterator<Signal> {
    const subscriber: Subscriber = { trigger, buffer: [], wake: undefined, closed: false };
    this.subscribers.add(subscriber);
    const end = (): IteratorResult<Signal> => {
      subscriber.closed = true;
      this.subscribers.delete(subscriber);
      subscriber.wake?.();
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<Signal> = {
      async next() {
        while (!subscriber.closed && subscriber.buffer.length === 0) await new Promise<void>((resolve) => (subscriber.wake = resolve));
        subscriber.wake = undefined;
        if (subscriber.closed) return { done: true, value: undefined };
        return { done: false, value: subscriber.buffer.shift()! };
      },
      async return() {
        return end();
      },
      async throw(error) {
        end();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  close(): void {
    for (const subscriber of [...this.subscribers]) {
      subscriber.closed = true;
      subscriber.wake?.();
    }
    this.subscribers.clear();
  }
}
