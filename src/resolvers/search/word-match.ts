/**
 * Words typed as a name, a company or a city: the filters each source is asked (index-friendly
 * prefixes only, so an index on each column serves them) and the score of each row found.
 */
import type { Filter, Row } from '../../../connectors/contract.js';
import { foldForPrefix } from '../../../connectors/sql/fold.js';
import type { SearchMatch } from '../../generated/graphql.js';
import { jaroWinkler } from '../../identity/similarity.js';
import type { Readable } from './readable.js';

/** The canonical fields a words search reads on an anchor entity (contact, shopCustomer). */
export const WORD_FIELDS = ['firstName', 'lastName', 'companyName', 'city', 'email'] as const;
type WordField = (typeof WORD_FIELDS)[number];

const MATCH_OF: Readonly<Record<WordField, SearchMatch>> = {
  firstName: 'NAME',
  lastName: 'NAME',
  companyName: 'COMPANY',
  city: 'CITY',
  email: 'EMAIL',
};

/** Letters kept of each part in the second, typo-tolerant pass: "gailard" is asked as "gai…". */
const TYPO_PREFIX = 3;
/** Below this Jaro-Winkler similarity a second-pass row is not a hit. */
export const MIN_SIMILARITY = 0.86;

export type Pass = 'exact' | 'typo';

/**
 * The filter for one pass over an entity whose `mapped` fields are those given. Exact pass:
 * the whole text is a prefix of a first name, last name, company or city (or an email for one
 * word), or the words split into a first name then a last name, or a last name then a first
 * name ("GAILLARD Julie"). Typo pass: the same shapes on the first letters of each part.
 * undefined when no readable field is mapped.
 */
export function wordsFilter(words: ReadonlyArray<string>, mapped: ReadonlySet<string>, readable: Readable, pass: Pass): Filter | undefined {
  const usable = (field: WordField): boolean => mapped.has(field) && readable(MATCH_OF[field]);
  const cut = (part: string): string => (pass === 'exact' ? part : part.slice(0, TYPO_PREFIX));
  // MySQL/MariaDB compare LIKE character by character, so "oe" never matches a stored "œ":
  // ask the ligature too (PostgreSQL folds both to "oe"; the branch is then a duplicate).
  const prefix = (field: WordField, value: string): Filter => {
    const asked = cut(value);
    const ligatures = asked.replace(/oe/g, 'œ').replace(/ae/g, 'æ');
    const plain: Filter = { op: 'prefix', field, value: asked };
    return ligatures === asked ? plain : { op: 'or', filters: [plain, { op: 'prefix', field, value: ligatures }] };
  };
  const whole = words.join(' ');
  const branches: Filter[] = [];
  for (const field of ['firstName', 'lastName'] as const) if (usable(field)) branches.push(prefix(field, whole));
  if (pass === 'exact') {
    if (usable('companyName')) branches.push(prefix('companyName', whole));
    if (usable('city')) branches.push(prefix('city', whole));
    if (usable('email') && words.length === 1 && whole.length >= 3) branches.push(prefix('email', whole));
  }
  if (usable('firstName') && usable('lastName')) {
    for (let split = 1; split < words.length; split++) {
      const head = words.slice(0, split).join(' ');
      const tail = words.slice(split).join(' ');
      branches.push({ op: 'and', filters: [prefix('firstName', head), prefix('lastName', tail)] });
      branches.push({ op: 'and', filters: [prefix('lastName', head), prefix('firstName', tail)] });
    }
  }
  return branches.length === 0 ? undefined : { op: 'or', filters: branches };
}

export interface WordScore {
  readonly score: number;
  readonly matchedOn: ReadonlyArray<SearchMatch>;
}

/**
 * How well a row answers the words: a whole name equal to the text first, then a name the
 * text starts, a company, an email, a city; a row found only by the typo pass scores by
 * similarity, below every exact prefix. null when the row does not answer at all.
 */
export function scoreWords(row: Row, words: ReadonlyArray<string>, readable: Readable): WordScore | null {
  const text = (field: WordField): string => {
    const value = row[field];
    return readable(MATCH_OF[field]) && typeof value === 'string' ? foldForPrefix(value) : '';
  };
  const whole = words.join(' ');
  const first = text('firstName');
  const last = text('lastName');
  const fullNames = first !== '' && last !== '' ? [`${first} ${last}`, `${last} ${first}`] : [];
  const found: Array<[number, SearchMatch]> = [];
  const grade = (values: ReadonlyArray<string>, equal: number, starts: number, match: SearchMatch): void => {
    const present = values.filter((value) => value !== '');
    if (present.some((value) => value === whole)) found.push([equal, match]);
    else if (present.some((value) => value.startsWith(whole))) found.push([starts, match]);
  };
  grade(fullNames, 60, 50, 'NAME');
  grade([first, last], 40, 30, 'NAME');
  // The company itself (a record with no person's name) before the people working there.
  const isCompany = first === '' && last === '';
  grade([text('companyName')], isCompany ? 48 : 45, isCompany ? 38 : 35, 'COMPANY');
  grade([text('email')], 55, 25, 'EMAIL');
  grade([text('city')], 12, 10, 'CITY');
  if (found.length === 0) {
    const similarity = Math.max(
      0,
      ...[...fullNames, first, last, text('companyName')].filter((value) => value !== '').map((value) => jaroWinkler(whole, value)),
    );
    if (similarity < MIN_SIMILARITY) return null;
    return { score: 20 * similarity, matchedOn: ['NAME_SIMILAR'] };
  }
  found.sort((a, b) => b[0] - a[0]);
  return { score: found[0]![0], matchedOn: [...new Set(found.map(([, match]) => match))] };
}
