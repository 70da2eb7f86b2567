import type { FieldModel, MatchModel } from './scoring.js';

// Starting values for French person records, before any EM on real data.
// u (chance agreement between two different people) comes from frequency: ~1 in 50
// pairs of French adults share a given name and ~1 in 200 a surname once the most
// common ones are averaged in; a birth date spans ~70 years × 365 days; a postcode is
// shared by ~1% of candidate pairs that were not blocked on it.
// m (agreement for the same person) is below 1 because sources carry typos (the
// middle levels), nicknames and married names (the "else" levels), moves (postcode,
// street, city) and day/month swaps (birthDate "near").
// Thresholds 0.94 / 0.88 are the usual Jaro–Winkler cut-offs for names.
const NAME_THRESHOLDS = [0.94, 0.88] as const;

const givenName: FieldModel = {
  field: 'givenName',
  normalize: 'personName',
  comparison: { kind: 'jaroWinkler', thresholds: NAME_THRESHOLDS },
  levels: [
    { name: 'jw>=0.94', m: 0.86, u: 0.02 },
    { name: 'jw>=0.88', m: 0.08, u: 0.03 },
    { name: 'else', m: 0.06, u: 0.95 },
  ],
};

const surname: FieldModel = {
  field: 'surname',
  normalize: 'personName',
  comparison: { kind: 'jaroWinkler', thresholds: NAME_THRESHOLDS },
  levels: [
    { name: 'jw>=0.94', m: 0.88, u: 0.005 },
    { name: 'jw>=0.88', m: 0.06, u: 0.015 },
    { name: 'else', m: 0.06, u: 0.98 },
  ],
};

const birthDate: FieldModel = {
  field: 'birthDate',
  normalize: 'date',
  comparison: { kind: 'date' },
  levels: [
    { name: 'exact', m: 0.93, u: 0.0001 },
    { name: 'near', m: 0.05, u: 0.0005 },
    { name: 'else', m: 0.02, u: 0.9994 },
  ],
};

const postcode: FieldModel = {
  field: 'postcode',
  normalize: 'postcode',
  comparison: { kind: 'exact' },
  levels: [
    { name: 'exact', m: 0.8, u: 0.01 },
    { name: 'else', m: 0.2, u: 0.99 },
  ],
};

const street: FieldModel = {
  field: 'street',
  normalize: 'street',
  comparison: { kind: 'street', thresholds: [0.94, 0.85] },
  levels: [
    { name: 'jw>=0.94', m: 0.7, u: 0.002 },
    { name: 'jw>=0.85', m: 0.1, u: 0.02 },
    { name: 'else', m: 0.2, u: 0.978 },
  ],
};

const city: FieldModel = {
  field: 'city',
  normalize: 'city',
  comparison: { kind: 'jaroWinkler', thresholds: [0.94, 0.88] },
  levels: [
    { name: 'jw>=0.94', m: 0.8, u: 0.02 },
    { name: 'jw>=0.88', m: 0.05, u: 0.01 },
    { name: 'else', m: 0.15, u: 0.97 },
  ],
};

/**
 * A personal identification number (the canonical `nationalId`: social security number,
 * NIR) agrees or not. Not in the default model: most sources have none, and a model
 * field no record has weighs nothing; `c360 identity fit` adds it when the mapped
 * records carry one, and fits its m and u like any other field. Starting values: a
 * number mistyped or missing a digit in one record in ten; two people share one by
 * chance once in millions of pairs.
 */
export const NATIONAL_ID_FIELD: FieldModel = {
  field: 'nationalId',
  normalize: 'identifier',
  comparison: { kind: 'exact' },
  levels: [
    { name: 'exact', m: 0.9, u: 0.000001 },
    { name: 'else', m: 0.1, u: 0.999999 },
  ],
};

/**
 * Default person model. The prior λ = 1/10,000 assumes candidate pairs come from a
 * loose blocking predicate (same postcode, or same surname prefix), where true matches
 * are rare; with it, agreeing names alone stay below review (p ≈ 0.4), names plus
 * postcode or plus birth date link, and a contradicting birth date pulls names plus
 * postcode back to review.
 */
export const DEFAULT_PERSON_MODEL: MatchModel = {
  prior: 1 / 10_000,
  fields: [givenName, surname, birthDate, postcode, street, city],
};
