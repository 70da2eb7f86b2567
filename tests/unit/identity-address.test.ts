import { describe, expect, it } from '@jest/globals';
import { departementOfPostcode, normalizeAddress, normalizeCity, normalizeStreet } from '../../src/identity/address.js';

describe('normalizeStreet', () => {
  it.each([
    ['12 bd Saint-Michel', '12 boulevard saint michel'],
    ['12, Bd. St Michel', '12 boulevard saint michel'],
    ['3 av. de la République', '3 avenue de la republique'],
    ['3 AVENUE DE LA REPUBLIQUE', '3 avenue de la republique'],
    ['5 r. Victor Hugo', '5 rue victor hugo'],
    ['1 pl. du Marché', '1 place du marche'],
    ['8 chem. des Vignes', '8 chemin des vignes'],
    ['2 imp. des Lilas', '2 impasse des lilas'],
    ['4 all. des Tilleuls', '4 allee des tilleuls'],
    ['10 fg St-Antoine', '10 faubourg saint antoine'],
    ['7 rue Ste Catherine', '7 rue sainte catherine'],
  ])('expands %p to %p', (raw, expected) => {
    expect(normalizeStreet(raw)).toBe(expected);
  });

  it('reads glued and lettered repetition indices as bis and ter', () => {
    expect(normalizeStreet('12bis rue Victor Hugo')).toBe('12 bis rue victor hugo');
    expect(normalizeStreet('12B rue Victor Hugo')).toBe('12 bis rue victor hugo');
    expect(normalizeStreet('12 ter rue Victor Hugo')).toBe('12 ter rue victor hugo');
  });

  it('returns null for a blank street', () => {
    expect(normalizeStreet('  ,  ')).toBeNull();
    expect(normalizeStreet(null)).toBeNull();
  });
});

describe('normalizeCity', () => {
  it('folds case and accents and expands St/Ste', () => {
    expect(normalizeCity('ST-ÉTIENNE')).toBe('saint etienne');
    expect(normalizeCity('Ste Foy lès Lyon')).toBe('sainte foy les lyon');
  });

  it('drops CEDEX and arrondissement suffixes', () => {
    expect(normalizeCity('Paris Cedex 08')).toBe('paris');
    expect(normalizeCity('Lyon 3e')).toBe('lyon');
    expect(normalizeCity('Marseille 13')).toBe('marseille');
  });
});

describe('departementOfPostcode', () => {
  it.each([
    ['75008', '75'],
    ['01000', '01'],
    ['13001', '13'],
    ['20000', '2A'],
    ['20137', '2A'],
    ['20200', '2B'],
    ['20600', '2B'],
    ['97110', '971'],
    ['97200', '972'],
    ['97300', '973'],
    ['97400', '974'],
    ['97600', '976'],
  ])('places %p in département %p', (postcode, departement) => {
    expect(departementOfPostcode(postcode)).toBe(departement);
  });

  it.each(['7500', '750080', '00100', '98000', '96000', 'ABCDE', '97700'])('returns null for %p, which names no département', (postcode) => {
    expect(departementOfPostcode(postcode)).toBeNull();
  });
});

describe('normalizeAddress', () => {
  it('normalizes every part and derives the département', () => {
    expect(
      normalizeAddress({
        street: '12, Bd. St Michel',
        postcode: '75 005',
        city: 'PARIS CEDEX 05',
        country: 'France',
      }),
    ).toEqual({
      street: '12 boulevard saint michel',
      postcode: '75005',
      city: 'paris',
      country: 'FR',
      departement: '75',
      postcodeValid: true,
      complete: true,
    });
  });

  it('assumes France when the country is missing and restores a dropped leading zero', () => {
    const address = normalizeAddress({
      street: '1 rue de la Gare',
      postcode: '1000',
      city: 'Bourg-en-Bresse',
    });
    expect(address.postcode).toBe('01000');
    expect(address.departement).toBe('01');
    expect(address.postcodeValid).toBe(true);
  });

  it('flags an invalid French postcode and an incomplete address', () => {
    const address = normalizeAddress({
      street: null,
      postcode: '7500X',
      city: 'Paris',
      country: 'FR',
    });
    expect(address.postcodeValid).toBe(false);
    expect(address.departement).toBeNull();
    expect(address.complete).toBe(false);
  });

  it('keeps a foreign postcode as given, without a département', () => {
    const address = normalizeAddress({
      street: '10 Downing St',
      postcode: 'sw1a 2aa',
      city: 'London',
      country: 'GB',
    });
    expect(address.postcode).toBe('SW1A2AA');
    expect(address.country).toBe('GB');
    expect(address.departement).toBeNull();
    expect(address.postcodeValid).toBe(true);
  });
});
