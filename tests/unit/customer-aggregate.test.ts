/** The Customer aggregate (src/identity/customer.ts): records of every person source, emails, phones, a memoized golden record. */
import { describe, expect, it } from '@jest/globals';
import type { Row, Scalar } from '../../connectors/contract.js';
import type { LoadOptions } from '../../src/loading/loaders.js';
import type { CanonicalEntityName } from '../../src/config/canonical.js';
import { Customer, PERSON_ENTITIES, type CustomerContext } from '../../src/identity/customer.js';
import type { Assembly } from '../../src/identity/customer-handle.js';
import type { LinkSettings } from '../../src/identity/link.js';

const SOURCES: Partial<Record<CanonicalEntityName, string>> = { contact: 'crm', shopCustomer: 'shop' };

/** Loaders over rows in memory: what the aggregate asks of them, and how often. */
function loadersOver(tables: Partial<Record<CanonicalEntityName, ReadonlyArray<Row>>>) {
  const calls: Array<{ entity: CanonicalEntityName; keys: ReadonlyArray<Scalar>; projection: ReadonlyArray<string> }> = [];
  const loaders: CustomerContext['loaders'] = {
    sourceOf: (entity) => SOURCES[entity] ?? entity,
    sourceOfRow: (entity) => SOURCES[entity] ?? entity,
    isMapped: (entity) => SOURCES[entity] !== undefined,
    mappedFields: (_entity, fields) => [...fields],
    loadMany: async (entity: CanonicalEntityName, keys: ReadonlyArray<Scalar>, options: LoadOptions) => {
      calls.push({ entity, keys, projection: options.projection });
      return keys.map((key) =>
        (tables[entity] ?? [])
          .filter((row) => String(row.id) === String(key))
          .map((row) => Object.fromEntries(options.projection.map((field) => [field, row[field] ?? null]))),
      );
    },
  };
  return { loaders, calls };
}

const LINK: LinkSettings = { defaultRegion: 'FR', blocklist: [], maxRecordsPerIdentifier: 5 };

const contact: Row = { id: 'c1', email: ' Julie.Martin@Mail.fr ', mobile: '06 12 34 56 78', phone: '01 44 55 66 77', firstName: 'Julie', lastName: 'Martin' };
const shopA: Row = { id: 's7', email: 'julie.martin@mail.fr', phone: '+33612345678', firstName: 'Julie', lastName: 'Martin-Durand' };
const shopB: Row = { id: 's9', email: 'test@example.com', phone: '0000000000', firstName: 'J', lastName: 'Martin' };

function assemblyOf(failures: Assembly['failures'] = {}): Assembly {
  return {
    anchor: { entity: 'contact', row: contact, rule: 'ANCHOR' },
    records: {
      contact: [{ entity: 'contact', row: contact, rule: 'ANCHOR' }],
      shopCustomer: [
        { entity: 'shopCustomer', row: shopA, rule: 'EMAIL' },
        { entity: 'shopCustomer', row: shopB, rule: 'PHONE' },
      ],
    },
    failures,
  };
}

describe('Customer aggregate', () => {
  it('holds the records of every person source, each tagged with its source, entity and key, in person-entity order', () => {
    const customer = new Customer(assemblyOf(), { loaders: loadersOver({}).loaders, link: LINK });
    expect(PERSON_ENTITIES).toEqual(['contact', 'shopCustomer']);
    expect(customer.records.map((record) => [record.source, record.entity, record.key, record.rule])).toEqual([
      ['crm', 'contact', 'c1', 'ANCHOR'],
      ['shop', 'shopCustomer', 's7', 'EMAIL'],
      ['shop', 'shopCustomer', 's9', 'PHONE'],
    ]);
    expect(customer.keysOf('shopCustomer')).toEqual(['s7', 's9']);
    expect(customer.anchor?.key).toBe('c1');
  });

  it("throws a failed source's error from that source's rows only", () => {
    const failure = new Error('shop down');
    const customer = new Customer(assemblyOf({ shopCustomer: failure }), { loaders: loadersOver({}).loaders, link: LINK });
    expect(customer.rowsOf('contact')).toEqual([contact]);
    expect(() => customer.rowsOf('shopCustomer')).toThrow(failure);
    expect(customer.failureOf('contact')).toBeUndefined();
  });

  it('a customer without records (its anchor vanished) has no records, emails or phones', async () => {
    const customer = new Customer(null, { loaders: loadersOver({}).loaders, link: LINK });
    expect(customer.records).toEqual([]);
    expect(customer.emails()).toEqual([]);
    expect(customer.phones()).toEqual([]);
    expect((await customer.golden(['email'])).email.winner).toBeNull();
  });

  it('emails and phones: normalized, distinct, junk left out, in record order (mobile before landline)', () => {
    const customer = new Customer(assemblyOf(), { loaders: loadersOver({}).loaders, link: LINK });
    expect(customer.emails()).toEqual(['julie.martin@mail.fr']);
    expect(customer.phones()).toEqual(['+33612345678', '+33144556677']);
  });

  it('computes the golden record once, and reads updatedAt in one batched load per entity only for a most-recent rule', async () => {
    const { loaders, calls } = loadersOver({
      contact: [{ id: 'c1', updatedAt: '2024-01-01T00:00:00Z' }],
      shopCustomer: [
        { id: 's7', updatedAt: '2025-03-01T00:00:00Z' },
        { id: 's9', updatedAt: null },
      ],
    });
    const link: LinkSettings = {
      ...LINK,
      survivorship: { default: { strategy: 'sourcePriority', sources: [] }, fields: { name: { strategy: 'mostRecent', sources: [] } } },
    };
    const customer = new Customer(assemblyOf(), { loaders, link });
    const first = customer.golden(['email']);
    expect(customer.golden(['phone'])).toBe(first);
    expect((await first).name.winner?.record.key).toBe('c1');
    expect(calls).toEqual([]);
    const recent = await customer.golden(['name']);
    expect(await customer.golden(['name', 'email'])).toBe(recent);
    expect(recent.name.winner?.value.full).toBe('Julie Martin-Durand');
    expect(recent.name.winner?.record.updatedAt).toBe('2025-03-01T00:00:00Z');
    expect(calls).toEqual([
      { entity: 'contact', keys: ['c1'], projection: ['id', 'updatedAt'] },
      { entity: 'shopCustomer', keys: ['s7', 's9'], projection: ['id', 'updatedAt'] },
    ]);
  });
});
