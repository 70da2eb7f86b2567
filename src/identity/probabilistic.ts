/**
 * Probabilistic linking at query time: records that share no identifier are compared on
 * names, birth date and address with a Fellegi–Sunter model. Blocking predicates are
 * loads on an equal value (same birth date, same last name, same postcode), each capped
 * per value and batched across a page by the loaders, so resolving a customer reads a
 * few small candidate sets and never a table.
 */
import { KEY_PART_SEPARATOR, type KeyMatch, type KeyPart, type Row, type Scalar } from '../../connectors/contract.js';
import type { BlockingField, BlockingPart, BlockingRule, ProbabilisticConfig } from '../config/identity-config.js';
import type { Loaders } from '../loading/loaders.js';
import type { AnchorEntity } from './customer-id.js';
import type { LinkedRecord } from './link.js';
import { normalizePersonName } from './names.js';
import { classify, normalizeIdentifier, scorePair, type MatchModel, type MatchRecord, type PairScore } from './scoring.js';
import { identifierSlip, jaroWinkler, normalizeDate } from './similarity.js';
import { hopSeeds, withHop } from './transitive.js';
import { canonicalEmail } from './email-canonical.js';
import { givenNamesCompatible, typoApart } from './given-names.js';
import { normalizePhone } from './phone.js';
import { generationOf, sharedIdentifierConflict } from './shared-identifier-guard.js';

/** Canonical fields a pair is scored on, read whenever probabilistic matching is on. */
export const MATCH_FIELDS: ReadonlyArray<string> = [
  'firstName',
  'lastName',
  'birthName',
  'birthDate',
  'postcode',
  'street',
  'city',
  'kind',
  'companyName',
  'email',
  'phone',
  'mobile',
  'nationalId',
];

/** A record scored against the customer's anchor, above the review threshold. */
export interface ScoredRecord {
  readonly entity: AnchorEntity;
  readonly row: Row;
  readonly score: PairScore;
}

export interface ProbableMatches {
  /** Above linkAbove: part of the customer. */
  readonly links: ReadonlyArray<LinkedRecord>;
  /** Between reviewAbove and linkAbove: shown, never merged. */
  readonly possible: ReadonlyArray<ScoredRecord>;
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A canonical row as the person model's record (its field names are the model's). */
export function matchRecordOf(row: Row): MatchRecord {
  return {
    givenName: text(row.firstName),
    surname: text(row.lastName),
    birthDate: text(row.birthDate),
    postcode: text(row.postcode),
    street: text(row.street),
    city: text(row.city),
    birthName: text(row.birthName),
    nationalId: text(row.nationalId),
  };
}

/** The value a blocking load matches on, normalized the way its key match compares. */
export function blockingKey(field: BlockingField, row: Row): Scalar {
  const value = text(row[field]);
  if (value === null) return null;
  switch (field) {
    case 'birthDate':
      return normalizeDate(value);
    case 'lastName':
    case 'firstName':
      return value.toLowerCase();
    case 'postcode':
      return value.replace(/\s/g, '').toUpperCase();
    case 'nationalId':
      // Compared as stored: a number is written one way within a source.
      return value;
  }
}

function keyMatchOf(field: BlockingField): 'exact' | 'caseInsensitive' {
  return field === 'lastName' || field === 'firstName' ? 'caseInsensitive' : 'exact';
}

/** The field a part of a compound rule reads (birthYear: the birth date). */
function partField(part: BlockingPart): BlockingField {
  return part === 'birthYear' ? 'birthDate' : part;
}

/** A rule's name: its field, or its parts joined by "+" (`lastName+birthYear`). */
export function blockingRuleName(rule: BlockingRule): string {
  return typeof rule === 'string' ? rule : rule.join('+');
}

/** The canonical fields a rule reads. */
export function blockingRuleFields(rule: BlockingRule): BlockingField[] {
  return typeof rule === 'string' ? [rule] : [...new Set(rule.map(partField))];
}

/**
 * The value a rule's load matches on: the field's blocking key, or the parts' keys joined
 * by KEY_PART_SEPARATOR (a birth year is the normalized date's first four digits); null
 * when any part is unknown.
 */
export function blockingRuleKey(rule: BlockingRule, row: Row): Scalar {
  if (typeof rule === 'string') return blockingKey(rule, row);
  const parts: string[] = [];
  for (const part of rule) {
    const key = blockingKey(partField(part), row);
    if (key === null) return null;
    parts.push(part === 'birthYear' ? String(key).slice(0, 4) : String(key));
  }
  return parts.join(KEY_PART_SEPARATOR);
}

/** The compound key's parts as the connector compares them. */
function keyPartsOf(rule: ReadonlyArray<BlockingPart>): KeyPart[] {
  return rule.map((part) => (part === 'birthYear' ? { field: 'birthDate', keyMatch: 'exact', year: true } : { field: part, keyMatch: keyMatchOf(part) }));
}

/** The parts a rule's load compares (one for a field rule), as `c360 check` looks for an index on them. */
export function blockingParts(rule: BlockingRule): KeyPart[] {
  return typeof rule === 'string' ? [{ field: rule, keyMatch: keyMatchOf(rule) }] : keyPartsOf(rule);
}

/** The load options of a rule's blocks (one UNION ALL part per rule and source). */
export function blockLoad(rule: BlockingRule): { keyField: string; keyMatch: KeyMatch; keyParts?: ReadonlyArray<KeyPart> } {
  if (typeof rule === 'string') return { keyField: rule, keyMatch: keyMatchOf(rule) };
  return { keyField: blockingRuleName(rule), keyMatch: 'exact', keyParts: keyPartsOf(rule) };
}

/** Companies share addresses and lack person names: the person model says nothing of them. */
/** A company record: said so, or a company name and no person name. */
function isCompany(row: Row): boolean {
  return row.kind === 'COMPANY' || (text(row.companyName) !== null && !isPerson(row));
}

/**
 * Scored by the person model: a named person, or a record the mapping declares a person
 * (kind PERSON, no company name) whose name is missing: its birth date and address still
 * say who it is, and the model weighs them.
 */
function isMatchable(row: Row): boolean {
  return isPerson(row) || (row.kind === 'PERSON' && text(row.companyName) === null);
}

function isPerson(row: Row): boolean {
  const named = [row.firstName, row.lastName].some((name) => normalizePersonName(text(name) ?? '') !== null);
  return row.kind !== 'COMPANY' && named;
}

/**
 * Candidates of `target` in the blocks of `from`, scored and classified; with
 * `transitiveLinks` > 0, the strongest direct links are resolved one hop further
 * (see ./transitive.ts).
 */
export async function findProbable(
  loaders: Loaders,
  from: { readonly entity: AnchorEntity; readonly row: Row },
  target: AnchorEntity,
  projection: ReadonlyArray<string>,
  config: ProbabilisticConfig,
): Promise<ProbableMatches> {
  const direct = await findDirect(loaders, from, target, projection, config);
  // A hop compares records of `target` with each other: a same-source comparison.
  const seeds = target === from.entity || config.sameSource ? hopSeeds(direct.links, config.transitiveLinks) : [];
  if (seeds.length === 0) return direct;
  // Started in one tick, so the seeds' blocking loads share one statement per blocking field.
  const hops = await Promise.all(seeds.map((seed) => findDirect(loaders, seed, target, projection, config)));
  return withHop(from, direct, hops);
}

/** Blocks left out for holding more than maxBlockRows rows, since the process started (metrics, tests). */
export const oversizeBlocks = { count: 0 };

/** Candidates of `target` in the blocks of `from`, scored and classified: one hop. */
export async function findDirect(
  loaders: Loaders,
  from: { readonly entity: AnchorEntity; readonly row: Row },
  target: AnchorEntity,
  projection: ReadonlyArray<string>,
  config: ProbabilisticConfig,
): Promise<ProbableMatches> {
  if (!isMatchable(from.row)) return { links: [], possible: [] };
  // A rule whose fields the target maps; a compound one where its source compares compound keys.
  const rules = config.blocking.filter(
    (rule) =>
      loaders.mappedFields(target, blockingRuleFields(rule)).length === blockingRuleFields(rule).length &&
      (typeof rule === 'string' || loaders.supportsCompoundKeys(target)),
  );
  const fullProjection = [...new Set([...projection, ...MATCH_FIELDS, 'id'])];
  const readLimit = Math.max(config.blockReadLimit, config.candidatesPerBlock);
  const blocks = await Promise.all(
    rules.map(async (rule) => {
      const key = blockingRuleKey(rule, from.row);
      if (key === null) return [] as ReadonlyArray<Row>;
      // One statement per source for all of a page's blocks (UNION ALL), not one per blocking
      // rule; one row past the limit says whether the block was read whole.
      const load = { ...blockLoad(rule), projection: fullProjection, orderBy: [{ field: 'id', direction: 'ASC' as const }] };
      const first = await loaders.loadInUnion(target, key, { ...load, limitPerKey: readLimit + 1 });
      if (first.length <= readLimit) return first;
      // Larger than blockReadLimit: never its first rows by key. Read whole (up to
      // maxBlockRows, one statement for this block) and ranked below like any block; a block
      // larger still is too unselective to block on and is left out (counted), whatever its keys.
      const whole = await loaders.loadInUnion(target, key, { ...load, limitPerKey: config.maxBlockRows + 1 });
      if (whole.length <= config.maxBlockRows) return whole;
      oversizeBlocks.count++;
      return [] as ReadonlyArray<Row>;
    }),
  );
  const candidates = new Map<string, Row>();
  // Each block ranked by a cheap similarity to `from` before the cap: in a large block
  // (every "Martin" of a city) the true match is kept whatever its key.
  for (const block of blocks) for (const row of closestInBlock(from.row, block, config.candidatesPerBlock)) candidates.set(String(row.id), row);
  if (target === from.entity) candidates.delete(String(from.row.id));
  return scoreCandidates(from.row, candidates.values(), target, config);
}

/**
 * The `keep` rows of a block most like `from`, by a cheap similarity (Jaro–Winkler on the
 * two names, birth date and postcode agreement), ties in block order; the block as it is
 * when it is no larger than `keep`.
 */
export function closestInBlock(from: Row, block: ReadonlyArray<Row>, keep: number): ReadonlyArray<Row> {
  if (block.length <= keep) return block;
  const anchor = cheapKey(from);
  return block
    .map((row, index) => ({ row, index, similarity: cheapSimilarity(anchor, cheapKey(row)) }))
    .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
    .slice(0, keep)
    .map((ranked) => ranked.row);
}

interface CheapKey {
  readonly given: string | null;
  readonly surname: string | null;
  readonly birthDate: string | null;
  readonly postcode: string | null;
}

function cheapKey(row: Row): CheapKey {
  return {
    given: normalizePersonName(text(row.firstName)),
    surname: normalizePersonName(text(row.lastName)),
    birthDate: normalizeDate(text(row.birthDate)),
    postcode: text(row.postcode)?.replace(/\s/g, '') ?? null,
  };
}

function cheapSimilarity(a: CheapKey, b: CheapKey): number {
  const names = (x: string | null, y: string | null) => (x === null || y === null ? 0 : jaroWinkler(x, y));
  const birth =
    a.birthDate === null || b.birthDate === null ? 0 : a.birthDate === b.birthDate ? 1 : a.birthDate.slice(0, 4) === b.birthDate.slice(0, 4) ? 0.5 : 0;
  const postcode = a.postcode !== null && a.postcode === b.postcode ? 1 : 0;
  return names(a.given, b.given) + names(a.surname, b.surname) + birth + postcode;
}

/** Each candidate scored against `fromRow` and classified (no I/O: the bench replays it offline). */
export function scoreCandidates(fromRow: Row, candidates: Iterable<Row>, target: AnchorEntity, config: ProbabilisticConfig): ProbableMatches {
  if (!isMatchable(fromRow)) return { links: [], possible: [] };
  const fromRecord = matchRecordOf(fromRow);
  const links: LinkedRecord[] = [];
  const possible: ScoredRecord[] = [];
  for (const row of candidates) {
    if (!isMatchable(row)) continue;
    const score = config.swappedNames ? scoreEitherWay(fromRecord, matchRecordOf(row), config.model) : scorePair(fromRecord, matchRecordOf(row), config.model);
    const verdict = classify(score.probability, { linkAbove: config.linkAbove, reviewAbove: config.reviewAbove });
    // The guards decide between a link and a possible duplicate only: asked of a link alone
    // (most candidates of a block are below review, and the guards parse phones and e-mails).
    const heldBack = () =>
      (config.namesMustAgree && !sameNationalId(fromRow, row) && namesConflict(score, config.model)) ||
      evidenceAgainst(fromRow, row, score, config.twinsApart) !== null;
    if (verdict === 'link' && !heldBack()) links.push({ entity: target, row, rule: 'PROBABILISTIC', score });
    else if (verdict !== 'distinct') possible.push({ entity: target, row, score });
  }
  possible.sort((a, b) => b.score.probability - a.score.probability);
  return { links, possible };
}

/**
 * Given name and surname typed in each other's field: the pair is scored as if written
 * the right way round when both names agree crosswise and that scores higher (the
 * reasons then show the crosswise values). Without it a swap is two "else" levels,
 * which sinks a true pair below review.
 */
export function scoreEitherWay(a: MatchRecord, b: MatchRecord, model: MatchModel): PairScore {
  // A married name on one side, the birth name on the other: score under the surname the two share.
  const maiden = [
    ...(b.birthName ? [scorePair(a, { ...b, surname: b.birthName }, model)] : []),
    ...(a.birthName ? [scorePair({ ...a, surname: a.birthName }, b, model)] : []),
  ];
  const direct = [scorePair(a, b, model), ...maiden].reduce((best, score) => (score.probability > best.probability ? score : best));
  if (!namesAgreeCrosswise(a, b)) return direct;
  const swapped = scorePair(a, { ...b, givenName: b.surname, surname: b.givenName }, model);
  return swapped.probability > direct.probability ? swapped : direct;
}

function namesAgreeCrosswise(a: MatchRecord, b: MatchRecord): boolean {
  const [givenA, surnameA, givenB, surnameB] = [a.givenName, a.surname, b.givenName, b.surname].map((name) => normalizePersonName(name));
  if (givenA == null || surnameA == null || givenB == null || surnameB == null) return false;
  return jaroWinkler(givenA, surnameB) >= GIVEN_NAME_AGREEMENT && jaroWinkler(surnameA, givenB) >= GIVEN_NAME_AGREEMENT;
}

/**
 * Relatives share a surname and an address, colleagues an address and sometimes a given
 * name: address fields agree together, so their weights overstate the evidence. A pair
 * whose given name or surname is nothing alike is linked only when the birth dates are
 * the same; otherwise it is shown as a possible duplicate.
 */
export function namesConflict(score: PairScore, model: MatchModel): boolean {
  const levelOf = (field: string) => score.fields.find((scored) => scored.field === field)?.level ?? null;
  const lastLevel = (field: string) => model.fields.find((modelled) => modelled.field === field)?.levels.at(-1)?.name;
  const birthDateExact =
    levelOf('birthDate') !== null && levelOf('birthDate') === model.fields.find((modelled) => modelled.field === 'birthDate')?.levels[0]?.name;
  // A name a typo or two apart is the same name mistyped, whatever its Jaro–Winkler level.
  const typo = (field: string) => {
    const scored = score.fields.find((candidate) => candidate.field === field);
    return scored?.a != null && scored.b != null && typoApart(scored.a.replace(/ /g, ''), scored.b.replace(/ /g, ''));
  };
  const disagree = (field: string) => levelOf(field) !== null && levelOf(field) === lastLevel(field) && !typo(field);
  return (disagree('givenName') || disagree('surname')) && !birthDateExact && !birthDateTypo(score, model) && !namesSwapped(score);
}

/**
 * Birth dates a typo apart (the model's middle level: one digit off, day and month
 * swapped) within one year: no two relatives are born days or months apart in one year
 * (twins share the date), so this is the same person's date mistyped.
 */
function birthDateTypo(score: PairScore, model: MatchModel): boolean {
  const scored = score.fields.find((field) => field.field === 'birthDate');
  const levels = model.fields.find((modelled) => modelled.field === 'birthDate')?.levels ?? [];
  if (scored?.a == null || scored.b == null || levels.length < 3) return false;
  const isMiddle = levels.slice(1, -1).some((level) => level.name === scored.level);
  return isMiddle && scored.a.slice(0, 4) === scored.b.slice(0, 4);
}

/** Given name typed in the surname field and back: a slip, not another person. */
function namesSwapped(score: PairScore): boolean {
  const value = (field: string, side: 'a' | 'b') => score.fields.find((scored) => scored.field === field)?.[side] ?? null;
  const [givenA, surnameA, givenB, surnameB] = [value('givenName', 'a'), value('surname', 'a'), value('givenName', 'b'), value('surname', 'b')];
  if (givenA === null || surnameA === null || givenB === null || surnameB === null) return false;
  return jaroWinkler(givenA, surnameB) >= GIVEN_NAME_AGREEMENT && jaroWinkler(surnameA, givenB) >= GIVEN_NAME_AGREEMENT;
}

/**
 * Both records carry the same personal identification number (`nationalId`). Twins,
 * a parent and a child, two relatives at one address never share one: a given name
 * that differs between two records holding one number is a slip or a replacement in
 * one of them, not another person. A number one typing slip apart is the same number
 * mistyped ({@link identifierSlip}; neighbouring numbers issued in sequence are not).
 * Unknown on either side is no evidence.
 */
export function sameNationalId(a: Row, b: Row): boolean {
  const x = normalizeIdentifier(text(a.nationalId));
  const y = normalizeIdentifier(text(b.nationalId));
  return x !== null && y !== null && (x === y || identifierSlip(x, y));
}

/**
 * What no score outweighs for a link without a shared identifier:
 * - different generation markers (Jr / père);
 * - twins: the same birth date with given names that cannot be one person's (after the
 *   swapped-names reading, so "Mason Madeline" is still Madeline Mason), unless the two
 *   records hold the same personal identification number, which twins never share;
 * - a household: the two share an email or a phone and the shared-identifier guard says
 *   they are two people (a father and a son born 30 years apart at one address with one
 *   landline: their names and address agree, so the score alone would link them);
 * - different valid emails *and* different valid phones (two people who each gave their own).
 * Such a pair stays a possible duplicate at most.
 */
export function evidenceAgainst(a: Row, b: Row, score: PairScore, twinsApart = true): 'GENERATIONS_DIFFER' | 'TWINS' | 'HOUSEHOLD' | 'OWN_IDENTIFIERS' | null {
  if (generationOf(a) !== generationOf(b)) return 'GENERATIONS_DIFFER';
  const scored = (field: string) => score.fields.find((candidate) => candidate.field === field);
  const birthDates = scored('birthDate');
  const givenNames = scored('givenName');
  if (
    twinsApart &&
    !sameNationalId(a, b) &&
    birthDates?.a != null &&
    birthDates.a === birthDates.b &&
    givenNames?.a != null &&
    givenNames.b != null &&
    !givenNamesCompatible(givenNames.a, givenNames.b)
  )
    return 'TWINS';
  const [emailA, emailB] = [canonicalEmail(text(a.email)), canonicalEmail(text(b.email))];
  const [phonesA, phonesB] = [phonesIn(a), phonesIn(b)];
  const sharesIdentifier = (emailA !== null && emailA === emailB) || (phonesA !== null && phonesB !== null && !differ(phonesA, phonesB));
  if (sharesIdentifier && sharedIdentifierConflict(a, b) !== null) return 'HOUSEHOLD';
  return differ(emailA, emailB) && differ(phonesA, phonesB) ? 'OWN_IDENTIFIERS' : null;
}

function phonesIn(row: Row): string | null {
  const phones = [row.phone, row.mobile].flatMap((value) => normalizePhone(text(value)) ?? []);
  return phones.length === 0 ? null : [...new Set(phones)].sort().join(',');
}

/** Both known and different (for phones: no number in common). */
function differ(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const [x, y] = [new Set(a.split(',')), b.split(',')];
  return !y.some((value) => x.has(value));
}

/**
 * A phone is often a household's landline or a company switchboard: a shared phone does
 * not make one customer of a person and a company, nor of two people whose given names
 * are nothing alike (used when probabilistic matching is on, which reads the names).
 */
export function phoneHoldersCompatible(a: Row, b: Row): boolean {
  if ((isPerson(a) && isCompany(b)) || (isCompany(a) && isPerson(b))) return false;
  const x = normalizePersonName(text(a.firstName) ?? '');
  const y = normalizePersonName(text(b.firstName) ?? '');
  if (x === null || y === null) return true;
  return jaroWinkler(x, y) >= GIVEN_NAME_AGREEMENT;
}

/** The lower Jaro–Winkler cut-off of the person model: a typo still agrees, another name does not. */
const GIVEN_NAME_AGREEMENT = 0.88;
