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

/** Both spellings a partner may have hashed, so either rule matches. */
export function matchingEmailHashes(email: string): ReadonlyArray<string> {
  return [...new Set([sha256HexOf(normalizeEmailForMatching(email, 'google')), sha256HexOf(normalizeEmailForMatching(email, 'meta'))])];
}
