/**
 * Email normalization for clean-room matching. The normalization examples follow the rules
 * Google (Customer Match / enhanced conversions: trim, lower-case, drop "." before
 * gmail.com and googlemail.com) and Meta (trim, lower-case) publish. The digests were
 * computed independently with coreutils `sha256sum` of the normalized text.
 */
import { describe, expect, it } from '@jest/globals';
import { emailHashMatcher, matchingEmailHashes, normalizeEmailForMatching, sha256HexOf } from '../../src/privacy/partner/email-hash.js';

describe('normalizeEmailForMatching', () => {
  it.each([
    ['  Jane.Doe@GMAIL.com ', 'janedoe@gmail.com'],
    ['John.Smith+promo@googlemail.com', 'johnsmith+promo@googlemail.com'],
    ['Jane.Doe@Example.com', 'jane.doe@example.com'],
    ['jane.doe@gmail.com.evil.example', 'jane.doe@gmail.com.evil.example'],
  ])('normalizes %j as Google does to %j', (input, expected) => {
    expect(normalizeEmailForMatching(input, 'google')).toBe(expected);
  });

  it('keeps the dots of a gmail address under the Meta rule, which only trims and lower-cases', () => {
    expect(normalizeEmailForMatching('  John.Smith+promo@GoogleMail.com', 'meta')).toBe('john.smith+promo@googlemail.com');
  });
});

describe('sha256HexOf', () => {
  it('gives the NIST FIPS 180-2 digest of "abc"', () => {
    expect(sha256HexOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['janedoe@gmail.com', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['jane.doe@example.com', '86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d'],
    ['johnsmith+promo@googlemail.com', 'c04d03ddd2f2ddfeb6b8b129e53a4caa5c44e85862c0a33990d7d5336e88effd'],
  ])('hashes the normalized %s as sha256sum does', (normalized, digest) => {
    expect(sha256HexOf(normalized)).toBe(digest);
  });

  it('matches a gmail address hashed under either rule', () => {
    const hashes = matchingEmailHashes(' John.Smith+promo@googlemail.com');
    expect(hashes).toContain('c04d03ddd2f2ddfeb6b8b129e53a4caa5c44e85862c0a33990d7d5336e88effd');
    expect(hashes).toContain('b234f79f4dad83d41bbf32bce7f31724656dafb9aa50649e1db51ba9dbe2a726');
  });

  it('gives one hash when both rules spell the address alike, two when they do not', () => {
    expect(matchingEmailHashes('jane.doe@example.com')).toEqual([sha256HexOf('jane.doe@example.com')]);
    expect(matchingEmailHashes('Jane.Doe@gmail.com')).toEqual([sha256HexOf('janedoe@gmail.com'), sha256HexOf('jane.doe@gmail.com')]);
  });

  it('emailHashMatcher answers as testing every matching hash, asked once or many times', () => {
    const emails = ['Jane.Doe@gmail.com', ' john@example.com ', 'JOHN@example.com', 'ann.lee@googlemail.com', 'bob@example.org', 'nobody'];
    const wanted = new Set([...matchingEmailHashes('janedoe@gmail.com'), sha256HexOf('john@example.com'), sha256HexOf('ann.lee@googlemail.com')]);
    const matcher = emailHashMatcher(wanted);
    for (let round = 0; round < 2; round++) {
      for (const email of emails) expect(matcher(email)).toBe(matchingEmailHashes(email).some((hash) => wanted.has(hash)));
    }
    expect(emails.map(matcher)).toEqual([true, true, true, true, false, false]);
  });
});
