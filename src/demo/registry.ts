/**
 * The company registry's view of the business customers (as recherche-entreprises serves it):
 * legal name in capitals, NAF activity, INSEE headcount band, executives and finances. A few
 * companies have closed since the CRM filed them.
 */
import type { DemoCompany } from './world-types.js';
import type { AccountSeed } from './accounts.js';
import { EXECUTIVE_ROLES, HEADCOUNT_BANDS, LEGAL_FORMS } from './data/companies.js';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES } from './data/french-people.js';
import { drawLastName } from './person-identity.js';
import { DAY_MILLIS, type Random } from './random.js';

/** Typical revenue per band, in euros, to keep finances in proportion to headcount. */
const REVENUE_BY_BAND: Readonly<Record<string, number>> = {
  '00': 120_000,
  '01': 250_000,
  '02': 450_000,
  '03': 800_000,
  '11': 1_600_000,
  '12': 4_000_000,
  '21': 9_000_000,
  '22': 18_000_000,
  '31': 30_000_000,
  '32': 55_000_000,
  '41': 110_000_000,
};

export function generateCompanies(random: Random, accounts: ReadonlyArray<AccountSeed>, asOfMillis: number): DemoCompany[] {
  const asOfYear = new Date(asOfMillis).getUTCFullYear();
  return accounts.map((seed, index) => {
    const createdMillis = Date.parse(seed.account.createdAt);
    const creationMillis = random.millisBetween(createdMillis - 25 * 365 * DAY_MILLIS, createdMillis - 30 * DAY_MILLIS);
    // The second account is always closed so that small worlds show the case too.
    const closed = index === 1 || (index > 1 && random.chance(0.05));
    const closedMillis = closed ? random.millisBetween(createdMillis, asOfMillis - DAY_MILLIS) : null;
    const band = random.weighted(HEADCOUNT_BANDS);
    const lastYear = closedMillis === null ? asOfYear - 1 : new Date(closedMillis).getUTCFullYear() - 1;
    const firstYear = Math.max(new Date(creationMillis).getUTCFullYear(), lastYear - 2);
    const finances: Array<{ year: number; revenue: number; netIncome: number }> = [];
    const baseRevenue = (REVENUE_BY_BAND[band] ?? 500_000) * random.float(0.6, 1.4);
    for (let year = firstYear; year <= lastYear; year++) {
      const revenue = Math.round(baseRevenue * (1 + (year - firstYear) * random.float(-0.05, 0.12)));
      finances.push({ year, revenue, netIncome: Math.round(revenue * random.float(-0.06, 0.12)) });
    }
    const executives = Array.from({ length: random.int(1, 3) }, (_, n) => ({
      firstName: random.chance(0.45) ? random.pick(FEMALE_FIRST_NAMES) : random.pick(MALE_FIRST_NAMES),
      lastName: drawLastName(random).toUpperCase(),
      role: n === 0 ? random.pick(EXECUTIVE_ROLES.slice(0, 3)) : random.pick(EXECUTIVE_ROLES),
    }));
    return {
      siren: seed.account.siren,
      siret: seed.account.siret,
      legalName: `${seed.account.name.toUpperCase()} ${random.weighted(LEGAL_FORMS)}`,
      nafCode: seed.naf.code,
      nafLabel: seed.naf.label,
      headcountBand: band,
      creationDate: new Date(creationMillis).toISOString().slice(0, 10),
      state: closed ? 'C' : 'A',
      closedDate: closedMillis === null ? null : new Date(closedMillis).toISOString().slice(0, 10),
      address: { street: seed.street.toUpperCase(), postcode: seed.postcode, city: seed.city.name.toUpperCase() },
      executives,
      finances,
    };
  });
}
