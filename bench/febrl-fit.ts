/**
 * Fits the person model to unlabeled data the way Splink does: u (chance agreement) from
 * random record pairs, m (agreement of true matches) by EM over blocked candidate pairs,
 * and the prior over all pairs, so a score means the same whatever the candidate set.
 * No truth is used. The fitted model goes in c360.yaml as identity.probabilistic.model.
 */
import { estimateModel } from '../src/identity/estimate-model.js';
import { DEFAULT_PERSON_MODEL } from '../src/identity/person-model.js';
import { matchRecordOf } from '../src/identity/probabilistic.js';
import { pairLevels, type MatchModel, type MatchRecord } from '../src/identity/scoring.js';
import type { FebrlRecord } from './febrl-data.js';

export function febrlMatchRecord(r: FebrlRecord): MatchRecord {
  return matchRecordOf({ id: r.id, firstName: r.givenName, lastName: r.surname, street: r.street, postcode: r.postcode, city: r.suburb, birthDate: r.birthDate });
}

function blockKeys(r: FebrlRecord): string[] {
  return [r.birthDate === null ? null : `d:${r.birthDate}`, r.surname === null ? null : `s:${r.surname.toLowerCase()}`, r.postcode === null ? null : `p:${r.postcode}`].filter(
    (key): key is string => key !== null,
  );
}

/** Pairs (one of `left`, one of `right`, distinct) sharing a birth date, a surname or a postcode. */
function candidatePairs(left: ReadonlyArray<FebrlRecord>, right: ReadonlyArray<FebrlRecord>): Array<[MatchRecord, MatchRecord]> {
  const index = new Map<string, FebrlRecord[]>();
  for (const r of right) for (const key of blockKeys(r)) index.set(key, [...(index.get(key) ?? []), r]);
  const pairs: Array<[MatchRecord, MatchRecord]> = [];
  for (const l of left) {
    const seen = new Set<string>();
    for (const key of blockKeys(l)) {
      for (const r of index.get(key) ?? []) {
        if (r.id === l.id || seen.has(r.id)) continue;
        seen.add(r.id);
        pairs.push([febrlMatchRecord(l), febrlMatchRecord(r)]);
      }
    }
  }
  return pairs;
}

/** A deterministic generator, so the fitted model (and the figures) are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export function fitModel(left: ReadonlyArray<FebrlRecord>, right: ReadonlyArray<FebrlRecord>, randomPairs = 200_000): MatchModel {
  const fittedM = estimateModel(candidatePairs(left, right), DEFAULT_PERSON_MODEL).model;
  const random = seededRandom(42);
  // One pseudo-count per level keeps an unseen level's u above 0.
  const counts = fittedM.fields.map((field) => field.levels.map(() => 1));
  for (let i = 0; i < randomPairs; i++) {
    const l = left[Math.floor(random() * left.length)]!;
    const r = right[Math.floor(random() * right.length)]!;
    pairLevels(febrlMatchRecord(l), febrlMatchRecord(r), fittedM).forEach((compared, f) => {
      if (compared.level !== null) counts[f]![compared.level]! += 1;
    });
  }
  return {
    prior: 1 / right.length,
    fields: fittedM.fields.map((field, f) => {
      const total = counts[f]!.reduce((sum, n) => sum + n, 0);
      return { ...field, levels: field.levels.map((level, l) => ({ name: level.name, m: Number(level.m.toPrecision(4)), u: Number((counts[f]![l]! / total).toPrecision(4)) })) };
    }),
  };
}
