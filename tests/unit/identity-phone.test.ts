import { describe, expect, it } from '@jest/globals';
import { normalizePhone, phoneDigitCandidates } from '../../src/identity/phone.js';

describe('normalizePhone', () => {
  it.each([
    '06 12 34 56 78',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '+33 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
    '0033612345678',
    '0612345678',
    '+33612345678',
    ' tel:+33612345678 ',
  ])('reads the French format %p as +33612345678', (raw) => {
    expect(normalizePhone(raw)).toBe('+33612345678');
  });

  it('uses France as the default region and honours another one', () => {
    expect(normalizePhone('01 23 45 67 80')).toBe('+33123456780');
    expect(normalizePhone('020 7031 3000', 'GB')).toBe('+442070313000');
    expect(normalizePhone('(213) 373-4253', 'us')).toBe('+12133734253');
  });

  it('keeps an explicit country code over the default region', () => {
    expect(normalizePhone('+32 470 12 34 56')).toBe('+32470123456');
  });

  it('falls back to France for an unknown region code', () => {
    expect(normalizePhone('0612345678', 'ZZ')).toBe('+33612345678');
  });

  it.each([null, undefined, '', '   ', 'abc', 'appeler le soir', '06 12', '0000000000', '+33 6 12'])('returns null for junk or invalid input %p', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('returns null for a number with words around it', () => {
    expect(normalizePhone('06 12 34 56 78 (bureau)')).toBeNull();
  });
});

describe('phoneDigitCandidates', () => {
  it('lists international, 00-prefixed and national spellings of a French mobile', () => {
    expect(phoneDigitCandidates('+33612345678')).toEqual(['33612345678', '0033612345678', '0612345678', '330612345678', '00330612345678']);
  });

  it('offers the national form of an overseas-department number to a French source', () => {
    expect(phoneDigitCandidates('+262692123456', 'FR')).toContain('0692123456');
  });

  it('omits the national form of a foreign number, which would be a French number there', () => {
    expect(phoneDigitCandidates('+32470123456', 'FR')).toEqual(['32470123456', '0032470123456']);
  });

  it('uses the national trunk prefix of the number country when the region matches', () => {
    expect(phoneDigitCandidates('+442070313000', 'GB')).toEqual(['442070313000', '00442070313000', '02070313000', '4402070313000', '004402070313000']);
    expect(phoneDigitCandidates('+79123456789', 'RU')).toContain('89123456789');
  });

  it('adds the region own international prefix and no trunk prefix for the US', () => {
    expect(phoneDigitCandidates('+12133734253', 'US')).toEqual(['12133734253', '0012133734253', '01112133734253', '2133734253']);
  });

  it('keeps the leading zero that belongs to an Italian number', () => {
    expect(phoneDigitCandidates('+390612345678', 'IT')).toContain('0612345678');
  });

  it('returns no candidates for an invalid number', () => {
    expect(phoneDigitCandidates('+3300')).toEqual([]);
    expect(phoneDigitCandidates('garbage')).toEqual([]);
  });
});
