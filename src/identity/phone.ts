import {
  getCountryCallingCode,
  isSupportedCountry,
  Metadata,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

// The default ('min') metadata validates by number length and leading digits, which
// is enough to reject junk and normalize; 'max' would add per-type patterns at ~4x
// the bundle size for no gain in linking.
const DEFAULT_REGION: CountryCode = 'FR';

// Overseas departments share France's 10-digit national plan: a French source stores
// a Réunion mobile as 0692…, so the national form is a real candidate there.
const FRENCH_NUMBERING_PLAN: ReadonlySet<string> = new Set([
  'FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'BL', 'MF',
]);

function regionOrDefault(region: string | undefined): CountryCode {
  const upper = region?.toUpperCase();
  return upper !== undefined && isSupportedCountry(upper) ? upper : DEFAULT_REGION;
}

function parseValid(raw: string, region: CountryCode): PhoneNumber | null {
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed !== undefined && parsed.isValid() ? parsed : null;
}

/** E.164 ('+33612345678') for a valid number; null for junk, partial or invalid input. */
export function normalizePhone(
  raw: string | null | undefined,
  defaultRegion?: string,
): string | null {
  if (raw === null || raw === undefined) return null;
  const s = raw.trim().replace(/^tel:/i, '');
  // libphonenumber extracts a number from free text ("call 06… after 6pm"); a field
  // holding words is not a phone field value we should trust.
  if (s === '' || /\p{L}/u.test(s)) return null;
  const region = regionOrDefault(defaultRegion);
  const key = `${region}|${s}`;
  const cached = normalized.get(key);
  if (cached !== undefined) return cached;
  const e164 = parseValid(s, region)?.number ?? null;
  remember(key, e164);
  return e164;
}

// Every resolver of a customer (links, golden phone, provenance, data quality) normalizes
// the same few numbers; a libphonenumber parse is the gateway's costliest pure step
// (bench/README.md profile), so results are kept, up to a bound that keeps memory flat.
const MAX_CACHED_NUMBERS = 20_000;
const normalized = new Map<string, string | null>();

function remember(key: string, e164: string | null): void {
  if (normalized.size >= MAX_CACHED_NUMBERS) normalized.delete(normalized.keys().next().value as string);
  normalized.set(key, e164);
}

/**
 * The digit-only spellings a source may hold for one number, for matching on
 * digits-only columns: international without '+', with the '00' prefix (and the
 * region's own international prefix when it differs, e.g. '011' from the US), and the
 * national form with its trunk prefix as the region dials it ('0612345678').
 * The national form is only offered when the number belongs to `defaultRegion`'s
 * numbering plan: a Belgian '0470123456' in a French source is a French number.
 * [] when `e164` is not a valid number.
 */
export function phoneDigitCandidates(e164: string, defaultRegion?: string): string[] {
  const key = `${regionOrDefault(defaultRegion)}|${e164}`;
  let candidates = digitCandidates.get(key);
  if (candidates === undefined) {
    candidates = computeDigitCandidates(e164, defaultRegion);
    if (digitCandidates.size >= MAX_CACHED_NUMBERS) digitCandidates.delete(digitCandidates.keys().next().value as string);
    digitCandidates.set(key, candidates);
  }
  return [...candidates];
}

const digitCandidates = new Map<string, ReadonlyArray<string>>();

function computeDigitCandidates(e164: string, defaultRegion?: string): string[] {
  const region = regionOrDefault(defaultRegion);
  const parsed = parseValid(e164, region);
  if (parsed === null) return [];

  const international = `${parsed.countryCallingCode}${parsed.nationalNumber}`;
  const candidates = [international, `00${international}`];

  const metadata = new Metadata();
  metadata.selectNumberingPlan(region);
  const idd = metadata.numberingPlan?.IDDPrefix() ?? '';
  if (/^\d+$/.test(idd) && idd !== '00') candidates.push(`${idd}${international}`);

  if (sharesNationalPlan(parsed, region)) {
    // The national format already applies the trunk prefix only where the country
    // dials it (FR '0', RU '8'; none for the US or Italy).
    const national = parsed.formatNational().replace(/\D/g, '');
    candidates.push(national);
    // "+33 (0)6 12 34 56 78": the trunk prefix kept after the country code, as French
    // letterheads print it; its digits are the international form with the 0 in.
    if (national.startsWith('0') && !parsed.nationalNumber.startsWith('0')) {
      candidates.push(`${parsed.countryCallingCode}0${parsed.nationalNumber}`, `00${parsed.countryCallingCode}0${parsed.nationalNumber}`);
    }
  }
  return [...new Set(candidates)];
}

function sharesNationalPlan(phone: PhoneNumber, region: CountryCode): boolean {
  const country = phone.country;
  const bothFrench = FRENCH_NUMBERING_PLAN.has(region) && FRENCH_NUMBERING_PLAN.has(country ?? '');
  if (bothFrench) return true;
  return phone.countryCallingCode === getCountryCallingCode(region);
}
