/**
 * One real person, and how the CRM and the shop each typed them in. The two copies differ the
 * way real ones do (e-mail case and spaces, phone formats, abbreviations, missing and junk
 * values), but a copy in both systems always keeps one deterministic key that still matches.
 */
import {
  CITY_WEIGHTS,
  EMAIL_DOMAINS,
  FEMALE_FIRST_NAMES,
  JUNK_EMAILS,
  JUNK_PHONES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  PARTICLES,
  PARTICLE_NAMES,
  STREET_NAMES,
  STREET_TYPES,
  type FrenchCity,
} from './data/french-people.js';
import { emailLocalPart, formatPhone, landlineNumber, mobileNumber, typeEmail, type EmailVariant, type PhoneFormat } from './identifiers.js';
import { DAY_MILLIS, type Random } from './random.js';

export interface PersonIdentity {
  readonly firstName: string;
  readonly lastName: string;
  /** Canonical (lower-case, trimmed) address; unique among real people. */
  readonly email: string;
  /** National 10-digit mobile, unique among real people. */
  readonly mobile: string;
  readonly landline: string | null;
  readonly city: FrenchCity;
  readonly postcode: string;
  readonly streetNumber: string;
  readonly streetType: readonly [string, string];
  readonly streetName: string;
  readonly birthDate: string;
}

/** Shared state of one generation: e-mails already handed out, salts of the number plans. */
export interface IdentityPool {
  readonly emails: Set<string>;
  readonly phoneSalt: number;
  next: number;
}

export function createIdentityPool(random: Random): IdentityPool {
  return { emails: new Set(), phoneSalt: random.int(0, 99_999_999), next: 0 };
}

export function drawLastName(random: Random): string {
  const roll = random.next();
  if (roll < 0.03) {
    const particle = random.pick(PARTICLES);
    const name = random.pick(PARTICLE_NAMES);
    return particle.endsWith("'") ? `${particle}${name}` : `${particle} ${name}`;
  }
  if (roll < 0.07) return `${random.pick(LAST_NAMES)}-${random.pick(LAST_NAMES)}`;
  return random.pick(LAST_NAMES);
}

export function drawPerson(random: Random, pool: IdentityPool, asOfMillis: number, emailDomain?: string): PersonIdentity {
  const index = pool.next++;
  const firstName = random.chance(0.5) ? random.pick(FEMALE_FIRST_NAMES) : random.pick(MALE_FIRST_NAMES);
  const lastName = drawLastName(random);
  const domain = emailDomain ?? random.weighted(EMAIL_DOMAINS);
  let local = emailLocalPart(random, firstName, lastName);
  while (pool.emails.has(`${local}@${domain}`)) local = `${local}${random.int(0, 9)}`;
  const email = `${local}@${domain}`;
  pool.emails.add(email);
  const city = random.weighted(CITY_WEIGHTS);
  const birthMillis = random.millisBetween(asOfMillis - 80 * 365 * DAY_MILLIS, asOfMillis - 19 * 365 * DAY_MILLIS);
  return {
    firstName,
    lastName,
    email,
    mobile: mobileNumber(index, pool.phoneSalt),
    landline: random.chance(0.35) ? landlineNumber(index, city.landline, pool.phoneSalt) : null,
    city,
    postcode: random.pick(city.postcodes),
    streetNumber: random.chance(0.08) ? `${random.int(1, 60)} bis` : String(random.int(1, 180)),
    streetType: random.pick(STREET_TYPES),
    streetName: random.pick(STREET_NAMES),
    birthDate: new Date(birthMillis).toISOString().slice(0, 10),
  };
}

/** The e-mail as one system holds it: typed with some variant, missing, or a junk placeholder. */
export function typedEmail(
  random: Random,
  email: string,
  variants: ReadonlyArray<readonly [EmailVariant, number]>,
  missing: number,
  junk: number,
): string | null {
  const roll = random.next();
  if (roll < missing) return null;
  if (roll < missing + junk) return random.pick(JUNK_EMAILS);
  return typeEmail(email, random.weighted(variants));
}

export function typedPhone(
  random: Random,
  nationalDigits: string | null,
  formats: ReadonlyArray<readonly [PhoneFormat, number]>,
  missing: number,
  junk: number,
): string | null {
  const roll = random.next();
  if (nationalDigits === null || roll < missing) return null;
  if (roll < missing + junk) return random.pick(JUNK_PHONES);
  return formatPhone(nationalDigits, random.weighted(formats));
}

/** CRM users mostly type clean values; they capitalize e-mails now and then. */
export const CRM_EMAIL_VARIANTS: ReadonlyArray<readonly [EmailVariant, number]> = [
  ['same', 90],
  ['capitalized', 10],
];

/** Shoppers type their e-mail on phones, with auto-capitalization and stray spaces. */
export const SHOP_EMAIL_VARIANTS: ReadonlyArray<readonly [EmailVariant, number]> = [
  ['same', 45],
  ['capitalized', 18],
  ['upper', 7],
  ['spaces', 12],
  ['spaces_and_case', 18],
];

export const CRM_PHONE_FORMATS: ReadonlyArray<readonly [PhoneFormat, number]> = [
  ['spaced', 70],
  ['international_spaced', 15],
  ['compact', 15],
];

export const SHOP_PHONE_FORMATS: ReadonlyArray<readonly [PhoneFormat, number]> = [
  ['spaced', 20],
  ['international_spaced', 20],
  ['double_zero', 15],
  ['dotted', 15],
  ['compact', 15],
  ['e164', 15],
];

export function streetLine(person: PersonIdentity, abbreviation: 0 | 1): string {
  return `${person.streetNumber} ${person.streetType[abbreviation]} ${person.streetName}`;
}

/** A typo of a name: two letters swapped or a letter doubled, never the same spelling. */
export function misspell(random: Random, name: string): string {
  if (name.length < 4) return `${name}${name.charAt(name.length - 1)}`;
  const at = random.int(1, name.length - 3);
  const swapped = name.slice(0, at) + name.charAt(at + 1) + name.charAt(at) + name.slice(at + 2);
  if (random.chance(0.5) && swapped.toLowerCase() !== name.toLowerCase()) return swapped;
  return name.slice(0, at) + name.charAt(at) + name.slice(at);
}

/** How a shop form stores a name: sometimes all caps, sometimes without accents. */
export function shopName(random: Random, name: string): string {
  const roll = random.next();
  if (roll < 0.1) return name.toUpperCase();
  if (roll < 0.18) return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return name;
}
