/** Customer.identities, duplicateCandidates and dataQuality; Query.dataQualityReport. */
import type { Row } from '../../connectors/contract.js';
import type { CustomerResolvers, MatchReason, QueryResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { customerOf, PERSON_ENTITIES } from '../identity/customer.js';
import type { LinkedRecord } from '../identity/link.js';
import { sourceRecordOf } from './customer.js';
import { assessQuality, QUALITY_FIELDS, type SourcedRow } from '../identity/quality.js';
import { qualityReport } from '../identity/quality-report.js';
import type { PairScore } from '../identity/scoring.js';

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function reasonsOf(score: PairScore | undefined): MatchReason[] {
  return (score?.fields ?? []).map((field) => ({
    field: field.field,
    level: field.level,
    weight: roundTo(field.weight, 3),
    value: field.a,
    otherValue: field.b,
  }));
}

/** "PROBABILISTIC p=0.9987: surname exact(+7.46), givenName jw>=0.94(+5.43)…" or the rule's name. */
export function explain(record: LinkedRecord): string {
  if (record.score === undefined)
    return record.rule === 'ANCHOR' ? 'ANCHOR: the record this customer is built on' : `${record.rule}: shared normalized identifier`;
  const parts = record.score.fields
    .filter((field) => field.level !== null)
    .map((field) => `${field.field} ${field.level}(${field.weight >= 0 ? '+' : ''}${field.weight.toFixed(2)})`);
  return `PROBABILISTIC p=${record.score.probability.toFixed(4)}: ${parts.join(', ')}`;
}

export const identityCustomerResolvers: Pick<CustomerResolvers<RequestContext>, 'identities' | 'duplicateCandidates' | 'dataQuality' | 'household'> = {
  household: async (handle, _args, ctx) => {
    return (await customerOf(handle, ctx)).households.map((member) => ({
      source: ctx.loaders.sourceOfRow(member.entity, member.row),
      entity: member.entity,
      key: String(member.row.id),
      sharedBy: member.sharedBy,
      reason: member.reason,
    }));
  },
  identities: async (handle, _args, ctx) => {
    return (await customerOf(handle, ctx)).records.map((record) => ({
      ...sourceRecordOf(record),
      score: record.score === undefined ? 1 : roundTo(record.score.probability, 6),
      explanation: explain(record),
      reasons: reasonsOf(record.score),
    }));
  },
  duplicateCandidates: async (handle, _args, ctx) => {
    return (await customerOf(handle, ctx)).candidates.map((candidate) => ({
      source: ctx.loaders.sourceOfRow(candidate.entity, candidate.row),
      entity: candidate.entity,
      key: String(candidate.row.id),
      score: roundTo(candidate.score.probability, 6),
      reasons: reasonsOf(candidate.score),
    }));
  },
  dataQuality: async (handle, _args, ctx) => {
    const customer = await customerOf(handle, ctx);
    // Re-read the customer's records with the fields quality needs: one batched load per
    // entity for a whole page, whatever else the query selected.
    const rows = await Promise.all(
      PERSON_ENTITIES.map(async (entity): Promise<SourcedRow[]> => {
        const ids = customer.recordsOf(entity).map((record) => record.key);
        if (ids.length === 0 || !ctx.loaders.isMapped(entity) || customer.failureOf(entity) !== undefined) return [];
        const found = await ctx.loaders.loadMany(entity, ids, { keyField: 'id', projection: QUALITY_FIELDS[entity] });
        return found.flat().map((row: Row) => ({ source: ctx.loaders.sourceOfRow(entity, row), entity, row }));
      }),
    );
    return assessQuality(rows.flat(), ctx.link, Date.now());
  },
};

export const identityQueryResolvers: Pick<QueryResolvers<RequestContext>, 'dataQualityReport'> = {
  dataQualityReport: (_root, _args, ctx) => qualityReport(ctx.loaders, ctx.link, Date.now()),
};
