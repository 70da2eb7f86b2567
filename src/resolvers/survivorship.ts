/** Golden fields under the configured survivorship rules, and Customer.provenance. */
import type { Row } from '../../connectors/contract.js';
import type { CustomerResolvers, FieldProvenance, SurvivorshipStrategy as StrategyEnum } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { Assembly, CustomerHandle } from '../identity/customer-handle.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import { displayNameSource, kindOf, surviveAll, type GoldenRecord, type GoldenValue } from '../identity/golden-candidates.js';
import { GOLDEN_FIELDS, ruleFor, type GoldenField, type SourcedRecord, type Survived, type SurvivorshipStrategy } from '../identity/survivorship.js';

const ANCHORS: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];

function timestamp(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The customer's records in assembly order. A most-recent rule needs updatedAt, which a
 * query that did not select provenance did not read: one batched load of id + updatedAt.
 */
async function sourcedRecords(assembly: Assembly, ctx: RequestContext, withUpdatedAt: boolean): Promise<SourcedRecord[]> {
  const perEntity = await Promise.all(
    ANCHORS.map(async (entity) => {
      const rows = assembly.records[entity].map((record) => record.row);
      const missing = withUpdatedAt && ctx.loaders.isMapped(entity) && ctx.loaders.mappedFields(entity, ['updatedAt']).length > 0 && rows.some((row) => !('updatedAt' in row));
      const updated = new Map<string, unknown>();
      if (missing) {
        const found = await ctx.loaders.loadMany(entity, rows.map((row) => String(row.id)), { keyField: 'id', projection: ['id', 'updatedAt'] });
        for (const row of found.flat()) updated.set(String(row.id), row.updatedAt);
      }
      return rows.map((row: Row): SourcedRecord => ({
        source: ctx.loaders.sourceOf(entity),
        entity,
        key: String(row.id),
        updatedAt: timestamp('updatedAt' in row ? row.updatedAt : updated.get(String(row.id))),
        row,
      }));
    }),
  );
  return perEntity.flat();
}

/**
 * A customer's golden record, survived once per handle (and need of updatedAt): kind,
 * displayName, address… of one customer all read it, and a handle lives for one request.
 */
const goldens = new WeakMap<CustomerHandle, Map<boolean, Promise<GoldenRecord>>>();

function goldenOf(handle: CustomerHandle, ctx: RequestContext, fields: ReadonlyArray<GoldenField>): Promise<GoldenRecord> {
  const withUpdatedAt = fields.some((field) => ruleFor(ctx.link.survivorship, field).strategy === 'mostRecent');
  let byNeed = goldens.get(handle);
  if (byNeed === undefined) goldens.set(handle, (byNeed = new Map()));
  let golden = byNeed.get(withUpdatedAt);
  if (golden === undefined) {
    golden = (async () => {
      const assembly = (await handle.assembly()) ?? { anchor: { entity: handle.anchor.entity, row: {}, rule: 'ANCHOR' as const }, records: { contact: [], shopCustomer: [] }, failures: {} };
      return surviveAll(await sourcedRecords(assembly, ctx, withUpdatedAt), ctx.link);
    })();
    byNeed.set(withUpdatedAt, golden);
  }
  return golden;
}

const STRATEGY: Readonly<Record<SurvivorshipStrategy, StrategyEnum>> = { sourcePriority: 'SOURCE_PRIORITY', mostRecent: 'MOST_RECENT', mostFrequent: 'MOST_FREQUENT' };

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

export const survivorshipCustomerResolvers: Pick<CustomerResolvers<RequestContext>, 'kind' | 'displayName' | 'email' | 'phone' | 'name' | 'address' | 'provenance'> = {
  kind: async (handle, _args, ctx) => kindOf(await goldenOf(handle, ctx, ['kind'])),
  displayName: async (handle, _args, ctx) => {
    const golden = await goldenOf(handle, ctx, ['kind', 'name', 'companyName']);
    const from = displayNameSource(golden);
    return from === null ? null : from === 'name' ? (golden.name.winner?.value.full ?? null) : (golden.companyName.winner?.value ?? null);
  },
  email: async (handle, _args, ctx) => (await goldenOf(handle, ctx, ['email'])).email.winner?.value ?? null,
  phone: async (handle, _args, ctx) => (await goldenOf(handle, ctx, ['phone'])).phone.winner?.value ?? null,
  name: async (handle, _args, ctx) => (await goldenOf(handle, ctx, ['name'])).name.winner?.value ?? null,
  address: async (handle, _args, ctx) => (await goldenOf(handle, ctx, ['address'])).address.winner?.value ?? null,
  provenance: async (handle, _args, ctx) => {
    const golden = await goldenOf(handle, ctx, GOLDEN_FIELDS);
    const fields = GOLDEN_FIELDS.map((field) => provenanceOf(field, golden[field]));
    const display = displayNameSource(golden);
    return display === null ? fields : [...fields, provenanceOf('displayName', golden[display])];
  },
};
