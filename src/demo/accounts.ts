/**
 * Business customers: CRM accounts with valid SIREN/SIRET, each with a switchboard phone and a
 * mail domain that their people share. The registry entries (./registry.ts) are built from these.
 */
import type { DemoAccount } from './world-types.js';
import { CITY_WEIGHTS, STREET_NAMES, type FrenchCity } from './data/french-people.js';
import { COMPANY_NAME_STEMS, NAF_ACTIVITIES, type NafActivity } from './data/companies.js';
import { asciiFold, landlineNumber, newSiren, siretOf } from './identifiers.js';
import { DAY_MILLIS, type Random } from './random.js';

export interface AccountSeed {
  readonly account: DemoAccount;
  readonly naf: NafActivity;
  /** e.g. "hotel-lumiere.fr"; the people of the account have their e-mail there. */
  readonly domain: string;
  /** National 10-digit number of the company's switchboard. */
  readonly switchboard: string;
  readonly city: FrenchCity;
  readonly postcode: string;
  readonly street: string;
}

/** `phoneSalt` is the people's number plan's, so that switchboards never equal a person's line. */
export function generateAccounts(random: Random, count: number, asOfMillis: number, phoneSalt: number): AccountSeed[] {
  const sirens = new Set<string>();
  const names = new Set<string>();
  const seeds: AccountSeed[] = [];
  for (let i = 0; i < count; i++) {
    const naf = random.pick(NAF_ACTIVITIES);
    const city = random.weighted(CITY_WEIGHTS);
    const name = uniqueName(`${naf.nameKind} ${random.pick(COMPANY_NAME_STEMS)}`, city.name, names);
    const siren = newSiren(random, sirens);
    // Most businesses buy from their head office; some from a secondary establishment.
    const siret = siretOf(siren, random.chance(0.8) ? 1 : random.int(2, 40));
    const createdMillis = random.millisBetween(asOfMillis - 8 * 365 * DAY_MILLIS, asOfMillis - 90 * DAY_MILLIS);
    seeds.push({
      account: {
        id: i + 1,
        name,
        siren,
        siret,
        industry: naf.industry,
        createdAt: new Date(createdMillis).toISOString(),
        updatedAt: random.dateBetween(createdMillis, asOfMillis),
      },
      naf,
      domain: `${asciiFold(name.replaceAll(' ', '-').replaceAll("'", '-'))}.fr`,
      // Indexes past the people's keep the plan's permutation injective across both.
      switchboard: landlineNumber(90_000_000 + i, city.landline, phoneSalt),
      city,
      postcode: random.pick(city.postcodes),
      street: `${random.int(1, 120)} ${random.pick(['rue', 'avenue', 'boulevard', 'place'])} ${random.pick(STREET_NAMES)}`,
    });
  }
  return seeds;
}

function uniqueName(base: string, city: string, taken: Set<string>): string {
  let name = taken.has(base) ? `${base} ${city}` : base;
  for (let n = 2; taken.has(name); n++) name = `${base} ${city} ${n}`;
  taken.add(name);
  return name;
}
