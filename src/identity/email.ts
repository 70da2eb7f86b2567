import { createHash } from 'node:crypto';

/** Options for {@link normalizeEmail}. */
export interface NormalizeEmailOptions {
  /**
   * Apply mailbox-provider aliasing rules (gmail.com / googlemail.com: dots and
   * `+tag` in the local part are ignored by Google, and googlemail.com is gmail.com).
   * Off by default: other providers treat dots and `+` as significant, so folding them
   * everywhere would link different people.
   */
  readonly providerRules?: boolean;
}

const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

// Deliberately loose: sources hold what users typed, and RFC 5322 would accept
// addresses no CRM can mail (quoted locals, comments). One @, no spaces, a dotted
// domain whose labels are non-empty.
const PLAUSIBLE_LOCAL = /^[^\s@<>()[\]\\,;:"]+$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

// Addresses share few domains: the verdict per domain is kept (a pure function), up to a bound.
const PLAUSIBLE_DOMAINS = new Map<string, boolean>();
const MAX_REMEMBERED_DOMAINS = 10_000;

function isPlausibleDomain(domain: string): boolean {
  let plausible = PLAUSIBLE_DOMAINS.get(domain);
  if (plausible === undefined) {
    plausible = judgeDomain(domain);
    if (PLAUSIBLE_DOMAINS.size >= MAX_REMEMBERED_DOMAINS) PLAUSIBLE_DOMAINS.clear();
    PLAUSIBLE_DOMAINS.set(domain, plausible);
  }
  return plausible;
}

function judgeDomain(domain: string): boolean {
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && tld.length >= 2 && /\p{L}/u.test(tld);
}

/** Lower-cased, unwrapped address; null when it cannot be an email address. */
export function normalizeEmail(raw: string | null | undefined, options: NormalizeEmailOptions = {}): string | null {
  if (raw === null || raw === undefined) return null;
  let s = raw.trim().toLowerCase();
  // Exports from mail clients carry `<a@b.fr>`, `mailto:a@b.fr` or both.
  for (;;) {
    const before = s;
    if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
    if (s.startsWith('mailto:')) s = s.slice('mailto:'.length).trim();
    if (s === before) break;
  }
  // A trailing dot on the domain is DNS-legal but never stored consistently.
  if (s.endsWith('.')) s = s.slice(0, -1);

  const at = s.indexOf('@');
  if (at < 0 || s.indexOf('@', at + 1) >= 0) return null;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (local === '' || !PLAUSIBLE_LOCAL.test(local)) return null;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  if (!isPlausibleDomain(domain)) return null;

  if (options.providerRules === true && GMAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]?.replace(/\./g, '') ?? '';
    domain = 'gmail.com';
    if (local === '') return null;
  }
  return `${local}@${domain}`;
}

/**
 * Hex SHA-256 of the address as Google Customer Match / Enhanced Conversions expect it;
 * null when the input is not a plausible address.
 *
 * Published rules (Google Ads API "Enhanced conversions" / Campaign Manager 360
 * "Enhanced Conversions" normalization sections, and Customer Match formatting
 * guidelines, support.google.com/google-ads/answer/7476159): remove leading/trailing
 * whitespace, convert to lower case, and remove every '.' preceding the domain in
 * gmail.com and googlemail.com addresses. Google does not ask to drop `+tags` or to
 * rewrite googlemail.com, so neither is done here: a different pre-image would not match.
 * Meta (Conversions API customer information parameters, `em`) asks only for trim and
 * lower case, so for non-Gmail addresses the two hashes are identical; for Gmail
 * addresses sent to Meta, hash `normalizeEmail(raw)` instead.
 */
export function hashEmailForMatching(raw: string): string | null {
  const normalized = normalizeEmail(raw);
  if (normalized === null) return null;
  const at = normalized.lastIndexOf('@');
  const domain = normalized.slice(at + 1);
  const local = GMAIL_DOMAINS.has(domain) ? normalized.slice(0, at).replace(/\./g, '') : normalized.slice(0, at);
  return createHash('sha256').update(`${local}@${domain}`, 'utf8').digest('hex');
}
