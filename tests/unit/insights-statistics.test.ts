import { describe, expect, it } from '@jest/globals';
import type { RfmBoundaries } from '../../connectors/contract.js';
import { rfmCellOf, scoreOf, StatisticsCache } from '../../src/insights/statistics.js';
import { createMemoryStore } from '../../src/state/shared-store.js';

const KEY = { source: 'shop', asOf: '2025-01-01T10:00:00.000Z', windowDays: 365 };
const SETTINGS = { ttlMillis: 10_000, refreshAheadMillis: 2_000, refreshDeadlineMillis: 1_000 };

function boundaries(customers: number): RfmBoundaries {
  return { customers, recencyDays: [300, 200, 100, 30], frequency: [1, 2, 3, 5], monetary: [50, 100, 200, 400] };
}

/** A cache on a memory store whose clock the test moves; counts the statements each path ran. */
function harness() {
  let nowMillis = Date.parse('2025-01-01T10:00:00.000Z');
  const now = () => nowMillis;
  const store = createMemoryStore({ now });
  const cache = new StatisticsCache(store, SETTINGS, now);
  const ran = { request: 0, background: 0 };
  const compute = async () => boundaries(++ran.request);
  const refresh = async () => boundaries(100 + ++ran.background);
  return { cache, ran, compute, refresh, advance: (millis: number) => (nowMillis += millis) };
}

describe('the statistics cache', () => {
  it('computes the boundaries once for two reads, however close together', async () => {
    const { cache, ran, compute, refresh } = harness();
    const [first, second] = await Promise.all([cache.rfmBoundaries(KEY, compute, refresh), cache.rfmBoundaries(KEY, compute, refresh)]);
    const third = await cache.rfmBoundaries(KEY, compute, refresh);
    expect(ran).toEqual({ request: 1, background: 0 });
    expect([first.boundaries.customers, second.boundaries.customers, third.boundaries.customers]).toEqual([1, 1, 1]);
  });

  it('serves every asOf of the same day from one entry, and another day from its own', async () => {
    const { cache, ran, compute, refresh } = harness();
    await cache.rfmBoundaries(KEY, compute, refresh);
    await cache.rfmBoundaries({ ...KEY, asOf: '2025-01-01T23:59:59.000Z' }, compute, refresh);
    expect(ran.request).toBe(1);
    await cache.rfmBoundaries({ ...KEY, asOf: '2025-01-02T00:00:00.000Z' }, compute, refresh);
    await cache.rfmBoundaries({ ...KEY, windowDays: 730 }, compute, refresh);
    expect(ran.request).toBe(3);
  });

  it('refreshes in the background before expiry, answering from the stored value meanwhile', async () => {
    const { cache, ran, compute, refresh, advance } = harness();
    await cache.rfmBoundaries(KEY, compute, refresh);
    advance(7_999);
    expect((await cache.rfmBoundaries(KEY, compute, refresh)).boundaries.customers).toBe(1);
    expect(ran.background).toBe(0);
    advance(1);
    const stale = await cache.rfmBoundaries(KEY, compute, refresh);
    expect(stale.boundaries.customers).toBe(1);
    expect(cache.ageMillis(stale)).toBe(8_000);
    await cache.settled();
    expect(ran).toEqual({ request: 1, background: 1 });
    const refreshed = await cache.rfmBoundaries(KEY, compute, refresh);
    expect(refreshed.boundaries.customers).toBe(101);
    expect(cache.ageMillis(refreshed)).toBe(0);
  });

  it('computes again in the request once the entry has expired unrefreshed', async () => {
    const { cache, ran, compute, refresh, advance } = harness();
    await cache.rfmBoundaries(KEY, compute, refresh);
    advance(10_000);
    expect((await cache.rfmBoundaries(KEY, compute, refresh)).boundaries.customers).toBe(2);
    expect(ran).toEqual({ request: 2, background: 0 });
  });

  it('keeps the stored value when a background refresh fails, and tells the error handler', async () => {
    let nowMillis = 0;
    const errors: unknown[] = [];
    const cache = new StatisticsCache(
      createMemoryStore({ now: () => nowMillis }),
      SETTINGS,
      () => nowMillis,
      (error) => errors.push(error),
    );
    await cache.rfmBoundaries(
      KEY,
      async () => boundaries(1),
      async () => boundaries(2),
    );
    nowMillis = 9_000;
    await cache.rfmBoundaries(
      KEY,
      async () => boundaries(3),
      async () => Promise.reject(new Error('source down')),
    );
    await cache.settled();
    expect(errors).toHaveLength(1);
    expect(
      (
        await cache.rfmBoundaries(
          KEY,
          async () => boundaries(4),
          async () => boundaries(5),
        )
      ).boundaries.customers,
    ).toBe(1);
  });
});

describe('a customer scored against boundaries', () => {
  it('scores 1 plus the boundaries its measure is strictly better than', () => {
    expect(scoreOf(5, [1, 2, 3, 5], 'higher')).toBe(4);
    expect(scoreOf(6, [1, 2, 3, 5], 'higher')).toBe(5);
    expect(scoreOf(1, [1, 2, 3, 5], 'higher')).toBe(1);
    expect(scoreOf(30, [300, 200, 100, 30], 'lower')).toBe(4);
    expect(scoreOf(29, [300, 200, 100, 30], 'lower')).toBe(5);
    expect(scoreOf(3, [null, null, null, null], 'higher')).toBe(1);
  });

  it('gives the RFM cell of its own measures', () => {
    const cell = rfmCellOf({ recencyDays: 150, tenureDays: 400, frequency: 4, monetary: 200, firstPurchaseAt: null, lastPurchaseAt: null }, boundaries(10));
    expect([cell.r, cell.f, cell.m]).toEqual([3, 4, 3]);
  });
});
