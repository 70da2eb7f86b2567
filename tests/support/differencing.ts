/**
 * The differencing bound the partner tests check: for two neighbouring worlds' group counts,
 * the largest P_A(answer) / P_B(answer) of the released answer. Groups get independent noise,
 * so the joint ratio is the product of the per-group worst ratios over the domain.
 */
import { releasedCountDistribution, type ReleasePolicy } from '../../src/privacy/partner/release-policy.js';

const distributions = new Map<string, Map<number | null, number>>();

/** The distribution of the released value of a true count, summed over `span` noise values each side (memoized). */
export function distributionOf(count: number, policy: ReleasePolicy, span: number): Map<number | null, number> {
  const key = `${count}|${policy.epsilonPerQuery}|${policy.minGroupSize}|${policy.roundTo}|${span}`;
  let distribution = distributions.get(key);
  if (distribution === undefined) distributions.set(key, (distribution = releasedCountDistribution(count, policy, span)));
  return distribution;
}

export function worstRatio(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  domain: Iterable<string>,
  policy: ReleasePolicy,
  span: number,
): number {
  let ratio = 1;
  for (const key of domain) {
    const [left, right] = [distributionOf(a.get(key) ?? 0, policy, span), distributionOf(b.get(key) ?? 0, policy, span)];
    let worst = 1;
    for (const answer of new Set([...left.keys(), ...right.keys()])) {
      const [p, q] = [left.get(answer) ?? 0, right.get(answer) ?? 0];
      // Tail mass below 1e-12 is the summation span, not the mechanism.
      if (p < 1e-12 && q < 1e-12) continue;
      worst = Math.max(worst, p / q, q / p);
    }
    ratio *= worst;
  }
  return ratio;
}
