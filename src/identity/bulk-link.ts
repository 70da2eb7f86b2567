/**
 * Bulk linking: the identifiers of every CRM contact and every shop account are read once
 * (keyset scans of the identifier columns only, per source), indexed in memory, and every
 * customer is then assembled from these indexes instead of from per-customer lookups. The
 * rules are those of the per-customer resolution (./link.ts `findIdentifierLinks`,
 * ./customer-handle.ts `assemble`), replayed on the indexes:
 *
 * - EXTERNAL_ID: the other source's record whose key is this record's external id, and the
 *   records whose external id is this record's key;
 * - EMAIL: the records of both sources with the same canonical mailbox (./email-canonical.ts);
 * - PHONE: the records holding, in any phone field, one of the digit spellings of the
 *   number (./phone.ts `phoneDigitCandidates`, as the `digits` lookup compares them);
 * - an identifier held by more than `maxRecordsPerIdentifier` records of either source
 *   links nobody; a pair the shared-identifier guard holds back is a household, not a link
 *   (the guard's fields come with the scan and are kept only for the records that share an identifier).
 *
 * Memory is one small record per contact and per shop account (its key, canonical email,
 * phone digits and external id, the guard's fields when it shares one), bounded by `maxRows` per source; `heapBytes` reports what
 * building the indexes took. Rows themselves are not kept: a customer's records are then
 * read by key, batched across a page (index-served). Probabilistic matching has no bulk
 * form: `bulkLinkingApplies` is false when it is on, and callers keep the per-customer path.
 */
import type { Row } from '../../connectors/contract.js';
import type { Loaders } from '../loading/loaders.js';
import type { AnchorEntity } from './customer-id.js';
import { encodeCustomerId, type Anchor } from './customer-id.js';
import { compareKeys, emailsOf, rulePriority, stringOf, type LinkSettings, type MatchRule } from './link.js';
import { normalizePhone, phoneDigitCandidates } from './phone.js';
import { isJunkIdentifier } from './blocklist.js';
import { GUARD_FIELDS, sharedIdentifierConflict, type HouseholdReason } from './shared-identifier-guard.js';
import type { DeterministicRule } from '../config/identity-config.js';
import { tooCostly } from '../analytics/errors.js';
import { canonicalEmail, DEFAULT_EMAIL_RULES } from './email-canonical.js';

/** A record of a customer, by key, with the rule that linked it. */
export interface PlannedRecord {
  readonly entity: AnchorEntity;
  readonly key: string;
  readonly rule: MatchRule;
}

export interface PlannedHousehold {
  readonly entity: AnchorEntity;
  readonly key: string;
  readonly sharedBy: 'EMAIL' | 'PHONE';
  readonly reason: HouseholdReason;
}

/** What CustomerHandle.assemble would find for an anchor, as keys: the records to read and how they link. */
export interface AssemblyPlan {
  readonly anchor: PlannedRecord;
  readonly records: Readonly<Record<AnchorEntity, ReadonlyArray<PlannedRecord>>>;
  readonly households: ReadonlyArray<PlannedHousehold>;
}

export interface BulkLinks {
  /** True when the scans saw this record (a record created later is linked the per-customer way). */
  knows(anchor: Anchor): boolean;
  plan(anchor: Anchor): AssemblyPlan | undefined;
  /** The c360 id of the customer the record belongs to (CustomerHandle.id). */
  customerIdOf(anchor: Anchor): string | undefined;
  /** Every key scanned, in the source's key order. */
  keys(entity: AnchorEntity): ReadonlyArray<string>;
  readonly stats: { readonly rows: Readonly<Record<AnchorEntity, number>>; readonly statements: number; readonly heapBytes: number; readonly millis: number };
}

export interface BulkLinkOptions {
  /** At most this many records per source; more fails with a clear error instead of growing memory. */
  readonly maxRows: number;
  /** Rows per keyset scan statement. */
  readonly scanChunk?: number;
}

/** Bulk linking reproduces the deterministic rules only. */
export function bulkLinkingApplies(loaders: Loaders, settings: LinkSettings): boolean {
  return settings.probabilistic?.enabled !== true && loaders.isMapped('contact') && loaders.isMapped('shopCustomer');
}

const PHONE_FIELDS: Readonly<Record<AnchorEntity, ReadonlyArray<string>>> = { contact: ['phone', 'mobile'], shopCustomer: ['phone'] };

interface Indexed {
  readonly keys: string[];
  readonly known: Set<string>;
  readonly email: Map<string, string>;
  readonly phones: Map<string, string[]>;
  readonly externalId: Map<string, string>;
  readonly byEmail: Map<string, string[]>;
  readonly byDigits: Map<string, string[]>;
  readonly byExternalId: Map<string, string[]>;
  /** The guard's fields of each record (non-null ones only); pruned to the records that share an identifier. */
  readonly guard: Map<string, Row>;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids === undefined) map.set(key, [id]);
  else if (ids[ids.length - 1] !== id) ids.push(id);
}

/** phonesOf (./link.ts) for one stored value, remembered for the run: a number is normalized once however many records hold it. */
function phoneNormalizer(settings: LinkSettings): (value: unknown) => string | null {
  const seen = new Map<string, string | null>();
  return (value) => {
    if (typeof value !== 'string') return null;
    let phone = seen.get(value);
    if (phone === undefined) {
      const normalized = normalizePhone(value, settings.defaultRegion);
      phone = normalized !== null && !isJunkIdentifier('phone', normalized, settings.blocklist) ? normalized : null;
      seen.set(value, phone);
    }
    return phone;
  };
}

async function scanIdentifiers(loaders: Loaders, entity: AnchorEntity, settings: LinkSettings, options: BulkLinkOptions, counter: { statements: number }, phoneOf: (value: unknown) => string | null): Promise<Indexed> {
  const phoneFields = loaders.mappedFields(entity, PHONE_FIELDS[entity]);
  const guardFields = settings.sharedIdentifierGuard === false ? [] : loaders.mappedFields(entity, GUARD_FIELDS);
  const projection = loaders.mappedFields(entity, ['id', 'email', 'externalId', ...phoneFields, ...guardFields]);
  const indexed: Indexed = { keys: [], known: new Set(), email: new Map(), phones: new Map(), externalId: new Map(), byEmail: new Map(), byDigits: new Map(), byExternalId: new Map(), guard: new Map() };
  const chunk = options.scanChunk ?? 20_000;
  let after: string | null = null;
  for (;;) {
    const rows: ReadonlyArray<Row> = await loaders.scan(entity, { projection, ...(after === null ? {} : { filter: { op: 'range', field: 'id', gt: after } }), orderBy: [{ field: 'id', direction: 'ASC' }], limit: chunk });
    counter.statements++;
    for (const row of rows) {
      const key = String(row.id);
      indexed.keys.push(key);
      indexed.known.add(key);
      const email = emailsOf(row, settings)[0];
      if (email !== undefined) indexed.email.set(key, email);
      // Every stored spelling groups by mailbox (junk included: holders are not filtered), as holdersOfEmail finds them.
      const canonical = canonicalEmail(typeof row.email === 'string' ? row.email : null, settings.email ?? DEFAULT_EMAIL_RULES);
      if (canonical !== null) push(indexed.byEmail, canonical, key);
      const phones = [...new Set(phoneFields.map((field) => phoneOf(row[field])).filter((phone): phone is string => phone !== null))];
      if (phones.length > 0) indexed.phones.set(key, phones);
      if (guardFields.length > 0) {
        const guard: Record<string, Row[string]> = {};
        for (const field of guardFields) if (row[field] !== null && row[field] !== undefined) guard[field] = row[field];
        indexed.guard.set(key, guard);
      }
      for (const field of phoneFields) {
        const value = row[field];
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const digits = String(value).replace(/[^0-9]/g, '');
        if (digits !== '') push(indexed.byDigits, digits, key);
      }
      const external = stringOf(row.externalId);
      if (external !== null) {
        indexed.externalId.set(key, external);
        push(indexed.byExternalId, external, key);
      }
    }
    if (indexed.keys.length > options.maxRows) {
      throw tooCostly('maxLinkedRows', options.maxRows, `more than ${options.maxRows} ${entity} records to link in bulk; raise analytics.maxLinkedRows`);
    }
    if (rows.length < chunk) return indexed;
    after = indexed.keys[indexed.keys.length - 1]!;
  }
}

interface Found {
  readonly links: PlannedRecord[];
  readonly households: PlannedHousehold[];
}

export async function bulkLink(loaders: Loaders, settings: LinkSettings, options: BulkLinkOptions): Promise<BulkLinks> {
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const counter = { statements: 0 };
  const phoneOf = phoneNormalizer(settings);
  const [contact, shopCustomer] = await Promise.all([scanIdentifiers(loaders, 'contact', settings, options, counter, phoneOf), scanIdentifiers(loaders, 'shopCustomer', settings, options, counter, phoneOf)]);
  const index: Record<AnchorEntity, Indexed> = { contact, shopCustomer };
  const uses = (rule: DeterministicRule) => settings.rules === undefined || settings.rules.includes(rule);
  const priority = rulePriority(settings);
  const other = (entity: AnchorEntity): AnchorEntity => (entity === 'contact' ? 'shopCustomer' : 'contact');
  const externalMapped: Record<AnchorEntity, boolean> = { contact: loaders.mappedFields('contact', ['externalId']).length > 0, shopCustomer: loaders.mappedFields('shopCustomer', ['externalId']).length > 0 };

  // Holders of a number, per source, computed once per number.
  const phoneHolders = new Map<string, Record<AnchorEntity, string[]>>();
  const holdersOfPhone = (entity: AnchorEntity, phone: string): string[] => {
    let holders = phoneHolders.get(phone);
    if (holders === undefined) {
      const candidates = phoneDigitCandidates(phone, settings.defaultRegion);
      const of = (source: AnchorEntity) => {
        const found = new Set<string>();
        for (const candidate of candidates) for (const key of index[source].byDigits.get(candidate) ?? []) found.add(key);
        return [...found];
      };
      holders = { contact: of('contact'), shopCustomer: of('shopCustomer') };
      phoneHolders.set(phone, holders);
    }
    return holders[entity];
  };
  const holdersOfEmail = (entity: AnchorEntity, email: string): ReadonlyArray<string> => index[entity].byEmail.get(email) ?? [];

  // The guard's fields are kept only for the records that share an email or phone with another.
  const guardRows: Record<AnchorEntity, Map<string, Row>> = { contact: contact.guard, shopCustomer: shopCustomer.guard };
  if (settings.sharedIdentifierGuard !== false) {
    const wanted: Record<AnchorEntity, Set<string>> = { contact: new Set(), shopCustomer: new Set() };
    const groups = (email: string | undefined, phones: ReadonlyArray<string>) => {
      const sets: Array<Record<AnchorEntity, ReadonlyArray<string>>> = [];
      if (email !== undefined && uses('EMAIL')) sets.push({ contact: holdersOfEmail('contact', email), shopCustomer: holdersOfEmail('shopCustomer', email) });
      if (uses('PHONE')) for (const phone of phones) sets.push({ contact: holdersOfPhone('contact', phone), shopCustomer: holdersOfPhone('shopCustomer', phone) });
      return sets;
    };
    for (const entity of ['contact', 'shopCustomer'] as const) {
      for (const key of index[entity].keys) {
        for (const set of groups(index[entity].email.get(key), index[entity].phones.get(key) ?? [])) {
          const size = set.contact.length + set.shopCustomer.length;
          if (size < 2 || set.contact.length > settings.maxRecordsPerIdentifier || set.shopCustomer.length > settings.maxRecordsPerIdentifier) continue;
          wanted[entity].add(key);
          for (const target of ['contact', 'shopCustomer'] as const) for (const holder of set[target]) wanted[target].add(holder);
        }
      }
    }
    for (const entity of ['contact', 'shopCustomer'] as const) for (const key of [...guardRows[entity].keys()]) if (!wanted[entity].has(key)) guardRows[entity].delete(key);
  }
  const guardRow = (entity: AnchorEntity, key: string): Row => guardRows[entity].get(key) ?? { id: key };

  /** findIdentifierLinks(from, target, with the same-source links), on the indexes. */
  const linksFrom = (entity: AnchorEntity, key: string, target: AnchorEntity): Found => {
    const found: Found = { links: [], households: [] };
    const own = index[entity];
    const external = own.externalId.get(key);
    if (uses('EXTERNAL_ID')) {
      if (external !== undefined && index[target].known.has(external)) found.links.push({ entity: target, key: external, rule: 'EXTERNAL_ID' });
      if (externalMapped[target]) for (const holder of index[target].byExternalId.get(key) ?? []) found.links.push({ entity: target, key: holder, rule: 'EXTERNAL_ID' });
    }
    const guarded = (holders: ReadonlyArray<string>, sharedBy: 'EMAIL' | 'PHONE', to: AnchorEntity) => {
      for (const holder of holders) {
        if (to === entity && holder === key) continue;
        const reason = settings.sharedIdentifierGuard === false ? null : sharedIdentifierConflict(guardRow(entity, key), guardRow(to, holder));
        if (reason === null) found.links.push({ entity: to, key: holder, rule: sharedBy });
        else found.households.push({ entity: to, key: holder, sharedBy, reason });
      }
    };
    const email = own.email.get(key);
    if (email !== undefined && uses('EMAIL')) {
      const rows = holdersOfEmail(target, email);
      const same = holdersOfEmail(entity, email);
      if (rows.length <= settings.maxRecordsPerIdentifier && same.length <= settings.maxRecordsPerIdentifier) {
        guarded(rows, 'EMAIL', target);
        guarded(same, 'EMAIL', entity);
      }
    }
    if (uses('PHONE')) {
      for (const phone of own.phones.get(key) ?? []) {
        const rows = holdersOfPhone(target, phone);
        const same = holdersOfPhone(entity, phone);
        if (rows.length > settings.maxRecordsPerIdentifier || same.length > settings.maxRecordsPerIdentifier) continue;
        guarded(rows, 'PHONE', target);
        guarded(same, 'PHONE', entity);
      }
    }
    const links = strongest(found.links);
    return { links, households: apart(found.households, links) };
  };

  const rank = (rule: MatchRule) => priority.indexOf(rule);
  const byRuleThenKey = (a: PlannedRecord, b: PlannedRecord) => rank(a.rule) - rank(b.rule) || compareKeys(a.key, b.key);
  const strongest = (records: ReadonlyArray<PlannedRecord>): PlannedRecord[] => {
    const best = new Map<string, PlannedRecord>();
    for (const record of records) {
      const id = `${record.entity}:${record.key}`;
      const current = best.get(id);
      if (current === undefined || rank(record.rule) < rank(current.rule)) best.set(id, record);
    }
    return [...best.values()].sort(byRuleThenKey);
  };
  const apart = (members: ReadonlyArray<PlannedHousehold>, links: ReadonlyArray<{ entity: AnchorEntity; key: string }>): PlannedHousehold[] => {
    const linked = new Set(links.map((record) => `${record.entity}:${record.key}`));
    const households = new Map<string, PlannedHousehold>();
    for (const member of members) if (!linked.has(`${member.entity}:${member.key}`)) households.set(`${member.entity}:${member.key}`, member);
    return [...households.values()];
  };
  const split = (anchor: PlannedRecord, links: ReadonlyArray<PlannedRecord>): Record<AnchorEntity, PlannedRecord[]> => {
    const records: Record<AnchorEntity, PlannedRecord[]> = { contact: [], shopCustomer: [] };
    records[anchor.entity].push(anchor);
    for (const record of links) records[record.entity].push(record);
    return records;
  };

  const plan = (anchor: Anchor): AssemblyPlan | undefined => {
    if (!index[anchor.entity].known.has(anchor.key)) return undefined;
    const self: PlannedRecord = { entity: anchor.entity, key: anchor.key, rule: 'ANCHOR' };
    const found = linksFrom(anchor.entity, anchor.key, other(anchor.entity));
    const contactsFound = found.links.filter((record) => record.entity === 'contact');
    if (anchor.entity === 'contact' || contactsFound.length === 0) {
      return { anchor: self, records: split(self, found.links), households: apart(found.households, found.links) };
    }
    // Re-anchored on the strongest contact, with every shop account of it (CustomerHandle.assemble).
    const best = contactsFound[0]!;
    const contactAnchor: PlannedRecord = { entity: 'contact', key: best.key, rule: 'ANCHOR' };
    const shopLink: PlannedRecord = { ...self, rule: best.rule };
    const shops = linksFrom('contact', best.key, 'shopCustomer');
    const others = shops.links.filter((record) => record.entity === 'shopCustomer' && record.key !== anchor.key);
    const all = [shopLink, ...others].sort(byRuleThenKey);
    const contactLinks = strongest(shops.links.filter((record) => record.entity === 'contact' && record.key !== best.key));
    const households = apart([...shops.households, ...found.households], [...all, ...contactLinks, contactAnchor]);
    return { anchor: contactAnchor, records: { contact: [contactAnchor, ...contactLinks], shopCustomer: all }, households };
  };

  const customerIdOf = (anchor: Anchor): string | undefined => {
    const planned = plan(anchor);
    if (planned === undefined) return undefined;
    const lowest = (records: ReadonlyArray<PlannedRecord>) => records.map((record) => record.key).sort(compareKeys)[0]!;
    if (planned.records.contact.length > 0) return encodeCustomerId({ entity: 'contact', key: lowest(planned.records.contact) });
    if (planned.records.shopCustomer.length > 1) return encodeCustomerId({ entity: 'shopCustomer', key: lowest(planned.records.shopCustomer) });
    return encodeCustomerId(anchor);
  };

  const heapBytes = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
  return {
    knows: (anchor) => index[anchor.entity].known.has(anchor.key),
    plan,
    customerIdOf,
    keys: (entity) => index[entity].keys,
    stats: { rows: { contact: contact.keys.length, shopCustomer: shopCustomer.keys.length }, statements: counter.statements, heapBytes, millis: Math.round(performance.now() - started) },
  };
}
