import { describe, expect, it } from '@jest/globals';
import { createMemoryStore } from '../../src/state/shared-store.js';

describe('the in-process shared store', () => {
  it('returns a value until its time to live has passed, then nothing', async () => {
    let nowMillis = 1_000;
    const store = createMemoryStore({ now: () => nowMillis });
    await store.set('stats:shop', '{"q":[1,2]}', 500);
    expect(await store.get('stats:shop')).toBe('{"q":[1,2]}');
    nowMillis = 1_499;
    expect(await store.get('stats:shop')).toBe('{"q":[1,2]}');
    nowMillis = 1_500;
    expect(await store.get('stats:shop')).toBeUndefined();
  });

  it('drops the least recently used entry past its bound', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a');
    await store.set('c', '3', 60_000);
    expect(await store.get('a')).toBe('1');
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toBe('3');
  });

  it('forgets a deleted key', async () => {
    const store = createMemoryStore();
    await store.set('k', 'v', 60_000);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });
});
