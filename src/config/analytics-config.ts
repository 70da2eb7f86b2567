/**
 * The `analytics:` section of c360.yaml: how much one cube query (Query.analytics) may
 * cost. Every key has a default, so the section can be left out (docs/analytics.md).
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** analytics.linkMap when left out (src/identity/link-map-cache.ts). */
const DEFAULT_LINK_MAP = { ttlSeconds: 600, refreshAheadSeconds: 60, buildDeadlineSeconds: 300, filteredPages: true, keepWarm: 'auto' as const };

export const analyticsSchema = z
  .object({
    /** Groups one answer may hold before `limit` (and the largest `limit`). */
    maxGroups: positiveInt.default(5_000),
    /** Known groups (time buckets x enumerated dimensions) x sources a query touches, checked before any source is called. */
    maxCost: positiveInt.default(50_000),
    /** Rows a bulk-linked query may read from one source (per-customer partial groups, identifiers, tickets). */
    maxLinkedRows: positiveInt.default(2_000_000),
    /**
     * Shop customer ids one cross-source statement lists at most (the slices of a bulk-linked
     * query). Each slice reads its range of the orders, so one slice (one scan) is the fastest;
     * the cap keeps a MySQL statement under max_allowed_packet (about 8 bytes an id).
     */
    sliceIds: positiveInt.max(2_000_000).default(500_000),
    /**
     * The bulk link map (src/identity/link-map-cache.ts): kept `ttlSeconds` after its scans
     * started, rebuilt in the background from `refreshAheadSeconds` before that, a background
     * build bounded by `buildDeadlineSeconds`. `filteredPages`: filtered customer pages
     * (segment walks) read through a fresh map and start one in the background when there is none.
     * `keepWarm`: the gateway builds one at start and keeps it fresh; `auto` (the default) does
     * wherever a map can be built (both person sources mapped, no probabilistic matching): the
     * export, segment walks and partner aggregates then never pay a build (4-6 s and RSS
     * +46-61 MB at 150k records), at one background build every ttlSeconds - refreshAheadSeconds.
     */
    linkMap: z
      .object({
        ttlSeconds: z.number().positive().max(86_400).default(DEFAULT_LINK_MAP.ttlSeconds),
        refreshAheadSeconds: z.number().min(0).default(DEFAULT_LINK_MAP.refreshAheadSeconds),
        buildDeadlineSeconds: z.number().positive().max(3_600).default(DEFAULT_LINK_MAP.buildDeadlineSeconds),
        filteredPages: z.boolean().default(DEFAULT_LINK_MAP.filteredPages),
        /**
         * Build at start and rebuild every ttlSeconds - refreshAheadSeconds, read or not: whole-base
         * operations never wait for a build, and /ready answers 503 "warming" until the first build
         * settled. `auto`: on wherever bulk linking applies (both person sources mapped, no probabilistic matching).
         */
        keepWarm: z.union([z.boolean(), z.literal('auto')], { error: 'keepWarm is true, false or "auto"' }).default(DEFAULT_LINK_MAP.keepWarm),
      })
      .strict()
      .refine((linkMap) => linkMap.refreshAheadSeconds < linkMap.ttlSeconds, { message: 'refreshAheadSeconds must be below ttlSeconds' })
      .default(DEFAULT_LINK_MAP),
  })
  .strict();

export type AnalyticsConfig = z.infer<typeof analyticsSchema>;

export const DEFAULT_ANALYTICS_CONFIG: AnalyticsConfig = analyticsSchema.parse({});
