import { normalizeCity, normalizeStreet } from './address.js';
import { normalizePersonName } from './names.js';
import { compareDates, jaroWinkler, normalizeDate } from './similarity.js';

/** Named normalizers, so a model stays plain data (JSON in config, output of EM). */
export type FieldNormalizer = 'personName' | 'street' | 'city' | 'postcode' | 'date' | 'trim' | 'identifier';

/**
 * How a field's two values are bucketed into agreement levels, strongest first:
 * - jaroWinkler: level i for the first `thresholds[i]` the similarity reaches, then a
 *   last "else" level (so thresholds.length + 1 levels);
 * - exact: agree / disagree (2 levels);
 * - date: exact / near (day-month swap or one digit off) / else (3 levels).
 */
export type Comparison =
  | { readonly kind: 'jaroWinkler'; readonly thresholds: ReadonlyArray<number> }
  | { readonly kind: 'exact' }
  | { readonly kind: 'date' }
  /** Jaro–Winkler levels as jaroWinkler, except that two different house numbers fall in the last level ("1 avenue Jean Jaurès" is not "7 avenue Jean Jaurès"). */
  | { readonly kind: 'street'; readonly thresholds: ReadonlyArray<number> };

/** One agreement level with its Fellegi–Sunter probabilities. */
export interface ComparisonLevel {
  readonly name: string;
  /** P(level | records are the same entity). */
  readonly m: number;
  /** P(level | records are different entities). */
  readonly u: number;
}

/** How one record field is compared; `levels` line up with the comparison's buckets. */
export interface FieldModel {
  readonly field: string;
  readonly normalize: FieldNormalizer;
  readonly comparison: Comparison;
  readonly levels: ReadonlyArray<ComparisonLevel>;
}

/** A Fellegi–Sunter model: per-field m/u levels and the prior match rate λ of candidate pairs. */
export interface MatchModel {
  readonly prior: number;
  readonly fields: ReadonlyArray<FieldModel>;
}

/** Input records: field name to raw value; missing and null are the same. */
export type MatchRecord = Readonly<Record<string, string | null | undefined>>;

/** One field's contribution to a pair's score. */
export interface FieldScore {
  readonly field: string;
  /** Level name, or null when either side had no value (weight 0). */
  readonly level: string | null;
  /** log2(m / u) for the level. */
  readonly weight: number;
  readonly a: string | null;
  readonly b: string | null;
}

/** A pair's score: `weight` includes the prior, so `probability` = 2^w / (1 + 2^w). */
export interface PairScore {
  readonly weight: number;
  readonly probability: number;
  readonly fields: ReadonlyArray<FieldScore>;
}

/** Thresholds on match probability; `linkAbove` must be ≥ `reviewAbove`. */
export interface ClassifyThresholds {
  readonly linkAbove: number;
  readonly reviewAbove: number;
}

/** Link above 0.95, ask a human above 0.5: a wrong merge costs more than a missed one. */
export const DEFAULT_THRESHOLDS: ClassifyThresholds = { linkAbove: 0.95, reviewAbove: 0.5 };

/** Normalized value of one field; null when absent or blank after normalizing. */
export function normalizeField(normalizer: FieldNormalizer, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  switch (normalizer) {
    case 'personName':
      return normalizePersonName(raw);
    case 'street':
      return remembered(STREET_MEMO, raw, normalizeStreet);
    case 'city':
      return remembered(CITY_MEMO, raw, normalizeCity);
    case 'postcode': {
      const compact = raw.replace(/\s/g, '').toUpperCase();
      return compact === '' ? null : compact;
    }
    case 'date':
      return normalizeDate(raw);
    case 'trim': {
      const trimmed = raw.trim();
      return trimmed === '' ? null : trimmed;
    }
    case 'identifier':
      return normalizeIdentifier(raw);
    default:
      throw new UnknownNormalizerError(normalizer);
  }
}

/** An identification number as written with spaces, dots or dashes ("1 85 05 78 006 084 36"): its letters and digits, upper case. */
export function normalizeIdentifier(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const compact = raw.replace(/[\s.\-/]/g, '').toUpperCase();
  return compact === '' ? null : compact;
}

// Addresses repeat across a block's pairs: normalized once per raw value (pure functions).
const STREET_MEMO = new Map<string, string | null>();
const CITY_MEMO = new Map<string, string | null>();

function remembered(memo: Map<string, string | null>, raw: string, normalize: (raw: string) => string | null): string | null {
  const known = memo.get(raw);
  if (known !== undefined) return known;
  const normalized = normalize(raw);
  if (memo.size >= 10_000) memo.clear();
  memo.set(raw, normalized);
  return normalized;
}

class UnknownNormalizerError extends Error {
  constructor(normalizer: never) {
    super(`Unknown field normalizer: ${String(normalizer)}`);
  }
}

/** Index of the agreement level two normalized values fall in (0 = strongest). */
export function comparisonLevel(comparison: Comparison, a: string, b: string): number {
  switch (comparison.kind) {
    case 'exact':
      return a === b ? 0 : 1;
    case 'jaroWinkler': {
      const similarity = jaroWinkler(a, b);
      const index = comparison.thresholds.findIndex((t) => similarity >= t);
      return index === -1 ? comparison.thresholds.length : index;
    }
    case 'street': {
      const [numberA, numberB] = [houseNumberOf(a), houseNumberOf(b)];
      if (numberA !== null && numberB !== null && numberA !== numberB) return comparison.thresholds.length;
      const similarity = jaroWinkler(a, b);
      const index = comparison.thresholds.findIndex((t) => similarity >= t);
      return index === -1 ? comparison.thresholds.length : index;
    }
    case 'date': {
      const agreement = compareDates(a, b);
      if (agreement === 'exact') return 0;
      return agreement === 'different' ? 2 : 1;
    }
  }
}

/** The leading house number of a normalized street with its repetition index ("12 bis"); null when none. */
function houseNumberOf(street: string): string | null {
  const match = /^(\d+)(?: (bis|ter|quater))?\b/.exec(street);
  return match === null ? null : `${match[1]}${match[2] ?? ''}`;
}

/** Level index per model field for a pair; null where either side has no value. */
export function pairLevels(
  a: MatchRecord,
  b: MatchRecord,
  model: MatchModel,
): Array<{ readonly level: number | null; readonly a: string | null; readonly b: string | null }> {
  return model.fields.map((f) => {
    const x = normalizeField(f.normalize, a[f.field]);
    const y = normalizeField(f.normalize, b[f.field]);
    const level = x === null || y === null ? null : comparisonLevel(f.comparison, x, y);
    return { level, a: x, b: y };
  });
}

/**
 * Fellegi–Sunter score of a record pair: the prior log-odds log2(λ/(1−λ)) plus, per
 * field, the log2 Bayes factor m/u of the level the values fall in; a field missing on
 * either side contributes 0 (no evidence either way).
 */
export function scorePair(a: MatchRecord, b: MatchRecord, model: MatchModel): PairScore {
  const levels = pairLevels(a, b, model);
  const fields: FieldScore[] = model.fields.map((f, i) => {
    const compared = levels[i];
    const level = compared?.level ?? null;
    const chosen = level === null ? undefined : f.levels[level];
    if (level !== null && chosen === undefined) {
      throw new RangeError(`Field ${f.field} has no level ${level}; check its levels against its comparison.`);
    }
    return {
      field: f.field,
      level: chosen?.name ?? null,
      weight: chosen === undefined ? 0 : Math.log2(chosen.m / chosen.u),
      a: compared?.a ?? null,
      b: compared?.b ?? null,
    };
  });
  const adjusted = withoutDoubleCounting(fields, model);
  const priorLogOdds = Math.log2(model.prior / (1 - model.prior));
  const weight = priorLogOdds + adjusted.reduce((s, f) => s + f.weight, 0);
  return { weight, probability: probabilityOfWeight(weight), fields: adjusted };
}

/**
 * Address fields are not independent evidence: a postcode names its town, so a city that
 * agrees with an agreeing postcode adds nothing (weight 0); and a street is only the same
 * street in the same town, so an agreeing street whose postcode and city both disagree
 * adds nothing either. Disagreements keep their (negative) weight.
 */
function withoutDoubleCounting(fields: ReadonlyArray<FieldScore>, model: MatchModel): FieldScore[] {
  const agrees = (name: string) => {
    const scored = fields.find((f) => f.field === name);
    const levels = model.fields.find((f) => f.field === name)?.levels ?? [];
    return scored?.level == null ? null : scored.level !== levels.at(-1)?.name;
  };
  const postcode = agrees('postcode');
  const city = agrees('city');
  return fields.map((f) => {
    if (f.field === 'city' && postcode === true && city === true && f.weight > 0) return { ...f, weight: 0 };
    if (f.field === 'street' && agrees('street') === true && f.weight > 0 && postcode !== true && city !== true && (postcode === false || city === false))
      return { ...f, weight: 0 };
    return f;
  });
}

/** 2^w / (1 + 2^w), computed without overflow for large |w|. */
export function probabilityOfWeight(weight: number): number {
  return weight >= 0 ? 1 / (1 + 2 ** -weight) : 2 ** weight / (1 + 2 ** weight);
}

/** 'link' strictly above `linkAbove`, 'possible' strictly above `reviewAbove`, else 'distinct'. */
export function classify(probability: number, thresholds: ClassifyThresholds = DEFAULT_THRESHOLDS): 'link' | 'possible' | 'distinct' {
  if (probability > thresholds.linkAbove) return 'link';
  if (probability > thresholds.reviewAbove) return 'possible';
  return 'distinct';
}

export { DEFAULT_PERSON_MODEL } from './person-model.js';
