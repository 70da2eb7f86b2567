/**
 * What staff typed, read as the kind of thing it is: an email, a phone, a SIRET or SIREN, or
 * words (names, a company, a city). Decided from the text alone, so a search is one plan.
 */
import { foldForPrefix } from '../../../connectors/sql/fold.js';
import { normalizePhone } from '../../identity/phone.js';

/** At most this many words are searched; the rest of a long text is ignored. */
export const MAX_WORDS = 5;

export type SearchedText =
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'phone'; readonly e164: string }
  | { readonly kind: 'siret'; readonly digits: string }
  | { readonly kind: 'siren'; readonly digits: string }
  | { readonly kind: 'words'; readonly words: ReadonlyArray<string> };

/** Separators people type inside numbers: 06.12.34.56.78, 06 12 34 56 78, +33 (0)6-12…, 123 456 789 00012. */
const NUMBER_SEPARATORS = /[\s.\-/()+]/g;

export function readSearchedText(text: string, defaultRegion: string | undefined): SearchedText {
  const trimmed = text.trim();
  if (trimmed.includes('@')) return { kind: 'email', value: foldForPrefix(trimmed) };
  const compact = trimmed.replace(NUMBER_SEPARATORS, '');
  if (/^\d{6,}$/.test(compact)) {
    if (compact.length === 14) return { kind: 'siret', digits: compact };
    if (compact.length === 9 && !trimmed.startsWith('+') && !trimmed.startsWith('0')) return { kind: 'siren', digits: compact };
    const e164 = normalizePhone(trimmed, defaultRegion);
    if (e164 !== null) return { kind: 'phone', e164 };
  }
  const words = foldForPrefix(trimmed)
    .split(/\s+/)
    .filter((word) => word !== '')
    .slice(0, MAX_WORDS);
  return { kind: 'words', words };
}
