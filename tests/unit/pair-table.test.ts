/** The typed-array dictionaries of bulk linking (src/identity/pair-table.ts), against a Map. */
import { describe, expect, it } from '@jest/globals';
import { ABSENT, highOf, lowOf, mailboxHashes, PairTable } from '../../src/identity/pair-table.js';

describe('PairTable', () => {
  it('keeps the first value given for a key, through every growth, as a Map would', () => {
    const table = new PairTable(4);
    const reference = new Map<string, number>();
    // Keys that differ in one half only, negative halves, and repeats.
    for (let i = 0; i < 50_000; i++) {
      const high = (i % 7) - 3;
      const low = Math.imul(i, 0x9e3779b1) >> (i % 3);
      const key = `${high}|${low}`;
      const next = reference.size;
      const expected = reference.get(key) ?? next;
      if (!reference.has(key)) reference.set(key, next);
      expect(table.getOrAdd(high, low, next)).toBe(expected);
    }
    expect(table.size).toBe(reference.size);
    for (const [key, value] of reference) {
      const [high, low] = key.split('|').map(Number) as [number, number];
      expect(table.get(high, low)).toBe(value);
    }
    expect(table.get(99, 99)).toBe(ABSENT);
  });

  it('splits safe integers into exact halves: distinct numbers stay distinct keys', () => {
    const table = new PairTable();
    const numbers = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 33_612_345_678, 33_612_345_678 * 16 + 2, Number.MAX_SAFE_INTEGER];
    numbers.forEach((value, index) => expect(table.getOrAdd(highOf(value), lowOf(value), index)).toBe(index));
    numbers.forEach((value, index) => expect(table.get(highOf(value), lowOf(value))).toBe(index));
  });
});

describe('mailboxHashes', () => {
  it('gives equal strings equal pairs under one key, other pairs under another, and 200k distinct mailboxes 200k distinct pairs', () => {
    const a = { high: 0, low: 0 };
    const b = { high: 0, low: 0 };
    mailboxHashes('marie.dupont@gmail.com', 'k1', a);
    mailboxHashes(['marie', 'dupont@gmail.com'].join('.'), 'k1', b);
    expect(b).toEqual(a);
    mailboxHashes('marie.dupont@gmail.com', 'k2', b);
    expect(b).not.toEqual(a);
    const seen = new Set<string>();
    const pair = { high: 0, low: 0 };
    for (let i = 0; i < 200_000; i++) {
      mailboxHashes(`client${i}@exemple${i % 97}.fr`, 'k1', pair);
      seen.add(`${pair.high}|${pair.low}`);
    }
    expect(seen.size).toBe(200_000);
  });
});
