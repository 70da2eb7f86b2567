import { describe, expect, it } from '@jest/globals';
import { normalizeCompanyName, normalizePersonName } from '../../src/identity/names.js';

describe('normalizePersonName', () => {
  it('lower-cases and removes accents', () => {
    expect(normalizePersonName('  Hélène ÉLOÏSE Çavuşoğlu ')).toBe('helene eloise cavusoglu');
  });

  it('spells out ligatures that NFD does not decompose', () => {
    expect(normalizePersonName('Lætitia Cœur')).toBe('laetitia coeur');
  });

  it('turns hyphens, apostrophes and space runs into single spaces', () => {
    expect(normalizePersonName('Jean-Pierre')).toBe('jean pierre');
    expect(normalizePersonName('Jean – Pierre')).toBe('jean pierre');
    expect(normalizePersonName("O'Connor")).toBe('o connor');
    expect(normalizePersonName('O’Connor')).toBe('o connor');
  });

  it('drops a leading civility but keeps a name that is only a civility-like word', () => {
    expect(normalizePersonName('M. Jean Dupont')).toBe('jean dupont');
    expect(normalizePersonName('Mme Dupont')).toBe('dupont');
    expect(normalizePersonName('Me')).toBe('me');
  });

  it('returns null for blank, null or digit-only input', () => {
    expect(normalizePersonName(null)).toBeNull();
    expect(normalizePersonName(undefined)).toBeNull();
    expect(normalizePersonName(' - ')).toBeNull();
    expect(normalizePersonName('1234')).toBeNull();
  });

  describe('particles', () => {
    it("keeps particles as their own tokens by default, with d' read as d", () => {
      expect(normalizePersonName('de La Fontaine')).toBe('de la fontaine');
      expect(normalizePersonName("D'Artagnan")).toBe('d artagnan');
      expect(normalizePersonName('d’Artagnan')).toBe('d artagnan');
      expect(normalizePersonName('Van der Berg')).toBe('van der berg');
    });

    it('makes every spelling of a particle name equal in compact mode', () => {
      const compact = { particles: 'compact' } as const;
      expect(normalizePersonName('de La Fontaine', compact)).toBe('delafontaine');
      expect(normalizePersonName('DELAFONTAINE', compact)).toBe('delafontaine');
      expect(normalizePersonName("D'Artagnan", compact)).toBe('dartagnan');
      expect(normalizePersonName('Dartagnan', compact)).toBe('dartagnan');
    });

    it('drops leading particles in drop mode so a forgotten particle still matches', () => {
      const drop = { particles: 'drop' } as const;
      expect(normalizePersonName('de la Fontaine', drop)).toBe('fontaine');
      expect(normalizePersonName('La Fontaine', drop)).toBe('fontaine');
      expect(normalizePersonName('du Pont', drop)).toBe('pont');
      expect(normalizePersonName('von Braun', drop)).toBe('braun');
      expect(normalizePersonName("d'Artagnan", drop)).toBe('artagnan');
    });

    it('never drops the last token, so a surname that is a particle survives', () => {
      expect(normalizePersonName('Le', { particles: 'drop' })).toBe('le');
      expect(normalizePersonName('Du', { particles: 'drop' })).toBe('du');
    });
  });
});

describe('normalizeCompanyName', () => {
  it.each([
    ['Boulangerie Martin SARL', 'boulangerie martin'],
    ['SAS Les Délices', 'les delices'],
    ['Dupont S.A.R.L.', 'dupont'],
    ['Dupont S.A.', 'dupont'],
    ['SCI du Moulin', 'du moulin'],
    ['Transports Durand EURL', 'transports durand'],
    ['Conseil SASU', 'conseil'],
    ['Martin & Fils', 'martin et fils'],
    ['Durand et Cie', 'durand'],
    ['Acme Ltd.', 'acme'],
  ])('reads %p as %p', (raw, expected) => {
    expect(normalizeCompanyName(raw)).toBe(expected);
  });

  it('returns null when only a legal form is given', () => {
    expect(normalizeCompanyName('SARL')).toBeNull();
    expect(normalizeCompanyName(null)).toBeNull();
  });
});
