/**
 * Bulk linking for cross-source cube queries: the identifiers of every CRM contact and
 * every shop account are read once (one scan statement each, bounded by maxLinkedRows),
 * and linked in memory by the deterministic rules of the identity module (external id,
 * normalized email, E.164 phone; junk and over-shared identifiers link nobody). Memory is
 * one small record per contact and per shop account, never per order.
 */
import type { Row } from '../../connectors/contract.js';
import type { LinkSettings } from '../identity/link.js';
import { compareKeys, emailsOf, phonesOf } from '../identity/link.js';
import { departementOfPostcode } from '../identity/address.js';
import { normalizeEmail } from '../identity/email.js';
import type { Loaders } from '../loading/loaders.js';
import type { DimensionName } from './catalog.js';
import { tooCostly } from './errors.js';

export type ContactDimension = Extract<DimensionName, 'CITY' | 'DEPARTEMENT' | 'CUSTOMER_KIND' | 'HEADCOUNT_BAND'>;

export interface ContactRecord {
  readonly id: string;
  readonly values: Readonly<Partial<Record<ContactDimension, string | null>>>;
}

interface IdentifierIndex {
  readonly byEmail: Map<string, string[]>;
  readonly byPhone: Map<string, string[]>;
  readonly byExternalId: Map<string, string[]>;
}

export interface LinkedWorld {
  /** The contact a shop account links to (the strongest rule, then the lowest contact id). */
  contactOfShop(shopId: string): ContactRecord | undefined;
  /** The lowest shop account linked to a contact. */
  shopOfContact(contactId: string): string | undefined;
  contactsByEmail(email: string): ReadonlyArray<string>;
  shopsByEmail(email: string): ReadonlyArray<string>;
  contact(id: string): ContactRecord | undefined;
  /** The contact's latest consent for the purpose asked at link time is GRANTED. */
  consented(contactId: string): boolean;
  /** Every shop account id, in the shop's own order (its scan's ORDER BY id). */
  readonly shopIds: ReadonlyArray<string>;
  /** Statements read, for the answer's `sources`. */
  readonly sources: ReadonlyArray<string>;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids === undefined) map.set(key, [id]);
  else ids.push(id);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

async function scanAll(
  loaders: Loaders,
  entity: 'contact' | 'shopCustomer' | 'account',
  projection: ReadonlyArray<string>,
  maxRows: number,
): Promise<ReadonlyArray<Row>> {
  const rows = await loaders.scan(entity, { projection: ['id', ...projection], orderBy: [{ field: 'id', direction: 'ASC' }], limit: maxRows + 1 });
  if (rows.length > maxRows)
    throw tooCostly(
      'maxLinkedRows',
      maxRows,
      `more than ${maxRows} ${entity} records to link; raise analytics.maxLinkedRows or group by dimensions of one source`,
    );
  return rows;
}

/** `phones: false` skips phone normalization (the costly part) when the other side holds no phone to meet. */
function indexOf(entity: 'contact' | 'shopCustomer', rows: ReadonlyArray<Row>, settings: LinkSettings, phones = true): IdentifierIndex {
  const index: IdentifierIndex = { byEmail: new Map(), byPhone: new Map(), byExternalId: new Map() };
  for (const row of rows) {
    const id = String(row.id);
    for (const email of emailsOf(row, settings)) push(index.byEmail, email, id);
    if (phones) for (const phone of phonesOf(entity, row, settings)) push(index.byPhone, phone, id);
    const external = text(row.externalId);
    if (external !== null) push(index.byExternalId, external, id);
  }
  // An identifier held by too many records of one source (a switchboard) links nobody.
  for (const map of [index.byEmail, index.byPhone]) {
    for (const [key, ids] of map) if (ids.length > settings.maxRecordsPerIdentifier) map.delete(key);
  }
  return index;
}

export async function linkWorld(
  loaders: Loaders,
  settings: LinkSettings,
  dimensions: ReadonlyArray<ContactDimension>,
  maxRows: number,
  consentPurpose?: string,
): Promise<LinkedWorld> {
  const contactFields = [
    'email',
    'phone',
    'mobile',
    'externalId',
    ...(dimensions.includes('CITY') ? ['city'] : []),
    ...(dimensions.includes('DEPARTEMENT') ? ['postcode'] : []),
    ...(dimensions.includes('CUSTOMER_KIND') ? ['kind'] : []),
    ...(dimensions.includes('HEADCOUNT_BAND') ? ['accountId'] : []),
  ];
  const [contactRows, shopRows] = await Promise.all([
    scanAll(loaders, 'contact', contactFields, maxRows),
    scanAll(loaders, 'shopCustomer', ['email', 'phone', 'externalId'], maxRows),
  ]);
  const granted = consentPurpose === undefined ? new Set<string>() : await grantedContacts(loaders, consentPurpose, maxRows);
  const bands = dimensions.includes('HEADCOUNT_BAND') ? await headcountBands(loaders, contactRows, maxRows) : new Map<string, string | null>();

  const contacts = new Map<string, ContactRecord>();
  for (const row of contactRows) {
    const values: Partial<Record<ContactDimension, string | null>> = {};
    if (dimensions.includes('CITY')) values.CITY = text(row.city);
    if (dimensions.includes('DEPARTEMENT')) values.DEPARTEMENT = text(row.postcode) === null ? null : departementOfPostcode(String(row.postcode).trim());
    if (dimensions.includes('CUSTOMER_KIND')) values.CUSTOMER_KIND = text(row.kind);
    if (dimensions.includes('HEADCOUNT_BAND')) values.HEADCOUNT_BAND = bands.get(String(row.accountId)) ?? null;
    contacts.set(String(row.id), { id: String(row.id), values });
  }
  const shopIndex = indexOf('shopCustomer', shopRows, settings);
  const contactIndex = indexOf('contact', contactRows, settings, shopIndex.byPhone.size > 0);
  const contactIds = new Set(contacts.keys());
  const rules = settings.rules ?? ['EXTERNAL_ID', 'EMAIL', 'PHONE'];

  const contactOfShop = new Map<string, string>();
  const shopOfContact = new Map<string, string>();
  for (const row of shopRows) {
    const shopId = String(row.id);
    let found: string | undefined;
    for (const rule of rules) {
      const candidates: string[] = [];
      if (rule === 'EXTERNAL_ID') {
        candidates.push(...(contactIndex.byExternalId.get(shopId) ?? []));
        const external = text(row.externalId);
        if (external !== null && contactIds.has(external)) candidates.push(external);
      } else if (rule === 'EMAIL') {
        for (const email of emailsOf(row, settings)) if (shopIndex.byEmail.has(email)) candidates.push(...(contactIndex.byEmail.get(email) ?? []));
      } else {
        for (const phone of phonesOf('shopCustomer', row, settings))
          if (shopIndex.byPhone.has(phone)) candidates.push(...(contactIndex.byPhone.get(phone) ?? []));
      }
      if (candidates.length > 0) {
        found = candidates.sort(compareKeys)[0];
        break;
      }
    }
    if (found === undefined) continue;
    contactOfShop.set(shopId, found);
    const known = shopOfContact.get(found);
    if (known === undefined || compareKeys(shopId, known) < 0) shopOfContact.set(found, shopId);
  }

  const sources = [
    loaders.sourceOf('contact'),
    loaders.sourceOf('shopCustomer'),
    ...(dimensions.includes('HEADCOUNT_BAND') ? [loaders.sourceOf('company')] : []),
  ];
  return {
    contactOfShop: (shopId) => {
      const id = contactOfShop.get(shopId);
      return id === undefined ? undefined : contacts.get(id);
    },
    shopOfContact: (contactId) => shopOfContact.get(contactId),
    contactsByEmail: (email) => contactIndex.byEmail.get(normalizeEmail(email) ?? '') ?? [],
    shopsByEmail: (email) => shopIndex.byEmail.get(normalizeEmail(email) ?? '') ?? [],
    contact: (id) => contacts.get(id),
    consented: (contactId) => granted.has(contactId),
    shopIds: shopRows.map((row) => String(row.id)),
    sources,
  };
}

/** Account id -> the registry's headcount band of its SIREN: accounts read once, companies in batches. */
async function headcountBands(loaders: Loaders, contactRows: ReadonlyArray<Row>, maxRows: number): Promise<Map<string, string | null>> {
  const wanted = new Set(contactRows.map((row) => text(row.accountId)).filter((id): id is string => id !== null));
  const accounts = (await scanAll(loaders, 'account', ['siren'], maxRows)).filter((row) => wanted.has(String(row.id)));
  const sirens = [
    ...new Set(accounts.map((row) => text(row.siren)).filter((siren): siren is string => siren !== null && /^\d{9}$/.test(siren.replace(/\s/g, '')))),
  ].map((siren) => siren.replace(/\s/g, ''));
  const companies = await loaders.loadMany('company', sirens, { keyField: 'siren', projection: ['siren', 'headcountBand'] });
  const bandOfSiren = new Map<string, string | null>();
  sirens.forEach((siren, index) => bandOfSiren.set(siren, text(companies[index]?.[0]?.headcountBand)));
  const bands = new Map<string, string | null>();
  for (const account of accounts) bands.set(String(account.id), bandOfSiren.get(String(account.siren ?? '').replace(/\s/g, '')) ?? null);
  return bands;
}

/** Contacts whose most recent consent record for `purpose` is GRANTED: the consents read once. */
async function grantedContacts(loaders: Loaders, purpose: string, maxRows: number): Promise<Set<string>> {
  if (!loaders.isMapped('consent')) return new Set();
  const rows = await loaders.scan('consent', {
    projection: ['id', 'contactId', 'purpose', 'status', 'recordedAt'],
    filter: { op: 'eq', field: 'purpose', value: purpose },
    orderBy: [{ field: 'id', direction: 'ASC' }],
    limit: maxRows + 1,
  });
  if (rows.length > maxRows) throw tooCostly('maxLinkedRows', maxRows, `more than ${maxRows} consent records to read`);
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const contactId = String(row.contactId);
    const known = latest.get(contactId);
    // The latest record decides; on equal times the higher id, as Customer.consents orders them.
    if (
      known === undefined ||
      String(row.recordedAt ?? '') > String(known.recordedAt ?? '') ||
      (String(row.recordedAt ?? '') === String(known.recordedAt ?? '') && compareKeys(String(row.id), String(known.id)) > 0)
    )
      latest.set(contactId, row);
  }
  return new Set([...latest].filter(([, row]) => row.status === 'GRANTED').map(([contactId]) => contactId));
}
