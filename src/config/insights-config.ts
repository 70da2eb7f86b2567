/**
 * The `insights:` section of c360.yaml: the RFM window, the intent weights and decay, and
 * the segment map. Every segment is a rule on RFM measures, or "intent at least this level
 * and no purchase in the RFM window"; docs/insights.md lists the defaults.
 */
import { z } from 'zod';
import type { RfmMetric, RfmPredicate } from '../../connectors/contract.js';

export const INTENT_LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type IntentLevel = (typeof INTENT_LEVELS)[number];
export type SegmentFamily = 'GRID' | 'MARKETING';

export type SegmentRule =
  { readonly kind: 'rfm'; readonly when: RfmPredicate } | { readonly kind: 'intentWithoutPurchase'; readonly level: Exclude<IntentLevel, 'NONE'> };

export interface SegmentDefinition {
  readonly id: string;
  readonly label: string;
  readonly family: SegmentFamily;
  readonly rule: SegmentRule;
}

export interface InsightsConfig {
  readonly rfm: { readonly windowDays: number };
  readonly intent: {
    readonly lookbackDays: number;
    readonly halfLifeDays: number;
    /** Per web event type (PRODUCT_VIEW, SEARCH, ADD_TO_CART, CHECKOUT_STARTED). */
    readonly weights: Readonly<Record<string, number>>;
    /** A CRM store visit (interaction STORE_VISIT). */
    readonly storeVisitWeight: number;
    /** Lowest score of each level. */
    readonly levels: { readonly low: number; readonly medium: number; readonly high: number };
    /** Add-to-cart or checkout started this recently, with no order since: about to buy. */
    readonly aboutToBuyHours: number;
    /** Products and categories listed per customer. */
    readonly maxProducts: number;
  };
  /** In declared order; GRID segments must not overlap. */
  readonly segments: ReadonlyArray<SegmentDefinition>;
  /** Whole-base statistics (quintile boundaries): how long they are kept, refreshed before expiry. */
  readonly statistics: { readonly ttlMillis: number; readonly refreshAheadMillis: number; readonly refreshDeadlineMillis: number };
}

const DEFAULT_STATISTICS = { ttlSeconds: 900, refreshAheadSeconds: 120, refreshDeadlineSeconds: 120 };

const range = z.object({ min: z.number().optional(), max: z.number().optional() }).strict();
const metricKeys: ReadonlyArray<RfmMetric> = ['r', 'f', 'm', 'recencyDays', 'frequency', 'monetary', 'tenureDays'];
const predicateSchema = z
  .object(Object.fromEntries(metricKeys.map((key) => [key, range.optional()])) as Record<RfmMetric, z.ZodOptional<typeof range>>)
  .strict();

const segmentSchema = z
  .object({
    label: z.string().min(1),
    family: z.enum(['GRID', 'MARKETING']),
    when: predicateSchema.optional(),
    intentWithoutPurchase: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
  })
  .strict()
  .refine((segment) => (segment.when === undefined) !== (segment.intentWithoutPurchase === undefined), {
    message: 'give exactly one of "when" or "intentWithoutPurchase"',
  })
  .refine((segment) => segment.family === 'MARKETING' || segment.when !== undefined, { message: 'a GRID segment is an RFM rule ("when")' });

type RawSegment = z.infer<typeof segmentSchema>;

/** The standard grid on R and F (M breaks no cell), and the marketing team's segments. */
export const DEFAULT_SEGMENTS: Readonly<Record<string, RawSegment>> = {
  champions: { label: 'Champions', family: 'GRID', when: { r: { min: 5 }, f: { min: 4 } } },
  loyal: { label: 'Loyal', family: 'GRID', when: { r: { min: 3, max: 4 }, f: { min: 4 } } },
  potential_loyalists: { label: 'Potential loyalists', family: 'GRID', when: { r: { min: 4 }, f: { min: 2, max: 3 } } },
  new: { label: 'New', family: 'GRID', when: { r: { min: 5 }, f: { max: 1 } } },
  promising: { label: 'Promising', family: 'GRID', when: { r: { min: 4, max: 4 }, f: { max: 1 } } },
  need_attention: { label: 'Need attention', family: 'GRID', when: { r: { min: 3, max: 3 }, f: { min: 3, max: 3 } } },
  about_to_sleep: { label: 'About to sleep', family: 'GRID', when: { r: { min: 3, max: 3 }, f: { max: 2 } } },
  at_risk: { label: 'At risk', family: 'GRID', when: { r: { max: 2 }, f: { min: 3, max: 4 } } },
  cant_lose_them: { label: "Can't lose them", family: 'GRID', when: { r: { max: 2 }, f: { min: 5 } } },
  hibernating: { label: 'Hibernating', family: 'GRID', when: { r: { min: 2, max: 2 }, f: { max: 2 } } },
  lost: { label: 'Lost', family: 'GRID', when: { r: { max: 1 }, f: { max: 2 } } },
  first_time_buyers: { label: 'First-time buyers', family: 'MARKETING', when: { frequency: { min: 1, max: 1 } } },
  second_time_buyers: { label: 'Second-time buyers', family: 'MARKETING', when: { frequency: { min: 2, max: 2 } } },
  big_spenders: { label: 'Big spenders', family: 'MARKETING', when: { m: { min: 5 } } },
  compulsive_shoppers: { label: 'Compulsive shoppers', family: 'MARKETING', when: { f: { min: 5 }, recencyDays: { max: 30 } } },
  long_time_loyal: { label: 'Long-time loyal customers', family: 'MARKETING', when: { tenureDays: { min: 180 }, frequency: { min: 4 } } },
  window_shoppers: { label: 'Window-shoppers', family: 'MARKETING', intentWithoutPurchase: 'HIGH' },
};

const DEFAULT_INTENT = {
  lookbackDays: 30,
  halfLifeDays: 7,
  weights: { PRODUCT_VIEW: 1, SEARCH: 0.5, ADD_TO_CART: 3, CHECKOUT_STARTED: 5 },
  storeVisitWeight: 4,
  levels: { low: 1, medium: 5, high: 12 },
  aboutToBuyHours: 48,
  maxProducts: 5,
};

export const insightsSchema = z
  .object({
    rfm: z
      .object({ windowDays: z.int().min(1).max(36_500).default(365) })
      .strict()
      .default({ windowDays: 365 }),
    intent: z
      .object({
        lookbackDays: z.int().min(1).max(3_650).default(DEFAULT_INTENT.lookbackDays),
        halfLifeDays: z.number().positive().default(DEFAULT_INTENT.halfLifeDays),
        weights: z
          .object({ PRODUCT_VIEW: z.number().min(0), SEARCH: z.number().min(0), ADD_TO_CART: z.number().min(0), CHECKOUT_STARTED: z.number().min(0) })
          .partial()
          .strict()
          .default(DEFAULT_INTENT.weights),
        storeVisitWeight: z.number().min(0).default(DEFAULT_INTENT.storeVisitWeight),
        levels: z
          .object({ low: z.number().positive(), medium: z.number().positive(), high: z.number().positive() })
          .strict()
          .refine((levels) => levels.low < levels.medium && levels.medium < levels.high, { message: 'expected low < medium < high' })
          .default(DEFAULT_INTENT.levels),
        aboutToBuyHours: z.number().positive().default(DEFAULT_INTENT.aboutToBuyHours),
        maxProducts: z.int().min(0).max(50).default(DEFAULT_INTENT.maxProducts),
      })
      .strict()
      .default(DEFAULT_INTENT),
    /** Replaces the default map when given. */
    segments: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'segment ids are lower-case letters, digits and _'), segmentSchema)
      .superRefine((segments, context) => {
        const overlap = gridOverlap(segments);
        if (overlap !== undefined)
          context.addIssue({
            code: 'custom',
            path: [overlap.second],
            message: `GRID segments "${overlap.first}" and "${overlap.second}" overlap at R=${overlap.cell[0]} F=${overlap.cell[1]} M=${overlap.cell[2]}`,
          });
      })
      .default(DEFAULT_SEGMENTS),
    statistics: z
      .object({
        ttlSeconds: z.number().positive().max(86_400).default(DEFAULT_STATISTICS.ttlSeconds),
        refreshAheadSeconds: z.number().min(0).default(DEFAULT_STATISTICS.refreshAheadSeconds),
        refreshDeadlineSeconds: z.number().positive().max(3_600).default(DEFAULT_STATISTICS.refreshDeadlineSeconds),
      })
      .strict()
      .refine((statistics) => statistics.refreshAheadSeconds < statistics.ttlSeconds, { message: 'refreshAheadSeconds must be below ttlSeconds' })
      .default(DEFAULT_STATISTICS),
  })
  .strict()
  .default({ rfm: { windowDays: 365 }, intent: DEFAULT_INTENT, segments: DEFAULT_SEGMENTS, statistics: DEFAULT_STATISTICS });

/**
 * The first score cell two GRID segments both claim. Only rules on r, f and m can be
 * checked cell by cell; a GRID rule on other measures is taken as written.
 */
function gridOverlap(segments: Readonly<Record<string, RawSegment>>): { first: string; second: string; cell: [number, number, number] } | undefined {
  const grid = Object.entries(segments).filter(
    ([, segment]) =>
      segment.family === 'GRID' && segment.when !== undefined && Object.keys(segment.when).every((key) => key === 'r' || key === 'f' || key === 'm'),
  );
  const within = (range: { min?: number | undefined; max?: number | undefined } | undefined, value: number): boolean =>
    range === undefined || ((range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max));
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      for (let m = 1; m <= 5; m++) {
        const claimants = grid.filter(([, { when }]) => within(when?.r, r) && within(when?.f, f) && within(when?.m, m)).map(([id]) => id);
        if (claimants.length > 1) return { first: claimants[0]!, second: claimants[1]!, cell: [r, f, m] };
      }
    }
  }
  return undefined;
}

export function compileInsightsConfig(raw: z.infer<typeof insightsSchema>): InsightsConfig {
  const weights = Object.fromEntries(Object.entries(raw.intent.weights).filter((entry): entry is [string, number] => entry[1] !== undefined));
  return {
    rfm: raw.rfm,
    intent: { ...raw.intent, weights },
    statistics: {
      ttlMillis: raw.statistics.ttlSeconds * 1000,
      refreshAheadMillis: raw.statistics.refreshAheadSeconds * 1000,
      refreshDeadlineMillis: raw.statistics.refreshDeadlineSeconds * 1000,
    },
    segments: Object.entries(raw.segments).map(([id, segment]) => ({
      id,
      label: segment.label,
      family: segment.family,
      rule:
        segment.when !== undefined ? { kind: 'rfm', when: segment.when } : { kind: 'intentWithoutPurchase', level: segment.intentWithoutPurchase ?? 'HIGH' },
    })),
  };
}

/** The insights settings when c360.yaml has no `insights:` section. */
export function defaultInsightsConfig(): InsightsConfig {
  return compileInsightsConfig(insightsSchema.parse(undefined));
}
