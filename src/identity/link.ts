/**
 * Deterministic linking at query time: from one source record, the records of another
 * source that share a normalized identifier with it. Every lookup is a batched load, so
 * linking a page of 50 customers costs the same statements as linking one.
 */
import type { IncludeRequest, Row } from '../../connectors/contract.js';
import type { LoadOptions, Loaders } from '../loading/loaders.js';
import { isJunkIdentifier } from './blocklist.js';
import type { AnchorEntity } from './customer-id.js';
import { addressSpellings, canonicalEmail, DEFAULT_EMAIL_RULES, mailboxLookupKeys, type EmailRules } from './email-canonical.js';
import { normalizePhone, phoneDigitCandidates } from './phone.js';
import { GUARD_FIELDS, sharedIdentifierConflict, type HouseholdReason } from './shared-identifier-guard.js';
import type { PairScore } from './scoring.js';
import type { SurvivorshipConfig } from './survivorship.js';
import type { DeterministicRule, ProbabilisticConfig } from '../config/identity-config.js';

export type MatchRule = 'ANCHOR' | 'EXTERNAL_ID' | 'EMAIL' | 'PHONE' | 'PROBABILISTIC';

export interface LinkedRecord {
  readonly entity: AnchorEntity;
  readonly row: Row;
  readonly rule: MatchRule;
  /** The field scores behind a PROBABILISTIC link. */
  readonly score?: PairScore;
}

export interface LinkSettings {
  readonly defaultRegion: string;
  readonly blocklist: ReadonlyArray<string>;
  /** An identifier held by more records than this in one source links nobody (a switchboard). */
  readonly maxRecordsPerIdentifier: number;
  /** Deterministic rules in use, strongest first; all three when absent. */
  readonly rules?: ReadonlyArray<DeterministicRule>;
  /** Query-time Fellegi–Sunter matching; off when absent. */
  readonly probabilistic?: ProbabilisticConfig; /** Which record's value each golden field keeps; the first valid one in assembly order when absent. */
  readonly survivorship?: SurvivorshipConfig;
  /** Mailbox rules (provider dots and tags, domain typos); the built-in ones when absent. */
  readonly email?: EmailRules;
  /** Records sharing an email or phone link only when names and birth dates allow one person; on when absent. */
  readonly sharedIdentifierGuard?: boolean;
  /**
   * The identity lookups of one entity (by id, external id, mailbox, each phone field) go
   * out together as one statement per source (UNION ALL, each part served by its own
   * index) instead of one statement per key field: fewer round trips where latency counts
   * (search). Lookups reading children in the same statement (include) stay on their own.
   */
  readonly lookupsInUnion?: boolean;
}

/** A record sharing an identifier with the customer that the guard held back: another member of the household. */
export interface HouseholdRecord {
  readonly entity: AnchorEntity;
  readonly row: Row;
  readonly sharedBy: 'EMAIL' | 'PHONE';
  readonly reason: HouseholdReason;
}

/** Links, and the records held back from them for sharing an identifier with someone else. */
export interface IdentifierLinks {
  readonly links: LinkedRecord[];
  readonly households: HouseholdRecord[];
}

/** Fields every anchor entity must return for linking, whatever the query selected (the guard's included). */
export const IDENTIFIER_FIELDS: Readonly<Record<AnchorEntity, ReadonlyArray<string>>> = {
  contact: ['id', 'email', 'phone', 'mobile', 'externalId', ...GUARD_FIELDS],
  shopCustomer: ['id', 'email', 'phone', 'externalId', ...GUARD_FIELDS],
};

const PHONE_FIELDS: Readonly<Record<AnchorEntity, ReadonlyArray<string>>> = {
  contact: ['phone', 'mobile'],
  shopCustomer: ['phone'],
};

/** Default rule strength, strongest first: used to pick one record among several candidates. */
export const RULE_PRIORITY: ReadonlyArray<MatchRule> = ['ANCHOR', 'EXTERNAL_ID', 'EMAIL', 'PHONE', 'PROBABILISTIC'];

/** Rule strength under the configured order: a score never outranks a shared identifier. */
export function rulePriority(settings: LinkSettings): ReadonlyArray<MatchRule> {
  return settings.rules === undefined ? RULE_PRIORITY : ['ANCHOR', ...settings.rules, 'PROBABILISTIC'];
}

function uses(settings: LinkSettings, rule: DeterministicRule): boolean {
  return settings.rules === undefined || settings.rules.includes(rule);
}

export function otherEntity(entity: AnchorEntity): AnchorEntity {
  return entity === 'contact' ? 'shopCustomer' : 'contact';
}

/** Rows of `entity` matching each key, batched per key field, or per source under `lookupsInUnion`. */
function lookUp(
  loaders: Loaders,
  entity: AnchorEntity,
  keys: ReadonlyArray<string>,
  options: LoadOptions,
  settings: LinkSettings,
): Promise<Array<ReadonlyArray<Row>>> {
  if (settings.lookupsInUnion !== true || options.include !== undefined) return loaders.loadMany(entity, keys, options);
  return loaders.loadManyInUnion(entity, keys, options);
}

/** The canonical mailbox a record's email delivers to; [] for none or junk. */
export function emailsOf(row: Row, settings: LinkSettings): string[] {
  const email = canonicalEmail(typeof row.email === 'string' ? row.email : null, settings.email ?? DEFAULT_EMAIL_RULES);
  return email === null || isJunkIdentifier('email', email, settings.blocklist) ? [] : [email];
}

/**
 * Records of `entity` whose email is the canonical mailbox `email`, in one batched load:
 * by mailbox key (every dot, "+tag" and domain-typo spelling) where the source compares
 * so, else by the exact spellings of the domain; only the rows whose address is that
 * mailbox under the configured rules are kept.
 */
export async function holdersOfEmail(
  loaders: Loaders,
  entity: AnchorEntity,
  email: string,
  projection: ReadonlyArray<string>,
  settings: LinkSettings,
  include?: IncludeRequest,
): Promise<Row[]> {
  const rules = settings.email ?? DEFAULT_EMAIL_RULES;
  // Rules that fold no local part (no provider with dots or "+tag" rules) make every holder
  // an exact spelling of the address: exact lookups, which an index on the e-mail serves.
  // Decided per rule set, not per address, so that a page's lookups stay one statement.
  const byKey = foldsLocalParts(rules) && loaders.supportsKeyMatch(entity, 'email');
  const keys = byKey ? mailboxLookupKeys(email, rules) : addressSpellings(email, rules);
  const withEmail = projection.includes('email') ? projection : [...projection, 'email'];
  const found = await lookUp(
    loaders,
    entity,
    keys,
    { keyField: 'email', keyMatch: byKey ? 'email' : 'caseInsensitive', projection: withEmail, ...(include === undefined ? {} : { include }) },
    settings,
  );
  return dedupe(found.flat()).filter((row) => canonicalEmail(typeof row.email === 'string' ? row.email : null, rules) === email);
}

const folding = new WeakMap<EmailRules, boolean>();

/** Whether some provider of the rules ignores dots or "+tags" in local parts. */
function foldsLocalParts(rules: EmailRules): boolean {
  let folds = folding.get(rules);
  if (folds === undefined) {
    folds = Object.values(rules.providers).some((rule) => rule.ignoreDots || rule.subaddress !== null);
    folding.set(rules, folds);
  }
  return folds;
}

/** Splits records sharing an identifier with `from` into links and household members. */
function guarded(from: Row, rows: ReadonlyArray<Row>, sharedBy: 'EMAIL' | 'PHONE', settings: LinkSettings, target: AnchorEntity, out: IdentifierLinks): void {
  for (const row of rows) {
    const reason = settings.sharedIdentifierGuard === false ? null : sharedIdentifierConflict(from, row);
    if (reason === null) out.links.push({ entity: target, row, rule: sharedBy });
    else out.households.push({ entity: target, row, sharedBy, reason });
  }
}

export function phonesOf(entity: AnchorEntity, row: Row, settings: LinkSettings): string[] {
  const phones = new Set<string>();
  for (const field of PHONE_FIELDS[entity]) {
    const value = row[field];
    const phone = normalizePhone(typeof value === 'string' ? value : null, settings.defaultRegion);
    if (phone !== null && !isJunkIdentifier('phone', phone, settings.blocklist)) phones.add(phone);
  }
  return [...phones];
}

/** Records of `entity` holding the phone in any of its phone fields (on digits only), deduplicated by key. */
export async function holdersOfPhone(
  loaders: Loaders,
  entity: AnchorEntity,
  phone: string,
  projection: ReadonlyArray<string>,
  settings: LinkSettings,
  include?: IncludeRequest,
): Promise<Row[]> {
  const candidates = phoneDigitCandidates(phone, settings.defaultRegion);
  const fields = loaders.mappedFields(entity, PHONE_FIELDS[entity]);
  const results = await Promise.all(
    fields.map((keyField) =>
      lookUp(loaders, entity, candidates, { keyField, keyMatch: 'digits', projection, ...(include === undefined ? {} : { include }) }, settings),
    ),
  );
  return dedupe(results.flat(2));
}

/**
 * The records of `target` linked to `from` (a record of the other anchor entity), each with
 * the strongest rule that linked it. Identifiers shared by too many records link nobody.
 */
export async function findLinked(
  loaders: Loaders,
  from: { readonly entity: AnchorEntity; readonly row: Row },
  target: AnchorEntity,
  projection: ReadonlyArray<string>,
  settings: LinkSettings,
  /** Children to read with each target record in the same statement (how rows are fetched, not which link). */
  include?: IncludeRequest,
): Promise<LinkedRecord[]> {
  return (await findIdentifierLinks(loaders, from, target, projection, settings, undefined, include)).links;
}

/**
 * As findLinked, with the records an identifier is shared with but the guard held back
 * (./shared-identifier-guard.ts): one household, several people.
 */
export async function findIdentifierLinks(
  loaders: Loaders,
  from: { readonly entity: AnchorEntity; readonly row: Row },
  target: AnchorEntity,
  projection: ReadonlyArray<string>,
  settings: LinkSettings,
  /** With it, records of `from`'s own source sharing an identifier with it are linked too (read with this projection). */
  sameSourceProjection?: ReadonlyArray<string>,
  /** Children to read with each target record in the same statement (how rows are fetched, not which link). */
  include?: IncludeRequest,
): Promise<IdentifierLinks> {
  const fullProjection = [...new Set([...projection, ...IDENTIFIER_FIELDS[target]])];
  const withInclude = include === undefined ? {} : { include };
  const ownProjection =
    sameSourceProjection === undefined ? IDENTIFIER_FIELDS[from.entity] : [...new Set([...sameSourceProjection, ...IDENTIFIER_FIELDS[from.entity]])];
  const others = (rows: ReadonlyArray<Row>) => rows.filter((row) => String(row.id) !== String(from.row.id));
  const found: IdentifierLinks = { links: [], households: [] };
  const add = (rows: ReadonlyArray<Row>, rule: MatchRule) => {
    for (const row of rows) found.links.push({ entity: target, row, rule });
  };
  const lookups: Array<Promise<void>> = [];

  const fromKey = stringOf(from.row.id);
  const fromExternal = stringOf(from.row.externalId);
  if (fromExternal !== null && uses(settings, 'EXTERNAL_ID')) {
    lookups.push(
      lookUp(loaders, target, [fromExternal], { keyField: 'id', projection: fullProjection, ...withInclude }, settings).then(([rows]) =>
        add(rows!, 'EXTERNAL_ID'),
      ),
    );
  }
  if (fromKey !== null && uses(settings, 'EXTERNAL_ID') && loaders.mappedFields(target, ['externalId']).length > 0) {
    lookups.push(
      lookUp(loaders, target, [fromKey], { keyField: 'externalId', projection: fullProjection }, settings).then(([rows]) => add(rows!, 'EXTERNAL_ID')),
    );
  }
  for (const email of uses(settings, 'EMAIL') ? emailsOf(from.row, settings) : []) {
    lookups.push(
      Promise.all([
        holdersOfEmail(loaders, target, email, fullProjection, settings, include),
        holdersOfEmail(loaders, from.entity, email, ownProjection, settings),
      ]).then(([rows, own]) => {
        if (rows.length > settings.maxRecordsPerIdentifier || own.length > settings.maxRecordsPerIdentifier) return;
        guarded(from.row, rows, 'EMAIL', settings, target, found);
        if (sameSourceProjection !== undefined) guarded(from.row, others(own), 'EMAIL', settings, from.entity, found);
      }),
    );
  }
  for (const phone of uses(settings, 'PHONE') ? phonesOf(from.entity, from.row, settings) : []) {
    lookups.push(
      Promise.all([
        holdersOfPhone(loaders, target, phone, fullProjection, settings, include),
        holdersOfPhone(loaders, from.entity, phone, ownProjection, settings),
      ]).then(([rows, own]) => {
        if (rows.length > settings.maxRecordsPerIdentifier || own.length > settings.maxRecordsPerIdentifier) return;
        guarded(from.row, rows, 'PHONE', settings, target, found);
        if (sameSourceProjection !== undefined) guarded(from.row, others(own), 'PHONE', settings, from.entity, found);
      }),
    );
  }
  await Promise.all(lookups);
  const links = strongestPerRecord(found.links, rulePriority(settings));
  return { links, households: householdsApart(found.households, links) };
}

/** Household members, once each, that are not linked by some other rule. */
export function householdsApart(
  members: ReadonlyArray<HouseholdRecord>,
  links: ReadonlyArray<{ readonly entity: AnchorEntity; readonly row: Row }>,
): HouseholdRecord[] {
  const keyOf = (record: { readonly entity: AnchorEntity; readonly row: Row }) => `${record.entity}:${String(record.row.id)}`;
  const linked = new Set(links.map(keyOf));
  const households = new Map<string, HouseholdRecord>();
  for (const member of members) if (!linked.has(keyOf(member))) households.set(keyOf(member), member);
  return [...households.values()];
}

/** One entry per record, with the strongest rule that found it, in key order. */
export function strongestPerRecord(records: ReadonlyArray<LinkedRecord>, priority: ReadonlyArray<MatchRule> = RULE_PRIORITY): LinkedRecord[] {
  const best = new Map<string, LinkedRecord>();
  for (const record of records) {
    const id = `${record.entity}:${String(record.row.id)}`;
    const current = best.get(id);
    if (current === undefined || priority.indexOf(record.rule) < priority.indexOf(current.rule)) best.set(id, record);
  }
  return [...best.values()].sort((a, b) => compareRecords(a, b, priority));
}

export function compareRecords(a: LinkedRecord, b: LinkedRecord, priority: ReadonlyArray<MatchRule> = RULE_PRIORITY): number {
  return priority.indexOf(a.rule) - priority.indexOf(b.rule) || compareKeys(String(a.row.id), String(b.row.id));
}

/** Numeric keys in numeric order, others in text order: "9" before "10". */
export function compareKeys(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupe(rows: ReadonlyArray<Row>): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(String(row.id), row);
  return [...byKey.values()];
}

export function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}
