import { describe, expect, it } from '@jest/globals';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { generatePeople } from '../../src/demo/people.js';
import { createRandom } from '../../src/demo/random.js';
import {
  computeWithLibphonenumber,
  frenchFastPath,
  nationalNumberOf,
  normalizePhone,
  normalizeWithLibphonenumber,
  phoneDigitCandidates,
} from '../../src/identity/phone.js';
import { isJunkIdentifier } from '../../src/identity/blocklist.js';

/** As normalizePhone prepares a value before parsing it. */
const prepared = (raw: string) => raw.trim().replace(/^tel:/i, '');

/** Every phone and mobile the demo generator writes for 4,000 customers (typos and junk included). */
function demoSpellings(): string[] {
  const people = generatePeople(createRandom(2026, 'phones'), 4_000, Date.UTC(2026, 0, 1));
  const values = [...people.contacts.flatMap((contact) => [contact.phone, contact.mobile]), ...people.shopCustomers.map((shop) => shop.phone)];
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}

/** Every leading pair of digits of a 10-digit national number, written in each spelling and a few near-misses. */
function systematicSpellings(): string[] {
  const random = createRandom(15, 'spellings');
  const out: string[] = [];
  for (let lead = 0; lead < 100; lead++) {
    for (let sample = 0; sample < 3; sample++) {
      const rest = String(Math.floor(random.next() * 1e8)).padStart(8, '0');
      const national = `${String(lead).padStart(2, '0')}${rest}`; // "0612345678", "1612345678", "0012345678"…
      const subscriber = national.slice(1);
      const pairs = national.match(/\d\d/g)!;
      out.push(
        national,
        pairs.join(' '),
        pairs.join('.'),
        pairs.join('-'),
        `  ${pairs.join(' ')} `,
        `+33${subscriber}`,
        `+33 ${subscriber.charAt(0)} ${subscriber.slice(1).match(/\d\d/g)!.join(' ')}`,
        `0033${subscriber}`,
        `0033 ${subscriber}`,
        `33${subscriber}`,
        subscriber,
        `+33${national}`,
        `0033${national}`,
        `33${national}`,
        `+${national}`,
        `+3${subscriber}`,
        `+333${subscriber}`,
        national.slice(0, 9),
        `${national}1`,
        subscriber.slice(0, 8),
        `${subscriber}12`,
        `00${national}`,
        `+33 (0)${subscriber}`,
        `0${national}`,
        `${pairs.join(' ')} .`,
        `-${national}`,
        `+ 33${subscriber}`,
        `+33--${subscriber}`,
        `${pairs.join('  ')}`,
        `tel:${national}`,
        `+262${subscriber}`,
        `+590${subscriber}`,
        `+32${subscriber}`,
        `+44${subscriber}1`,
        `001${subscriber}1`,
      );
    }
  }
  return [...new Set(out)];
}

describe('the French fast path of normalizePhone', () => {
  const demo = demoSpellings();
  const spellings = [...new Set([...demo, ...systematicSpellings()])];

  it('answers as libphonenumber on every spelling the demo writes and on every leading digit pair', () => {
    const differ = spellings.filter((raw) => normalizePhone(raw) !== normalizeWithLibphonenumber(prepared(raw), 'FR'));
    expect(differ).toEqual([]);
    const fast = spellings.filter((raw) => frenchFastPath(prepared(raw)) !== undefined);
    const wrongFast = fast.filter((raw) => frenchFastPath(prepared(raw)) !== normalizeWithLibphonenumber(prepared(raw), 'FR'));
    expect(wrongFast).toEqual([]);
    expect(spellings.length).toBeGreaterThan(5_000);
  });

  it('takes the fast path for nearly every number the demo writes, and is not used for another region', () => {
    const fast = demo.filter((raw) => frenchFastPath(prepared(raw)) !== undefined);
    expect(fast.length).toBeGreaterThan(0.95 * demo.length);
    // A Belgian default region is libphonenumber's: "0470…" is Belgian there.
    expect(normalizePhone('0470 12 34 56', 'BE')).toBe('+32470123456');
    expect(normalizePhone('0612345678', 'RE')).toBe(normalizeWithLibphonenumber('0612345678', 'RE'));
  });

  it('gives libphonenumber digit candidates, national number and junk verdict for every French number, in every region of the French plan and elsewhere', () => {
    const numbers = [...new Set(spellings.map((raw) => normalizePhone(raw)).filter((e164): e164 is string => e164 !== null))];
    expect(numbers.filter((e164) => e164.startsWith('+33')).length).toBeGreaterThan(1_000);
    for (const region of ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'BL', 'MF', 'BE', 'US'] as CountryCode[]) {
      const differ = numbers.filter((e164) => JSON.stringify(phoneDigitCandidates(e164, region)) !== JSON.stringify(computeWithLibphonenumber(e164, region)));
      expect({ region, differ }).toEqual({ region, differ: [] });
    }
    expect(numbers.filter((e164) => nationalNumberOf(e164) !== parsePhoneNumberFromString(e164)?.nationalNumber)).toEqual([]);
    // Fillers behind the country code are still junk.
    expect(isJunkIdentifier('phone', '+33600000000')).toBe(true);
    expect(isJunkIdentifier('phone', '+33611111111')).toBe(true);
    expect(isJunkIdentifier('phone', '+33612345678')).toBe(false);
  });
});
