/**
 * Fitting the person model to the operator's own records, with no labels, the way Splink
 * trains (u from random pairs, m by expectation–maximisation over blocked pairs):
 * - u, the chance agreement of two different people, is counted on random record pairs
 *   (almost all of which are different people);
 * - m, the agreement of one person's records, is estimated by EM over the pairs the
 *   blocking rules produce (same birth date, same surname, same postcode), starting from
 *   the shipped French model, which fixes the fields, levels and names;
 * - the prior is one match per record of the right-hand side among all pairs;
 * - a personal identification number (`nationalId`) is a field of the fitted model when
 *   records of both sides carry one.
 * Used by `c360 identity fit` and bench/febrl-fit.ts.
 */
import type { Row } from '../../connectors/contract.js';
import { estimateModel } from './estimate-model.js';
import { DEFAULT_PERSON_MODEL, NATIONAL_ID_FIELD } from './person-model.js';
import { blockingKey, matchRecordOf } from './probabilistic.js';
import { normalizeIdentifier, pairLevels, type MatchModel, type MatchRecord } from './scoring.js';

export interface FitOptions {
  /** Random pairs u is counted on. */
  readonly randomPairs?: number;
  /** At most this many candidate pairs per record go to EM (the largest blocks are the least informative). */
  readonly candidatesPerRecord?: number;
  readonly seed?: number;
  readonly initial?: MatchModel;
}

export interface FittedModel {
  readonly model: MatchModel;
  readonly candidatePairs: number;
  readonly randomPairs: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const BLOCKS = ['birthDate', 'lastName', 'postcode'] as const;

function blockKeysOf(row: Row): string[] {
  return BLOCKS.flatMap((field) => {
    const key = blockingKey(field, row);
    return key === null ? [] : [`${field}:${String(key)}`];
  });
}

/** Pairs (one of `left`, one of `right`, not the same record) sharing a blocking value. */
export function blockedPairs(left: ReadonlyArray<Row>, right: ReadonlyArray<Row>, perRecord = 200): Array<[MatchRecord, MatchRecord]> {
  const index = new Map<string, Row[]>();
  for (const row of right) for (const key of blockKeysOf(row)) index.set(key, [...(index.get(key) ?? []), row]);
  const pairs: Array<[MatchRecord, MatchRecord]> = [];
  for (const l of left) {
    const seen = new Set<string>();
    for (const key of blockKeysOf(l)) {
      for (const r of index.get(key) ?? []) {
        if (r === l || seen.has(String(r.id)) || seen.size >= perRecord) continue;
        seen.add(String(r.id));
        pairs.push([matchRecordOf(l), matchRecordOf(r)]);
      }
    }
  }
  return pairs;
}

/** A deterministic generator, so a fit is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The fitted model for records `left` (e.g. the CRM) against `right` (the shop, or `left` again). */
export function fitPersonModel(left: ReadonlyArray<Row>, right: ReadonlyArray<Row>, options: FitOptions = {}): FittedModel {
  const initial = options.initial ?? withNationalId(DEFAULT_PERSON_MODEL, left, right);
  const candidates = blockedPairs(left, right, options.candidatesPerRecord);
  const estimated = estimateModel(candidates, initial);
  const random = seededRandom(options.seed ?? 42);
  const randomPairs = options.randomPairs ?? 200_000;
  // One pseudo-count per level keeps an unseen level's u above 0.
  const counts = estimated.model.fields.map((field) => field.levels.map(() => 1));
  for (let i = 0; i < randomPairs && left.length > 0 && right.length > 0; i++) {
    const l = left[Math.floor(random() * left.length)]!;
    const r = right[Math.floor(random() * right.length)]!;
    if (l === r) continue;
    pairLevels(matchRecordOf(l), matchRecordOf(r), estimated.model).forEach((compared, f) => {
      if (compared.level !== null) counts[f]![compared.level]! += 1;
    });
  }
  const model: MatchModel = {
    prior: Math.min(0.5, 1 / Math.max(2, right.length)),
    fields: estimated.model.fields.map((field, f) => {
      const total = counts[f]!.reduce((sum, n) => sum + n, 0);
      return {
        ...field,
        levels: field.levels.map((level, l) => ({ name: level.name, m: clampProbability(level.m), u: clampProbability(counts[f]![l]! / total) })),
      };
    }),
  };
  return { model, candidatePairs: candidates.length, randomPairs, iterations: estimated.iterations, converged: estimated.converged };
}

/** The shipped model, plus the personal identification number when records of both sides carry one. */
function withNationalId(model: MatchModel, left: ReadonlyArray<Row>, right: ReadonlyArray<Row>): MatchModel {
  const carries = (rows: ReadonlyArray<Row>) =>
    rows.some((row) => normalizeIdentifier(typeof row.nationalId === 'string' || typeof row.nationalId === 'number' ? String(row.nationalId) : null) !== null);
  if (model.fields.some((field) => field.field === NATIONAL_ID_FIELD.field) || !carries(left) || !carries(right)) return model;
  return { ...model, fields: [...model.fields, NATIONAL_ID_FIELD] };
}

/** Four significant digits, strictly inside (0, 1) as the config requires. */
function clampProbability(p: number): number {
  return Number(Math.min(0.9999, Math.max(1e-6, p)).toPrecision(4));
}
