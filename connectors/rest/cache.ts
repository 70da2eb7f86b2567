/**
 * The optional reply cache of a source: off unless c360.yaml says `cache:`, because
 * c360 copies no customer data by default. Bounded by entries (least recently used
 * goes first) and by age (ttlSeconds). Keys are method + URL + body, so two mappings
 * asking the same question share the answer.
 */
import type { JsonValue } from '../contract.js';

export interface ReplyCache {
  get(key: string): JsonValue | undefined;
  set(key: string, value: JsonValue): void;
  readonly size: number;
  clear(): void;
}

export function createReplyCache(options: { readonly ttlSeconds: number; readonly maxEntries: number }, now: () => number = Date.now): ReplyCache {
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recently used.
  const entries = new Map<string, { readonly value: JsonValue; readonly expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + options.ttlSeconds * 1000 });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

/** The cache key of a call: no header is part of it, so no secret is kept in memory twice. */
export function cacheKey(method: string, url: string, body: string | undefined): string {
  return `${method} ${url}\n${body ?? ''}`;
}
