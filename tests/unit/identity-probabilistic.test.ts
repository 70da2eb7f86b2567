import { describe, expect, it } from '@jest/globals';
import { blockingKey, matchRecordOf, namesConflict, phoneHoldersCompatible, scoreEitherWay } from '../../src/identity/probabilistic.js';
import { DEFAULT_PERSON_MODEL, scorePair } from '../../src/identity/scoring.js';
import { hopSeeds, withHop } from '../../src/identity/transitive.js';
import type { LinkedRecord } from '../../src/identity/link.js';
import { DEFAULT_IDENTITY_CONFIG, identitySchema } from '../../src/config/identity-config.js';

const marie = { id: '1', firstName: ' Marie ', lastName: 'Dupont', birthDate: '1985-03-04', postcode: '75 005', street: '12 bd Saint-Michel', city: 'Paris' };

describe('matchRecordOf', () => {
  it('renames canonical fields to the person model and drops blanks', () => {
    expect(matchRecordOf({ ...marie, city: '  ' })).toEqual({
      givenName: 'Marie',
      surname: 'Dupont',
      birthDate: '1985-03-04',
      postcode: '75 005',
      street: '12 bd Saint-Michel',
      city: null,
      birthName: null,
      nationalId: null,
    });
  });
});

describe('blockingKey', () => {
  it('normalizes each value the way its load compares it', () => {
    expect(blockingKey('lastName', { lastName: '  DuPont ' })).toBe('dupont');
    expect(blockingKey('firstName', { firstName: 'Marie' })).toBe('marie');
    expect(blockingKey('postcode', { postcode: '75 005' })).toBe('75005');
    expect(blockingKey('birthDate', { birthDate: '04/03/1985' })).toBe('1985-03-04');
  });

  it('gives no key for a missing or unreadable value, so no block reads everything', () => {
    expect(blockingKey('lastName', { lastName: null })).toBeNull();
    expect(blockingKey('postcode', {})).toBeNull();
    expect(blockingKey('birthDate', { birthDate: '1985-02-30' })).toBeNull();
  });
});

describe('namesConflict', () => {
  const score = (a: Record<string, string | null>, b: Record<string, string | null>) => scorePair(matchRecordOf(a), matchRecordOf(b), DEFAULT_PERSON_MODEL);

  it('holds back two relatives at one address (surname and address agree, given names do not)', () => {
    const sister = { ...marie, id: '2', firstName: 'Camille', birthDate: '1990-07-21' };
    expect(namesConflict(score(marie, sister), DEFAULT_PERSON_MODEL)).toBe(true);
  });

  it('holds back two colleagues with one given name at the company address', () => {
    const colleague = { ...marie, id: '2', lastName: 'Benali', birthDate: null };
    expect(namesConflict(score(marie, colleague), DEFAULT_PERSON_MODEL)).toBe(true);
  });

  it('lets a typo, or swapped names with the same birth date, link', () => {
    expect(namesConflict(score(marie, { ...marie, id: '2', lastName: 'Dupond' }), DEFAULT_PERSON_MODEL)).toBe(false);
    expect(namesConflict(score(marie, { ...marie, id: '2', firstName: 'Dupont', lastName: 'Marie' }), DEFAULT_PERSON_MODEL)).toBe(false);
    expect(namesConflict(score(marie, { ...marie, id: '2', firstName: 'Dupont', lastName: 'Marie', birthDate: null }), DEFAULT_PERSON_MODEL)).toBe(false);
  });
});

describe('phoneHoldersCompatible', () => {
  it('refuses a person and a company sharing a switchboard', () => {
    expect(phoneHoldersCompatible(marie, { id: '9', firstName: null, lastName: null, companyName: 'Bretagne Conseil' })).toBe(false);
    expect(phoneHoldersCompatible({ id: '9', kind: 'COMPANY', companyName: 'Bretagne Conseil' }, marie)).toBe(false);
  });

  it('refuses two people whose given names are nothing alike (a household landline)', () => {
    expect(phoneHoldersCompatible(marie, { ...marie, firstName: 'Lucas' })).toBe(false);
  });

  it('accepts a typo in the given name, and records without a given name', () => {
    expect(phoneHoldersCompatible(marie, { ...marie, firstName: 'Mairie' })).toBe(true);
    expect(phoneHoldersCompatible(marie, { id: '3', firstName: null, lastName: 'Dupont' })).toBe(true);
  });
});

describe('transitive hop (hopSeeds, withHop)', () => {
  const link = (id: string, probability: number): LinkedRecord => ({
    entity: 'contact',
    row: { id },
    rule: 'PROBABILISTIC',
    score: { weight: 0, probability, fields: [] },
  });
  const from = { entity: 'contact' as const, row: { id: 'a' } };

  it('picks the most probable direct links, at most the bound, none when off', () => {
    const links = [link('b', 0.96), link('c', 0.999), link('d', 0.99)];
    expect(hopSeeds(links, 2).map((l) => l.row.id)).toEqual(['c', 'd']);
    expect(hopSeeds(links, 0)).toEqual([]);
  });

  it('adds the links of the seeds once, never the record itself, and drops them from the possible duplicates', () => {
    const direct = {
      links: [link('b', 0.99)],
      possible: [{ entity: 'contact' as const, row: { id: 'c' }, score: { weight: 0, probability: 0.7, fields: [] } }],
    };
    const hop = {
      links: [link('a', 0.99), link('b', 0.99), link('c', 0.98)],
      possible: [{ entity: 'contact' as const, row: { id: 'e' }, score: { weight: 0, probability: 0.7, fields: [] } }],
    };
    const merged = withHop(from, direct, [hop, hop]);
    expect(merged.links.map((l) => l.row.id)).toEqual(['b', 'c']);
    expect(merged.links[1]!.score!.probability).toBe(0.98);
    expect(merged.possible).toEqual([]);
  });
});

describe('identity.probabilistic.transitiveLinks', () => {
  it('is off by default and bounded', () => {
    expect(DEFAULT_IDENTITY_CONFIG.probabilistic.transitiveLinks).toBe(0);
    expect(identitySchema.parse({ probabilistic: { transitiveLinks: 3 } }).probabilistic.transitiveLinks).toBe(3);
    expect(() => identitySchema.parse({ probabilistic: { transitiveLinks: 21 } })).toThrow();
  });
});

describe('scoreEitherWay', () => {
  it('scores names typed in each other field the right way round', () => {
    const swapped = { ...marie, id: '2', firstName: 'Dupont', lastName: 'Marie', birthDate: null };
    const direct = scorePair(matchRecordOf(marie), matchRecordOf(swapped), DEFAULT_PERSON_MODEL);
    const either = scoreEitherWay(matchRecordOf(marie), matchRecordOf(swapped), DEFAULT_PERSON_MODEL);
    expect(either.probability).toBeGreaterThan(direct.probability);
    expect(either.fields.find((f) => f.field === 'givenName')?.level).toBe('jw>=0.94');
  });

  it('leaves a pair whose names do not agree crosswise as it was', () => {
    const sister = { ...marie, id: '2', firstName: 'Camille' };
    expect(scoreEitherWay(matchRecordOf(marie), matchRecordOf(sister), DEFAULT_PERSON_MODEL)).toEqual(
      scorePair(matchRecordOf(marie), matchRecordOf(sister), DEFAULT_PERSON_MODEL),
    );
  });
});

describe('namesConflict and a mistyped birth date', () => {
  const score = (a: Record<string, string | null>, b: Record<string, string | null>) => scorePair(matchRecordOf(a), matchRecordOf(b), DEFAULT_PERSON_MODEL);

  it('lets a replaced surname link when the birth dates are a typo apart in one year', () => {
    expect(namesConflict(score(marie, { ...marie, id: '2', lastName: 'Paterson', birthDate: '1985-03-14' }), DEFAULT_PERSON_MODEL)).toBe(false);
  });

  it('still holds back a near birth date in another year (a sibling born a year later)', () => {
    expect(namesConflict(score(marie, { ...marie, id: '2', firstName: 'Camille', birthDate: '1986-03-04' }), DEFAULT_PERSON_MODEL)).toBe(true);
  });
});
