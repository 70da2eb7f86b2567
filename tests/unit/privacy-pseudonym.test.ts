/** Partner pseudonyms and generalization: stable per partner, unlinkable across partners, rotatable. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { partnerPseudonym } from '../../src/privacy/pseudonym.js';
import { ageBand, departementOf, regionOf } from '../../src/privacy/partner/generalize.js';
import { releaseGroupCounts } from '../../src/privacy/partner/release-policy.js';
import { openCursor, sealCursor } from '../../src/privacy/partner/cursor.js';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);
const customerId = fc.string({ minLength: 1, maxLength: 40 });

describe('partnerPseudonym', () => {
  it('is stable for one partner and key', () => {
    fc.assert(fc.property(customerId, (id) => partnerPseudonym(id, KEY_A, 1) === partnerPseudonym(id, KEY_A, 1)));
  });

  it('differs across partners for every customer, so two partners cannot join their lists', () => {
    fc.assert(fc.property(customerId, (id) => partnerPseudonym(id, KEY_A, 1).slice(3) !== partnerPseudonym(id, KEY_B, 1).slice(3)));
  });

  it('gives two customers two pseudonyms', () => {
    fc.assert(fc.property(customerId, customerId, (a, b) => a === b || partnerPseudonym(a, KEY_A, 1) !== partnerPseudonym(b, KEY_A, 1)));
  });

  it('changes every pseudonym when the key is rotated, and says which key version made it', () => {
    const before = partnerPseudonym('c_123', KEY_A, 1);
    const after = partnerPseudonym('c_123', `${KEY_A}x`, 2);
    expect(after.startsWith('v2.')).toBe(true);
    expect(after.slice(3)).not.toBe(before.slice(3));
  });

  it('never contains the customer id', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{6,20}$/), (id) => !partnerPseudonym(id, KEY_A, 1).includes(id)));
  });
});

describe('generalization', () => {
  const asOf = new Date('2026-06-15T00:00:00Z');
  it.each([
    ['2008-06-16', 'under 18'],
    ['2008-06-15', '18-24'],
    ['1992-01-01', '25-34'],
    ['1961-06-15', '65+'],
    [null, null],
  ])('puts a birth date %s in the age band %s', (birthDate, band) => {
    expect(ageBand(birthDate, asOf)).toBe(band);
  });

  it.each([
    ['75011', '75', 'Île-de-France'],
    ['20000', '2A', 'Corse'],
    ['20200', '2B', 'Corse'],
    ['97400', '974', 'La Réunion'],
    ['1234', null, null],
  ])('turns the postcode %s into département %s and region %s', (postcode, departement, region) => {
    expect(departementOf(postcode)).toBe(departement);
    expect(regionOf(departementOf(postcode))).toBe(region);
  });
});

describe('releaseGroupCounts (the release policy without noise)', () => {
  const policy = {
    minGroupSize: 10,
    roundTo: 1,
    minOverlapHashes: 10,
    epsilonPerQuery: undefined,
    epsilonPerPeriod: undefined,
    queriesPerPeriod: 10,
    periodMillis: 1_000,
  };

  it('shows a group of exactly k and hides a group of k-1, with a total that cannot reveal it', () => {
    const counts = releaseGroupCounts(
      new Map([
        ['A', 10],
        ['B', 9],
      ]),
      policy,
      undefined,
    );
    expect(counts.groups).toEqual([{ value: 'A', count: 10 }]);
    expect(counts.total).toBe(10);
    // One hidden group is itself a number below k: not released (it was the one-email oracle).
    expect(counts.suppressedGroups).toBe(0);
  });

  it('hides the total when every group is below k', () => {
    const counts = releaseGroupCounts(new Map([['A', 9]]), policy, undefined);
    expect(counts.groups).toEqual([]);
    expect(counts.total).toBeNull();
  });

  it('counts suppressed groups over the known domain, so absent and small groups look alike', () => {
    const domain = new Set(['A', 'B', 'C']);
    expect(
      releaseGroupCounts(
        new Map([
          ['A', 10],
          ['B', 1],
        ]),
        policy,
        domain,
      ),
    ).toEqual(releaseGroupCounts(new Map([['A', 10]]), policy, domain));
    expect(releaseGroupCounts(new Map([['A', 10]]), policy, domain).suppressedGroups).toBe(2);
  });

  it('rounds released counts down to a multiple of roundTo, never below k', () => {
    const counts = releaseGroupCounts(
      new Map([
        ['A', 14],
        ['B', 10],
      ]),
      { ...policy, roundTo: 5 },
      undefined,
    );
    expect(counts.groups).toEqual([
      { value: 'A', count: 10 },
      { value: 'B', count: 10 },
    ]);
  });
});

describe('partner cursors', () => {
  it('open only under the key that sealed them', () => {
    const sealed = sealCursor('WzAsIjQyIl0', KEY_A);
    expect(sealed).not.toContain('WzAsIjQyIl0');
    expect(openCursor(sealed, KEY_A)).toBe('WzAsIjQyIl0');
    expect(openCursor(sealed, KEY_B)).toBeNull();
    expect(openCursor('garbage', KEY_A)).toBeNull();
  });
});
