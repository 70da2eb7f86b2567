/** Consent per purpose, as the CRM records it: the latest record for the purpose decides. */
import type { Row } from '../../../connectors/contract.js';
import type { CustomerHandle } from '../../identity/customer-handle.js';
import type { Loaders } from '../../loading/loaders.js';

const CONSENT_PROJECTION = ['id', 'contactId', 'purpose', 'status', 'recordedAt'];

/** True only when the customer's most recent consent record for `purpose` is GRANTED. */
export async function hasConsent(handle: CustomerHandle, loaders: Loaders, purpose: string): Promise<boolean> {
  if (!loaders.isMapped('consent')) return false;
  if (loaders.silos.isSplit('contact')) {
    // Contacts in several CRMs: the latest record of the purpose across every contact of the customer decides.
    const contacts = (await handle.assembly())?.records.contact ?? [];
    if (contacts.length === 0) return false;
    const lists = await Promise.all(contacts.map((contact) => consentsOfContact(loaders, String(contact.row.id))));
    const newest = loaders.silos.compareRows('consent', CONSENT_ORDER);
    return grantedPurposes(lists.flat().sort(newest)).has(purpose);
  }
  // A contact anchor is its own first contact: read without waiting for the links to the shop (as Customer.consents).
  const contact = handle.anchor.entity === 'contact' ? await handle.anchorRecord() : (await handle.assembly())?.records.contact[0]?.row;
  if (contact === undefined || contact === null) return false;
  return grantedPurposes(await consentsOfContact(loaders, String(contact.id))).has(purpose);
}

const CONSENT_ORDER = [
  { field: 'recordedAt', direction: 'DESC' },
  { field: 'id', direction: 'DESC' },
] as const;

export async function consentsOfContact(loaders: Loaders, contactId: string): Promise<ReadonlyArray<Row>> {
  // Same order as Customer.consents, so both share one loader and one statement.
  return loaders.load('consent', contactId, {
    keyField: 'contactId',
    projection: CONSENT_PROJECTION,
    orderBy: CONSENT_ORDER,
  });
}

/** Rows most recent first; a later DENIED or WITHDRAWN overrides an earlier GRANTED. */
export function grantedPurposes(rowsNewestFirst: ReadonlyArray<Row>): Set<string> {
  const decided = new Set<string>();
  const granted = new Set<string>();
  for (const row of rowsNewestFirst) {
    const purpose = typeof row.purpose === 'string' ? row.purpose : undefined;
    if (purpose === undefined || decided.has(purpose)) continue;
    decided.add(purpose);
    if (row.status === 'GRANTED') granted.add(purpose);
  }
  return granted;
}
