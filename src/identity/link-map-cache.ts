/**
 * The bulk link map (./bulk-link.ts) kept for a short time, as the insights statistics are
 * (src/insights/statistics.ts): building it scans every identifier of both person sources,
 * which a whole-base operation (a CSV export, a partner aggregate, a walk through a segment)
 * should pay once, not once per call and never once per page.
 *
 * - A map is fresh for `ttlMillis` from the moment its scans started; a read older than
 *   `ttlMillis - refreshAheadMillis` still answers with it and starts one background rebuild.
 * - `get` waits: a fresh map, else the build under way, else a build through the caller's
 *   loaders (so its statements are in the caller's trace and under the caller's deadline).
 * - `peek` never waits: a fresh map or undefined, and undefined starts a background build
 *   (bounded by `buildDeadlineMillis`; after a failure, none again for `refreshAheadMillis`
 *   or one minute, so a base over `analytics.maxLinkedRows` is not rescanned on every page).
 * - At most one build at a time; while a rebuild runs the old map still answers, so memory
 *   briefly holds two maps (`stats.heapBytes` each).
 *
 * What a map links is what the sources held when its scans ran: records created since are
 * unknown to it (`BulkLinks.knows`) and their customers are linked the per-customer way;
 * identifiers changed since are seen at the next build. The record's own fields are always
 * read live, by key. The map is kept in process (it is tens of MB of typed arrays at 100k
 * records per source, not worth a network round trip per read), and its age is shown to
 * callers (the x-c360-links-as-of header of an export, `linksAsOf` in traced responses).
 */
import type { Connector } from '../../connectors/contract.js';
import { DEFAULT_ANALYTICS_CONFIG } from '../config/analytics-config.js';
import type { C360Config } from '../config/types.js';
import type { Runtime } from '../gateway/runtime.js';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import { Loaders } from '../loading/loaders.js';
import { bulkLink, bulkLinkingApplies, type BulkLinks } from './bulk-link.js';

export interface LinkMapSettings {
  readonly ttlMillis: number;
  readonly refreshAheadMillis: number;
  readonly buildDeadlineMillis: number;
  /** Filtered customer pages read through a fresh map (and warm one in the background). */
  readonly filteredPages: boolean;
  /** Rows per source one map may hold (analytics.maxLinkedRows). */
  readonly maxRows: number;
  /** Built at start and rebuilt every ttlMillis - refreshAheadMillis (startKeepingWarm). */
  readonly keepWarm?: boolean;
  /** keepWarm came from `auto`: a base too large to link in bulk stops it (see buildInBackground). */
  readonly keepWarmAuto?: boolean;
}

export interface CachedLinkMap {
  readonly links: BulkLinks;
  /** Epoch milliseconds when its scans started. */
  readonly builtAt: number;
}

/** Rows per identifier scan statement: 20 statements per source at 100k records (20,000 rows cost the build +14 MB of RSS). */
export const LINK_MAP_SCAN_CHUNK = 5_000;
const RETRY_AFTER_FAILURE_MILLIS = 60_000;

export class LinkMapCache {
  private current: CachedLinkMap | undefined;
  private building: Promise<CachedLinkMap> | undefined;
  private failedAt: number | undefined;
  /** Builds started since the process began (for tests and metrics). */
  builds = 0;

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    readonly settings: LinkMapSettings,
    private readonly now: () => number = Date.now,
    private readonly onBackgroundError: (error: unknown) => void = () => undefined,
  ) {}

  /** Bulk linking applies to this config (deterministic rules, both person sources mapped). */
  applies(loaders: Loaders): boolean {
    return bulkLinkingApplies(loaders, this.config.identity);
  }

  /** Milliseconds since the current map's scans started; undefined with no map. */
  ageMillis(): number | undefined {
    return this.current === undefined ? undefined : this.now() - this.current.builtAt;
  }

  /** A fresh map: the cached one, the build under way, or one built now through `loaders`. */
  async get(loaders: Loaders): Promise<CachedLinkMap> {
    return this.fresh() ?? this.building ?? this.build(loaders);
  }

  /** A fresh map without waiting; with none, a background build starts and the caller goes on without. */
  peek(): CachedLinkMap | undefined {
    const fresh = this.fresh();
    if (fresh === undefined) this.buildInBackground();
    return fresh;
  }

  private warmTimer: NodeJS.Timeout | undefined;
  private stopping = new AbortController();
  /** keepWarm's first build while it runs: the gateway is not ready before it settled (/ready "warming"). */
  private firstWarmBuild: Promise<CachedLinkMap> | undefined;

  /** keepWarm's first build is under way (a whole-base operation now would wait for it). */
  warming(): boolean {
    return this.firstWarmBuild !== undefined;
  }

  /** For /ready: whether a map is there, its age, and the last background failure. */
  readyNote(): Record<string, unknown> {
    const age = this.ageMillis();
    return {
      state: this.warming() ? 'warming' : this.fresh() !== undefined ? 'fresh' : this.building !== undefined ? 'building' : 'none',
      // Whether it keeps the map warm now (auto stops on a base too large to link in bulk).
      keepWarm: this.warmTimer !== undefined,
      ...(age === undefined ? {} : { ageSeconds: Math.round(age / 1000) }),
      ...(this.failedAt === undefined ? {} : { lastFailure: new Date(this.failedAt).toISOString() }),
    };
  }

  /**
   * With keepWarm: one build now, then one every ttlMillis - refreshAheadMillis, so a fresh
   * map is always there (between the first build's end and process exit). The timer does not
   * keep the process alive; stop() ends it.
   */
  startKeepingWarm(): void {
    if (this.settings.keepWarm !== true || this.warmTimer !== undefined) return;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.buildInBackground();
    const first = this.building;
    if (first !== undefined) {
      this.firstWarmBuild = first;
      void first.then(
        () => (this.firstWarmBuild = undefined),
        () => (this.firstWarmBuild = undefined),
      );
    }
    this.warmTimer = setInterval(() => this.buildInBackground(), Math.max(1_000, this.settings.ttlMillis - this.settings.refreshAheadMillis));
    this.warmTimer.unref();
  }

  stop(): void {
    this.stopTimer();
    // A build under way ends with its statements' abort, not when the connections close under it.
    this.stopping.abort();
  }

  private stopTimer(): void {
    if (this.warmTimer !== undefined) clearInterval(this.warmTimer);
    this.warmTimer = undefined;
  }

  /** keepWarm's first build has settled (at once when there is none). */
  async warmed(): Promise<void> {
    await this.firstWarmBuild?.catch(() => undefined);
  }

  /**
   * A fresh map, waiting at most `millis` for a build under way (none under way: as peek).
   * For a walk's next page: the walk goes on per customer only while the map is far from ready.
   */
  async within(millis: number): Promise<CachedLinkMap | undefined> {
    const building = this.building;
    const fresh = this.peek();
    if (fresh !== undefined || building === undefined) return fresh;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), millis)));
    try {
      return await Promise.race([building.catch(() => undefined), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the map (tests; an operator who knows the sources changed). */
  clear(): void {
    this.current = undefined;
    this.failedAt = undefined;
  }

  private fresh(): CachedLinkMap | undefined {
    const current = this.current;
    if (current === undefined) return undefined;
    const age = this.now() - current.builtAt;
    if (age >= this.settings.ttlMillis) return undefined;
    if (age >= this.settings.ttlMillis - this.settings.refreshAheadMillis) this.buildInBackground();
    return current;
  }

  private build(loaders: Loaders): Promise<CachedLinkMap> {
    const builtAt = this.now();
    this.builds++;
    const building = bulkLink(loaders, this.config.identity, { maxRows: this.settings.maxRows, scanChunk: LINK_MAP_SCAN_CHUNK })
      .then((links): CachedLinkMap => {
        const entry: CachedLinkMap = { links, builtAt };
        // A slower build that started earlier never replaces a newer map.
        if (this.current === undefined || this.current.builtAt <= builtAt) this.current = entry;
        this.failedAt = undefined;
        return entry;
      })
      .finally(() => {
        if (this.building === building) this.building = undefined;
      });
    this.building = building;
    return building;
  }

  private buildInBackground(): void {
    if (this.building !== undefined) return;
    const retryAfter = Math.max(this.settings.refreshAheadMillis, RETRY_AFTER_FAILURE_MILLIS);
    if (this.failedAt !== undefined && this.now() - this.failedAt < retryAfter) return;
    if (this.stopping.signal.aborted) return;
    const signal = AbortSignal.any([AbortSignal.timeout(this.settings.buildDeadlineMillis), this.stopping.signal]);
    const loaders = new Loaders(this.config, this.connectors, { signal });
    if (!this.applies(loaders)) return;
    this.build(loaders).catch((error: unknown) => {
      this.failedAt = this.now();
      if (this.stopping.signal.aborted) return;
      // keepWarm by default (auto) on a base past analytics.maxLinkedRows: said once, not at every
      // tick; whole-base operations refuse with the same error, as without keepWarm.
      if (this.settings.keepWarmAuto === true && error instanceof GraphQLError && error.extensions.code === ErrorCode.ANALYTICS_TOO_COSTLY) this.stopTimer();
      this.onBackgroundError(error);
    });
  }
}

const caches = new WeakMap<ReadonlyMap<string, Connector>, LinkMapCache>();

/**
 * keepWarm `auto`: on wherever a map can be built (both person sources mapped, deterministic
 * rules only). Whole-base operations (the export, segment walks, partner aggregates) then never
 * pay a build (4-6 s and RSS +46-61 MB at 150k records), at the cost of one build every
 * ttlSeconds - refreshAheadSeconds, read or not (bench/README-insights.md).
 */
function bulkLinkingConfigured(config: C360Config): boolean {
  return config.identity.probabilistic?.enabled !== true && config.entities.contact !== undefined && config.entities.shopCustomer !== undefined;
}

/** The one cache of a runtime's connectors (each process builds its own map). */
export function linkMapCacheFor(
  config: C360Config,
  connectors: ReadonlyMap<string, Connector>,
  onBackgroundError?: (error: unknown) => void,
  now?: () => number,
): LinkMapCache {
  let cache = caches.get(connectors);
  if (cache === undefined) {
    const { linkMap, maxLinkedRows } = config.analytics ?? DEFAULT_ANALYTICS_CONFIG;
    cache = new LinkMapCache(
      config,
      connectors,
      {
        ttlMillis: linkMap.ttlSeconds * 1000,
        refreshAheadMillis: linkMap.refreshAheadSeconds * 1000,
        buildDeadlineMillis: linkMap.buildDeadlineSeconds * 1000,
        filteredPages: linkMap.filteredPages,
        keepWarm: linkMap.keepWarm === 'auto' ? bulkLinkingConfigured(config) : linkMap.keepWarm,
        keepWarmAuto: linkMap.keepWarm === 'auto',
        maxRows: maxLinkedRows,
      },
      now,
      onBackgroundError,
    );
    caches.set(connectors, cache);
  }
  return cache;
}

/** linkMapCacheFor a runtime, its background failures logged. */
export function linkMapCacheOf(runtime: Runtime): LinkMapCache {
  return linkMapCacheFor(runtime.config, runtime.connectors, (error) => runtime.logger.warn({ err: error }, 'link map build failed'));
}
