import type { ComparisonLevel, FieldModel, MatchModel, MatchRecord } from './scoring.js';
import { pairLevels, probabilityOfWeight } from './scoring.js';

/** Options for {@link estimateModel}. */
export interface EstimateModelOptions {
  readonly maxIterations?: number;
  /** Stop once no m, u or λ moves by more than this. */
  readonly tolerance?: number;
}

/** The fitted model and whether EM settled before `maxIterations`. */
export interface EstimatedModel {
  readonly model: MatchModel;
  readonly iterations: number;
  readonly converged: boolean;
}

// Added to every level count so an unseen level keeps a small probability: a zero m
// or u would give an infinite weight and freeze EM there.
const PSEUDO_COUNT = 0.01;
const MIN_PRIOR = 1e-9;

/**
 * Fits λ and every level's m and u to unlabeled candidate pairs by expectation–
 * maximization (Winkler 1988), starting from `initial`, which also fixes the fields,
 * comparisons and level names and breaks the match/non-match symmetry (EM keeps the
 * side where agreement is likelier as "match"). Fields missing on either side of a
 * pair take no part in that pair's update.
 */
export function estimateModel(
  pairs: ReadonlyArray<readonly [MatchRecord, MatchRecord]>,
  initial: MatchModel,
  options: EstimateModelOptions = {},
): EstimatedModel {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  // Levels do not change between iterations; only the weights do.
  const observed = pairs.map(([a, b]) => pairLevels(a, b, initial).map((p) => p.level));
  if (observed.length === 0) return { model: initial, iterations: 0, converged: true };

  let model = initial;
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const posteriors = observed.map((levels) => matchPosterior(levels, model));
    const next = maximize(observed, posteriors, model);
    if (largestChange(model, next) <= tolerance) {
      return { model: next, iterations: iteration, converged: true };
    }
    model = next;
  }
  return { model, iterations: maxIterations, converged: false };
}

function matchPosterior(levels: ReadonlyArray<number | null>, model: MatchModel): number {
  let weight = Math.log2(model.prior / (1 - model.prior));
  model.fields.forEach((field, i) => {
    const level = levels[i];
    const chosen = level === null || level === undefined ? undefined : field.levels[level];
    if (chosen !== undefined) weight += Math.log2(chosen.m / chosen.u);
  });
  return probabilityOfWeight(weight);
}

function maximize(observed: ReadonlyArray<ReadonlyArray<number | null>>, posteriors: ReadonlyArray<number>, model: MatchModel): MatchModel {
  const matchMass = posteriors.reduce((s, g) => s + g, 0);
  const prior = clamp(matchMass / posteriors.length, MIN_PRIOR, 1 - MIN_PRIOR);
  const fields: FieldModel[] = model.fields.map((field, f) => {
    const mCounts = field.levels.map(() => PSEUDO_COUNT);
    const uCounts = field.levels.map(() => PSEUDO_COUNT);
    observed.forEach((levels, j) => {
      const level = levels[f];
      const g = posteriors[j] ?? 0;
      if (level === null || level === undefined || level >= field.levels.length) return;
      mCounts[level] = (mCounts[level] ?? 0) + g;
      uCounts[level] = (uCounts[level] ?? 0) + (1 - g);
    });
    const mTotal = mCounts.reduce((s, c) => s + c, 0);
    const uTotal = uCounts.reduce((s, c) => s + c, 0);
    const levels: ComparisonLevel[] = field.levels.map((level, l) => ({
      name: level.name,
      m: (mCounts[l] ?? 0) / mTotal,
      u: (uCounts[l] ?? 0) / uTotal,
    }));
    return { ...field, levels };
  });
  return { prior, fields };
}

function largestChange(before: MatchModel, after: MatchModel): number {
  let largest = Math.abs(before.prior - after.prior);
  before.fields.forEach((field, f) => {
    field.levels.forEach((level, l) => {
      const updated = after.fields[f]?.levels[l];
      if (updated === undefined) return;
      largest = Math.max(largest, Math.abs(level.m - updated.m), Math.abs(level.u - updated.u));
    });
  });
  return largest;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}
