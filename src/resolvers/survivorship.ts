/** Golden fields under the configured survivorship rules, and Customer.provenance. */
import type { CustomerResolvers, FieldProvenance, SurvivorshipStrategy as StrategyEnum } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { CustomerHandle } from '../identity/customer-handle.js';
import { customerNow, customerOf } from '../identity/customer.js';
import { displayNameSource, kindOf, type GoldenRecord, type GoldenValue } from '../identity/golden-candidates.js';
import { GOLDEN_FIELDS, type GoldenField, type Survived, type SurvivorshipStrategy } from '../identity/survivorship.js';

/** The customer's golden record, computed once per customer and request (src/identity/customer.ts). */
async function goldenOf(handle: CustomerHandle, ctx: RequestContext, fields: ReadonlyArray<GoldenField>): Promise<GoldenRecord> {
  return (await customerOf(handle, ctx)).golden(fields);
}

/**
 * A golden field without a promise when the customer is assembled and the field's rule needs
 * no updatedAt the rows may lack (a page's planned customers), else through goldenOf.
 */
function goldenField<T>(handle: CustomerHandle, ctx: RequestContext, fields: ReadonlyArray<GoldenField>, read: (golden: GoldenRecord) => T): T | Promise<T> {
  const now = customerNow(handle, ctx)?.goldenNow(fields);
  return now === undefined ? goldenOf(handle, ctx, fields).then(read) : read(now);
}

const STRATEGY: Readonly<Record<SurvivorshipStrategy, StrategyEnum>> = {
  sourcePriority: 'SOURCE_PRIORITY',
  mostRecent: 'MOST_RECENT',
  mostFrequent: 'MOST_FREQUENT',
};

function asText(value: GoldenValue): string {
  if (typeof value === 'string') return value;
  if ('full' in value) return value.full ?? '';
  return [value.street, value.postcode, value.city, value.country].filter((part) => part !== null).join(', ');
}

function provenanceOf(field: string, survived: Survived<GoldenValue>): FieldProvenance {
  const winner = survived.winner;
  return {
    field,
    value: winner === null ? null : asText(winner.value),
    source: winner?.record.source ?? null,
    entity: winner?.record.entity ?? null,
    key: winner?.record.key ?? null,
    updatedAt: winner?.record.updatedAt ?? null,
    strategy: STRATEGY[survived.rule.strategy],
    alternatives: survived.alternatives.map((candidate) => ({
      source: candidate.record.source,
      entity: candidate.record.entity,
      key: candidate.record.key,
      value: asText(candidate.value),
      updatedAt: candidate.record.updatedAt,
    })),
    conflict: survived.conflict,
  };
}

export const survivorshipCustomerResolvers: Pick<
  CustomerResolvers<RequestContext>,
  'kind' | 'displayName' | 'email' | 'phone' | 'name' | 'address' | 'provenance'
> = {
  kind: (handle, _args, ctx) => goldenField(handle, ctx, ['kind'], kindOf),
  displayName: (handle, _args, ctx) =>
    goldenField(handle, ctx, ['kind', 'name', 'companyName'], (golden) => {
      const from = displayNameSource(golden);
      return from === null ? null : from === 'name' ? (golden.name.winner?.value.full ?? null) : (golden.companyName.winner?.value ?? null);
    }),
  email: (handle, _args, ctx) => goldenField(handle, ctx, ['email'], (golden) => golden.email.winner?.value ?? null),
  phone: (handle, _args, ctx) => goldenField(handle, ctx, ['phone'], (golden) => golden.phone.winner?.value ?? null),
  name: (handle, _args, ctx) => goldenField(handle, ctx, ['name'], (golden) => golden.name.winner?.value ?? null),
  address: (handle, _args, ctx) => goldenField(handle, ctx, ['address'], (golden) => golden.address.winner?.value ?? null),
  provenance: async (handle, _args, ctx) => {
    const golden = await goldenOf(handle, ctx, GOLDEN_FIELDS);
    const fields = GOLDEN_FIELDS.map((field) => provenanceOf(field, golden[field]));
    const display = displayNameSource(golden);
    return display === null ? fields : [...fields, provenanceOf('displayName', golden[display])];
  },
};
