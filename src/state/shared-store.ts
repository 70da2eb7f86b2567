/**
 * Operational state that replicas may share: statistics, response caches, persisted
 * documents. In process by default; a Redis-backed store (when `redis` is configured)
 * implements the same contract. Values are strings (JSON) so every backend stores them alike.
 * Never customer data beyond what an operator-enabled cache holds, always with a TTL.
 */
export interface SharedStore {
  /** 'memory' is per process; anything else is shared across replicas. */
  readonly kind: 'memory' | 'redis';
  /** The value, or undefined when absent or expired. Never throws for a backend outage: undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores the value for ttlMillis. A backend outage is absorbed (logged by the backend), never thrown. */
  set(key: string, value: string, ttlMillis: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

interface MemoryEntry {
  readonly value: string;
  readonly expiresAtMillis: number;
}

/** A bounded in-process store: least recently used entries go first past maxEntries. */
export function createMemoryStore(options: { readonly maxEntries?: number; readonly now?: () => number } = {}): SharedStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, MemoryEntry>();
  return {
    kind: 'memory',
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAtMillis <= now()) {
        entries.delete(key);
        return undefined;
      }
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    async set(key, value, ttlMillis) {
      entries.delete(key);
      entries.set(key, { value, expiresAtMillis: now() + ttlMillis });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async delete(key) {
      entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}
