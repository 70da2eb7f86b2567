/**
 * The shapes of golden values and how one record's address is read. Which record wins each
 * golden field is survivorship's work (./survivorship.ts, ./golden-candidates.ts).
 */
import type { Row } from '../../connectors/contract.js';

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

export interface GoldenName {
  readonly first: string | null;
  readonly last: string | null;
  readonly full: string | null;
}

export interface GoldenAddress {
  readonly street: string | null;
  readonly postcode: string | null;
  readonly city: string | null;
  readonly country: string | null;
}

/** A record's whole address, or null when it has none: golden addresses are never a mix of two records. */
export function addressOf(row: Row): GoldenAddress | null {
  const address = { street: text(row.street), postcode: text(row.postcode), city: text(row.city), country: text(row.country) };
  return address.postcode === null && address.city === null && address.street === null ? null : address;
}
