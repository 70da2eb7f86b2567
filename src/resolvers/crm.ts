/** CRM types: rows read as the CRM holds them, enums checked against the canonical set. */
import type { AccountResolvers, ConsentResolvers, ContactResolvers, InteractionResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { addressOf } from '../identity/golden.js';
import { enumValue, str } from './rows.js';

export const contactResolvers: ContactResolvers<RequestContext> = {
  id: (row) => String(row.id),
  kind: (row) => enumValue(row, 'kind', ['PERSON', 'COMPANY'] as const),
  firstName: (row) => str(row, 'firstName'),
  lastName: (row) => str(row, 'lastName'),
  companyName: (row) => str(row, 'companyName'),
  email: (row) => str(row, 'email'),
  phone: (row) => str(row, 'phone'),
  mobile: (row) => str(row, 'mobile'),
  birthDate: (row) => str(row, 'birthDate'),
  address: (row) => addressOf(row),
  createdAt: (row) => str(row, 'createdAt'),
  updatedAt: (row) => str(row, 'updatedAt'),
};

export const accountResolvers: AccountResolvers<RequestContext> = {
  id: (row) => String(row.id),
  name: (row) => str(row, 'name'),
  siren: (row) => str(row, 'siren'),
  siret: (row) => str(row, 'siret'),
  industry: (row) => str(row, 'industry'),
};

export const interactionResolvers: InteractionResolvers<RequestContext> = {
  id: (row) => String(row.id),
  type: (row) => enumValue(row, 'type', ['CALL', 'MEETING', 'EMAIL', 'STORE_VISIT'] as const),
  occurredAt: (row) => str(row, 'occurredAt'),
  subject: (row) => str(row, 'subject'),
  agent: (row) => str(row, 'agent'),
  storeId: (row) => str(row, 'storeId'),
};

export const consentResolvers: ConsentResolvers<RequestContext> = {
  id: (row) => String(row.id),
  purpose: (row) => str(row, 'purpose'),
  channel: (row) => str(row, 'channel'),
  status: (row) => enumValue(row, 'status', ['GRANTED', 'DENIED', 'WITHDRAWN'] as const),
  recordedAt: (row) => str(row, 'recordedAt'),
};
