/**
 * Re-evaluating the touched customers through the gateway's own resolvers: one GraphQL
 * operation over the canonical schema (one alias per touched anchor), so identity
 * resolution, intent, segments, consents and tickets are computed exactly as
 * `Customer.intent` computes them for a client, batched by the same loaders.
 * Intent is computed beside the operation by ./intent.ts (the same insights functions, without
 * the base-wide RFM ranking). It runs as an internal call (no privacy context); payloads are
 * shaped per destination after.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { execute, parse, type GraphQLSchema } from 'graphql';
import type { CallOptions, Connector } from '../../connectors/contract.js';
import type { TriggerRule } from '../config/triggers-config.js';
import type { C360Config } from '../config/types.js';
import type { RequestContext } from '../gateway/context.js';
import type { Runtime } from '../gateway/runtime.js';
import { encodeCustomerId, type AnchorEntity } from '../identity/customer-id.js';
import type { LinkSettings } from '../identity/link.js';
import { insightsStatisticsOf } from '../insights/runtime-statistics.js';
import { InsightsService, type InsightsStatistics } from '../insights/service.js';
import { Loaders } from '../loading/loaders.js';
import { grantedPurposes } from '../privacy/gdpr/consent.js';
import { intentViewOf, type CustomerRecords } from './intent.js';

export interface IntentView {
  readonly score: number;
  readonly level: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
  readonly categories: ReadonlyArray<string>;
  readonly aboutToBuy: boolean;
  readonly lastSignalAt: string | null;
}

/** What the conditions read of one customer: computed now, kept for this poll only. */
export interface CustomerView {
  readonly customerId: string;
  readonly consents: ReadonlySet<string>;
  readonly intent?: IntentView | null;
  readonly segments?: ReadonlyArray<string>;
  /** The segments as of just before the new rows (segment rules: the state of a customer they never saw). */
  readonly earlierSegments?: ReadonlyArray<string>;
  readonly lastCartAt?: string | null;
  readonly lastStoreVisitAt?: string | null;
  readonly openTickets?: number | null;
  readonly contact?: { readonly email: string | null; readonly phone: string | null; readonly displayName: string | null };
}

export interface Needs {
  readonly intent: boolean;
  readonly segments: boolean;
  readonly cartAndVisit: boolean;
  readonly tickets: boolean;
  readonly contact: boolean;
}

export function needsOf(rules: ReadonlyArray<TriggerRule>, contactFields: boolean): Needs {
  return {
    intent: rules.some((rule) => rule.when.intent !== undefined || rule.when.aboutToBuy !== undefined),
    segments: rules.some((rule) => rule.when.segment !== undefined || rule.when.openTicket !== undefined),
    cartAndVisit: rules.some((rule) => rule.when.storeVisitAfterCart !== undefined),
    tickets: rules.some((rule) => rule.when.openTicket !== undefined),
    contact: contactFields,
  };
}

/** `asOf` is given, so that every customer of the batch shares one statement per kind. */
export function selectionOf(needs: Needs, asOf: string, earlierAt?: string): string {
  return [
    'id',
    'consents { purpose status recordedAt }',
    needs.intent ? 'sources { entity key }' : '',
    needs.segments ? `segments(asOf: ${JSON.stringify(asOf)}) { id }` : '',
    earlierAt !== undefined ? `earlier: segments(asOf: ${JSON.stringify(earlierAt)}) { id }` : '',
    needs.cartAndVisit ? 'events(first: 1, types: [ADD_TO_CART]) { occurredAt } interactions(first: 1, types: [STORE_VISIT]) { occurredAt }' : '',
    needs.tickets ? 'service { openTickets }' : '',
    needs.contact ? 'email phone displayName' : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

export interface Anchor {
  readonly entity: AnchorEntity | 'email';
  readonly key: string;
}

function lookupOf(anchor: Anchor): string {
  if (anchor.entity === 'email') return `customerBy(email: ${JSON.stringify(anchor.key)})`;
  return `customer(id: ${JSON.stringify(encodeCustomerId({ entity: anchor.entity, key: anchor.key }))})`;
}

export interface Evaluation {
  /** Per touched anchor (entity:key), its customer's view; absent when the anchor is gone. */
  readonly views: ReadonlyMap<string, CustomerView>;
  /** Anchors whose customer could not be read now (a source down): retried next poll. */
  readonly failed: ReadonlyArray<string>;
  /** Anchors skipped for good (a source's odd answer for this customer), with why: logged, not retried. */
  readonly skipped: ReadonlyArray<{ readonly anchor: string; readonly reason: string }>;
  readonly statements: number;
}

export const anchorName = (anchor: Anchor): string => `${anchor.entity}:${anchor.key}`;

type Json = Record<string, unknown>;

function recordsOf(data: Json): CustomerRecords {
  const sources = (data.sources as Json[] | null) ?? [];
  const keysOf = (entity: string) => sources.filter((source) => source.entity === entity).map((source) => String(source.key));
  return { shopIds: keysOf('shopCustomer'), contactIds: keysOf('contact') };
}

function viewOf(data: Json, needs: Needs, intent: IntentView | null): CustomerView {
  const consents = (data.consents as Json[] | null) ?? [];
  const first = (list: unknown) => ((list as Json[] | null)?.[0]?.occurredAt as string | undefined) ?? null;
  return {
    customerId: String(data.id),
    consents: grantedPurposes(consents.map((row) => ({ purpose: row.purpose as string, status: row.status as string }))),
    ...(needs.intent ? { intent } : {}),
    ...(needs.segments ? { segments: ((data.segments as Json[] | null) ?? []).map((segment) => String(segment.id)) } : {}),
    ...(data.earlier !== undefined ? { earlierSegments: ((data.earlier as Json[] | null) ?? []).map((segment) => String(segment.id)) } : {}),
    ...(needs.cartAndVisit ? { lastCartAt: first(data.events), lastStoreVisitAt: first(data.interactions) } : {}),
    ...(needs.tickets ? { openTickets: ((data.service as Json | null)?.openTickets as number | undefined) ?? null } : {}),
    ...(needs.contact
      ? {
          contact: {
            email: (data.email as string | null) ?? null,
            phone: (data.phone as string | null) ?? null,
            displayName: (data.displayName as string | null) ?? null,
          },
        }
      : {}),
  };
}

/** Errors that say "try again later" rather than "this customer is odd". */
const TRANSIENT = new Set(['SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT', 'CIRCUIT_OPEN', 'BULKHEAD_FULL']);

export interface EvaluatorDeps {
  readonly config: C360Config;
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly link: LinkSettings;
  readonly schema: GraphQLSchema;
  readonly timeoutMillis: number;
  /**
   * The runtime's cached whole-base statistics (insightsStatisticsOf): the RFM quintile
   * boundaries a segment needs are read from there, not recomputed by every evaluation.
   */
  readonly statistics?: InsightsStatistics;
  /** Sees every statement of an evaluation (tests). */
  readonly onCall?: CallOptions['onCall'];
}

/** What the poller evaluates with: the runtime's config, connectors and cached statistics. */
export function evaluatorDepsOf(runtime: Runtime, schema: GraphQLSchema, timeoutMillis: number): EvaluatorDeps {
  return {
    config: runtime.config,
    connectors: runtime.connectors,
    link: runtime.config.identity,
    schema,
    timeoutMillis,
    statistics: insightsStatisticsOf(runtime),
  };
}

/**
 * `earlierAt`: also read each customer's segments as of that time (just before the new rows),
 * in the same operation, so identity and consents are resolved once for both.
 */
export async function evaluate(deps: EvaluatorDeps, anchors: ReadonlyArray<Anchor>, needs: Needs, earlierAt?: string): Promise<Evaluation> {
  if (anchors.length === 0) return { views: new Map(), failed: [], skipped: [], statements: 0 };
  let statements = 0;
  const signal = AbortSignal.timeout(deps.timeoutMillis);
  setMaxListeners(0, signal); // every statement of the batch listens on it, as in a request
  const callOptions: CallOptions = {
    signal,
    onCall: (call) => {
      statements++;
      deps.onCall?.(call);
    },
  };
  const loaders = new Loaders(deps.config, deps.connectors, callOptions);
  const context: RequestContext = {
    requestId: `trigger-${randomUUID()}`,
    loaders,
    link: deps.link,
    trace: undefined,
    insights: new InsightsService(deps.config, deps.connectors, loaders, callOptions, deps.statistics),
  };
  const asOf = new Date().toISOString();
  const selection = selectionOf(needs, asOf, earlierAt);
  const fields = anchors.map((anchor, index) => `c${index}: ${lookupOf(anchor)} { ...View }`);
  const document = parse(`query TriggerEvaluation { ${fields.join(' ')} } fragment View on Customer { ${selection} }`);
  const result = await execute({ schema: deps.schema, document, contextValue: context });
  const failedIndexes = new Set<number>();
  for (const error of result.errors ?? []) {
    const alias = error.path?.[0];
    const index = typeof alias === 'string' ? Number(alias.slice(1)) : Number.NaN;
    const code = error.extensions?.code as string | undefined;
    const cause = (error.originalError as { code?: string } | undefined)?.code;
    if (TRANSIENT.has(code ?? '') || TRANSIENT.has(cause ?? '') || Number.isNaN(index)) {
      if (Number.isNaN(index)) anchors.forEach((_, i) => failedIndexes.add(i));
      else failedIndexes.add(index);
    }
  }
  const views = new Map<string, CustomerView>();
  const failed: string[] = [];
  const skipped: Array<{ anchor: string; reason: string }> = [];
  await Promise.all(
    anchors.map(async (anchor, index) => {
      if (failedIndexes.has(index)) {
        failed.push(anchorName(anchor));
        return;
      }
      const data = (result.data as Json | null | undefined)?.[`c${index}`] as Json | null | undefined;
      if (data == null) return;
      try {
        const intent = needs.intent ? await intentViewOf(recordsOf(data), loaders, context.insights!, asOf) : null;
        views.set(anchorName(anchor), viewOf(data, needs, intent));
      } catch (error) {
        // A source down or slow: the batch is read again. Anything else would fail again forever: skip it.
        if (TRANSIENT.has(String((error as { code?: unknown }).code))) failed.push(anchorName(anchor));
        else skipped.push({ anchor: anchorName(anchor), reason: (error as Error).message });
      }
    }),
  );
  return { views, failed, skipped, statements };
}
