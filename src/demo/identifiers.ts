/**
 * Identifiers of the demo world and the ways people mistype them: SIREN/SIRET with valid
 * Luhn keys, e-mail addresses, and French phone numbers in every format found in the wild.
 */
import type { Random } from './random.js';

/** Luhn check over a string of digits (SIREN: 9 digits, SIRET: 14). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The digit that makes `payload + digit` pass Luhn. */
export function luhnCheckDigit(payload: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    if (passesLuhn(payload + String(digit))) return String(digit);
  }
  throw new Error(`no Luhn digit for ${payload}`);
}

/** A SIREN not yet in `taken` (9 digits, Luhn-valid, not starting with 0). */
export function newSiren(random: Random, taken: Set<string>): string {
  for (;;) {
    const payload = String(random.int(1, 9)) + String(random.int(0, 9_999_999)).padStart(7, '0');
    const siren = payload + luhnCheckDigit(payload);
    if (!taken.has(siren)) {
      taken.add(siren);
      return siren;
    }
  }
}

/** The SIRET of an establishment of `siren`: SIREN + 4-digit NIC + a Luhn key over all 14. */
export function siretOf(siren: string, establishment: number): string {
  const payload = siren + String(establishment).padStart(4, '0');
  return payload + luhnCheckDigit(payload);
}

/** Lower-case ASCII, as mail providers fold names into local parts. */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replaceAll('œ', 'oe')
    .replaceAll('Œ', 'Oe')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '');
}

export function emailLocalPart(random: Random, firstName: string, lastName: string): string {
  const first = asciiFold(firstName);
  const last = asciiFold(lastName);
  return random.weighted<string>([
    [`${first}.${last}`, 50],
    [`${first}${last}`, 12],
    [`${first.charAt(0)}.${last}`, 12],
    [`${first}.${last}${random.int(1, 99)}`, 14],
    [`${first}_${last}`, 6],
    [`${last}.${first}`, 6],
  ]);
}

/** How an e-mail typed into another system differs from the canonical one. */
export type EmailVariant = 'same' | 'capitalized' | 'upper' | 'spaces' | 'spaces_and_case';

export function typeEmail(email: string, variant: EmailVariant): string {
  switch (variant) {
    case 'same':
      return email;
    case 'capitalized':
      return capitalizeEmail(email);
    case 'upper':
      return email.toUpperCase();
    case 'spaces':
      return ` ${email} `;
    case 'spaces_and_case':
      return ` ${capitalizeEmail(email)} `;
    default: {
      const unreachable: never = variant;
      throw new Error(`unknown e-mail variant ${String(unreachable)}`);
    }
  }
}

/** "marie.dupont@gmail.com" -> "Marie.Dupont@Gmail.com", as phone keyboards do it. */
function capitalizeEmail(email: string): string {
  const at = email.indexOf('@');
  const local = email.slice(0, at).replace(/(^|[._-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
  const domain = email.slice(at + 1);
  return `${local}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
}

/** The formats French phone numbers are typed in. */
export type PhoneFormat = 'spaced' | 'international_spaced' | 'double_zero' | 'dotted' | 'compact' | 'e164';

export const PHONE_FORMATS: ReadonlyArray<PhoneFormat> = ['spaced', 'international_spaced', 'double_zero', 'dotted', 'compact', 'e164'];

/** `nationalDigits` is the 10-digit national form, e.g. "0612345678". */
export function formatPhone(nationalDigits: string, format: PhoneFormat): string {
  const pairs = nationalDigits.match(/\d\d/g) ?? [];
  const subscriber = nationalDigits.slice(1);
  switch (format) {
    case 'spaced':
      return pairs.join(' ');
    case 'international_spaced':
      return `+33 ${subscriber.charAt(0)} ${(subscriber.slice(1).match(/\d\d/g) ?? []).join(' ')}`;
    case 'double_zero':
      return `0033${subscriber}`;
    case 'dotted':
      return pairs.join('.');
    case 'compact':
      return nationalDigits;
    case 'e164':
      return `+33${subscriber}`;
    default: {
      const unreachable: never = format;
      throw new Error(`unknown phone format ${String(unreachable)}`);
    }
  }
}

/**
 * The index-th distinct mobile number: an affine permutation of the 8 subscriber digits, so
 * that 100k people get distinct numbers without a set of the ones already handed out.
 */
export function mobileNumber(index: number, salt: number): string {
  const subscriber = (index * 7_919_113 + salt) % 100_000_000;
  return (index % 3 === 0 ? '07' : '06') + String(subscriber).padStart(8, '0');
}

/** The index-th distinct landline under `prefix`; a different permutation from mobiles'. */
export function landlineNumber(index: number, prefix: string, salt: number): string {
  return prefix + String((index * 3_141_597 + salt + 50_000_000) % 100_000_000).padStart(8, '0');
}

/** Trimmed, lower-case: the form two typed e-mails are compared in. */
export function normalizeDemoEmail(raw: string | null): string | null {
  const email = raw?.trim().toLowerCase() ?? '';
  return email === '' ? null : email;
}

/** The 10-digit national form of a French number typed in any format, or null. */
export function normalizeDemoPhone(raw: string | null): string | null {
  let digits = (raw ?? '').replace(/\D/g, '');
  if (digits.startsWith('0033')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('33') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return digits.length === 10 ? digits : null;
}
