import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { hashEmailForMatching, normalizeEmail } from '../../src/identity/email.js';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('normalizeEmail', () => {
  it('trims and lower-cases an address', () => {
    expect(normalizeEmail('  Jean.Dupont@Example.FR ')).toBe('jean.dupont@example.fr');
  });

  it('unwraps angle brackets and mailto: in either order', () => {
    expect(normalizeEmail('<jean@orange.fr>')).toBe('jean@orange.fr');
    expect(normalizeEmail('mailto:jean@orange.fr')).toBe('jean@orange.fr');
    expect(normalizeEmail('<mailto:Jean@Orange.fr>')).toBe('jean@orange.fr');
    expect(normalizeEmail('MAILTO:<jean@orange.fr>')).toBe('jean@orange.fr');
  });

  it('returns null for null, undefined and empty input', () => {
    expect(normalizeEmail(null)).toBeNull();
    expect(normalizeEmail(undefined)).toBeNull();
    expect(normalizeEmail('   ')).toBeNull();
  });

  it.each([
    ['no at sign', 'jean.orange.fr'],
    ['two at signs', 'jean@dupont@orange.fr'],
    ['an empty local part', '@orange.fr'],
    ['an empty domain', 'jean@'],
    ['a domain without a dot', 'jean@localhost'],
    ['a space inside', 'jean dupont@orange.fr'],
    ['a space in the domain', 'jean@orange .fr'],
    ['consecutive dots in the local part', 'jean..dupont@orange.fr'],
    ['an empty domain label', 'jean@orange..fr'],
    ['a numeric top-level domain', 'jean@10.0.0.1'],
  ])('rejects an address with %s', (_why, raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });

  it('accepts internationalized domains and plus tags', () => {
    expect(normalizeEmail('Zoé+news@Café.fr')).toBe('zoé+news@café.fr');
  });

  it('keeps gmail dots and plus tags unless provider rules are enabled', () => {
    expect(normalizeEmail('Jean.Dupont+promo@gmail.com')).toBe('jean.dupont+promo@gmail.com');
  });

  it('folds gmail dots, plus tags and googlemail.com when provider rules are enabled', () => {
    const options = { providerRules: true };
    expect(normalizeEmail('Jean.Dupont+promo@gmail.com', options)).toBe('jeandupont@gmail.com');
    expect(normalizeEmail('jean.dupont@googlemail.com', options)).toBe('jeandupont@gmail.com');
  });

  it('leaves other providers alone even when provider rules are enabled', () => {
    expect(normalizeEmail('jean.dupont+promo@orange.fr', { providerRules: true })).toBe('jean.dupont+promo@orange.fr');
  });
});

describe('hashEmailForMatching', () => {
  it('matches the trim + lower-case vector Snap publishes for its Conversions API', () => {
    // developers.snap.com/api/marketing-api/Conversions-API/Parameters, `em`.
    expect(hashEmailForMatching('Person@Example.com')).toBe('542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345');
  });

  it('matches the vector Gravatar publishes for a trailing-space, mixed-case address', () => {
    // docs.gravatar.com/rest/hash: same trim + lower-case + SHA-256 pipeline.
    expect(hashEmailForMatching('MyEmailAddress@example.com ')).toBe('84059b07d4be67b806386c0aad8070a23f18836bbaae342275dc0a83414c32ee');
  });

  it('removes dots before gmail.com and googlemail.com as Google requires', () => {
    expect(hashEmailForMatching(' Jean.Dupont@GMAIL.com')).toBe(sha256('jeandupont@gmail.com'));
    expect(hashEmailForMatching('jean.dupont@googlemail.com')).toBe(sha256('jeandupont@googlemail.com'));
  });

  it('keeps plus tags and dots for other domains, because Google does not fold them', () => {
    expect(hashEmailForMatching('jean.dupont+x@gmail.com')).toBe(sha256('jeandupont+x@gmail.com'));
    expect(hashEmailForMatching('jean.dupont@orange.fr')).toBe(sha256('jean.dupont@orange.fr'));
  });

  it('returns a 64-character lower-case hex digest', () => {
    expect(hashEmailForMatching('a.b@c.fr')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns null for an implausible address instead of hashing junk', () => {
    expect(hashEmailForMatching('not an email')).toBeNull();
    expect(hashEmailForMatching('')).toBeNull();
  });
});
