/**
 * Company-registry enrichment: Account.company, looked up by SIREN. The identifiers come
 * from the CRM, so they are checked (Luhn) before any call: a typo'd SIRET would spend the
 * registry's small quota on a lookup that can only miss or, worse, find another company.
 */
import type { JsonValue, Row } from '../../connectors/contract.js';
import type { AccountResolvers, CompanyFinances, CompanyResolvers, Executive } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { badUserInput } from '../errors/codes.js';
import { isValidSiren, isValidSiret, sirenOfSiret } from '../identity/siren.js';
import { projectionFor, selectedFieldNames } from '../loading/selection.js';
import type { FieldNeeds } from '../loading/selection.js';
import { needsOf } from './bindings.js';
import { enumValue, num, str } from './rows.js';

export const COMPANY_NEEDS: FieldNeeds = needsOf('Company');

const compact = (value: string) => value.replace(/[\s.\u00a0-]/g, '');

/**
 * The SIREN to look up, null when the account has neither SIREN nor SIRET. Throws
 * BAD_USER_INPUT when either is present and invalid: both are checked, so a bad SIRET
 * is reported even when the SIREN beside it is fine.
 */
export function sirenOfAccount(account: Row): string | null {
  const siren = present(str(account, 'siren'));
  const siret = present(str(account, 'siret'));
  if (siren !== null && !isValidSiren(siren)) throw badUserInput(`the account's SIREN "${siren}" is not a valid SIREN (9 digits, Luhn check)`);
  if (siret !== null && !isValidSiret(siret)) throw badUserInput(`the account's SIRET "${siret}" is not a valid SIRET (14 digits, Luhn check)`);
  return siren ?? (siret === null ? null : sirenOfSiret(siret));
}

function present(value: string | null): string | null {
  if (value === null) return null;
  const digits = compact(value);
  return digits === '' ? null : digits;
}

export const enrichmentAccountResolvers: Pick<AccountResolvers<RequestContext>, 'company'> = {
  company: async (account, _args, ctx, info) => {
    const siren = sirenOfAccount(account);
    if (siren === null || !ctx.loaders.isMapped('company')) return null;
    const rows = await ctx.loaders.load('company', siren, {
      keyField: 'siren',
      projection: projectionFor(selectedFieldNames(info), COMPANY_NEEDS, ['siren']),
    });
    const row = rows[0];
    return row === undefined ? null : { row, fetchedAt: new Date().toISOString() };
  },
};

function objectsOf(value: JsonValue | undefined): Row[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Row => item !== null && typeof item === 'object' && !Array.isArray(item));
}

function latestFinances(row: Row): CompanyFinances | null {
  let latest: CompanyFinances | null = null;
  for (const year of objectsOf(row.finances)) {
    const finances = { year: num(year, 'year'), revenue: num(year, 'revenue'), netIncome: num(year, 'netIncome') };
    if (finances.year !== null && (latest?.year == null || finances.year > latest.year)) latest = finances;
  }
  return latest;
}

export const companyResolvers: CompanyResolvers<RequestContext> = {
  siren: ({ row }) => String(row.siren),
  siret: ({ row }) => str(row, 'siret'),
  legalName: ({ row }) => str(row, 'legalName'),
  nafCode: ({ row }) => str(row, 'nafCode'),
  nafLabel: ({ row }) => str(row, 'nafLabel'),
  headcountBand: ({ row }) => str(row, 'headcountBand'),
  executives: ({ row }): Executive[] =>
    objectsOf(row.executives).map((person) => ({ firstName: str(person, 'firstName'), lastName: str(person, 'lastName'), role: str(person, 'role') })),
  creationDate: ({ row }) => str(row, 'creationDate'),
  state: ({ row }) => enumValue(row, 'state', ['ACTIVE', 'CLOSED'] as const),
  closedDate: ({ row }) => str(row, 'closedDate'),
  // The registry gives no country; leaving it null is truer than guessing France.
  headOffice: ({ row }) => {
    const address = { street: str(row, 'street'), postcode: str(row, 'postcode'), city: str(row, 'city'), country: null };
    return address.street === null && address.postcode === null && address.city === null ? null : address;
  },
  latestFinances: ({ row }) => latestFinances(row),
  fetchedAt: ({ fetchedAt }) => fetchedAt,
};
