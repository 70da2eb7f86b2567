/**
 * What a partner may be told, applied to whatever counts or rows the computation returns
 * (docs/privacy.md, "Partner release policy"). The computation (./resolvers.ts, or
 * aggregate statements) only counts; this module decides what leaves:
 *
 * - every released number meets the minimum group size k: a group's count, the total,
 *   and the number of suppressed groups (which answered `1` for one probed email before);
 * - counts are rounded down to a multiple of `roundTo`;
 * - optionally, each count first gets two-sided geometric (discrete Laplace) noise of scale
 *   1/ε, so one customer in or out changes any answer's probability by at most e^ε, with
 *   a per-partner ε budget per period; without it, k and rounding alone do not stop
 *   differencing two large sets (see the privacy model);
 * - an overlap runs only on at least `minOverlapHashes` hashes;
 * - a per-partner query budget per period;
 * - audience rows are k-anonymous on the released combination of generalized attributes,
 *   generalized further (département → region, then age band, categories, intent) until
 *   every released combination is shared by at least k consented customers.
 */
import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../errors/codes.js';
import type { GroupCounts } from './suppression.js';

export interface ReleasePolicy {
  readonly minGroupSize: number;
  readonly roundTo: number;
  readonly minOverlapHashes: number;
  /** ε spent by each aggregate answer; undefined: no noise. */
  readonly epsilonPerQuery: number | undefined;
  /** ε a partner may spend per period; undefined with no noise. */
  readonly epsilonPerPeriod: number | undefined;
  readonly queriesPerPeriod: number;
  readonly periodMillis: number;
}

/** A uniform number in (0, 1) from the OS generator. */
export type Uniform = () => number;

export const secureUniform: Uniform = () => (Number(randomBytes(8).readBigUInt64BE(0) >> 11n) + 0.5) / 2 ** 53;

/** Two-sided geometric noise: P(z) = (1 − α)/(1 + α) · α^|z|, α = e^−ε. */
export function geometricNoise(epsilon: number, uniform: Uniform): number {
  const alpha = Math.exp(-epsilon);
  const draw = () => Math.floor(Math.log(uniform()) / Math.log(alpha));
  return draw() - draw();
}

/** A count as released: null when below k (after noise), else rounded down to a multiple of `roundTo`. */
export function releasedCount(noisy: number, policy: Pick<ReleasePolicy, 'minGroupSize' | 'roundTo'>): number | null {
  if (noisy < policy.minGroupSize) return null;
  return Math.max(policy.minGroupSize, Math.floor(noisy / policy.roundTo) * policy.roundTo);
}

/**
 * The exact distribution of one group's released value for a true count (null: suppressed),
 * summing the noise over ±`span`. For the privacy test: the ratio of two neighbouring
 * counts' distributions bounds what any answer can tell.
 */
export function releasedCountDistribution(trueCount: number, policy: ReleasePolicy, span = 200): Map<number | null, number> {
  const distribution = new Map<number | null, number>();
  if (policy.epsilonPerQuery === undefined) {
    distribution.set(releasedCount(trueCount, policy), 1);
    return distribution;
  }
  const alpha = Math.exp(-policy.epsilonPerQuery);
  for (let z = -span; z <= span; z++) {
    const value = releasedCount(trueCount + z, policy);
    distribution.set(value, (distribution.get(value) ?? 0) + ((1 - alpha) / (1 + alpha)) * alpha ** Math.abs(z));
  }
  return distribution;
}

/**
 * Counts per group as released. `domain` is every value the dimension can take, known
 * without the data (age bands, départements, configured segments); with it, the number of
 * suppressed groups is the domain less the groups shown, a function of what is released.
 * Without one (product categories), that number is itself held to k.
 */
export function releaseGroupCounts(
  counts: ReadonlyMap<string, number>,
  policy: ReleasePolicy,
  domain: ReadonlySet<string> | undefined,
  uniform: Uniform = secureUniform,
): GroupCounts {
  const values = domain === undefined ? [...counts.keys()] : [...new Set([...domain, ...counts.keys()])];
  const shown: Array<{ value: string; count: number }> = [];
  for (const value of values) {
    const exact = counts.get(value) ?? 0;
    const noisy = policy.epsilonPerQuery === undefined ? exact : exact + geometricNoise(policy.epsilonPerQuery, uniform);
    const released = releasedCount(noisy, policy);
    if (released !== null) shown.push({ value, count: released });
  }
  shown.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const total = shown.reduce((sum, group) => sum + group.count, 0);
  const hidden = values.length - shown.length;
  return {
    groups: shown,
    total: total >= policy.minGroupSize ? total : null,
    // With a domain, a function of the released groups; without, a count that must itself reach k.
    suppressedGroups: domain !== undefined || hidden >= policy.minGroupSize ? hidden : 0,
    minGroupSize: policy.minGroupSize,
  };
}

interface Spending {
  periodStartMillis: number;
  queries: number;
  epsilon: number;
}

/** Queries and ε spent per partner in the current period; in memory, per process (docs/privacy.md). */
export class PartnerBudget {
  private readonly spending = new Map<string, Spending>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Spends one query (and `epsilon`) of `partner`'s period, or throws PRIVACY_BUDGET_EXHAUSTED. */
  spend(partner: string, policy: ReleasePolicy, epsilon: number): void {
    const nowMillis = this.now();
    let spent = this.spending.get(partner);
    if (spent === undefined || nowMillis - spent.periodStartMillis >= policy.periodMillis) {
      spent = { periodStartMillis: nowMillis, queries: 0, epsilon: 0 };
      this.spending.set(partner, spent);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((spent.periodStartMillis + policy.periodMillis - nowMillis) / 1000));
    if (spent.queries + 1 > policy.queriesPerPeriod) throw budgetError(`at most ${policy.queriesPerPeriod} partner queries per period`, retryAfterSeconds);
    if (policy.epsilonPerPeriod !== undefined && spent.epsilon + epsilon > policy.epsilonPerPeriod + 1e-9)
      throw budgetError(`the privacy budget (ε ${policy.epsilonPerPeriod}) of this period is spent`, retryAfterSeconds);
    spent.queries += 1;
    spent.epsilon += epsilon;
  }
}

function budgetError(what: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Partner budget exhausted: ${what}. Retry in ${retryAfterSeconds} s.`, {
    extensions: { code: ErrorCode.PRIVACY_BUDGET_EXHAUSTED, retryAfterSeconds },
  });
}

/** The generalized attributes of one audience row that, together, could single someone out. */
export interface QuasiIdentifiers {
  readonly ageBand: string | null;
  readonly departement: string | null;
  readonly region: string | null;
  readonly segment: string | null;
  readonly intentLevel: string | null;
  readonly productCategories: ReadonlyArray<string>;
}

/** Each step releases less: département first (region stays), then age band, categories, intent, region. */
const GENERALIZATION_LADDER: ReadonlyArray<(row: QuasiIdentifiers) => QuasiIdentifiers> = [
  (row) => row,
  (row) => ({ ...row, departement: null }),
  (row) => ({ ...row, departement: null, ageBand: null }),
  (row) => ({ ...row, departement: null, ageBand: null, productCategories: [] }),
  (row) => ({ ...row, departement: null, ageBand: null, productCategories: [], intentLevel: null }),
  (row) => ({ ...row, departement: null, ageBand: null, productCategories: [], intentLevel: null, region: null }),
  (row) => ({ ...row, departement: null, ageBand: null, productCategories: [], intentLevel: null, region: null, segment: null }),
];

const signature = (row: QuasiIdentifiers) =>
  JSON.stringify([row.ageBand, row.departement, row.region, row.segment, row.intentLevel, [...row.productCategories].sort()]);

/**
 * The rows as released: each at the least general level of the ladder whose combination
 * is shared by at least k rows of `population` (the whole consented audience, generalized
 * the same way). The last level releases nothing but the pseudonym's existence.
 */
export function kAnonymize<T extends QuasiIdentifiers>(rows: ReadonlyArray<T>, population: ReadonlyArray<QuasiIdentifiers>, minGroupSize: number): T[] {
  const countsAt = GENERALIZATION_LADDER.map((step) => {
    const counts = new Map<string, number>();
    for (const member of population) {
      const key = signature(step(member));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  });
  return rows.map((row) => {
    for (let level = 0; level < GENERALIZATION_LADDER.length; level++) {
      const generalized = GENERALIZATION_LADDER[level]!(row);
      if ((countsAt[level]!.get(signature(generalized)) ?? 0) >= minGroupSize) return { ...row, ...generalized };
    }
    return { ...row, ...GENERALIZATION_LADDER.at(-1)!(row) };
  });
}
