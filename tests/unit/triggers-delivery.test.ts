import { describe, expect, it } from '@jest/globals';
import type { DestinationConfig } from '../../src/config/triggers-config.js';
import { DeliveryQueue } from '../../src/triggers/delivery.js';
import type { Destination } from '../../src/triggers/destinations/contract.js';
import type { Signal } from '../../src/triggers/signal.js';

const signal = (n: number): Signal => ({
  idempotencyKey: `k${n}`,
  trigger: 't',
  customerId: `c${n}`,
  firedAt: new Date().toISOString(),
  dryRun: false,
  evidence: { events: [] },
  grantedPurposes: new Set(),
});
const config: DestinationConfig = {
  kind: 'webhook',
  url: 'http://127.0.0.1:1/',
  secret: 'x'.repeat(32),
  role: 'agent',
  fields: [],
  retry: { maxAttempts: 3, initialMillis: 5, maxMillis: 10 },
  timeoutMillis: 1000,
};

/** A destination that answers when the test releases it, so its slowness is under control. */
function slowDestination() {
  const waiting: Array<() => void> = [];
  let peak = 0;
  let active = 0;
  const destination: Destination = {
    name: 'slow',
    kind: 'webhook',
    async send() {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => waiting.push(resolve));
      active--;
    },
    async close() {},
  };
  return {
    destination,
    release: () => waiting.splice(0).forEach((go) => go()),
    get peak() {
      return peak;
    },
    get pending() {
      return waiting.length;
    },
  };
}

describe('a delivery queue', () => {
  it('holds at most maxQueued signals: a producer past the bound waits until the slow destination takes one', async () => {
    const slow = slowDestination();
    const hooks = { onDelivered: () => undefined, onAttemptFailed: () => undefined, onDeadLetter: async () => undefined };
    const queue = new DeliveryQueue(slow.destination, config, 2, hooks);
    const outcomes = [0, 1, 2, 3, 4].map((n) => queue.push({}, signal(n)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Two taken (being sent), three producers waiting outside the queue: nothing else is held.
    expect(queue.queued).toBe(2);
    expect(slow.pending).toBe(2);
    let settled = false;
    const all = Promise.all(outcomes).then((list) => ((settled = true), list));
    for (let round = 0; round < 20 && !settled; round++) {
      slow.release();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(queue.queued).toBeLessThanOrEqual(2);
    }
    expect(await all).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
    expect(slow.peak).toBe(2);
    await queue.close();
  });

  it('waits inside push while the queue is full, and dead-letters after the last try', async () => {
    let tries = 0;
    const failing: Destination = {
      name: 'down',
      kind: 'webhook',
      send: async () => {
        tries++;
        throw new Error('connection refused');
      },
      close: async () => undefined,
    };
    const letters: Array<[string, number, string]> = [];
    const queue = new DeliveryQueue(failing, config, 1, {
      onDelivered: () => undefined,
      onAttemptFailed: () => undefined,
      onDeadLetter: async (s, _d, attempts, error) => void letters.push([s.idempotencyKey, attempts, error.message]),
    });
    const outcomes = await Promise.all([queue.push({}, signal(1)), queue.push({}, signal(2))]);
    expect(outcomes).toEqual(['deadLettered', 'deadLettered']);
    expect(tries).toBe(6);
    expect(letters).toEqual([
      ['k1', 3, 'connection refused'],
      ['k2', 3, 'connection refused'],
    ]);
    expect(queue.failing?.lastError).toBe('connection refused');
    await queue.close();
  });
});
