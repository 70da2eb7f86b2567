/**
 * What the partner endpoint reads of a customer, asked of the canonical schema itself with
 * an internal context (no caller, so no field policy applies): the same loaders, batching
 * and identity linking as any client, and nothing kept once the request ends.
 */
import { randomUUID } from 'node:crypto';
import { execute, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../errors/codes.js';
import type { RequestContext } from '../../gateway/context.js';
import type { Runtime } from '../../gateway/runtime.js';
import { InsightsService } from '../../insights/service.js';
import { insightsStatisticsOf } from '../../insights/runtime-statistics.js';
import { Loaders } from '../../loading/loaders.js';
import { grantedPurposes } from '../gdpr/consent.js';
import { bulkLinkingApplies, type BulkLinks } from '../../identity/bulk-link.js';
import { linkMapCacheOf } from '../../identity/link-map-cache.js';

export const PARTNER_SHARING_PURPOSE = 'partner_sharing';
const PROFILING_PURPOSE = 'profiling';
/** The canonical `customers` page cap. */
const CANONICAL_PAGE = 100;
/** Customers per internal page of a whole-base scan linked in bulk. */
const BULK_PAGE = 1_000;

export interface PartnerCandidate {
  readonly customerId: string;
  readonly consented: boolean;
  readonly birthDate: string | null;
  readonly postcode: string | null;
  readonly productCategories: ReadonlyArray<string>;
  /** Every email any source holds for the customer, for clean-room matching only. */
  readonly emails: ReadonlyArray<string>;
  /** The customer's RFM grid segment (src/insights), e.g. champions. */
  readonly segment: string | null;
  /** Intent is computed from web behaviour, so it needs the profiling consent as well. */
  readonly intentLevel: string | null;
}

export interface CandidatePage {
  readonly candidates: ReadonlyArray<PartnerCandidate>;
  readonly endCursor: string | null;
}

const PAGE = parse(`query PartnerCandidates($first: Int!, $after: String) {
  customers(first: $first, after: $after) {
    edges { node {
      id email address { postcode }
      contact { email birthDate }
      shopAccounts { email birthDate }
      consents { purpose status recordedAt }
      orders(first: 50) { nodes { lines { product { category } } } }
      segments { id family }
      intent { level }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`);

interface NodeData {
  id: string;
  email: string | null;
  address: { postcode: string | null } | null;
  contact: { email: string | null; birthDate: string | null } | null;
  shopAccounts: Array<{ email: string | null; birthDate: string | null }> | null;
  consents: Array<{ purpose: string | null; status: string | null; recordedAt: string | null }> | null;
  orders: { nodes: Array<{ lines: Array<{ product: { category: string | null } | null }> }> } | null;
  segments: Array<{ id: string; family: string }> | null;
  intent: { level: string } | null;
}

export function internalContext(runtime: Runtime, signal: AbortSignal, linked?: BulkLinks): RequestContext {
  const callOptions = { signal, onCall: () => undefined };
  const loaders = new Loaders(runtime.config, runtime.connectors, callOptions);
  return {
    requestId: `internal-${randomUUID()}`,
    loaders,
    link: runtime.config.identity,
    trace: undefined,
    insights: new InsightsService(runtime.config, runtime.connectors, loaders, callOptions, insightsStatisticsOf(runtime)),
    ...(linked === undefined ? {} : { linked, bulkPageSize: BULK_PAGE }),
  };
}

/** One canonical page of customers, consented or not (the caller filters). */
export async function candidatePage(
  schema: GraphQLSchema,
  runtime: Runtime,
  first: number,
  after: string | null,
  signal: AbortSignal,
  linked?: BulkLinks,
): Promise<CandidatePage & { hasNextPage: boolean }> {
  const result = await execute({
    schema,
    document: PAGE,
    variableValues: { first: Math.min(first, CANONICAL_PAGE), after },
    contextValue: internalContext(runtime, signal, linked),
  });
  const page = (
    result.data as { customers?: { edges: Array<{ node: NodeData }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null | undefined
  )?.customers;
  // A partner must never get a partial view built on a failed consent read: fail whole.
  // The cause keeps its public code (SOURCE_TIMEOUT when the request's deadline passed), never INTERNAL_SERVER_ERROR.
  if (page === undefined || (result.errors?.length ?? 0) > 0) {
    const cause = result.errors?.[0];
    const code = signal.aborted ? ErrorCode.SOURCE_TIMEOUT : (cause?.extensions?.code ?? ErrorCode.SOURCE_UNAVAILABLE);
    throw new GraphQLError(`partner scan failed: ${signal.aborted ? 'the whole-base scan passed its deadline' : (cause?.message ?? 'no data')}`, {
      extensions: { ...cause?.extensions, code },
    });
  }
  return { candidates: page.edges.map(({ node }) => candidateOf(node)), endCursor: page.pageInfo.endCursor, hasNextPage: page.pageInfo.hasNextPage };
}

/**
 * Every customer, page after page: aggregates need them all (c360 keeps no copy). The
 * customers are linked in bulk first (each source's identifiers scanned once,
 * src/identity/bulk-link.ts), so each customer is counted once and no page looks an
 * identifier up; pages are then 1000 customers read by key.
 */
export async function* allCandidates(schema: GraphQLSchema, runtime: Runtime, signal: AbortSignal): AsyncGenerator<PartnerCandidate> {
  const linkContext = internalContext(runtime, signal);
  let linked: BulkLinks | undefined;
  if (bulkLinkingApplies(linkContext.loaders, linkContext.link)) {
    try {
      linked = (await linkMapCacheOf(runtime).get(linkContext.loaders)).links;
    } catch (error) {
      const code = signal.aborted
        ? ErrorCode.SOURCE_TIMEOUT
        : error instanceof GraphQLError
          ? (error.extensions.code ?? ErrorCode.SOURCE_UNAVAILABLE)
          : ErrorCode.SOURCE_UNAVAILABLE;
      throw new GraphQLError(
        `partner scan failed: ${signal.aborted ? 'the whole-base scan passed its deadline' : error instanceof Error ? error.message : String(error)}`,
        { extensions: { code } },
      );
    }
  }
  let after: string | null = null;
  for (;;) {
    const page = await candidatePage(schema, runtime, CANONICAL_PAGE, after, signal, linked);
    yield* page.candidates;
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}

function candidateOf(node: NodeData): PartnerCandidate {
  const consents = (node.consents ?? []).map((c) => ({ purpose: c.purpose, status: c.status, recordedAt: c.recordedAt }));
  const categories = new Set<string>();
  for (const order of node.orders?.nodes ?? []) for (const line of order.lines) if (line.product?.category) categories.add(line.product.category);
  const emails = [node.email, node.contact?.email, ...(node.shopAccounts ?? []).map((s) => s.email)].filter(
    (e): e is string => typeof e === 'string' && e !== '',
  );
  const granted = grantedPurposes(consents);
  return {
    customerId: node.id,
    consented: granted.has(PARTNER_SHARING_PURPOSE),
    segment: node.segments?.find((s) => s.family === 'GRID')?.id ?? null,
    intentLevel: granted.has(PROFILING_PURPOSE) ? (node.intent?.level ?? null) : null,
    birthDate: node.contact?.birthDate ?? node.shopAccounts?.find((s) => s.birthDate !== null)?.birthDate ?? null,
    postcode: node.address?.postcode ?? null,
    productCategories: [...categories].sort(),
    emails: [...new Set(emails)],
  };
}
