/**
 * Survivorship v1: each golden field comes from the first record that has a valid value,
 * the CRM contact first, then the shop accounts (strongest link, then key order).
 * Configurable rules and provenance per field build on this.
 */
import type { Row } from '../../connectors/contract.js';
import type { Assembly } from './customer-handle.js';
import { normalizeEmail } from './email.js';
import { isJunkIdentifier } from './blocklist.js';
import { normalizePhone } from './phone.js';
import type { LinkSettings } from './link.js';

export function recordsInPriority(assembly: Assembly): Row[] {
  return [...assembly.records.contact, ...assembly.records.shopCustomer].map((record) => record.row);
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

export function goldenEmail(rows: ReadonlyArray<Row>, settings: LinkSettings): string | null {
  for (const row of rows) {
    const email = normalizeEmail(text(row.email));
    if (email !== null && !isJunkIdentifier('email', email, settings.blocklist)) return email;
  }
  return null;
}

export function goldenPhone(rows: ReadonlyArray<Row>, settings: LinkSettings): string | null {
  for (const row of rows) {
    for (const field of ['mobile', 'phone']) {
      const phone = normalizePhone(text(row[field]), settings.defaultRegion);
      if (phone !== null && !isJunkIdentifier('phone', phone, settings.blocklist)) return phone;
    }
  }
  return null;
}

export interface GoldenName {
  readonly first: string | null;
  readonly last: string | null;
  readonly full: string | null;
}

export function goldenName(rows: ReadonlyArray<Row>): GoldenName | null {
  for (const row of rows) {
    const first = text(row.firstName);
    const last = text(row.lastName);
    if (first !== null || last !== null) {
      return { first, last, full: [first, last].filter((part) => part !== null).join(' ') };
    }
  }
  return null;
}

export interface GoldenAddress {
  readonly street: string | null;
  readonly postcode: string | null;
  readonly city: string | null;
  readonly country: string | null;
}

/** The first record's whole address that has a postcode or a city: never a mix of two. */
export function goldenAddress(rows: ReadonlyArray<Row>): GoldenAddress | null {
  for (const row of rows) {
    const address = addressOf(row);
    if (address !== null) return address;
  }
  return null;
}

export function addressOf(row: Row): GoldenAddress | null {
  const address = { street: text(row.street), postcode: text(row.postcode), city: text(row.city), country: text(row.country) };
  return address.postcode === null && address.city === null && address.street === null ? null : address;
}

export function goldenKind(rows: ReadonlyArray<Row>): 'PERSON' | 'COMPANY' {
  for (const row of rows) {
    if (row.kind === 'COMPANY' || row.kind === 'PERSON') return row.kind;
  }
  return rows.some((row) => text(row.siret) !== null) ? 'COMPANY' : 'PERSON';
}

export function goldenCompanyName(rows: ReadonlyArray<Row>): string | null {
  for (const row of rows) {
    const name = text(row.companyName);
    if (name !== null) return name;
  }
  return null;
}
