/**
 * Email normalization for hashed-audience matching, as Google Customer Match and Meta
 * publish it: trim surrounding whitespace and lower-case (both); Google also drops every
 * "." before the domain of gmail.com and googlemail.com addresses. Then SHA-256, hex.
 */
import { createHash } from 'node:crypto';

export type EmailNormalization = 'google' | 'meta';

export function normalizeEmailForMatching(email: string, rule: EmailNormalization = 'google'): string {
  const lowered = email.trim().toLowerCase();
  if (rule === 'meta') return lowered;
  const at = lowered.lastIndexOf('@');
  if (at < 0) return lowered;
  const domain = lowered.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return lowered;
  return `${lowered.slice(0, at).replaceAll('.', '')}@${domain}`;
}

export function sha256HexOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The spellings a partner may have hashed (Google's, then Meta's when it differs). */
function matchingSpellings(email: string): ReadonlyArray<string> {
  const google = normalizeEmailForMatching(email, 'google');
  const meta = normalizeEmailForMatching(email, 'meta');
  return google === meta ? [google] : [google, meta];
}

/** The hash of each spelling a partner may have hashed, so either rule matches. */
export function matchingEmailHashes(email: string): ReadonlyArray<string> {
  return matchingSpellings(email).map(sha256HexOf);
}

/**
 * A test of emails against a partner's hashes that hashes each distinct spelling once: a
 * whole-base overlap meets the same address in a contact and its shop accounts, and as stored
 * and normalized (which the matching spellings often fold together).
 */
export function emailHashMatcher(wanted: ReadonlySet<string>): (email: string) => boolean {
  const bySpelling = new Map<string, boolean>();
  const spellingMatches = (spelling: string): boolean => {
    let matches = bySpelling.get(spelling);
    if (matches === undefined) bySpelling.set(spelling, (matches = wanted.has(sha256HexOf(spelling))));
    return matches;
  };
  return (email) => matchingSpellings(email).some(spellingMatches);
}
