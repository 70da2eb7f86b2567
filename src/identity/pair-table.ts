/**
 * Compact dictionaries for bulk linking (./bulk-link.ts): keys that are pairs of 32-bit
 * integers, values that are small non-negative integers, all in typed arrays (open
 * addressing, linear probing). A V8 `Map` with 150k string keys holds each key as a string
 * object (often a cons string and the slices it joins: ~150 bytes a mailbox) and each entry
 * as three tagged words; here an entry is 12 bytes of a table kept at most three quarters full.
 */

/** A value the table never holds: what `get` answers for an absent key. */
export const ABSENT = -1;

export class PairTable {
  private highs: Int32Array;
  private lows: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * 3 < capacity * 4) slots *= 2;
    this.highs = new Int32Array(slots);
    this.lows = new Int32Array(slots);
    this.values = new Int32Array(slots).fill(ABSENT);
    this.mask = slots - 1;
  }

  /** The value kept for (high, low), or ABSENT. */
  get(high: number, low: number): number {
    for (let slot = slotOf(high, low) & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = this.values[slot]!;
      if (value === ABSENT) return ABSENT;
      if (this.highs[slot] === (high | 0) && this.lows[slot] === (low | 0)) return value;
    }
  }

  /** The value kept for (high, low); when absent, `value` is kept for it and answered. */
  getOrAdd(high: number, low: number, value: number): number {
    for (let slot = slotOf(high, low) & this.mask; ; slot = (slot + 1) & this.mask) {
      const kept = this.values[slot]!;
      if (kept === ABSENT) {
        this.highs[slot] = high;
        this.lows[slot] = low;
        this.values[slot] = value;
        if (++this.size * 4 > this.values.length * 3) this.grow();
        return value;
      }
      if (this.highs[slot] === (high | 0) && this.lows[slot] === (low | 0)) return kept;
    }
  }

  private grow(): void {
    const { highs, lows, values } = this;
    const slots = values.length * 2;
    this.highs = new Int32Array(slots);
    this.lows = new Int32Array(slots);
    this.values = new Int32Array(slots).fill(ABSENT);
    this.mask = slots - 1;
    for (let old = 0; old < values.length; old++) {
      if (values[old] === ABSENT) continue;
      let slot = slotOf(highs[old]!, lows[old]!) & this.mask;
      while (this.values[slot] !== ABSENT) slot = (slot + 1) & this.mask;
      this.highs[slot] = highs[old]!;
      this.lows[slot] = lows[old]!;
      this.values[slot] = values[old]!;
    }
  }
}

function slotOf(high: number, low: number): number {
  return mix(Math.imul(high, 0x9e3779b1) ^ low);
}

/** MurmurHash3's 32-bit finalizer: every input bit flips about half the output bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The high and low 32 bits of a non-negative safe integer. */
export function highOf(value: number): number {
  return Math.floor(value / 0x1_0000_0000) | 0;
}
export function lowOf(value: number): number {
  return (value % 0x1_0000_0000) | 0;
}

/**
 * Two independent 32-bit hashes of a string (FNV-1a, and a multiply-rotate lane seeded with
 * the length), finalized. As a key, the pair stands for the string: two different strings
 * share both halves with a chance of about n² / 2^65 over n distinct strings (about 1 in
 * 10^9 for 200k mailboxes).
 */
export function stringHashes(value: string, into: { high: number; low: number }): void {
  let a = 0x811c9dc5;
  let b = value.length ^ 0x5bd1e995;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0xcc9e2d51);
    b = (b << 15) | (b >>> 17);
  }
  into.high = mix(a);
  into.low = mix(b ^ Math.imul(value.length, 0x1b873593));
}
