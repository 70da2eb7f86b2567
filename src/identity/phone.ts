import { LRUCache } from 'lru-cache';
import { getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

// The default ('min') metadata validates by number length and leading digits, which
// is enough to reject junk and normalize; 'max' would add per-type patterns at ~4x
// the bundle size for no gain in linking.
const DEFAULT_REGION: CountryCode = 'FR';

// Overseas departments share France's 10-digit national plan: a French source stores
// a Réunion mobile as 0692…, so the national form is a real candidate there.
const FRENCH_NUMBERING_PLAN: ReadonlySet<string> = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'BL', 'MF']);

function regionOrDefault(region: string | undefined): CountryCode {
  const upper = region?.toUpperCase();
  return upper !== undefined && isSupportedCountry(upper) ? upper : DEFAULT_REGION;
}

function parseValid(raw: string, region: CountryCode): PhoneNumber | null {
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed !== undefined && parsed.isValid() ? parsed : null;
}

/** E.164 ('+33612345678') for a valid number; null for junk, partial or invalid input. */
export function normalizePhone(raw: string | null | undefined, defaultRegion?: string): string | null {
  if (raw === null || raw === undefined) return null;
  const s = raw.trim().replace(/^tel:/i, '');
  // libphonenumber extracts a number from free text ("call 06… after 6pm"); a field
  // holding words is not a phone field value we should trust.
  if (s === '' || /\p{L}/u.test(s)) return null;
  const region = regionOrDefault(defaultRegion);
  if (region === 'FR') {
    const fast = frenchFastPath(s);
    if (fast !== undefined) return fast;
  }
  return normalizeWithLibphonenumber(s, region);
}

/** libphonenumber's answer, without the fast path (what `frenchFastPath` is tested equal to). */
export function normalizeWithLibphonenumber(s: string, region: CountryCode): string | null {
  const key = `${region}|${s}`;
  const cached = normalized.get(key);
  if (cached !== undefined) return cached === '' ? null : cached;
  const e164 = parseValid(s, region)?.number ?? null;
  remember(key, e164);
  return e164;
}

// France's plan (the 'min' metadata): national numbers are [1-9] and 8 more digits, all
// valid; national prefix 0, international prefix 00. The spellings French sources hold
// (digits with spaces, dots or dashes; national, +33, 0033 or 33-prefixed) are read here
// without a parse, as libphonenumber reads them (tests/unit/identity-phone-fast.test.ts
// compares both on every spelling the demo generator writes and on every leading digit);
// anything else, or any doubt, goes to libphonenumber.
const FRENCH_SPELLING = /^\+?[0-9](?:[0-9 .-]*[0-9])?$/;

/** E.164 for a common French spelling under region FR; undefined when the spelling is not one (libphonenumber decides). */
export function frenchFastPath(s: string): string | undefined {
  if (s.length > 24 || !FRENCH_SPELLING.test(s)) return undefined;
  const plus = s.charCodeAt(0) === 43;
  let d = '';
  for (let i = plus ? 1 : 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d += s[i];
  }
  const significant = (from: number) => (d.charCodeAt(from) !== 48 ? `+33${d.slice(from)}` : undefined);
  if (plus) return d.length === 11 && d.startsWith('33') ? significant(2) : undefined;
  if (d.length === 10 && d.charCodeAt(0) === 48) return significant(1);
  if (d.length === 13 && d.startsWith('0033')) return significant(4);
  if (d.length === 11 && d.startsWith('33')) return significant(2);
  if (d.length === 9) return significant(0);
  return undefined;
}

const FRENCH_E164 = /^\+33[1-9][0-9]{8}$/;

/** The national (significant) number of an E.164 number: '+33612345678' → '612345678'; undefined when not a valid one. */
export function nationalNumberOf(e164: string): string | undefined {
  if (FRENCH_E164.test(e164)) return e164.slice(3);
  return parsePhoneNumberFromString(e164)?.nationalNumber;
}

// Every resolver of a customer (links, golden phone, provenance, data quality) normalizes
// the same few numbers; a libphonenumber parse is the gateway's costliest pure step
// (bench/README.md profile), so results are kept, up to a bound that keeps memory flat.
// An LRU (lru-cache): evicting by hand from the front of a Map costs a scan over its
// tombstones per eviction, which made a bulk link of 150k distinct numbers seconds slower.
const MAX_CACHED_NUMBERS = 20_000;
/** E.164, or '' for a value that is no valid number (the cache holds no null). */
const normalized = new LRUCache<string, string>({ max: MAX_CACHED_NUMBERS });

function remember(key: string, e164: string | null): void {
  normalized.set(key, e164 ?? '');
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
  if (FRENCH_E164.test(e164) && FRENCH_NUMBERING_PLAN.has(regionOrDefault(defaultRegion))) return computeDigitCandidates(e164, defaultRegion);
  const key = `${regionOrDefault(defaultRegion)}|${e164}`;
  let candidates = digitCandidates.get(key);
  if (candidates === undefined) {
    candidates = computeDigitCandidates(e164, defaultRegion);
    digitCandidates.set(key, candidates);
  }
  return [...candidates];
}

const digitCandidates = new LRUCache<string, ReadonlyArray<string>>({ max: MAX_CACHED_NUMBERS });

function computeDigitCandidates(e164: string, defaultRegion?: string): string[] {
  const region = regionOrDefault(defaultRegion);
  if (FRENCH_NUMBERING_PLAN.has(region) && FRENCH_E164.test(e164)) {
    // A French number (country FR, national format 0 and the 9 digits) under a French plan region.
    const international = e164.slice(1);
    const national = `0${e164.slice(3)}`;
    return [international, `00${international}`, national, `330${e164.slice(3)}`, `00330${e164.slice(3)}`];
  }
  return computeWithLibphonenumber(e164, region);
}

/** The candidates as libphonenumber computes them (what the French fast path above is tested equal to). */
export function computeWithLibphonenumber(e164: string, region: CountryCode): string[] {
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
