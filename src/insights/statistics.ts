/**
 * Whole-base statistics a per-customer score needs (today: the RFM quintile boundaries),
 * computed in the source and kept in the runtime's SharedStore per (source, asOf day,
 * window) for `ttlMillis`. A read older than `ttlMillis - refreshAheadMillis` still answers
 * from the store and starts one background refresh; a read with nothing stored computes,
 * once per key in this process however many requests ask at the same time. With a Redis
 * store the statistics are shared by every replica.
 *
 * Exported for other whole-base work (the analytics cube): `rfmCellOf` scores one customer's
 * measures against given boundaries, `scoreOf` one measure; `StatisticsCache.rfmBoundaries`
 * gives the boundaries themselves with their age.
 */
import type { RfmBoundaries, Row } from '../../connectors/contract.js';
import type { SharedStore } from '../state/shared-store.js';
import type { RfmMeasures } from './rules.js';

export interface StatisticsSettings {
  readonly ttlMillis: number;
  /** How long before expiry a read starts a background refresh. */
  readonly refreshAheadMillis: number;
  /** The deadline of a background refresh (a request's own cold read keeps the request's deadline). */
  readonly refreshDeadlineMillis: number;
}

export interface StatisticsKey {
  readonly source: string;
  readonly asOf: string;
  readonly windowDays: number;
}

export interface RfmStatistics {
  readonly boundaries: RfmBoundaries;
  /** ISO 8601: when the source computed them. */
  readonly computedAt: string;
  /** The asOf they were computed at; they serve every asOf of the same UTC day. */
  readonly computedAsOf: string;
}

/** A customer's measures without scores, as the rfmMeasures statement reads them. */
export type RawMeasures = Omit<RfmMeasures, 'r' | 'f' | 'm'>;

type Compute = (asOf: string) => Promise<RfmBoundaries>;

const KEY_VERSION = 'v1';

export class StatisticsCache {
  private readonly inFlight = new Map<string, Promise<RfmStatistics>>();
  private readonly refreshing = new Set<string>();

  constructor(
    private readonly store: SharedStore,
    readonly settings: StatisticsSettings,
    private readonly now: () => number = Date.now,
    private readonly onRefreshError: (error: unknown) => void = () => undefined,
  ) {}

  /** The cache key: statistics of one source, one asOf day (UTC), one window. */
  static keyOf(key: StatisticsKey): string {
    return `c360:statistics:${KEY_VERSION}:rfm:${encodeURIComponent(key.source)}:${key.asOf.slice(0, 10)}:${key.windowDays}`;
  }

  /**
   * The boundaries for `key`: stored ones when fresh enough, else computed by `compute`
   * (the request's own statement, so it shows in its trace). `refresh` recomputes in the
   * background, outside any request.
   */
  async rfmBoundaries(key: StatisticsKey, compute: Compute, refresh: Compute): Promise<RfmStatistics> {
    const storeKey = StatisticsCache.keyOf(key);
    const stored = parseStored(await this.store.get(storeKey));
    if (stored !== undefined) {
      if (this.ageMillis(stored) >= this.settings.ttlMillis - this.settings.refreshAheadMillis) this.refreshInBackground(storeKey, key, refresh);
      return stored;
    }
    const running = this.inFlight.get(storeKey);
    if (running !== undefined) return running;
    const computing = this.computeAndStore(storeKey, key, compute).finally(() => this.inFlight.delete(storeKey));
    this.inFlight.set(storeKey, computing);
    return computing;
  }

  /** Milliseconds since the source computed these statistics. */
  ageMillis(statistics: RfmStatistics): number {
    return Math.max(0, this.now() - Date.parse(statistics.computedAt));
  }

  /** Resolves when no background refresh is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.refreshing.size > 0 || this.inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async computeAndStore(storeKey: string, key: StatisticsKey, compute: Compute): Promise<RfmStatistics> {
    const boundaries = await compute(key.asOf);
    const statistics: RfmStatistics = { boundaries, computedAt: new Date(this.now()).toISOString(), computedAsOf: key.asOf };
    await this.store.set(storeKey, JSON.stringify(statistics), this.settings.ttlMillis);
    return statistics;
  }

  private refreshInBackground(storeKey: string, key: StatisticsKey, refresh: Compute): void {
    if (this.refreshing.has(storeKey)) return;
    this.refreshing.add(storeKey);
    this.computeAndStore(storeKey, key, refresh)
      .catch((error: unknown) => this.onRefreshError(error))
      .finally(() => this.refreshing.delete(storeKey));
  }
}

function parseStored(text: string | undefined): RfmStatistics | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as RfmStatistics;
    return typeof value.computedAt === 'string' && value.boundaries !== undefined ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The boundaries from the rfmBoundaries statement's row (`r_2`…`m_5`, `customers`). */
export function boundariesOf(row: Row): RfmBoundaries {
  const pick = (metric: string): Array<number | null> =>
    [2, 3, 4, 5].map((score) => {
      const value = row[`${metric}_${score}`];
      return value === null || value === undefined ? null : Number(value);
    });
  return { customers: Number(row.customers ?? 0), recencyDays: pick('r'), frequency: pick('f'), monetary: pick('m') };
}

/**
 * The boundaries from every scored customer's own measures (the rfmMeasures rows of the
 * whole base), exactly as the rfmBoundaries statement picks them: per metric, the value at
 * position ceil((s-1)N/5) of the base ordered worst first, for s in 2..5.
 */
export function boundariesOfMeasures(measures: Iterable<Pick<RawMeasures, 'recencyDays' | 'frequency' | 'monetary'>>): RfmBoundaries {
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  for (const m of measures) {
    recency.push(m.recencyDays);
    frequency.push(m.frequency);
    monetary.push(m.monetary);
  }
  const n = recency.length;
  recency.sort((a, b) => b - a);
  frequency.sort((a, b) => a - b);
  monetary.sort((a, b) => a - b);
  const pick = (sorted: ReadonlyArray<number>) => [2, 3, 4, 5].map((score) => (n === 0 ? null : sorted[Math.floor(((score - 1) * n + 4) / 5) - 1]!));
  return { customers: n, recencyDays: pick(recency), frequency: pick(frequency), monetary: pick(monetary) };
}

/**
 * One measure's 1-5 score: 1 + the number of boundaries it is strictly better than.
 * `better` is 'lower' for recency days, 'higher' for frequency and money.
 */
export function scoreOf(value: number, bounds: ReadonlyArray<number | null>, better: 'lower' | 'higher'): number {
  let score = 1;
  for (const bound of bounds) if (bound !== null && (better === 'lower' ? value < bound : value > bound)) score++;
  return score;
}

/** A customer's RFM cell (r, f, m) from its own measures and the cached boundaries. */
export function rfmCellOf(measures: RawMeasures, boundaries: RfmBoundaries): RfmMeasures {
  return {
    ...measures,
    r: scoreOf(measures.recencyDays, boundaries.recencyDays, 'lower'),
    f: scoreOf(measures.frequency, boundaries.frequency, 'higher'),
    m: scoreOf(measures.monetary, boundaries.monetary, 'higher'),
  };
}

const caches = new WeakMap<SharedStore, StatisticsCache>();

/** The one cache per runtime store (so per process, shared across replicas when the store is). */
export function statisticsCacheFor(store: SharedStore, settings: StatisticsSettings, onRefreshError?: (error: unknown) => void): StatisticsCache {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new StatisticsCache(store, settings, Date.now, onRefreshError);
    caches.set(store, cache);
  }
  return cache;
}
