import { foldTokens } from './text.js';

/** A postal address as sources hold it: every part optional. */
export interface RawAddress {
  readonly street?: string | null;
  readonly postcode?: string | null;
  readonly city?: string | null;
  readonly country?: string | null;
}

/** Comparable address parts, with what could be checked about them. */
export interface NormalizedAddress {
  /** Folded street with abbreviations expanded ("12 bis boulevard saint michel"). */
  readonly street: string | null;
  readonly postcode: string | null;
  /** Folded city without CEDEX or arrondissement suffix ("saint etienne"). */
  readonly city: string | null;
  /** ISO 3166-1 alpha-2 when recognized, else the upper-cased input. */
  readonly country: string | null;
  /** French département code ('75', '2A', '974'); null outside France or when unknown. */
  readonly departement: string | null;
  /** For France: five digits naming a département. Elsewhere: a postcode is present. */
  readonly postcodeValid: boolean;
  /** Street, postcode and city are all present. */
  readonly complete: boolean;
}

// Folded abbreviation -> full word. Full words are the canonical form because sources
// abbreviate inconsistently ("bd", "bld", "boul") but spell the word one way.
const STREET_WORDS: ReadonlyMap<string, string> = new Map([
  ['bd', 'boulevard'],
  ['bld', 'boulevard'],
  ['blvd', 'boulevard'],
  ['boul', 'boulevard'],
  ['av', 'avenue'],
  ['ave', 'avenue'],
  ['avn', 'avenue'],
  ['r', 'rue'],
  ['pl', 'place'],
  ['plc', 'place'],
  ['ch', 'chemin'],
  ['chem', 'chemin'],
  ['che', 'chemin'],
  ['imp', 'impasse'],
  ['all', 'allee'],
  ['al', 'allee'],
  ['fg', 'faubourg'],
  ['fbg', 'faubourg'],
  ['faub', 'faubourg'],
  ['st', 'saint'],
  ['ste', 'sainte'],
  ['rte', 'route'],
  ['crs', 'cours'],
  ['qu', 'quai'],
  ['qua', 'quai'],
  ['sq', 'square'],
  ['pass', 'passage'],
  ['prom', 'promenade'],
  ['sen', 'sentier'],
  ['res', 'residence'],
  ['resid', 'residence'],
  ['lot', 'lotissement'],
  ['ham', 'hameau'],
  ['bat', 'batiment'],
  ['esc', 'escalier'],
  ['apt', 'appartement'],
  ['appt', 'appartement'],
  ['ld', 'lieudit'],
  ['lieudit', 'lieudit'],
  ['za', 'zone artisanale'],
  ['zi', 'zone industrielle'],
  ['zac', 'zone d amenagement concerte'],
  ['gd', 'grand'],
  ['gde', 'grande'],
  ['pt', 'petit'],
  ['pte', 'petite'],
  ['mal', 'marechal'],
  ['gal', 'general'],
  ['pdt', 'president'],
  ['prof', 'professeur'],
]);

// Repetition indices after a house number; "12B" and "12 b" mean "12 bis".
const REPETITION: ReadonlyMap<string, string> = new Map([
  ['b', 'bis'],
  ['bis', 'bis'],
  ['t', 'ter'],
  ['ter', 'ter'],
  ['q', 'quater'],
  ['quater', 'quater'],
]);

/** Street folded (case, accents, punctuation) with abbreviations expanded; null when blank. */
export function normalizeStreet(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  // "12bis" and "12B" glue the repetition index to the number.
  const spaced = raw.replace(/(\d)([a-zA-Z]+)\b/g, '$1 $2');
  const out: string[] = [];
  for (const token of foldTokens(spaced)) {
    const previous = out[out.length - 1];
    const repetition = REPETITION.get(token);
    if (previous !== undefined && /^\d+$/.test(previous) && repetition !== undefined) {
      out.push(repetition);
    } else {
      out.push(STREET_WORDS.get(token) ?? token);
    }
  }
  return out.length === 0 ? null : out.join(' ');
}

/** City folded, "St"/"Ste" expanded, CEDEX and arrondissement suffixes removed; null when blank. */
export function normalizeCity(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const tokens = foldTokens(raw).map((t) => (t === 'st' ? 'saint' : t === 'ste' ? 'sainte' : t));
  // "Paris Cedex 08" and "Lyon 3e" name the same city as "Paris" and "Lyon" for matching.
  const cedex = tokens.indexOf('cedex');
  const kept = cedex >= 0 ? tokens.slice(0, cedex) : tokens;
  while (kept.length > 1 && /^\d+(?:e|er|eme)?$/.test(kept[kept.length - 1] ?? '')) kept.pop();
  return kept.length === 0 ? null : kept.join(' ');
}

const FRANCE_NAMES: ReadonlySet<string> = new Set(['fr', 'fra', 'fx', 'france', 'republique francaise']);

/** 'FR' for France's usual spellings, else the upper-cased input; null when blank. */
export function normalizeCountry(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const folded = foldTokens(raw).join(' ');
  if (folded === '') return null;
  return FRANCE_NAMES.has(folded) ? 'FR' : folded.toUpperCase();
}

/**
 * The département a French postcode belongs to: '01'–'95', '2A'/'2B' for Corsica,
 * '971'–'976' overseas; null for anything else (Monaco's 980xx, the 98x overseas
 * collectivities, military 00xxx). Postcodes follow départements except for a few
 * dozen border communes delivered from a neighbouring département's office, so this
 * is the postal département, right for blocking but not an INSEE lookup.
 */
export function departementOfPostcode(postcode: string): string | null {
  if (!/^\d{5}$/.test(postcode)) return null;
  const two = postcode.slice(0, 2);
  if (two === '00' || two === '96' || two === '98' || two === '99') return null;
  if (two === '20') {
    // Corse-du-Sud was given 200xx–201xx (Ajaccio 20000) and Haute-Corse 202xx–206xx
    // (Bastia 20200) when Corsica was split in 1976.
    return Number(postcode.slice(2, 3)) <= 1 ? '2A' : '2B';
  }
  if (two === '97') {
    const three = postcode.slice(0, 3);
    return ['971', '972', '973', '974', '975', '976'].includes(three) ? three : null;
  }
  return two;
}

/**
 * Each part normalized for comparison, the département of a French postcode, and
 * validity flags. `defaultCountry` applies when the address has no country, since
 * most sources of a French business omit it.
 */
export function normalizeAddress(address: RawAddress, defaultCountry = 'FR'): NormalizedAddress {
  const street = normalizeStreet(address.street);
  const city = normalizeCity(address.city);
  const country = normalizeCountry(address.country) ?? normalizeCountry(defaultCountry);
  const rawPostcode = address.postcode?.replace(/\s/g, '').toUpperCase() ?? '';

  let postcode: string | null = rawPostcode === '' ? null : rawPostcode;
  let departement: string | null = null;
  let postcodeValid = postcode !== null;
  if (country === 'FR' && postcode !== null) {
    // Spreadsheets store postcodes as numbers and drop the leading zero of Ain…Ariège.
    if (/^\d{4}$/.test(postcode)) postcode = `0${postcode}`;
    departement = departementOfPostcode(postcode);
    postcodeValid = departement !== null;
  }
  return {
    street,
    postcode,
    city,
    country,
    departement,
    postcodeValid,
    complete: street !== null && postcode !== null && city !== null,
  };
}
