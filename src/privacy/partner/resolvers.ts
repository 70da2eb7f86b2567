/** Resolvers of the partner schema (schema/partner/): consented customers only, generalized, pseudonymized. */
import type { GraphQLSchema } from 'graphql';
import type { SourceCall } from '../../../connectors/contract.js';
import type { PartnerConfig } from '../../config/privacy-config.js';
import { badUserInput } from '../../errors/codes.js';
import type { Runtime } from '../../gateway/runtime.js';
import { partnerPseudonym } from '../pseudonym.js';
import { openCursor, sealCursor } from './cursor.js';
import { emailHashMatcher } from './email-hash.js';
import { AGE_BAND_VALUES, ageBand, DEPARTEMENTS, departementOf, REGION_NAMES, regionOf } from './generalize.js';
import { kAnonymize, releaseGroupCounts, type PartnerBudget, type ReleasePolicy } from './release-policy.js';
import { allCandidates, candidatePage, type PartnerCandidate } from './source.js';
import { bulkAudienceApplies, forEachConsented, type BulkCandidate, type BulkNeeds } from './bulk-audience.js';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../errors/codes.js';
import type { GroupCounts } from './suppression.js';
import { defaultInsightsConfig, INTENT_LEVELS } from '../../config/insights-config.js';

export interface PartnerContext {
  readonly partner: string;
  readonly partnerConfig: PartnerConfig;
  readonly minGroupSize: number;
  readonly runtime: Runtime;
  readonly canonicalSchema: GraphQLSchema;
  readonly signal: AbortSignal;
  /** Customer ids whose pseudonyms left c360 in this request, for the audit record. */
  readonly disclosed: Set<string>;
  readonly asOf: Date;
  /** What may be released (./release-policy.ts), and what this partner has spent of it. */
  readonly policy: ReleasePolicy;
  readonly budget: PartnerBudget;
  /** Sees every statement of the whole-base aggregates (traces, tests). */
  readonly onCall?: (call: SourceCall) => void;
}

export type AudienceDimension = 'AGE_BAND' | 'DEPARTEMENT' | 'REGION' | 'SEGMENT' | 'INTENT_LEVEL' | 'PRODUCT_CATEGORY';

export interface AudienceMember {
  readonly pseudonym: string;
  readonly ageBand: string | null;
  readonly departement: string | null;
  readonly region: string | null;
  readonly segment: string | null;
  readonly intentLevel: string | null;
  readonly productCategories: ReadonlyArray<string>;
}

/** Segment and intent level from the insights module (Customer.segments, Customer.intent). */
export function insightsOf(candidate: PartnerCandidate): { segment: string | null; intentLevel: string | null } {
  return { segment: candidate.segment, intentLevel: candidate.intentLevel };
}

export function generalize(candidate: PartnerCandidate, ctx: Pick<PartnerContext, 'partnerConfig' | 'asOf'>): AudienceMember {
  const departement = departementOf(candidate.postcode);
  return {
    pseudonym: partnerPseudonym(candidate.customerId, ctx.partnerConfig.pseudonymKey, ctx.partnerConfig.keyVersion),
    ageBand: ageBand(candidate.birthDate, ctx.asOf),
    departement,
    region: regionOf(departement),
    ...insightsOf(candidate),
    productCategories: candidate.productCategories,
  };
}

const MAX_AUDIENCE_PAGE = 500;
/** 200,000 hex digests are about 13 MB of JSON, under the endpoint's 16 MB body limit. */
const MAX_OVERLAP_HASHES = 200_000;

function valuesOf(member: AudienceMember, by: AudienceDimension): ReadonlyArray<string> {
  const one = (value: string | null) => [value ?? 'unknown'];
  switch (by) {
    case 'AGE_BAND':
      return one(member.ageBand);
    case 'DEPARTEMENT':
      return one(member.departement);
    case 'REGION':
      return one(member.region);
    case 'SEGMENT':
      return one(member.segment);
    case 'INTENT_LEVEL':
      return one(member.intentLevel);
    case 'PRODUCT_CATEGORY':
      return member.productCategories;
    default: {
      const unreachable: never = by;
      throw new Error(`unknown dimension ${String(unreachable)}`);
    }
  }
}

/** Every value a dimension can take, known without the data; undefined for product categories (the catalogue's). */
function domainOf(by: AudienceDimension | 'OVERLAP_SEGMENT', ctx: PartnerContext): ReadonlySet<string> | undefined {
  const withUnknown = (values: ReadonlyArray<string>) => new Set([...values, 'unknown']);
  switch (by) {
    case 'AGE_BAND':
      return withUnknown(AGE_BAND_VALUES);
    case 'DEPARTEMENT':
      return withUnknown(DEPARTEMENTS);
    case 'REGION':
      return withUnknown(REGION_NAMES);
    case 'SEGMENT':
    case 'OVERLAP_SEGMENT':
      return withUnknown((ctx.runtime.config.insights ?? defaultInsightsConfig()).segments.filter((s) => s.family === 'GRID').map((s) => s.id));
    case 'INTENT_LEVEL':
      return withUnknown(INTENT_LEVELS);
    default:
      return undefined;
  }
}

/** The whole consented audience, generalized: what k-anonymity of a released row is measured against. Kept a minute per partner. */
const populations = new Map<string, { atMillis: number; members: Promise<AudienceMember[]> }>();
const POPULATION_TTL_MILLIS = 60_000;

function populationOf(ctx: PartnerContext): Promise<AudienceMember[]> {
  const cached = populations.get(ctx.partner);
  if (cached !== undefined && Date.now() - cached.atMillis < POPULATION_TTL_MILLIS) return cached.members;
  const members = (async () => {
    const all: AudienceMember[] = [];
    for await (const candidate of allCandidates(ctx.canonicalSchema, ctx.runtime, ctx.signal)) if (candidate.consented) all.push(generalize(candidate, ctx));
    return all;
  })();
  populations.set(ctx.partner, { atMillis: Date.now(), members });
  members.catch(() => populations.delete(ctx.partner));
  return members;
}

const epsilonOf = (ctx: PartnerContext) => ctx.policy.epsilonPerQuery ?? 0;

/** The columns a dimension needs in bulk; undefined for the dimensions only the paged path answers (intent needs profiling consent and events, categories the orders' lines). */
function bulkNeedsOf(by: AudienceDimension): BulkNeeds | undefined {
  const none: BulkNeeds = { segment: false, birthDate: false, postcode: false, emails: false };
  switch (by) {
    case 'SEGMENT':
      return { ...none, segment: true };
    case 'AGE_BAND':
      return { ...none, birthDate: true };
    case 'DEPARTEMENT':
    case 'REGION':
      return { ...none, postcode: true };
    default:
      return undefined;
  }
}

/** The dimension's value of one bulk candidate, as generalize() gives it; null shows as 'unknown'. */
function bulkValueOf(candidate: BulkCandidate, by: AudienceDimension, ctx: PartnerContext): string | null {
  switch (by) {
    case 'SEGMENT':
      return candidate.segment;
    case 'AGE_BAND':
      return ageBand(candidate.birthDate, ctx.asOf);
    case 'DEPARTEMENT':
      return departementOf(candidate.postcode);
    case 'REGION':
      return regionOf(departementOf(candidate.postcode));
    default:
      return null;
  }
}

/** A bulk pass under the request's deadline; a failure keeps its public code (SOURCE_TIMEOUT past the deadline), never INTERNAL_SERVER_ERROR. */
async function bulkPass(ctx: PartnerContext, needs: BulkNeeds, visit: (candidate: BulkCandidate) => void): Promise<void> {
  try {
    await forEachConsented(ctx.runtime, needs, { signal: ctx.signal, asOf: ctx.asOf, ...(ctx.onCall === undefined ? {} : { onCall: ctx.onCall }) }, visit);
  } catch (error) {
    const code = ctx.signal.aborted
      ? ErrorCode.SOURCE_TIMEOUT
      : error instanceof GraphQLError
        ? (error.extensions.code ?? ErrorCode.SOURCE_UNAVAILABLE)
        : ErrorCode.SOURCE_UNAVAILABLE;
    const message = ctx.signal.aborted ? 'the whole-base aggregate passed its deadline' : error instanceof Error ? error.message : String(error);
    throw new GraphQLError(`partner aggregate failed: ${message}`, { extensions: { ...(error instanceof GraphQLError ? error.extensions : {}), code } });
  }
}

export const partnerResolvers = {
  Query: {
    audience: async (_root: unknown, args: { first?: number | null; after?: string | null }, ctx: PartnerContext) => {
      const first = args.first ?? 100;
      if (first < 1 || first > MAX_AUDIENCE_PAGE) throw badUserInput(`first must be between 1 and ${MAX_AUDIENCE_PAGE}`, 'first');
      let after: string | null = null;
      if (args.after !== undefined && args.after !== null) {
        after = openCursor(args.after, ctx.partnerConfig.pseudonymKey);
        if (after === null) throw badUserInput('after is not a cursor this endpoint gave', 'after');
      }
      ctx.budget.spend(ctx.partner, ctx.policy, 0);
      const page = await candidatePage(ctx.canonicalSchema, ctx.runtime, first, after, ctx.signal);
      const members = page.candidates.filter((c) => c.consented);
      for (const member of members) ctx.disclosed.add(member.customerId);
      return {
        // Each row at the least general level whose combination k consented customers share.
        members: kAnonymize(
          members.map((c) => generalize(c, ctx)),
          await populationOf(ctx),
          ctx.policy.minGroupSize,
        ),
        nextCursor: page.hasNextPage && page.endCursor !== null ? sealCursor(page.endCursor, ctx.partnerConfig.pseudonymKey) : null,
      };
    },
    audienceCounts: async (_root: unknown, args: { by: AudienceDimension }, ctx: PartnerContext): Promise<GroupCounts> => {
      ctx.budget.spend(ctx.partner, ctx.policy, epsilonOf(ctx));
      const counts = new Map<string, number>();
      const needs = bulkNeedsOf(args.by);
      if (needs !== undefined && bulkAudienceApplies(ctx.runtime)) {
        // Whole-base statements in parallel and one pass in the gateway (./bulk-audience.ts), never a page per customer.
        await bulkPass(ctx, needs, (candidate) => {
          const value = bulkValueOf(candidate, args.by, ctx) ?? 'unknown';
          counts.set(value, (counts.get(value) ?? 0) + 1);
        });
      } else {
        for await (const candidate of allCandidates(ctx.canonicalSchema, ctx.runtime, ctx.signal)) {
          if (!candidate.consented) continue;
          for (const value of valuesOf(generalize(candidate, ctx), args.by)) counts.set(value, (counts.get(value) ?? 0) + 1);
        }
      }
      return releaseGroupCounts(counts, ctx.policy, domainOf(args.by, ctx));
    },
    overlap: async (_root: unknown, args: { emailSha256: ReadonlyArray<string> }, ctx: PartnerContext): Promise<GroupCounts> => {
      if (args.emailSha256.length > MAX_OVERLAP_HASHES) throw badUserInput(`at most ${MAX_OVERLAP_HASHES} hashes per call`, 'emailSha256');
      const wanted = new Set(args.emailSha256.map((hash) => hash.toLowerCase()));
      if ([...wanted].some((hash) => !/^[0-9a-f]{64}$/.test(hash))) throw badUserInput('each hash is 64 hex digits (SHA-256)', 'emailSha256');
      if (wanted.size < ctx.policy.minOverlapHashes)
        throw badUserInput(`an overlap needs at least ${ctx.policy.minOverlapHashes} distinct hashes`, 'emailSha256');
      ctx.budget.spend(ctx.partner, ctx.policy, epsilonOf(ctx));
      const counts = new Map<string, number>();
      const matchesOne = emailHashMatcher(wanted);
      const matches = (emails: ReadonlyArray<string>) => emails.some(matchesOne);
      if (bulkAudienceApplies(ctx.runtime)) {
        await bulkPass(ctx, { segment: true, birthDate: false, postcode: false, emails: true, emailsMatching: matchesOne }, (candidate) => {
          if (!matches(candidate.emails)) return;
          counts.set(candidate.segment ?? 'unknown', (counts.get(candidate.segment ?? 'unknown') ?? 0) + 1);
        });
      } else {
        for await (const candidate of allCandidates(ctx.canonicalSchema, ctx.runtime, ctx.signal)) {
          if (!candidate.consented) continue;
          if (!matches(candidate.emails)) continue;
          const segment = insightsOf(candidate).segment ?? 'unknown';
          counts.set(segment, (counts.get(segment) ?? 0) + 1);
        }
      }
      return releaseGroupCounts(counts, ctx.policy, domainOf('OVERLAP_SEGMENT', ctx));
    },
  },
};
