/**
 * Issue 13, item 2: partner answers that cannot be differenced. A small world of eight
 * customers (six consented, in three segments); the attacker may send any subset of their
 * email hashes to `overlap`. For every pair of hash sets that differ only by one victim
 * (all 2^7 sets without the victim, for each victim), and for the victim moved to another
 * segment, the exact probability of every possible answer is computed under both worlds:
 * with the differential-privacy policy, no answer is more than e^ε (membership) or e^2ε
 * (segment) likelier in one than in the other. Without noise, the minimum group size now
 * holds for every released number, so the one-email oracle of the attack answers the same
 * whether the victim is known or not.
 */
import { describe, expect, it } from '@jest/globals';
import { worstRatio } from '../support/differencing.js';
import { PartnerBudget, releaseGroupCounts, type ReleasePolicy, type Uniform } from '../../src/privacy/partner/release-policy.js';

interface Person {
  readonly email: string;
  readonly consented: boolean;
  readonly segment: string;
}

const WORLD: ReadonlyArray<Person> = [
  { email: 'a1', consented: true, segment: 'champions' },
  { email: 'a2', consented: true, segment: 'champions' },
  { email: 'b1', consented: true, segment: 'loyal' },
  { email: 'b2', consented: true, segment: 'loyal' },
  { email: 'c1', consented: true, segment: 'unknown' },
  { email: 'c2', consented: true, segment: 'unknown' },
  { email: 'n1', consented: false, segment: 'champions' },
  { email: 'n2', consented: false, segment: 'loyal' },
];
const DOMAIN = new Set(['champions', 'loyal', 'at_risk', 'unknown']);
const EPSILON = Math.log(2);
const DP: ReleasePolicy = {
  minGroupSize: 2,
  roundTo: 1,
  minOverlapHashes: 2,
  epsilonPerQuery: EPSILON,
  epsilonPerPeriod: 10 * EPSILON,
  queriesPerPeriod: 1_000,
  periodMillis: 86_400_000,
};
const K_ONLY: ReleasePolicy = { ...DP, epsilonPerQuery: undefined, epsilonPerPeriod: undefined, minGroupSize: 3, roundTo: 1 };

/** What the overlap computation hands the release policy: consented matches per segment. */
function overlapCounts(world: ReadonlyArray<Person>, hashes: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const person of world) if (person.consented && hashes.has(person.email)) counts.set(person.segment, (counts.get(person.segment) ?? 0) + 1);
  return counts;
}

function* subsets<T>(items: ReadonlyArray<T>): Generator<Set<T>> {
  for (let mask = 0; mask < 2 ** items.length; mask++) yield new Set(items.filter((_, index) => (mask >> index) & 1));
}

// total and suppressedGroups are functions of the released groups (checked below), so the
// per-group bound of ../support/differencing.ts bounds the whole answer.
describe('overlap answers over every subset pair of a small world', () => {
  const emails = WORLD.map((person) => person.email);

  it('never tell whether a victim is in the set by more than e^ε, with differential privacy', () => {
    let pairs = 0;
    let worst = 0;
    for (const victim of emails) {
      for (const without of subsets(emails.filter((email) => email !== victim))) {
        worst = Math.max(worst, worstRatio(overlapCounts(WORLD, new Set([...without, victim])), overlapCounts(WORLD, without), DOMAIN, DP, 60));
        pairs++;
      }
    }
    expect(pairs).toBe(8 * 2 ** 7);
    expect(worst).toBeLessThanOrEqual(Math.exp(EPSILON) * (1 + 1e-9));
    // The bound is reached (a consented victim's segment count moves by one): the test measures, it does not pass vacuously.
    expect(worst).toBeGreaterThan(Math.exp(EPSILON) * 0.99);
  });

  it('never tell which segment a victim is in by more than e^2ε', () => {
    let worst = 0;
    for (const [index, victim] of WORLD.entries()) {
      if (!victim.consented) continue;
      for (const segment of DOMAIN) {
        if (segment === victim.segment) continue;
        const moved = WORLD.map((person, i) => (i === index ? { ...person, segment } : person));
        for (const hashes of subsets(emails)) worst = Math.max(worst, worstRatio(overlapCounts(WORLD, hashes), overlapCounts(moved, hashes), DOMAIN, DP, 60));
      }
    }
    expect(worst).toBeLessThanOrEqual(Math.exp(2 * EPSILON) * (1 + 1e-9));
    expect(worst).toBeGreaterThan(Math.exp(EPSILON));
  });

  it('releases total and suppressedGroups as functions of the released groups only', () => {
    // The same noise draws on two neighbouring worlds: whenever the groups come out equal, so does everything else.
    let seed = 1;
    const stream = (): Uniform => {
      let state = seed++;
      return () => {
        state = (state * 48_271) % 2_147_483_647;
        return (state + 0.5) / 2_147_483_647;
      };
    };
    let equalGroups = 0;
    for (const victim of emails) {
      for (const without of subsets(emails.filter((email) => email !== victim))) {
        const draw = stream();
        const draws = Array.from({ length: 64 }, draw);
        const replay = (): Uniform => {
          let at = 0;
          return () => draws[at++ % draws.length]!;
        };
        const a = releaseGroupCounts(overlapCounts(WORLD, new Set([...without, victim])), DP, DOMAIN, replay());
        const b = releaseGroupCounts(overlapCounts(WORLD, without), DP, DOMAIN, replay());
        if (JSON.stringify(a.groups) === JSON.stringify(b.groups)) {
          equalGroups++;
          expect(a).toEqual(b);
        }
      }
    }
    expect(equalGroups).toBeGreaterThan(0);
  });

  it('answers one probed email exactly as an unknown one, with k alone (the attack: suppressedGroups 1 against 0)', () => {
    for (const victim of emails) {
      const probe = releaseGroupCounts(overlapCounts(WORLD, new Set([victim, 'x1', 'x2'])), K_ONLY, DOMAIN);
      const unknown = releaseGroupCounts(overlapCounts(WORLD, new Set(['x1', 'x2', 'x3'])), K_ONLY, DOMAIN);
      expect(probe).toEqual(unknown);
      const noDomain = releaseGroupCounts(overlapCounts(WORLD, new Set([victim])), K_ONLY, undefined);
      expect(noDomain).toEqual(releaseGroupCounts(new Map(), K_ONLY, undefined));
    }
  });
});

describe('partner budgets', () => {
  it('refuses the query past the period allowance and the ε past the privacy budget, then renews with the period', () => {
    let now = 0;
    const budget = new PartnerBudget(() => now);
    const policy: ReleasePolicy = { ...DP, queriesPerPeriod: 3, epsilonPerPeriod: 2 * EPSILON, periodMillis: 1_000 };
    budget.spend('acme', policy, EPSILON);
    budget.spend('acme', policy, EPSILON);
    expect(() => budget.spend('acme', policy, EPSILON)).toThrow(/privacy budget/);
    budget.spend('acme', policy, 0);
    expect(() => budget.spend('acme', policy, 0)).toThrow(/at most 3 partner queries/);
    budget.spend('globex', policy, EPSILON);
    now = 1_000;
    expect(() => budget.spend('acme', policy, EPSILON)).not.toThrow();
    let refusal: unknown;
    try {
      budget.spend('acme', { ...policy, queriesPerPeriod: 1 }, 0);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ extensions: { code: 'PRIVACY_BUDGET_EXHAUSTED', retryAfterSeconds: 1 } });
  });
});
