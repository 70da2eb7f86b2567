import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { displayNameSource, kindOf, surviveAll } from '../../src/identity/golden-candidates.js';
import type { LinkSettings } from '../../src/identity/link.js';
import {
  DEFAULT_SURVIVORSHIP,
  ruleFor,
  survive,
  surviveField,
  type Candidate,
  type FieldRule,
  type SourcedRecord,
  type SurvivorshipConfig,
} from '../../src/identity/survivorship.js';
import type { Row } from '../../connectors/contract.js';

function record(source: string, key: string, updatedAt: string | null, row: Row = {}): SourcedRecord {
  return { source, entity: source === 'crm' ? 'contact' : 'shopCustomer', key, updatedAt, row: { id: key, ...row } };
}

function candidate(source: string, key: string, updatedAt: string | null, value: string): Candidate<string> {
  return { record: record(source, key, updatedAt), value, normalized: value.toLowerCase() };
}

const PRIORITY: FieldRule = { strategy: 'sourcePriority', sources: [] };
const RECENT: FieldRule = { strategy: 'mostRecent', sources: [] };
const FREQUENT: FieldRule = { strategy: 'mostFrequent', sources: [] };

function winnerKey(candidates: ReadonlyArray<Candidate<string>>, rule: FieldRule): string | null {
  return survive(candidates, rule)?.record.key ?? null;
}

describe('survive', () => {
  const crm = candidate('crm', 'c1', '2024-01-01T00:00:00Z', '+33611111111');
  const shopNew = candidate('shop', 's1', '2025-06-01T00:00:00Z', '+33622222222');
  const shopOld = candidate('shop', 's2', '2023-01-01T00:00:00Z', '+33622222222');

  it('returns null when no record holds a value, whatever the strategy', () => {
    expect(survive([], PRIORITY)).toBeNull();
    expect(survive([], RECENT)).toBeNull();
    expect(survive([], FREQUENT)).toBeNull();
  });

  it('source priority keeps assembly order, or the configured source order', () => {
    expect(winnerKey([crm, shopNew], PRIORITY)).toBe('c1');
    expect(winnerKey([crm, shopNew], { strategy: 'sourcePriority', sources: ['shop', 'crm'] })).toBe('s1');
    // An unlisted source comes after the listed ones.
    expect(winnerKey([crm, shopNew], { strategy: 'sourcePriority', sources: ['shop'] })).toBe('s1');
  });

  it('most recent picks the latest update; undated records and ties go by source priority', () => {
    expect(winnerKey([crm, shopNew], RECENT)).toBe('s1');
    expect(winnerKey([crm, shopOld], RECENT)).toBe('c1');
    const undated = candidate('shop', 's3', null, '+33633333333');
    expect(winnerKey([undated, crm], RECENT)).toBe('c1');
    const sameTime = candidate('shop', 's4', '2024-01-01T00:00:00Z', '+33644444444');
    expect(winnerKey([crm, sameTime], RECENT)).toBe('c1');
    expect(winnerKey([crm, sameTime], { strategy: 'mostRecent', sources: ['shop'] })).toBe('s4');
    expect(winnerKey([candidate('crm', 'c9', null, 'a'), candidate('shop', 's9', 'not a date', 'b')], RECENT)).toBe('c9');
  });

  it('most frequent picks the value most records hold, by normalized value; ties go by source priority', () => {
    expect(winnerKey([crm, shopNew, shopOld], FREQUENT)).toBe('s1');
    expect(winnerKey([crm, shopNew], FREQUENT)).toBe('c1');
    expect(winnerKey([crm, shopNew], { strategy: 'mostFrequent', sources: ['shop'] })).toBe('s1');
    const upper = candidate('crm', 'c2', null, 'A@X.FR');
    const lowerA = candidate('shop', 's5', null, 'a@x.fr');
    const other = candidate('crm', 'c3', null, 'b@x.fr');
    expect(winnerKey([other, upper, lowerA], FREQUENT)).toBe('c2');
  });

  it('keeps every value as an alternative and says when they disagree', () => {
    const survived = surviveField([crm, shopNew, shopOld], { strategy: 'sourcePriority', sources: ['shop'] });
    expect(survived.alternatives.map((alternative) => alternative.record.key)).toEqual(['s1', 's2', 'c1']);
    expect(survived.conflict).toBe(true);
    expect(surviveField([shopNew, shopOld], PRIORITY).conflict).toBe(false);
    expect(surviveField([], PRIORITY)).toMatchObject({ winner: null, conflict: false, alternatives: [] });
  });
});

describe('surviveAll on records', () => {
  const contact = record('crm', 'c1', '2024-01-01T00:00:00Z', {
    email: 'noemail@test.fr',
    mobile: '06 12 34 56 78',
    firstName: 'Anne',
    lastName: 'Martin',
    kind: 'PERSON',
    city: 'Lyon',
  });
  const shop1 = record('shop', 's1', '2025-01-01T00:00:00Z', {
    email: ' Anne.Martin@Mail.FR ',
    phone: '0698765432',
    firstName: 'Anne',
    lastName: 'Martin-Leroy',
    siret: '73282932000074',
  });
  const shop2 = record('shop', 's2', '2023-01-01T00:00:00Z', { email: 'anne.martin@mail.fr', phone: '06 98 76 54 32', postcode: '69001' });
  const settings = (survivorship?: SurvivorshipConfig): LinkSettings => ({
    defaultRegion: 'FR',
    blocklist: [],
    maxRecordsPerIdentifier: 3,
    ...(survivorship === undefined ? {} : { survivorship }),
  });

  it('defaults to the first valid value in assembly order (golden v1), skipping junk and nulls', () => {
    const golden = surviveAll([contact, shop1, shop2], settings());
    expect(golden.email.winner?.record.key).toBe('s1');
    expect(golden.email.winner?.value).toBe('anne.martin@mail.fr');
    expect(golden.phone.winner?.value).toBe('+33612345678');
    expect(golden.phone.conflict).toBe(true);
    expect(golden.name.winner?.value).toEqual({ first: 'Anne', last: 'Martin', full: 'Anne Martin' });
    expect(golden.address.winner?.value).toEqual({ street: null, postcode: null, city: 'Lyon', country: null });
    expect(kindOf(golden)).toBe('PERSON');
    expect(displayNameSource(golden)).toBe('name');
  });

  it('applies per-field rules over the default', () => {
    const golden = surviveAll(
      [contact, shop1, shop2],
      settings({ default: { strategy: 'mostRecent', sources: [] }, fields: { phone: { strategy: 'mostFrequent', sources: [] } } }),
    );
    expect(golden.name.winner?.record.key).toBe('s1');
    expect(golden.phone.winner?.value).toBe('+33698765432');
    expect(golden.phone.winner?.record.key).toBe('s1');
  });

  it('derives COMPANY from a SIRET only when no record declares a kind', () => {
    expect(kindOf(surviveAll([{ ...contact, row: { id: 'c1' } }, shop1], settings()))).toBe('COMPANY');
    expect(kindOf(surviveAll([], settings()))).toBe('PERSON');
  });

  it('falls back to the default rule for a field without one', () => {
    expect(ruleFor(undefined, 'email')).toEqual(DEFAULT_SURVIVORSHIP.default);
  });
});

const BASE = `
sources:
  crm: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/crm" }
entities:
  contact: { source: crm, table: people, fields: { id: id, lastName: name } }
`;

describe('survivorship config', () => {
  it('defaults to source priority in assembly order', () => {
    expect(parseConfigText(BASE, {}).identity.survivorship).toEqual(DEFAULT_SURVIVORSHIP);
  });

  it('reads a default and per-field rules', () => {
    const config = parseConfigText(
      `${BASE}
identity:
  survivorship:
    default: { strategy: sourcePriority, sources: [shop, crm] }
    fields:
      phone: { strategy: mostRecent }
      email: { strategy: mostFrequent, sources: [crm] }
`,
      {},
    );
    expect(config.identity.survivorship).toEqual({
      default: { strategy: 'sourcePriority', sources: ['shop', 'crm'] },
      fields: { phone: { strategy: 'mostRecent', sources: [] }, email: { strategy: 'mostFrequent', sources: ['crm'] } },
    });
  });

  it('rejects an unknown strategy or field', () => {
    for (const bad of ['fields: { phone: { strategy: newest } }', 'fields: { birthDate: { strategy: mostRecent } }']) {
      expect(() => parseConfigText(`${BASE}\nidentity:\n  survivorship:\n    ${bad}\n`, {})).toThrow(ConfigError);
    }
  });
});
