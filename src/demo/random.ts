/**
 * A small seeded PRNG (sfc32) and the helpers the demo generator draws with. The demo world
 * must be identical for the same seed on every machine, so nothing here touches Math.random.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: ReadonlyArray<T>): T;
  /** One of the items, each with its relative weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
  /** Epoch milliseconds in [fromMillis, toMillis). */
  millisBetween(fromMillis: number, toMillis: number): number;
  /** An ISO 8601 instant in [fromMillis, toMillis). */
  dateBetween(fromMillis: number, toMillis: number): string;
  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(items: T[]): T[];
}

/**
 * A generator for `seed`, optionally on a named stream: each domain of the world draws from
 * its own stream, so that turning events off, say, does not change the orders.
 */
export function createRandom(seed: number, stream = ''): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = 1;
  const seedWords = [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0, hashString(stream)];
  for (const word of seedWords) {
    a ^= word;
    b = Math.imul(b ^ word, 0x85ebca6b);
    c ^= word >>> 7;
  }
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // sfc32 needs a few rounds before its output stops echoing the seed.
  for (let i = 0; i < 16; i++) next();

  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(items: ReadonlyArray<T>): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
      let total = 0;
      for (const [, weight] of entries) total += weight;
      let roll = next() * total;
      for (const [item, weight] of entries) {
        roll -= weight;
        if (roll < 0) return item;
      }
      const last = entries[entries.length - 1];
      if (last === undefined) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    millisBetween: (fromMillis, toMillis) => fromMillis + Math.floor(next() * Math.max(1, toMillis - fromMillis)),
    dateBetween: (fromMillis, toMillis) => new Date(fromMillis + Math.floor(next() * Math.max(1, toMillis - fromMillis))).toISOString(),
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = items[i] as T;
        items[i] = items[j] as T;
        items[j] = held;
      }
      return items;
    },
  };
}

/** FNV-1a, to turn a stream name into seed bits. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const DAY_MILLIS = 86_400_000;
