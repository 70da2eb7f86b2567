import { LRUCache } from 'lru-cache';
import { normalizeEmail } from './email.js';
import { nationalNumberOf, normalizePhone } from './phone.js';

/** The identifier kinds the deterministic linker matches on. */
export type IdentifierKind = 'email' | 'phone' | 'siret' | 'externalId';

/**
 * Values that many unrelated people share because a form required something: linking
 * on them would merge strangers into one customer. Data, so operators can read it and
 * add to it (the `extra` argument of {@link isJunkIdentifier}).
 */
export const DEFAULT_BLOCKLIST = {
  /** Whole values that mean "nothing" in any field, compared lower-cased. */
  placeholders: [
    '',
    '-',
    '.',
    '0',
    '-1',
    'n/a',
    'na',
    'nc',
    'null',
    'undefined',
    'none',
    'nil',
    'unknown',
    'inconnu',
    'inconnue',
    'aucun',
    'aucune',
    'nomail',
    'no mail',
    'pas de mail',
    'non renseigne',
    'non communique',
    'test',
    'xxx',
  ],
  /** Email local parts that are placeholders whatever the domain. */
  emailLocalParts: [
    'noemail',
    'no-email',
    'no.email',
    'no_email',
    'nomail',
    'no-mail',
    'no.mail',
    'pasdemail',
    'pas-de-mail',
    'noreply',
    'no-reply',
    'no.reply',
    'no_reply',
    'donotreply',
    'do-not-reply',
    'nepasrepondre',
    'ne-pas-repondre',
    'none',
    'null',
    'nobody',
    'inconnu',
    'inconnue',
    'aucun',
    'test',
    'tests',
    'testing',
    'email',
    'nom',
    'nom.prenom',
    'prenom.nom',
  ],
  /** Domains that never receive mail: RFC 2606 reserved names and common fakes. */
  emailDomains: [
    'example.com',
    'example.org',
    'example.net',
    'example.fr',
    'test.com',
    'test.fr',
    'test.org',
    // mail.com and email.com are real providers, so they are not listed.
    'domain.com',
    'domaine.fr',
    'nomail.com',
    'noemail.com',
    'none.com',
    'inconnu.fr',
    'xxx.com',
    'xxx.fr',
  ],
  /** Top-level labels reserved by RFC 2606 / RFC 6761. */
  emailReservedTlds: ['test', 'example', 'invalid', 'localhost', 'local'],
  /** Shortest ascending/descending digit run that counts as typed to get past a form. */
  minSequenceLength: 6,
} as const;

/**
 * True when `normalized` is a value that must not link records: a placeholder, a
 * repeated or sequential filler, or one of the operator's `extra` values (compared
 * after normalizing them for `kind`).
 */
export function isJunkIdentifier(kind: IdentifierKind, normalized: string, extra: ReadonlyArray<string> = []): boolean {
  const value = normalized.trim();
  if (isPlaceholder(value)) return true;
  if (matchesExtra(kind, value, extra)) return true;
  switch (kind) {
    case 'email':
      return isJunkEmail(value.toLowerCase());
    case 'phone':
      return isJunkPhone(value);
    case 'siret':
      return isFillerDigits(value.replace(/[\s.]/g, ''));
    case 'externalId':
      return isRepeatedChar(value) || /^0+$/.test(value);
    default:
      throw new UnreachableKindError(kind);
  }
}

class UnreachableKindError extends Error {
  constructor(kind: never) {
    super(`Unknown identifier kind: ${String(kind)}`);
  }
}

const PLACEHOLDERS: ReadonlySet<string> = new Set(DEFAULT_BLOCKLIST.placeholders);
const LOCAL_PARTS: ReadonlySet<string> = new Set(DEFAULT_BLOCKLIST.emailLocalParts);
const DOMAINS: ReadonlySet<string> = new Set(DEFAULT_BLOCKLIST.emailDomains);
const RESERVED_TLDS: ReadonlySet<string> = new Set(DEFAULT_BLOCKLIST.emailReservedTlds);

const LONGEST_PLACEHOLDER = Math.max(...DEFAULT_BLOCKLIST.placeholders.map((placeholder) => placeholder.length));
const ASCII = /^[\x00-\x7f]*$/;

function isPlaceholder(value: string): boolean {
  // Folding accents never lengthens a precomposed string and leaves ASCII as it is, so a
  // longer ASCII value (every email, every phone) is no placeholder: no NFD pass for it.
  if (value.length > LONGEST_PLACEHOLDER && ASCII.test(value)) return false;
  const folded = value.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  return PLACEHOLDERS.has(folded);
}

function isJunkEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return true;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  return (
    LOCAL_PARTS.has(local) ||
    DOMAINS.has(domain) ||
    RESERVED_TLDS.has(tld) ||
    // a@a.com, xxx@xxx.fr, zzzz@gmail.com: a single key held down.
    isRepeatedChar(local) ||
    // 123456@…, 000@…: digits typed to get past a required field.
    isFillerDigits(local)
  );
}

// Linking, the golden phone and data quality judge the same few numbers, and judging one
// is a libphonenumber parse: results are kept, up to a bound that keeps memory flat.
// An LRU (lru-cache), not a Map evicted from its front (a scan over tombstones per eviction).
const MAX_JUDGED_PHONES = 20_000;
const judgedPhones = new LRUCache<string, boolean>({ max: MAX_JUDGED_PHONES });

function isJunkPhone(phone: string): boolean {
  let junk = judgedPhones.get(phone);
  if (junk === undefined) {
    junk = judgePhone(phone);
    judgedPhones.set(phone, junk);
  }
  return junk;
}

function judgePhone(phone: string): boolean {
  const digits = phone.replace(/\D/g, '');
  if (digits === '' || isFillerDigits(digits)) return true;
  // Judge the subscriber part: +33 0 00 00 00 00 hides its zeros behind the country code.
  const national = nationalNumberOf(phone.startsWith('+') ? phone : `+${digits}`) ?? digits;
  // 06 00 00 00 00, 06 11 11 11 11: a mobile prefix followed by one repeated digit.
  return isFillerDigits(national) || isRepeatedChar(national.slice(1));
}

/** All one digit, or an ascending/descending run (0123456789, 987654321). */
function isFillerDigits(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  if (isRepeatedChar(digits)) return true;
  if (digits.length < DEFAULT_BLOCKLIST.minSequenceLength) return false;
  return isRun(digits, 1) || isRun(digits, -1);
}

function isRun(digits: string, step: 1 | -1): boolean {
  for (let i = 1; i < digits.length; i += 1) {
    const expected = (Number(digits[i - 1]) + step + 10) % 10;
    if (Number(digits[i]) !== expected) return false;
  }
  return true;
}

function isRepeatedChar(value: string): boolean {
  return value.length > 0 && [...value].every((c) => c === value[0]);
}

// The operator's list is normalized once per list and kind, not on every check: a phone
// normalization is a libphonenumber parse, and linking checks every identifier it reads.
const normalizedExtras = new WeakMap<ReadonlyArray<string>, Map<IdentifierKind, ReadonlySet<string>>>();

function normalizedExtra(kind: IdentifierKind, extra: ReadonlyArray<string>): ReadonlySet<string> {
  let byKind = normalizedExtras.get(extra);
  if (byKind === undefined) {
    byKind = new Map();
    normalizedExtras.set(extra, byKind);
  }
  let set = byKind.get(kind);
  if (set === undefined) {
    set = new Set(extra.map((candidate) => normalizeForKind(kind, candidate)));
    byKind.set(kind, set);
  }
  return set;
}

function matchesExtra(kind: IdentifierKind, value: string, extra: ReadonlyArray<string>): boolean {
  if (extra.length === 0) return false;
  return normalizedExtra(kind, extra).has(normalizeForKind(kind, value));
}

// Operators paste values as they saw them in a source ("06 12 34 56 78",
// "Contact@Shop.fr"), so both sides go through the same normalizer before comparing.
function normalizeForKind(kind: IdentifierKind, value: string): string {
  const trimmed = value.trim();
  switch (kind) {
    case 'email':
      return normalizeEmail(trimmed) ?? trimmed.toLowerCase();
    case 'phone':
      return normalizePhone(trimmed) ?? trimmed.replace(/\D/g, '');
    case 'siret':
      return trimmed.replace(/[\s.]/g, '');
    case 'externalId':
      return trimmed;
    default:
      throw new UnreachableKindError(kind);
  }
}
