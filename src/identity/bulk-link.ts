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
 *   (the guard's fields come with the scan).
 *
 * Memory is numeric: each record is an index into its source's key order, and what linking
 * needs of it is kept in typed arrays (its mailbox group, its numbers, the record its external
 * id names) and in the member lists of each mailbox and each number (CSR arrays); a key is
 * kept as a number when the source's keys are integers in ascending order (from the scan on:
 * no string per key). The build's dictionaries keep no string either (./pair-table.ts): a
 * mailbox is 64 bits of the SHA-256 of its canonical form under a random key of the build, a
 * stored digit spelling and an E.164 number their digits as a number; all are dropped once the member lists are built.
 * Of the guard's fields, what its verdicts read (person or company, generation, birth date,
 * given name) is kept per record as ids. While it scans, the build bounds its garbage
 * (../gateway/heap-bound.ts): measured at 150k records, RSS +46-61 MB where V8 alone let it
 * reach +75-95 MB. Bounded by `maxRows` per source; `heapBytes` reports
 * what the links retain. Rows themselves are not kept: a customer's records are then
 * read by key, batched across a page (index-served). Probabilistic matching has no bulk
 * form: `bulkLinkingApplies` is false when it is on, and callers keep the per-customer path.
 */
import type { Row } from '../../connectors/contract.js';
import type { Loaders } from '../loading/loaders.js';
import type { AnchorEntity } from './customer-id.js';
import { encodeCustomerId, type Anchor } from './customer-id.js';
import { compareKeys, rulePriority, stringOf, type LinkSettings, type MatchRule } from './link.js';
import { normalizePhone, phoneDigitCandidates } from './phone.js';
import { isJunkIdentifier } from './blocklist.js';
import { GUARD_FIELDS, guardProfileOf, profilesConflict, type GuardProfile, type HouseholdReason } from './shared-identifier-guard.js';
import type { DeterministicRule } from '../config/identity-config.js';
import { tooCostly } from '../analytics/errors.js';
import { canonicalEmail, DEFAULT_EMAIL_RULES } from './email-canonical.js';
import { HeapBound } from '../gateway/heap-bound.js';
import { randomBytes } from 'node:crypto';
import { ABSENT, highOf, lowOf, mailboxHashes, PairTable } from './pair-table.js';

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
  /** Every key scanned, in the source's key order (a fresh array on each call: the links keep keys compactly). */
  keys(entity: AnchorEntity): ReadonlyArray<string>;
  readonly stats: { readonly rows: Readonly<Record<AnchorEntity, number>>; readonly statements: number; readonly heapBytes: number; readonly millis: number };
}

export interface BulkLinkOptions {
  /** At most this many records per source; more fails with a clear error instead of growing memory. */
  readonly maxRows: number;
  /** Rows per keyset scan statement. */
  readonly scanChunk?: number;
}

/** Bulk linking reproduces the deterministic rules only, and scans both person sources. */
export function bulkLinkingApplies(loaders: Loaders, settings: LinkSettings): boolean {
  return settings.probabilistic?.enabled !== true && loaders.canScan('contact') && loaders.canScan('shopCustomer');
}

const PHONE_FIELDS: Readonly<Record<AnchorEntity, ReadonlyArray<string>>> = { contact: ['phone', 'mobile'], shopCustomer: ['phone'] };
const NONE = -1;
/** Plans kept per source (a power of two: the memo is direct-mapped by record). */
const PLAN_MEMO = 4096;
/** Heap growth allowed during a build before a full collection (./heap-bound.ts). */
const BUILD_HEAP_BUDGET_BYTES = 8 * 1024 * 1024;
/** Records indexed between two turns of the event loop, minus one (a mask). */
const YIELD_EVERY = 2047;

/** A growable list of numbers in a typed array (32-bit integers or doubles). */
class GrowableList<T extends Int32Array | Float64Array> {
  private data: T;
  length = 0;
  constructor(private readonly allocate: (size: number) => T) {
    this.data = allocate(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.allocate(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  at(index: number): number {
    return this.data[index]!;
  }
  /** A right-sized copy. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

class IntList extends GrowableList<Int32Array> {
  constructor() {
    super((size) => new Int32Array(size));
  }
}

class NumberList extends GrowableList<Float64Array> {
  constructor() {
    super((size) => new Float64Array(size));
  }
}

/** Lists of record indexes per group (compressed sparse rows): the members of group g are member[start[g]..start[g+1]). */
interface Groups {
  readonly start: Int32Array;
  readonly member: Int32Array;
}

/** Groups from (group, member) pairs, each group's members in the pairs' order. */
function groupsOf(groups: number, group: IntList, member: IntList): Groups {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < group.length; i++) start[group.at(i) + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const members = new Int32Array(group.length);
  for (let i = 0; i < group.length; i++) members[fill[group.at(i)]!++] = member.at(i);
  return { start, member: members };
}

function membersOf(groups: Groups, group: number): Int32Array {
  return group < 0 || group + 1 >= groups.start.length ? EMPTY : groups.member.subarray(groups.start[group]!, groups.start[group + 1]!);
}

const EMPTY = new Int32Array(0);

/** A source's keys in scan order: numbers when they are integers in ascending order (binary search), else strings. */
interface KeyIndex {
  readonly size: number;
  keyAt(index: number): string;
  indexOf(key: string): number;
}

/**
 * A source's keys as the scan meets them: kept as numbers while they are integers in
 * ascending order (no string per key), as strings from the first that is not.
 */
class KeyCollector {
  private numbers: NumberList | null = new NumberList();
  private strings: string[] | null = null;
  private last = -Infinity;
  length = 0;

  push(raw: unknown): void {
    this.length++;
    if (this.numbers !== null) {
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (Number.isSafeInteger(value) && value > this.last && (typeof raw === 'number' || String(value) === String(raw))) {
        this.numbers.push(value);
        this.last = value;
        return;
      }
      this.strings = Array.from(this.numbers.toArray(), String);
      this.numbers = null;
    }
    this.strings!.push(String(raw));
  }

  /** The last key, as the keyset scan's bound. */
  lastKey(): string {
    return this.numbers !== null ? String(this.numbers.at(this.numbers.length - 1)) : this.strings![this.strings!.length - 1]!;
  }

  index(): KeyIndex {
    if (this.numbers !== null) {
      const values = this.numbers.toArray();
      return {
        size: values.length,
        keyAt: (index) => String(values[index]),
        indexOf: (key) => {
          const value = Number(key);
          if (!Number.isSafeInteger(value) || String(value) !== key) return NONE;
          let low = 0;
          let high = values.length - 1;
          while (low <= high) {
            const middle = (low + high) >>> 1;
            const at = values[middle]!;
            if (at === value) return middle;
            if (at < value) low = middle + 1;
            else high = middle - 1;
          }
          return NONE;
        },
      };
    }
    const copy = this.strings!;
    const positions = new Map<string, number>();
    copy.forEach((key, index) => positions.set(key, index));
    return { size: copy.length, keyAt: (index) => copy[index]!, indexOf: (key) => positions.get(key) ?? NONE };
  }
}

/**
 * A digit string as an exact number (digits ≤ 14: the value times 16 plus its leading zeros),
 * so the digit spellings of a scan are a numeric dictionary; null for a longer one (kept as a string).
 */
function digitsCode(digits: string): number | null {
  if (digits.length > 14) return null;
  let zeros = 0;
  while (zeros < digits.length && digits.charCodeAt(zeros) === 48) zeros++;
  return Number(digits) * 16 + zeros;
}

/** What the scans found, shared by both sources: the build's dictionaries. */
interface Dictionaries {
  /**
   * Canonical mailbox (64 bits of its keyed SHA-256, ./pair-table.ts `mailboxHashes`) → group; junk
   * mailboxes group their holders but link nobody. No mailbox string is kept.
   */
  readonly mailboxes: PairTable;
  /** The build's random key for the mailbox hashes (./pair-table.ts `mailboxHashes`). */
  readonly hashKey: string;
  readonly junkMailbox: IntList;
  /** E.164 number (its digits as a number, split in two halves) → number id, or NONE for a junk number. */
  readonly numbers: PairTable;
  /** Per number id: its E.164 digits as a number ('+' and these digits spell it), NaN past 2^53. */
  readonly numberCodes: NumberList;
  /** Numbers whose digits are past 2^53 (a 17-digit E.164 number): by E.164, and their E.164 by id. */
  readonly longNumbers: Map<string, number>;
  readonly longNumberE164: Map<number, string>;
  /** A stored digit spelling (`digitsCode`, split in two halves) → digits id; longer spellings by string. */
  readonly digits: PairTable;
  readonly longDigits: Map<string, number>;
  digitsCount: number;
  readonly phoneOf: (value: unknown) => string | null;
  /** The guard's values (generations, birth dates, given names) → id, and back. */
  readonly guardValues: Map<string, number>;
  readonly guardTable: string[];
}

/** The digits id of a spelling (`digitsCode` or the string of a longer one), added when `add`. */
function digitsIdOf(dictionaries: Dictionaries, code: number | string, add: boolean): number {
  if (typeof code === 'string') {
    let id = dictionaries.longDigits.get(code);
    if (id === undefined && add) {
      id = dictionaries.digitsCount++;
      dictionaries.longDigits.set(code, id);
    }
    return id ?? NONE;
  }
  if (!add) return dictionaries.digits.get(highOf(code), lowOf(code));
  const id = dictionaries.digits.getOrAdd(highOf(code), lowOf(code), dictionaries.digitsCount);
  if (id === dictionaries.digitsCount) dictionaries.digitsCount++;
  return id;
}

/** `digitsCode` of the digits of a stored phone value, without building the digit string; null when it holds none. */
function spelledDigitsCode(value: string): number | string | null {
  let digits = 0;
  let zeros = 0;
  let number = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (c === 48 && digits === zeros) zeros++;
    digits++;
    if (digits <= 14) number = number * 10 + (c - 48);
  }
  if (digits === 0) return null;
  return digits <= 14 ? number * 16 + zeros : value.replace(/[^0-9]/g, '');
}

/** One source while it is scanned. */
interface Scanned {
  readonly keys: KeyCollector;
  readonly emailGroup: IntList;
  readonly phoneStart: IntList;
  readonly phoneIds: IntList;
  readonly externalIds: Array<string | null>;
  readonly mailboxPairs: { readonly group: IntList; readonly member: IntList };
  readonly digitPairs: { readonly group: IntList; readonly member: IntList };
  readonly guardFlags: IntList;
  readonly guardValues: IntList;
}

/** One source's links. */
interface Indexed {
  readonly keys: KeyIndex;
  /** Per record: its linking mailbox's group, or NONE. */
  readonly emailGroup: Int32Array;
  /** Per record: its valid numbers (ids), phoneIds[phoneStart[i]..phoneStart[i+1]). */
  readonly phoneStart: Int32Array;
  readonly phoneIds: Int32Array;
  /** Per record: the other source's record its external id names, or NONE. */
  readonly externalTarget: Int32Array;
  /** Per record: the other source's records whose external id is this record's key. */
  readonly externalHolders: Groups;
  /** Per mailbox group: this source's records holding it (any stored spelling, junk included). */
  readonly mailboxHolders: Groups;
  /** Per number: this source's records holding one of its digit spellings in a phone field. */
  readonly numberHolders: Groups;
  /** Per record: what the guard reads of it (./shared-identifier-guard.ts `guardProfileOf`): person/company flags, and ids in guardTable of its generation, birth date and given name. */
  readonly guardFlags: Uint8Array;
  readonly guardValues: Int32Array;
  readonly guardTable: ReadonlyArray<string>;
}

/** phonesOf (./link.ts) for one stored value: E.164 when valid and not junk. */
function phoneNormalizer(settings: LinkSettings): (value: unknown) => string | null {
  return (value) => (typeof value === 'string' ? normalizePhone(value, settings.defaultRegion) : null);
}

async function scanIdentifiers(
  loaders: Loaders,
  entity: AnchorEntity,
  settings: LinkSettings,
  options: BulkLinkOptions,
  counter: { statements: number },
  dictionaries: Dictionaries,
  heap: HeapBound,
): Promise<Scanned> {
  const phoneFields = loaders.mappedFields(entity, PHONE_FIELDS[entity]);
  const guardFields = settings.sharedIdentifierGuard === false ? [] : loaders.mappedFields(entity, GUARD_FIELDS);
  const projection = loaders.mappedFields(entity, ['id', 'email', 'externalId', ...phoneFields, ...guardFields]);
  const scanned: Scanned = {
    keys: new KeyCollector(),
    emailGroup: new IntList(),
    phoneStart: new IntList(),
    phoneIds: new IntList(),
    externalIds: [],
    mailboxPairs: { group: new IntList(), member: new IntList() },
    digitPairs: { group: new IntList(), member: new IntList() },
    guardFlags: new IntList(),
    guardValues: new IntList(),
  };
  const guardValue = (value: string | null): number => {
    if (value === null) return NONE;
    let id = dictionaries.guardValues.get(value);
    if (id === undefined) {
      id = dictionaries.guardTable.length;
      dictionaries.guardTable.push(value);
      dictionaries.guardValues.set(value, id);
    }
    return id;
  };
  const { mailboxes, junkMailbox, numbers, numberCodes, phoneOf } = dictionaries;
  const rules = settings.email ?? DEFAULT_EMAIL_RULES;
  const chunk = options.scanChunk ?? 5_000;
  const ownDigits: number[] = [];
  const hashes = { high: 0, low: 0 };
  const { hashKey } = dictionaries;
  let after: string | null = null;
  for (;;) {
    const rows: ReadonlyArray<Row> = await loaders.scan(entity, {
      projection,
      ...(after === null ? {} : { filter: { op: 'range', field: 'id', gt: after } }),
      orderBy: [{ field: 'id', direction: 'ASC' }],
      limit: chunk,
    });
    counter.statements++;
    heap.check();
    for (const row of rows) {
      const index = scanned.keys.length;
      // A build runs beside live requests (src/identity/link-map-cache.ts builds in the
      // background): give the event loop back every few thousand records.
      if ((index & YIELD_EVERY) === YIELD_EVERY) await new Promise((resolve) => setImmediate(resolve));
      scanned.keys.push(row.id);
      // Every stored spelling groups by mailbox (junk included: holders are not filtered), as
      // holdersOfEmail finds them; the record links by it when it is not junk (emailsOf).
      const canonical = canonicalEmail(typeof row.email === 'string' ? row.email : null, rules);
      let group = NONE;
      if (canonical !== null) {
        mailboxHashes(canonical, hashKey, hashes);
        group = mailboxes.getOrAdd(hashes.high, hashes.low, junkMailbox.length);
        if (group === junkMailbox.length) junkMailbox.push(isJunkIdentifier('email', canonical, settings.blocklist) ? 1 : 0);
        scanned.mailboxPairs.group.push(group);
        scanned.mailboxPairs.member.push(index);
      }
      scanned.emailGroup.push(group !== NONE && junkMailbox.at(group) === 0 ? group : NONE);
      scanned.phoneStart.push(scanned.phoneIds.length);
      ownDigits.length = 0;
      for (const field of phoneFields) {
        const value = row[field];
        const phone = phoneOf(value);
        if (phone !== null) {
          const code = Number(phone.slice(1));
          // Digits past 2^53 would round to another number: such a number is kept by its string.
          const exact = Number.isSafeInteger(code);
          let id = exact ? numbers.get(highOf(code), lowOf(code)) : (dictionaries.longNumbers.get(phone) ?? ABSENT);
          if (id === ABSENT) {
            id = isJunkIdentifier('phone', phone, settings.blocklist) ? JUNK_NUMBER : numberCodes.length;
            if (id !== JUNK_NUMBER) {
              numberCodes.push(exact ? code : Number.NaN);
              if (!exact) dictionaries.longNumberE164.set(id, phone);
            }
            if (exact) numbers.getOrAdd(highOf(code), lowOf(code), id);
            else dictionaries.longNumbers.set(phone, id);
          }
          if (id !== JUNK_NUMBER && !hasSince(scanned.phoneIds, scanned.phoneStart.at(index), id)) scanned.phoneIds.push(id);
        }
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const code = spelledDigitsCode(typeof value === 'string' ? value : String(value));
        if (code === null) continue;
        const id = digitsIdOf(dictionaries, code, true);
        if (ownDigits.includes(id)) continue;
        ownDigits.push(id);
        scanned.digitPairs.group.push(id);
        scanned.digitPairs.member.push(index);
      }
      // The guard's verdicts depend on these values only: derived once, kept as ids.
      const profile: GuardProfile = guardFields.length === 0 ? NO_PROFILE : guardProfileOf(row);
      scanned.guardFlags.push((profile.person ? 1 : 0) | (profile.company ? 2 : 0));
      scanned.guardValues.push(guardValue(profile.generation));
      scanned.guardValues.push(guardValue(profile.birthDate));
      scanned.guardValues.push(guardValue(profile.givenName));
      scanned.externalIds.push(stringOf(row.externalId));
    }
    if (scanned.keys.length > options.maxRows) {
      throw tooCostly('maxLinkedRows', options.maxRows, `more than ${options.maxRows} ${entity} records to link in bulk; raise analytics.maxLinkedRows`);
    }
    if (rows.length < chunk) {
      scanned.phoneStart.push(scanned.phoneIds.length);
      return scanned;
    }
    after = scanned.keys.lastKey();
  }
}

/** A junk number in the numbers table (which holds ids from 0 and ABSENT for none): above every id. */
const JUNK_NUMBER = 0x7fffffff;

const NO_PROFILE: GuardProfile = { person: false, company: false, generation: null, birthDate: null, givenName: null };

function hasSince(list: IntList, from: number, value: number): boolean {
  for (let i = from; i < list.length; i++) if (list.at(i) === value) return true;
  return false;
}

interface Found {
  readonly links: PlannedRecord[];
  readonly households: PlannedHousehold[];
}

/** Both sources scanned and indexed; the build's dictionaries and scan lists stay in this function's scope. */
async function buildIndexes(
  loaders: Loaders,
  settings: LinkSettings,
  options: BulkLinkOptions,
  counter: { statements: number },
): Promise<Record<AnchorEntity, Indexed>> {
  const dictionaries: Dictionaries = {
    mailboxes: new PairTable(),
    hashKey: randomBytes(16).toString('hex'),
    junkMailbox: new IntList(),
    numbers: new PairTable(),
    numberCodes: new NumberList(),
    longNumbers: new Map(),
    longNumberE164: new Map(),
    digits: new PairTable(),
    longDigits: new Map(),
    digitsCount: 0,
    phoneOf: phoneNormalizer(settings),
    guardValues: new Map(),
    guardTable: [],
  };
  // Each chunk's rows outlive a scavenge or two and are promoted: left to V8, the old space
  // grows to several times what the build keeps (RSS +75-95 MB at 150k records) before a full
  // collection. The bound collects past a small budget instead (./heap-bound.ts).
  const heap = new HeapBound(BUILD_HEAP_BUDGET_BYTES);
  const [contactScan, shopScan] = await Promise.all([
    scanIdentifiers(loaders, 'contact', settings, options, counter, dictionaries, heap),
    scanIdentifiers(loaders, 'shopCustomer', settings, options, counter, dictionaries, heap),
  ]);
  const scans: Record<AnchorEntity, Scanned> = { contact: contactScan, shopCustomer: shopScan };

  // The holders of each number, per source: the records holding one of its digit spellings
  // (./phone.ts `phoneDigitCandidates`), in the spellings' order, each once.
  const keyIndexes: Record<AnchorEntity, KeyIndex> = { contact: contactScan.keys.index(), shopCustomer: shopScan.keys.index() };
  // Each number's digit spellings, as digits ids, computed once for both sources.
  const spellingGroup = new IntList();
  const spellingId = new IntList();
  const numberCount = dictionaries.numberCodes.length;
  for (let id = 0; id < numberCount; id++) {
    const e164 = dictionaries.longNumberE164.get(id) ?? `+${dictionaries.numberCodes.at(id)}`;
    for (const candidate of phoneDigitCandidates(e164, settings.defaultRegion)) {
      const digitsId = digitsIdOf(dictionaries, digitsCode(candidate) ?? candidate, false);
      if (digitsId === NONE) continue;
      spellingGroup.push(id);
      spellingId.push(digitsId);
    }
  }
  const spellings = groupsOf(numberCount, spellingGroup, spellingId);
  const numberHolders = (entity: AnchorEntity): Groups => {
    const digitGroups = groupsOf(dictionaries.digitsCount, scans[entity].digitPairs.group, scans[entity].digitPairs.member);
    const seen = new Int32Array(scans[entity].keys.length).fill(NONE);
    const group = new IntList();
    const member = new IntList();
    for (let id = 0; id < numberCount; id++) {
      for (const digitsId of membersOf(spellings, id)) {
        for (const holder of membersOf(digitGroups, digitsId)) {
          if (seen[holder] === id) continue;
          seen[holder] = id;
          group.push(id);
          member.push(holder);
        }
      }
    }
    return groupsOf(numberCount, group, member);
  };
  const externalTargets = (entity: AnchorEntity): Int32Array => {
    const target = keyIndexes[other(entity)];
    return Int32Array.from(scans[entity].externalIds, (external) => (external === null ? NONE : target.indexOf(external)));
  };
  const targets: Record<AnchorEntity, Int32Array> = { contact: externalTargets('contact'), shopCustomer: externalTargets('shopCustomer') };
  const externalHolders = (entity: AnchorEntity): Groups => {
    // The records of the other source whose external id names a record of this one.
    const group = new IntList();
    const member = new IntList();
    targets[other(entity)].forEach((target, holder) => {
      if (target !== NONE) {
        group.push(target);
        member.push(holder);
      }
    });
    return groupsOf(scans[entity].keys.length, group, member);
  };
  const indexOf = (entity: AnchorEntity): Indexed => ({
    keys: keyIndexes[entity],
    emailGroup: scans[entity].emailGroup.toArray(),
    phoneStart: scans[entity].phoneStart.toArray(),
    phoneIds: scans[entity].phoneIds.toArray(),
    externalTarget: targets[entity],
    externalHolders: externalHolders(entity),
    mailboxHolders: groupsOf(dictionaries.mailboxes.size, scans[entity].mailboxPairs.group, scans[entity].mailboxPairs.member),
    numberHolders: numberHolders(entity),
    guardFlags: Uint8Array.from(scans[entity].guardFlags.toArray()),
    guardValues: scans[entity].guardValues.toArray(),
    guardTable: dictionaries.guardTable,
  });
  const index: Record<AnchorEntity, Indexed> = { contact: indexOf('contact'), shopCustomer: indexOf('shopCustomer') };

  return index;
}

const uses = (settings: LinkSettings, rule: DeterministicRule) => settings.rules === undefined || settings.rules.includes(rule);
const other = (entity: AnchorEntity): AnchorEntity => (entity === 'contact' ? 'shopCustomer' : 'contact');

function numbersOf(own: Indexed, record: number): Int32Array {
  return own.phoneIds.subarray(own.phoneStart[record]!, own.phoneStart[record + 1]!);
}

export async function bulkLink(loaders: Loaders, settings: LinkSettings, options: BulkLinkOptions): Promise<BulkLinks> {
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const counter = { statements: 0 };
  const index = await buildIndexes(loaders, settings, options, counter);
  const priority = rulePriority(settings);
  const externalMapped: Record<AnchorEntity, boolean> = {
    contact: loaders.mappedFields('contact', ['externalId']).length > 0,
    shopCustomer: loaders.mappedFields('shopCustomer', ['externalId']).length > 0,
  };
  const profile = (entity: AnchorEntity, record: number): GuardProfile => {
    const own = index[entity];
    const value = (slot: number) => {
      const id = own.guardValues[record * 3 + slot]!;
      return id === NONE ? null : own.guardTable[id]!;
    };
    const flags = own.guardFlags[record]!;
    return { person: (flags & 1) !== 0, company: (flags & 2) !== 0, generation: value(0), birthDate: value(1), givenName: value(2) };
  };
  const keyOf = (entity: AnchorEntity, record: number) => index[entity].keys.keyAt(record);

  /** findIdentifierLinks(from, target, with the same-source links), on the indexes. */
  const linksFrom = (entity: AnchorEntity, record: number, target: AnchorEntity): Found => {
    const found: Found = { links: [], households: [] };
    const own = index[entity];
    if (uses(settings, 'EXTERNAL_ID')) {
      const named = own.externalTarget[record]!;
      if (named !== NONE) found.links.push({ entity: target, key: keyOf(target, named), rule: 'EXTERNAL_ID' });
      if (externalMapped[target])
        for (const holder of membersOf(own.externalHolders, record)) found.links.push({ entity: target, key: keyOf(target, holder), rule: 'EXTERNAL_ID' });
    }
    // The record's own guard profile, derived once for all its holders (most records have none to compare).
    let ownProfile: GuardProfile | undefined;
    const guarded = (holders: Int32Array, sharedBy: 'EMAIL' | 'PHONE', to: AnchorEntity) => {
      for (const holder of holders) {
        if (to === entity && holder === record) continue;
        const reason = settings.sharedIdentifierGuard === false ? null : profilesConflict((ownProfile ??= profile(entity, record)), profile(to, holder));
        if (reason === null) found.links.push({ entity: to, key: keyOf(to, holder), rule: sharedBy });
        else found.households.push({ entity: to, key: keyOf(to, holder), sharedBy, reason });
      }
    };
    const group = own.emailGroup[record]!;
    if (group !== NONE && uses(settings, 'EMAIL')) {
      const rows = membersOf(index[target].mailboxHolders, group);
      const same = membersOf(own.mailboxHolders, group);
      if (rows.length <= settings.maxRecordsPerIdentifier && same.length <= settings.maxRecordsPerIdentifier) {
        guarded(rows, 'EMAIL', target);
        guarded(same, 'EMAIL', entity);
      }
    }
    if (uses(settings, 'PHONE')) {
      for (const id of numbersOf(own, record)) {
        const rows = membersOf(index[target].numberHolders, id);
        const same = membersOf(own.numberHolders, id);
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
    // Most customers have no link or one: no dictionary, no sort.
    if (records.length <= 1) return records.length === 0 ? [] : [records[0]!];
    const best = new Map<string, PlannedRecord>();
    for (const record of records) {
      const id = `${record.entity}:${record.key}`;
      const current = best.get(id);
      if (current === undefined || rank(record.rule) < rank(current.rule)) best.set(id, record);
    }
    return [...best.values()].sort(byRuleThenKey);
  };
  const apart = (members: ReadonlyArray<PlannedHousehold>, links: ReadonlyArray<{ entity: AnchorEntity; key: string }>): PlannedHousehold[] => {
    if (members.length === 0) return [];
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

  // A page asks the plan of one customer several times (its id, whether it is listed, its
  // records): the last plans are kept, direct-mapped by record (no allocation on a hit).
  const memo: Record<AnchorEntity, { readonly records: Int32Array; readonly plans: Array<AssemblyPlan | undefined>; readonly ids: Array<string | undefined> }> =
    {
      contact: { records: new Int32Array(PLAN_MEMO).fill(NONE), plans: new Array(PLAN_MEMO), ids: new Array(PLAN_MEMO) },
      shopCustomer: { records: new Int32Array(PLAN_MEMO).fill(NONE), plans: new Array(PLAN_MEMO), ids: new Array(PLAN_MEMO) },
    };
  const memoSlot = (anchor: Anchor): { record: number; slot: number } | undefined => {
    const record = index[anchor.entity].keys.indexOf(anchor.key);
    if (record === NONE) return undefined;
    const slot = record & (PLAN_MEMO - 1);
    const kept = memo[anchor.entity];
    if (kept.records[slot] !== record) {
      kept.records[slot] = record;
      kept.plans[slot] = planOf(anchor, record);
      kept.ids[slot] = undefined;
    }
    return { record, slot };
  };
  const plan = (anchor: Anchor): AssemblyPlan | undefined => {
    const at = memoSlot(anchor);
    return at === undefined ? undefined : memo[anchor.entity].plans[at.slot];
  };

  const planOf = (anchor: Anchor, record: number): AssemblyPlan => {
    const self: PlannedRecord = { entity: anchor.entity, key: anchor.key, rule: 'ANCHOR' };
    const found = linksFrom(anchor.entity, record, other(anchor.entity));
    const contactsFound = found.links.filter((linked) => linked.entity === 'contact');
    if (anchor.entity === 'contact' || contactsFound.length === 0) {
      return { anchor: self, records: split(self, found.links), households: apart(found.households, found.links) };
    }
    // Re-anchored on the strongest contact, with every shop account of it (CustomerHandle.assemble).
    const best = contactsFound[0]!;
    const contactAnchor: PlannedRecord = { entity: 'contact', key: best.key, rule: 'ANCHOR' };
    const shopLink: PlannedRecord = { ...self, rule: best.rule };
    const shops = linksFrom('contact', index.contact.keys.indexOf(best.key), 'shopCustomer');
    const others = shops.links.filter((linked) => linked.entity === 'shopCustomer' && linked.key !== anchor.key);
    const all = [shopLink, ...others].sort(byRuleThenKey);
    const contactLinks = strongest(shops.links.filter((linked) => linked.entity === 'contact' && linked.key !== best.key));
    const households = apart([...shops.households, ...found.households], [...all, ...contactLinks, contactAnchor]);
    return { anchor: contactAnchor, records: { contact: [contactAnchor, ...contactLinks], shopCustomer: all }, households };
  };

  const customerIdOf = (anchor: Anchor): string | undefined => {
    const at = memoSlot(anchor);
    if (at === undefined) return undefined;
    const kept = memo[anchor.entity];
    return (kept.ids[at.slot] ??= idOf(anchor, kept.plans[at.slot]!));
  };
  const idOf = (anchor: Anchor, planned: AssemblyPlan): string => {
    const lowest = (records: ReadonlyArray<PlannedRecord>) => {
      let key = records[0]!.key;
      for (let i = 1; i < records.length; i++) if (compareKeys(records[i]!.key, key) < 0) key = records[i]!.key;
      return key;
    };
    if (planned.records.contact.length > 0) return encodeCustomerId({ entity: 'contact', key: lowest(planned.records.contact) });
    if (planned.records.shopCustomer.length > 1) return encodeCustomerId({ entity: 'shopCustomer', key: lowest(planned.records.shopCustomer) });
    return encodeCustomerId(anchor);
  };

  const rows = { contact: index.contact.keys.size, shopCustomer: index.shopCustomer.keys.size };
  const millis = Math.round(performance.now() - started);
  const heapBytes = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
  return {
    knows: (anchor) => index[anchor.entity].keys.indexOf(anchor.key) !== NONE,
    plan,
    customerIdOf,
    keys: (entity) => Array.from({ length: index[entity].keys.size }, (_, record) => index[entity].keys.keyAt(record)),
    stats: { rows, statements: counter.statements, heapBytes, millis },
  };
}
