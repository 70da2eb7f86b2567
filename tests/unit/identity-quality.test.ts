import { describe, expect, it } from '@jest/globals';
import { DEFAULT_IDENTITY_CONFIG } from '../../src/config/identity-config.js';
import { assessQuality, type SourcedRow } from '../../src/identity/quality.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

const contact: SourcedRow = {
  source: 'crm',
  entity: 'contact',
  row: {
    id: '1',
    firstName: 'Marie',
    lastName: 'Dupont',
    email: ' Marie.Dupont@Gmail.com ',
    phone: '01 45 67 89 10',
    mobile: '06 12 34 56 78',
    street: '12 rue X',
    postcode: '75005',
    city: 'Paris',
    birthDate: '1985-03-04',
    updatedAt: '2026-01-10T00:00:00Z',
  },
};

describe('assessQuality', () => {
  it("sees no phone conflict when the CRM has a landline and a mobile equal to the shop's phone", () => {
    const shop: SourcedRow = { source: 'shop', entity: 'shopCustomer', row: { id: '8', phone: '+33612345678' } };
    expect(assessQuality([contact, shop], DEFAULT_IDENTITY_CONFIG, NOW).conflicts.map((conflict) => conflict.field)).toEqual([]);
  });

  it('scores a complete, valid, fresh customer at 1 with no conflict', () => {
    const quality = assessQuality([contact], DEFAULT_IDENTITY_CONFIG, NOW);
    expect(quality).toEqual({
      score: 1,
      completeness: 1,
      emailValid: true,
      phoneValid: true,
      postcodeValid: true,
      siretValid: null,
      birthDateValid: true,
      unparseableBirthDates: 0,
      lastUpdatedAt: '2026-01-10T00:00:00.000Z',
      stale: false,
      conflicts: [],
    });
  });

  it('shows two sources holding two different phones and birth dates as conflicts, with where each came from', () => {
    const shop: SourcedRow = {
      source: 'shop',
      entity: 'shopCustomer',
      row: {
        id: '7',
        email: 'marie.dupont@gmail.com',
        phone: '+33 7 00 00 00 01',
        birthDate: '1985-04-03',
        postcode: '75005',
        updatedAt: '2025-01-01T00:00:00Z',
      },
    };
    const quality = assessQuality([contact, shop], DEFAULT_IDENTITY_CONFIG, NOW);
    expect(quality.conflicts.map((conflict) => conflict.field)).toEqual(['phone', 'birthDate']);
    // Each record counted by the phone it gives the golden record: the CRM's mobile (src/identity/conflict.ts).
    expect(quality.conflicts[0]!.values).toEqual([
      { source: 'crm', entity: 'contact', key: '1', value: '+33612345678' },
      { source: 'shop', entity: 'shopCustomer', key: '7', value: '+33700000001' },
    ]);
    expect(quality.score).toBeLessThan(1);
  });

  it('flags placeholder emails, bad postcodes and SIRETs as invalid, and old records as stale', () => {
    const shop: SourcedRow = {
      source: 'shop',
      entity: 'shopCustomer',
      row: {
        id: '8',
        lastName: 'X',
        email: 'noemail@noemail.com',
        phone: '0000000000',
        postcode: '750',
        siret: '12345678901234',
        updatedAt: '2020-01-01T00:00:00Z',
      },
    };
    const quality = assessQuality([shop], DEFAULT_IDENTITY_CONFIG, NOW);
    expect(quality).toMatchObject({ emailValid: false, phoneValid: false, postcodeValid: false, siretValid: false, stale: true });
    expect(quality.completeness).toBeCloseTo(4 / 6, 3);
  });

  it('says nothing of validity where no source holds a value, and counts a customer never updated as stale', () => {
    const quality = assessQuality([{ source: 'crm', entity: 'contact', row: { id: '2', lastName: 'Martin' } }], DEFAULT_IDENTITY_CONFIG, NOW);
    expect(quality).toMatchObject({
      emailValid: null,
      phoneValid: null,
      postcodeValid: null,
      siretValid: null,
      lastUpdatedAt: null,
      stale: true,
      completeness: 0.167,
    });
  });
});
