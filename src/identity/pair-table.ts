/**
 * Compact dictionaries for bulk linking (./bulk-link.ts): keys that are pairs of 32-bit
 * integers, values that are small non-negative integers, all in typed arrays (open
 * addressing, linear probing). A V8 `Map` with 150k string keys holds each key as a string
 * object (often a cons string and the slices it joins: ~150 bytes a mailbox) and each entry
 * as three tagged words; here an entry is 12 bytes of a table kept at most three quarters full.
 */

import { hash } from 'node:crypto';

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
 * 64 bits of the SHA-256 of `key` and a string, as two 32-bit halves: the pair stands for the
 * string in a table. Two different strings share it with a chance of about n² / 2^65 over n
 * distinct strings (1 in 10^9 for 200k mailboxes), and with the key random per build and never
 * shown, nobody can choose an address that shares a victim's pair (a plain hash such as FNV
 * can be run backwards: a crafted shop account's email would link to someone else's customer).
 * About 2 µs a string (150k mailboxes: ~0.3 s of a 4 s build).
 */
export function mailboxHashes(value: string, key: string, into: { high: number; low: number }): void {
  const digest = hash('sha256', key + value, 'buffer');
  into.high = digest.readInt32LE(0);
  into.low = digest.readInt32LE(4);
}
