/**
 * Apollo Server's automatic persisted queries kept in the SharedStore, so that a client
 * that registered a document's hash on one replica can send only the hash to any other.
 * The shape is Apollo's KeyValueCache (get / set with a ttl in seconds / delete).
 */
import type { SharedStore } from './shared-store.js';

/** Apollo sets no ttl unless `persistedQueries.ttl` is given: a day, then the client re-sends the text. */
const DEFAULT_TTL_SECONDS = 86_400;

export interface PersistedQueryCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export function persistedQueryCache(store: SharedStore): PersistedQueryCache {
  const keyOf = (key: string): string => `apq:${key}`;
  return {
    get: (key) => store.get(keyOf(key)),
    set: (key, value, options) => store.set(keyOf(key), value, (options?.ttl ?? DEFAULT_TTL_SECONDS) * 1000),
    delete: (key) => store.delete(keyOf(key)),
  };
}
