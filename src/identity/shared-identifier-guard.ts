/**
 * Evidence against a merge for the identifier rules. An email or a landline is often a
 * household's (a couple, a parent and a child at one address), a switchboard, or twins'
 * shared family address: sharing it says two records live together, not that they are
 * one person. Two records sharing an identifier are one customer only when nothing they
 * hold says otherwise; else they are shown as a household ("shares an identifier with"),
 * never merged. What says otherwise, with the reason reported:
 * - a company record and a person record;
 * - given names that cannot be one person's (Laurent / Véronique; Jean / Jeanne);
 * - birth dates that are not one date mistyped (1946 / 1975; twins share the date but
 *   then their given names differ);
 * - different generation markers (Jr, fils, père, II).
 * A missing value is no evidence either way.
 */
import type { Row } from '../../connectors/contract.js';
import { givenNamesCompatible } from './given-names.js';
import { normalizePersonName } from './names.js';
import { compareDates, normalizeDate } from './similarity.js';

export type HouseholdReason = 'PERSON_AND_COMPANY' | 'GIVEN_NAMES_DIFFER' | 'BIRTH_DATES_DIFFER' | 'GENERATIONS_DIFFER';

/** Canonical fields the guard reads; the identifier lookups fetch them. */
export const GUARD_FIELDS: ReadonlyArray<string> = ['firstName', 'lastName', 'birthName', 'birthDate', 'kind', 'companyName'];

const GENERATION_MARKERS: ReadonlyMap<string, string> = new Map([
  ['jr', 'junior'],
  ['junior', 'junior'],
  ['fils', 'junior'],
  ['cadet', 'junior'],
  ['sr', 'senior'],
  ['senior', 'senior'],
  ['pere', 'senior'],
  ['aine', 'senior'],
  ['ii', 'ii'],
  ['iii', 'iii'],
  ['iv', 'iv'],
]);

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The generation markers written in a record's names ("Jean Dupont fils" → junior). */
export function generationOf(row: Row): string | null {
  const tokens = [row.firstName, row.lastName].flatMap((value) => (normalizePersonName(text(value)) ?? '').split(' '));
  const markers = [...new Set(tokens.flatMap((token) => GENERATION_MARKERS.get(token) ?? []))].sort();
  return markers.length === 0 ? null : markers.join(',');
}

/** Birth dates both known and not one date mistyped (one digit off, day and month swapped). */
export function birthDatesConflict(a: Row, b: Row): boolean {
  const x = normalizeDate(text(a.birthDate));
  const y = normalizeDate(text(b.birthDate));
  if (x === null || y === null) return false;
  return compareDates(x, y) === 'different';
}

/** What the guard reads of one record, derived once (bulk linking keeps this instead of the row). */
export interface GuardProfile {
  readonly person: boolean;
  readonly company: boolean;
  readonly generation: string | null;
  /** The normalized birth date. */
  readonly birthDate: string | null;
  readonly givenName: string | null;
}

export function guardProfileOf(row: Row): GuardProfile {
  // isPersonRecord, isCompanyRecord, generationOf and givenNameOf, each name normalized once.
  const first = normalizePersonName(text(row.firstName));
  const last = normalizePersonName(text(row.lastName));
  const named = first !== null || last !== null;
  let generation: string | null;
  let givenName: string | null;
  if (!(first?.includes(' ') ?? false) && !(last?.includes(' ') ?? false)) {
    // One token each (most records): no token lists (bulk linking profiles every record).
    const a = first === null ? undefined : GENERATION_MARKERS.get(first);
    const b = last === null ? undefined : GENERATION_MARKERS.get(last);
    generation = a === undefined ? (b ?? null) : b === undefined || b === a ? a : a < b ? `${a},${b}` : `${b},${a}`;
    givenName = a === undefined ? first : null;
  } else {
    const markers = [...new Set([first ?? '', last ?? ''].flatMap((name) => name.split(' ')).flatMap((token) => GENERATION_MARKERS.get(token) ?? []))].sort();
    const given = first === null ? [] : first.split(' ').filter((token) => !GENERATION_MARKERS.has(token));
    generation = markers.length === 0 ? null : markers.join(',');
    givenName = given.length === 0 ? null : given.join(' ');
  }
  return {
    person: row.kind !== 'COMPANY' && (row.kind === 'PERSON' || named),
    company: row.kind === 'COMPANY' || (text(row.companyName) !== null && !named && row.kind !== 'PERSON'),
    generation,
    birthDate: normalizeDate(text(row.birthDate)),
    givenName,
  };
}

/** sharedIdentifierConflict on two records' profiles. */
export function profilesConflict(a: GuardProfile, b: GuardProfile): HouseholdReason | null {
  if ((a.person && b.company) || (a.company && b.person)) return 'PERSON_AND_COMPANY';
  if (a.generation !== b.generation && (a.generation !== null || b.generation !== null)) return 'GENERATIONS_DIFFER';
  if (a.birthDate !== null && b.birthDate !== null && compareDates(a.birthDate, b.birthDate) === 'different') return 'BIRTH_DATES_DIFFER';
  if (!givenNamesCompatible(a.givenName, b.givenName)) return 'GIVEN_NAMES_DIFFER';
  return null;
}

/** Why two records sharing an identifier are not one person; null when nothing says so. */
export function sharedIdentifierConflict(a: Row, b: Row): HouseholdReason | null {
  return profilesConflict(guardProfileOf(a), guardProfileOf(b));
}
