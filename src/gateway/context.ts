/** What every resolver of one request shares: its loaders, link settings and trace. */
import type { SourceCall } from '../../connectors/contract.js';
import type { AnalyticsDeps } from '../analytics/engine.js';
import type { LinkSettings } from '../identity/link.js';
import type { BulkLinks } from '../identity/bulk-link.js';
import type { LinkMapCache } from '../identity/link-map-cache.js';
import type { InsightsService } from '../insights/service.js';
import type { Loaders } from '../loading/loaders.js';
import type { PrivacyRequest } from '../privacy/request.js';
import type { RateCharge } from './rate-limit.js';
import type { TriggerEngine } from '../triggers/engine.js';

export interface RequestContext {
  readonly requestId: string;
  readonly loaders: Loaders;
  readonly link: LinkSettings;
  /** Source calls of this request, when the client asked for a trace (x-c360-trace: 1). */
  readonly trace: SourceCall[] | undefined;
  /** Caller, purpose and personal-data access log; absent only for c360's own internal calls. */
  readonly privacy?: PrivacyRequest;
  /** RFM, intent and segment statements of this request, batched like the loaders; absent for internal calls. */
  readonly insights?: InsightsService;
  /** Who this request's operations are charged to (./rate-limit.ts); survives Apollo's context clone. */
  readonly rateCharge?: RateCharge;
  /** Aborted when the client hung up: its fields' SOURCE_TIMEOUTs are one abort, not failures (metrics, logs). */
  readonly clientGone?: AbortSignal;
  /** What Query.analytics reads through (src/analytics); absent for internal calls. */
  readonly analytics?: AnalyticsDeps;
  /**
   * Links computed in bulk for a whole-base operation (a CSV export, a partner aggregate):
   * customers are then assembled from it, their records read by key (src/identity/bulk-link.ts).
   */
  readonly linked?: BulkLinks;
  /** The process's cached link map (src/identity/link-map-cache.ts), for whole-base operations and filtered pages. */
  readonly linkMap?: LinkMapCache;
  /** When the links this request read through were scanned (epoch ms), shown in traced responses. */
  linksAsOf?: number;
  /** Page size of `customers` in a whole-base operation, instead of the query's `first` (the pages are concatenated). */
  readonly bulkPageSize?: number;
  /** The trigger poller, when the config declares triggers (docs/triggers.md). */
  readonly triggers?: TriggerEngine;
}
