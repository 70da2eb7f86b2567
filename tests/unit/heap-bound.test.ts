/**
 * Issue 15: the heap a whole-base export leaves behind is bounded (src/gateway/heap-bound.ts):
 * past its budget the bound asks V8 for a full collection, so garbage the pages promoted does
 * not stay in the process until V8's own schedule collects it; under the budget it does nothing.
 */
import { describe, expect, it } from '@jest/globals';
import v8 from 'node:v8';
import { HeapBound, heapBoundTotals } from '../../src/gateway/heap-bound.js';

/**
 * ~`megabytes` MB of strings held across a turn of the event loop (so they outlive scavenges),
 * in a box: the caller empties it right before a check, with nothing in between that could let
 * V8 collect (the awaiting frame may keep the box itself, never the strings).
 */
async function heldStrings(megabytes: number): Promise<{ strings: string[][] }> {
  const box = { strings: [] as string[][] };
  for (let i = 0; i < megabytes; i++) box.strings.push(Array.from({ length: 8_000 }, (_, j) => `garbage ${i} ${j} ${'x'.repeat(64)}`));
  await new Promise((resolve) => setImmediate(resolve));
  return box;
}

const usedHeap = () => v8.getHeapStatistics().used_heap_size;

describe('HeapBound', () => {
  it('does nothing while the heap stays under the budget', () => {
    const bound = new HeapBound(1_000_000_000);
    bound.check();
    expect(bound.collections).toBe(0);
  });

  it('collects once the heap grew past the budget, and the heap falls back under it', async () => {
    // A full collection first (a bound of 0 bytes collects at its first check), so the budget
    // below counts from the live heap: in the whole suite, garbage left by earlier files could
    // be collected by V8 while the strings are made, keeping the heap under the bound's
    // threshold (seen once in a fresh-clone CI run: no collection).
    new HeapBound(0).check();
    const bound = new HeapBound(8_000_000);
    const before = heapBoundTotals.collections;
    const held = await heldStrings(40);
    const grown = usedHeap();
    held.strings = [];
    bound.check();
    expect(bound.collections).toBe(1);
    expect(heapBoundTotals.collections).toBe(before + 1);
    expect(bound.pauseMillis).toBeGreaterThan(0);
    // The ~40 MB of dropped strings are gone: the heap is well under what it was.
    expect(usedHeap()).toBeLessThan(grown - 20_000_000);
    // The new base is the live heap: a check right after asks for nothing.
    bound.check();
    expect(bound.collections).toBe(1);
  });

  it('spends at most a tenth of the time collecting: past the budget again right after a collection, it waits', async () => {
    // A clock that moves 50 ms a reading: each collection "takes" 50 ms.
    let clock = 0;
    const bound = new HeapBound(4_000_000, () => (clock += 50));
    const first = await heldStrings(20);
    first.strings = [];
    bound.check();
    expect(bound.collections).toBe(1);
    // Past the budget again (these stay live, so nothing but the bound's rule stops a
    // collection) 50 ms after a collection of 50 ms: too soon, it would be half the time.
    const kept = await heldStrings(20);
    bound.check();
    expect(bound.collections).toBe(1);
    // Nine pauses after the last one, it collects again.
    clock += 450;
    bound.check();
    expect(bound.collections).toBe(2);
    expect(kept.strings).toHaveLength(20);
  });

  it('collects over its time share once the heap grew past its ceiling', async () => {
    let clock = 0;
    const bound = new HeapBound(4_000_000, () => (clock += 50), 60_000_000);
    const first = await heldStrings(20);
    first.strings = [];
    bound.check();
    expect(bound.collections).toBe(1);
    const base = usedHeap();
    // Past the budget but under the ceiling, right after a collection: it waits (the share).
    const some = await heldStrings(8);
    expect(usedHeap() - base).toBeGreaterThan(4_000_000);
    expect(usedHeap() - base).toBeLessThan(60_000_000);
    bound.check();
    expect(bound.collections).toBe(1);
    // Past the ceiling as soon: it collects anyway.
    const more = await heldStrings(80);
    expect(usedHeap() - base).toBeGreaterThan(60_000_000);
    bound.check();
    expect(bound.collections).toBe(2);
    expect(some.strings.length + more.strings.length).toBe(88);
  });
});
