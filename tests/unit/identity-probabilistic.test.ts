import { describe, expect, it } from '@jest/globals';
import { blockingKey, matchRecordOf, namesConflict, phoneHoldersCompatible } from '../../src/identity/probabilistic.js';
import { DEFAULT_PERSON_MODEL, scorePair } from '../../src/identity/scoring.js';

const marie = { id: '1', firstName: ' Marie ', lastName: 'Dupont', birthDate: '1985-03-04', postcode: '75 005', street: '12 bd Saint-Michel', city: 'Paris' };

describe('matchRecordOf', () => {
  it('renames canonical fields to the person model and drops blanks', () => {
    expect(matchRecordOf({ ...marie, city: '  ' })).toEqual({ givenName: 'Marie', surname: 'Dupont', birthDate: '1985-03-04', postcode: '75 005', street: '12 bd Saint-Michel', city: null });
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
