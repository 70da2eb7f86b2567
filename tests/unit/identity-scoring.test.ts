import { describe, expect, it } from '@jest/globals';
import { estimateModel } from '../../src/identity/estimate-model.js';
import type { MatchModel, MatchRecord } from '../../src/identity/scoring.js';
import { classify, DEFAULT_PERSON_MODEL, DEFAULT_THRESHOLDS, probabilityOfWeight, scorePair } from '../../src/identity/scoring.js';

const jean: MatchRecord = {
  givenName: 'Jean',
  surname: 'Dupont',
  birthDate: '1985-03-04',
  postcode: '75005',
  street: '12 boulevard Saint-Michel',
  city: 'Paris',
};

const stranger: MatchRecord = {
  givenName: 'Fatima',
  surname: 'Benali',
  birthDate: '1972-11-30',
  postcode: '69003',
  street: '4 rue de la Part-Dieu',
  city: 'Lyon',
};

describe('scorePair', () => {
  it('gives two spellings of the same person a link-level probability', () => {
    const score = scorePair(
      jean,
      {
        givenName: 'JEAN',
        surname: 'Dupond',
        birthDate: '04/03/1985',
        postcode: '75 005',
        street: '12 bd St Michel',
        city: 'PARIS CEDEX 05',
      },
      DEFAULT_PERSON_MODEL,
    );
    expect(score.probability).toBeGreaterThan(0.999);
    expect(classify(score.probability)).toBe('link');
  });

  it('gives two different people a probability near zero', () => {
    const score = scorePair(jean, stranger, DEFAULT_PERSON_MODEL);
    expect(score.probability).toBeLessThan(1e-6);
    expect(classify(score.probability)).toBe('distinct');
  });

  it('reports each field with its level, log2 Bayes factor and normalized values', () => {
    const score = scorePair(jean, { ...jean, givenName: 'Jéan' }, DEFAULT_PERSON_MODEL);
    const given = score.fields.find((f) => f.field === 'givenName');
    expect(given).toEqual({
      field: 'givenName',
      level: 'jw>=0.94',
      weight: Math.log2(0.86 / 0.02),
      a: 'jean',
      b: 'jean',
    });
  });

  it('adds the prior log-odds and the field weights into the total weight', () => {
    const score = scorePair(jean, jean, DEFAULT_PERSON_MODEL);
    const prior = Math.log2(DEFAULT_PERSON_MODEL.prior / (1 - DEFAULT_PERSON_MODEL.prior));
    const sum = score.fields.reduce((s, f) => s + f.weight, 0);
    expect(score.weight).toBeCloseTo(prior + sum, 10);
    expect(score.probability).toBeCloseTo(probabilityOfWeight(score.weight), 12);
  });

  it('lets a null or missing value contribute nothing', () => {
    const score = scorePair(jean, { ...jean, birthDate: null, street: undefined }, DEFAULT_PERSON_MODEL);
    for (const field of ['birthDate', 'street']) {
      expect(score.fields.find((f) => f.field === field)).toMatchObject({ level: null, weight: 0 });
    }
  });

  it('treats a value that normalizes to nothing as missing', () => {
    const score = scorePair(jean, { ...jean, birthDate: 'inconnue' }, DEFAULT_PERSON_MODEL);
    expect(score.fields.find((f) => f.field === 'birthDate')).toMatchObject({ level: null, weight: 0 });
  });

  it('raises the probability with every additional agreeing field', () => {
    const order = ['givenName', 'surname', 'postcode', 'city', 'street', 'birthDate'] as const;
    let previous = -1;
    for (let agreeing = 0; agreeing <= order.length; agreeing += 1) {
      const partial: Record<string, string | null> = {};
      order.forEach((field, i) => {
        partial[field] = i < agreeing ? (jean[field] ?? null) : (stranger[field] ?? null);
      });
      const { probability } = scorePair(jean, partial, DEFAULT_PERSON_MODEL);
      expect(probability).toBeGreaterThan(previous);
      previous = probability;
    }
  });

  it('ranks a near birth date between an exact one and a different one', () => {
    const exact = scorePair(jean, jean, DEFAULT_PERSON_MODEL).probability;
    const swapped = scorePair(jean, { ...jean, birthDate: '1985-04-03' }, DEFAULT_PERSON_MODEL).probability;
    const other = scorePair(jean, { ...jean, birthDate: '1990-07-21' }, DEFAULT_PERSON_MODEL).probability;
    expect(exact).toBeGreaterThan(swapped);
    expect(swapped).toBeGreaterThan(other);
  });

  it('keeps agreeing names alone below review, as the default model documents', () => {
    const namesOnly = { givenName: 'Jean', surname: 'Dupont' };
    expect(classify(scorePair(jean, namesOnly, DEFAULT_PERSON_MODEL).probability)).toBe('distinct');
  });

  it('links agreeing names with an agreeing postcode or birth date', () => {
    const withPostcode = { givenName: 'Jean', surname: 'Dupont', postcode: '75005' };
    const withBirthDate = { givenName: 'Jean', surname: 'Dupont', birthDate: '1985-03-04' };
    expect(classify(scorePair(jean, withPostcode, DEFAULT_PERSON_MODEL).probability)).toBe('link');
    expect(classify(scorePair(jean, withBirthDate, DEFAULT_PERSON_MODEL).probability)).toBe('link');
  });

  it('sends agreeing names and postcode with a contradicting birth date to review', () => {
    const contradicted = { givenName: 'Jean', surname: 'Dupont', postcode: '75005', birthDate: '1990-07-21' };
    expect(classify(scorePair(jean, contradicted, DEFAULT_PERSON_MODEL).probability)).toBe('possible');
  });

  it('fails loudly when a model lists fewer levels than its comparison produces', () => {
    const broken: MatchModel = {
      prior: 0.01,
      fields: [
        {
          field: 'postcode',
          normalize: 'postcode',
          comparison: { kind: 'exact' },
          levels: [{ name: 'exact', m: 0.9, u: 0.01 }],
        },
      ],
    };
    expect(() => scorePair({ postcode: '75005' }, { postcode: '69003' }, broken)).toThrow(RangeError);
  });
});

describe('classify', () => {
  const thresholds = { linkAbove: 0.9, reviewAbove: 0.5 };

  it('links strictly above linkAbove', () => {
    expect(classify(0.91, thresholds)).toBe('link');
    expect(classify(0.9, thresholds)).toBe('possible');
  });

  it('asks for review strictly above reviewAbove', () => {
    expect(classify(0.51, thresholds)).toBe('possible');
    expect(classify(0.5, thresholds)).toBe('distinct');
  });

  it('uses the default thresholds when none are given', () => {
    expect(classify(DEFAULT_THRESHOLDS.linkAbove + 0.001)).toBe('link');
    expect(classify(DEFAULT_THRESHOLDS.reviewAbove)).toBe('distinct');
  });
});

describe('probabilityOfWeight', () => {
  it('maps 0 to one half and stays finite for extreme weights', () => {
    expect(probabilityOfWeight(0)).toBe(0.5);
    expect(probabilityOfWeight(2000)).toBe(1);
    expect(probabilityOfWeight(-2000)).toBe(0);
  });
});

describe('estimateModel', () => {
  // 40 true pairs (same person, small typos) among 360 pairs of different people.
  const given = ['Jean', 'Marie', 'Paul', 'Lucie', 'Hugo', 'Emma', 'Louis', 'Chloé'];
  const family = ['Dupont', 'Martin', 'Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Michel'];
  const person = (i: number): MatchRecord => ({
    givenName: given[i % given.length] ?? null,
    surname: family[Math.floor(i / given.length) % family.length] ?? null,
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    postcode: `750${10 + (i % 10)}`,
  });
  const pairs: Array<readonly [MatchRecord, MatchRecord]> = [];
  for (let i = 0; i < 40; i += 1) {
    pairs.push([person(i), { ...person(i), givenName: `${person(i).givenName ?? ''}e` }]);
  }
  for (let i = 0; i < 360; i += 1) pairs.push([person(i), person(i + 7)]);

  const initial: MatchModel = {
    prior: 0.5,
    fields: DEFAULT_PERSON_MODEL.fields.filter((f) => ['givenName', 'surname', 'birthDate', 'postcode'].includes(f.field)),
  };

  it('converges and recovers roughly the true match rate', () => {
    const { model, converged } = estimateModel(pairs, initial);
    expect(converged).toBe(true);
    expect(model.prior).toBeGreaterThan(0.07);
    expect(model.prior).toBeLessThan(0.13);
  });

  it('keeps every level a probability distribution', () => {
    const { model } = estimateModel(pairs, initial);
    for (const field of model.fields) {
      expect(field.levels.reduce((s, l) => s + l.m, 0)).toBeCloseTo(1, 9);
      expect(field.levels.reduce((s, l) => s + l.u, 0)).toBeCloseTo(1, 9);
    }
  });

  it('learns that an exact birth date is strong evidence of a match', () => {
    const { model } = estimateModel(pairs, initial);
    const exact = model.fields.find((f) => f.field === 'birthDate')?.levels[0];
    expect(exact?.m).toBeGreaterThan(0.9);
    expect(exact?.u).toBeLessThan(0.05);
  });

  it('returns the initial model untouched when there are no pairs', () => {
    expect(estimateModel([], initial)).toEqual({ model: initial, iterations: 0, converged: true });
  });
});
