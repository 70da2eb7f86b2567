/**
 * The names staff type for each real customer of a demo world, and whether a search answer
 * holds that person among its first hits. Shared by bench/search.ts and the search tests.
 */
import type { DemoWorld } from '../src/demo/world-types.js';

export type NameForm = 'First Last' | 'LAST First' | 'unaccented lower case';
export const NAME_FORMS: ReadonlyArray<NameForm> = ['First Last', 'LAST First', 'unaccented lower case'];

export interface SearchCase {
  readonly text: string;
  readonly form: NameForm;
  /** Where the person lives: in the CRM (maybe the shop too), or in the shop only. */
  readonly silo: 'crm' | 'shop-only';
  /** The person's records, as `source:key`; a hit holding any of them is the right person. */
  readonly records: ReadonlySet<string>;
}

function unaccentedLower(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/g, 'oe');
}

/**
 * Three cases per customer: a person by first and last name; a company by its name as the
 * CRM (or shop) writes it, in capitals, and in unaccented lower case.
 */
export function searchCases(world: DemoWorld): SearchCase[] {
  const contacts = new Map(world.contacts.map((contact) => [contact.id, contact]));
  const shops = new Map(world.shopCustomers.map((shop) => [shop.id, shop]));
  const cases: SearchCase[] = [];
  for (const person of world.truth.people) {
    const contact = person.contactIds.map((id) => contacts.get(id)).find((record) => record?.firstName != null && record.lastName != null);
    const shop = person.shopCustomerIds.map((id) => shops.get(id)).find((record) => record?.firstName != null && record.lastName != null);
    const named = contact ?? shop;
    const records = new Set([...person.contactIds.map((id) => `crm:${id}`), ...person.shopCustomerIds.map((id) => `shop:${id}`)]);
    const silo = person.contactIds.length > 0 ? 'crm' : 'shop-only';
    if (named === undefined || named.firstName == null || named.lastName == null) {
      const company = [...person.contactIds.map((id) => contacts.get(id)?.companyName), ...person.shopCustomerIds.map((id) => shops.get(id)?.companyName)].find(
        (name) => name != null,
      );
      if (company == null) continue;
      cases.push({ text: company, form: 'First Last', silo, records });
      cases.push({ text: company.toUpperCase(), form: 'LAST First', silo, records });
      cases.push({ text: unaccentedLower(company), form: 'unaccented lower case', silo, records });
      continue;
    }
    const { firstName, lastName } = named;
    cases.push({ text: `${firstName} ${lastName}`, form: 'First Last', silo, records });
    cases.push({ text: `${lastName.toUpperCase()} ${firstName}`, form: 'LAST First', silo, records });
    cases.push({ text: unaccentedLower(`${firstName} ${lastName}`), form: 'unaccented lower case', silo, records });
  }
  return cases;
}

/** A hit as the search answers it: the customer's source records. */
export interface HitSources {
  readonly sources: ReadonlyArray<{ readonly source: string; readonly key: string }>;
}

/** True when one of the first `within` hits holds one of the person's records. */
export function foundWithin(hits: ReadonlyArray<HitSources>, wanted: SearchCase, within: number): boolean {
  return hits.slice(0, within).some((hit) => hit.sources.some((record) => wanted.records.has(`${record.source}:${record.key}`)));
}
