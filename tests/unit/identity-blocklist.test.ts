import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BLOCKLIST, isJunkIdentifier } from '../../src/identity/blocklist.js';

describe('isJunkIdentifier for emails', () => {
  it.each([
    'noemail@orange.fr',
    'no-reply@shop.fr',
    'noreply@shop.fr',
    'nepasrepondre@shop.fr',
    'test@test.com',
    'a@a.com',
    'xxx@xxx.fr',
    'jean@example.com',
    'jean@example.org',
    'jean@shop.test',
    'jean@shop.invalid',
    '123456@gmail.com',
    'none',
    'nomail',
    'inconnu',
    'Inconnu',
    'N/A',
    '',
  ])('treats %p as junk', (email) => {
    expect(isJunkIdentifier('email', email)).toBe(true);
  });

  it.each(['jean.dupont@orange.fr', 'contact@boulangerie-martin.fr', 'jean.dupont@example-shop.fr'])('keeps the real-looking address %p', (email) => {
    expect(isJunkIdentifier('email', email)).toBe(false);
  });

  it('treats operator-configured values as junk after normalizing both sides', () => {
    const extra = ['<Accueil@Magasin.fr>'];
    expect(isJunkIdentifier('email', 'accueil@magasin.fr', extra)).toBe(true);
    expect(isJunkIdentifier('email', 'jean@magasin.fr', extra)).toBe(false);
  });
});

describe('isJunkIdentifier for phones', () => {
  it.each(['0000000000', '+33000000000', '1111111111', '+33111111111', '0123456789', '+33123456789', '9876543210', '+33600000000', '+33611111111'])(
    'treats %p as junk',
    (phone) => {
      expect(isJunkIdentifier('phone', phone)).toBe(true);
    },
  );

  it.each(['+33612345678', '+33145678912', '+442070313000'])('keeps the real number %p', (phone) => {
    expect(isJunkIdentifier('phone', phone)).toBe(false);
  });

  it('matches an operator value written in national format against its E.164 form', () => {
    expect(isJunkIdentifier('phone', '+33145678912', ['01 45 67 89 12'])).toBe(true);
  });
});

describe('isJunkIdentifier for SIRETs and external ids', () => {
  it('treats all-zero and sequential SIRETs as junk, even though zeros pass Luhn', () => {
    expect(isJunkIdentifier('siret', '00000000000000')).toBe(true);
    expect(isJunkIdentifier('siret', '12345678901234')).toBe(true);
    expect(isJunkIdentifier('siret', '44306184100047')).toBe(false);
  });

  it('treats placeholder and zero external ids as junk', () => {
    for (const id of ['0', '-1', 'null', 'undefined', '000', 'N/A']) {
      expect(isJunkIdentifier('externalId', id)).toBe(true);
    }
    expect(isJunkIdentifier('externalId', 'CUST-000123')).toBe(false);
  });

  it('compares external ids exactly, since sources may be case-sensitive', () => {
    expect(isJunkIdentifier('externalId', 'ABC', ['abc'])).toBe(false);
    expect(isJunkIdentifier('externalId', 'ABC', [' ABC '])).toBe(true);
  });
});

describe('DEFAULT_BLOCKLIST', () => {
  it('exposes its lists so operators can read what is blocked', () => {
    expect(DEFAULT_BLOCKLIST.emailDomains).toContain('example.com');
    expect(DEFAULT_BLOCKLIST.emailLocalParts).toContain('noreply');
  });
});
