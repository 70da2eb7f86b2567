/** CRM types: rows read as the CRM holds them, enums checked against the canonical set. */
import type { AccountResolvers, ConsentResolvers, ContactResolvers, InteractionResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { addressOf } from '../identity/golden.js';
import { enumValue, str } from './rows.js';

/*
 * Fields that show a canonical field of the same name as it is, outside any field policy,
 * have no resolver: graphql-jit inlines the default read (see src/resolvers/commerce.ts,
 * tests/unit/commerce-plain-fields.test.ts). Personal fields keep theirs under @pii.
 */
export const contactResolvers: ContactResolvers<RequestContext> = {
  kind: (row) => enumValue(row, 'kind', ['PERSON', 'COMPANY'] as const),
  firstName: (row) => str(row, 'firstName'),
  lastName: (row) => str(row, 'lastName'),
  email: (row) => str(row, 'email'),
  phone: (row) => str(row, 'phone'),
  mobile: (row) => str(row, 'mobile'),
  birthDate: (row) => str(row, 'birthDate'),
  address: (row) => addressOf(row),
};

/** Every Account field is a canonical field as it is. */
export const accountResolvers: AccountResolvers<RequestContext> = {};

export const interactionResolvers: InteractionResolvers<RequestContext> = {
  type: (row) => enumValue(row, 'type', ['CALL', 'MEETING', 'EMAIL', 'STORE_VISIT'] as const),
  subject: (row) => str(row, 'subject'),
  agent: (row) => str(row, 'agent'),
};

export const consentResolvers: ConsentResolvers<RequestContext> = {
  status: (row) => enumValue(row, 'status', ['GRANTED', 'DENIED', 'WITHDRAWN'] as const),
};
