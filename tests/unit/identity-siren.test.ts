import { describe, expect, it } from '@jest/globals';
import { isValidSiren, isValidSiret, normalizeSiret, sirenOfSiret } from '../../src/identity/siren.js';

describe('isValidSiren', () => {
  it.each(['552081317', '443061841', '732829320', '356000000', '552 081 317'])('accepts the Luhn-valid SIREN %p', (siren) => {
    expect(isValidSiren(siren)).toBe(true);
  });

  it.each(['552081318', '44306184', '4430618410', '44306184A', ''])('rejects %p (bad check digit, wrong length or not digits)', (siren) => {
    expect(isValidSiren(siren)).toBe(false);
  });
});

describe('isValidSiret', () => {
  it.each(['44306184100047', '73282932000074', '443 061 841 00047'])('accepts the Luhn-valid SIRET %p', (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it.each(['44306184100048', '55208131700011', '4430618410004', '443061841000470'])('rejects %p (bad check digit or wrong length)', (siret) => {
    expect(isValidSiret(siret)).toBe(false);
  });

  it('accepts the La Poste head office, which passes Luhn but not the multiple-of-5 rule', () => {
    expect(isValidSiret('35600000000048')).toBe(true);
  });

  it('accepts a La Poste establishment whose digit sum is a multiple of 5 though Luhn fails', () => {
    expect(isValidSiret('35600000049837')).toBe(true);
    expect(isValidSiret('35600000012346')).toBe(true);
  });

  it('rejects a La Poste SIRET failing both Luhn and the multiple-of-5 rule', () => {
    expect(isValidSiret('35600000012345')).toBe(false);
  });

  it('does not extend the La Poste exception to other companies', () => {
    // Digit sum 40 but another SIREN, and Luhn fails.
    expect(isValidSiret('44306184100055')).toBe(false);
  });
});

describe('normalizeSiret', () => {
  it('removes spaces, dots and non-breaking spaces', () => {
    expect(normalizeSiret(' 443 061 841 00047 ')).toBe('44306184100047');
    expect(normalizeSiret('443.061.841.00047')).toBe('44306184100047');
    expect(normalizeSiret('443\u00a0061\u00a0841\u00a000047')).toBe('44306184100047');
  });

  it('returns null unless exactly 14 digits remain', () => {
    expect(normalizeSiret('443061841')).toBeNull();
    expect(normalizeSiret('ABC06184100047')).toBeNull();
    expect(normalizeSiret(null)).toBeNull();
    expect(normalizeSiret(undefined)).toBeNull();
  });
});

describe('sirenOfSiret', () => {
  it('returns the first nine digits', () => {
    expect(sirenOfSiret('44306184100047')).toBe('443061841');
    expect(sirenOfSiret('443 061 841 00047')).toBe('443061841');
  });
});
