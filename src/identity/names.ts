import { foldTokens } from './text.js';

/**
 * How nobiliary and patronymic particles are treated. Sources disagree on spelling
 * ("de La Fontaine", "Delafontaine", "La Fontaine", "D'Artagnan", "Dartagnan"), so the
 * caller picks the form its comparison needs:
 * - 'keep' (default): particles stay as their own tokens ("de la fontaine", "d artagnan").
 * - 'drop': leading particles are removed when something follows ("fontaine", "artagnan");
 *   use it for blocking keys, where a forgotten particle must not split a block.
 * - 'compact': all tokens glued ("delafontaine", "dartagnan"), which equals the glued
 *   spellings administrations and old systems produce.
 */
export type ParticleHandling = 'keep' | 'drop' | 'compact';

/** Options for {@link normalizePersonName}. */
export interface NormalizePersonNameOptions {
  readonly particles?: ParticleHandling;
}

// Folded forms; "d'" becomes "d" once apostrophes turn into spaces.
const PARTICLES: ReadonlySet<string> = new Set([
  'de',
  'du',
  'des',
  'd',
  'la',
  'le',
  'les',
  'l',
  'van',
  'von',
  'der',
  'den',
  'ter',
  'ten',
  'zu',
  'di',
  'da',
  'del',
  'della',
  'dos',
  'das',
]);

// Civilities precede the name in many CRMs' single "name" column; they say nothing
// about identity and would otherwise dominate short names.
const CIVILITIES: ReadonlySet<string> = new Set([
  'm',
  'mr',
  'mme',
  'mlle',
  'mrs',
  'ms',
  'miss',
  'monsieur',
  'madame',
  'mademoiselle',
  'dr',
  'docteur',
  'pr',
  'professeur',
  'me',
  'maitre',
]);

/**
 * Lower-cased, accent-free, hyphens/apostrophes/space runs turned into single spaces,
 * leading civility removed, particles handled per `options.particles`; null when
 * nothing name-like remains.
 */
export function normalizePersonName(raw: string | null | undefined, options: NormalizePersonNameOptions = {}): string | null {
  if (raw === null || raw === undefined) return null;
  // Scoring a candidate block normalizes the same few names hundreds of times: remembered.
  const particles = options.particles ?? 'keep';
  const memo = NAME_MEMO[particles];
  const known = memo.get(raw);
  if (known !== undefined) return known;
  const normalized = normalizeUncached(raw, particles);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, normalized);
  return normalized;
}

/** Pure function results by raw value; cleared when full (names repeat within a request, not forever). */
const MEMO_LIMIT = 10_000;
const NAME_MEMO: Record<ParticleHandling, Map<string, string | null>> = { keep: new Map(), drop: new Map(), compact: new Map() };

function normalizeUncached(raw: string, particles: ParticleHandling): string | null {
  // Digits are never part of a person's name; "Jean2" is a typo or a test record.
  const tokens = foldTokens(raw).filter((t) => !/\d/.test(t));
  while (tokens.length > 1 && CIVILITIES.has(tokens[0] ?? '')) tokens.shift();
  if (tokens.length === 0) return null;

  switch (particles) {
    case 'keep':
      return tokens.join(' ');
    case 'compact':
      return tokens.join('');
    case 'drop': {
      // Only leading particles, and never the last token: "Le" or "Du" can be a
      // whole surname, and "Jean de" is an entry error better kept than emptied.
      let start = 0;
      while (start < tokens.length - 1 && PARTICLES.has(tokens[start] ?? '')) start += 1;
      return tokens.slice(start).join(' ');
    }
  }
}

// Folded legal-form tokens: French forms first, then those foreign suppliers carry.
const LEGAL_FORMS: ReadonlySet<string> = new Set([
  'sa',
  'sas',
  'sasu',
  'sarl',
  'eurl',
  'sci',
  'snc',
  'scs',
  'sca',
  'scop',
  'scic',
  'scp',
  'scm',
  'sel',
  'selarl',
  'selas',
  'selafa',
  'selca',
  'gie',
  'gaec',
  'earl',
  'eirl',
  'ei',
  'sem',
  'spl',
  'sccv',
  'scea',
  'ltd',
  'limited',
  'llc',
  'inc',
  'plc',
  'gmbh',
  'ag',
  'bv',
  'nv',
  'spa',
  'srl',
  'sl',
  'sprl',
  'srls',
]);

/**
 * Folded like a person name (case, accents, punctuation), '&' read as "et", dotted
 * acronyms closed up ("S.A.R.L." → "sarl") and legal forms dropped wherever they stand;
 * null when only a legal form was given.
 */
export function normalizeCompanyName(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const undotted = raw.replace(/\b(?:\p{L}\.){2,}(?:\p{L}\b)?/gu, (acronym) => acronym.replace(/\./g, '')).replace(/&/g, ' et ');
  const tokens = foldTokens(undotted).filter((t) => !LEGAL_FORMS.has(t));
  // "et cie" / "& co" trail a partnership's name the same way a legal form does.
  const trailing = tokens.slice(-2).join(' ');
  if (trailing === 'et cie' || trailing === 'et co') tokens.splice(-2, 2);
  const name = tokens.join(' ');
  return name === '' ? null : name;
}
