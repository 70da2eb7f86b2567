/**
 * The contract between the gateway and a source. A connector declares what it can push
 * down (capabilities are data) and answers batches; the gateway plans from the
 * capabilities and does the rest itself. Rows are keyed by canonical field names: the
 * connector owns the translation from the operator's tables and columns.
 */

import type { CubeRequest } from './cube-contract.js';

/** A value a source can hold in a field or take as a parameter. */
export type Scalar = string | number | boolean | null;

/** Nested data a REST source returns for a `json` field (ticket messages, executives). */
export type JsonValue = Scalar | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue };

/** One record, keyed by canonical field name. SQL sources only produce Scalars. */
export type Row = Readonly<Record<string, JsonValue>>;

/**
 * Fields of a row whose stored value was present but unreadable as its type (a date of
 * birth not in the mapping's declared format: read as null). Kept beside the row, not in
 * it (a non-enumerable symbol: JSON, Object.keys and spreads never see it), so that data
 * quality can count such values without another read.
 */
const UNREADABLE: unique symbol = Symbol('c360.unreadableFields');

export function markUnreadable(row: Record<string, JsonValue>, fields: ReadonlyArray<string>): void {
  if (fields.length > 0) Object.defineProperty(row, UNREADABLE, { value: fields, enumerable: false });
}

/** The fields whose stored value could not be read (see markUnreadable); empty for most rows. */
export function unreadableFields(row: Row): ReadonlyArray<string> {
  return (row as { readonly [UNREADABLE]?: ReadonlyArray<string> })[UNREADABLE] ?? [];
}

/**
 * How keys are compared: as they are, case- and space-insensitively, on digits only
 * (phones), or on the mailbox key of an email address (lower-cased and trimmed, the local
 * part cut at its first "+" and without dots: `Marie.Dupont+promo@Gmail.com` →
 * `mariedupont@gmail.com`; connectors/sql/email-key.ts).
 */
export type KeyMatch = 'exact' | 'caseInsensitive' | 'digits' | 'email';

export type Filter =
  | { readonly op: 'eq'; readonly field: string; readonly value: Scalar }
  | { readonly op: 'in'; readonly field: string; readonly values: ReadonlyArray<Scalar> }
  | {
      readonly op: 'range';
      readonly field: string;
      readonly gt?: Scalar;
      readonly gte?: Scalar;
      readonly lt?: Scalar;
      readonly lte?: Scalar;
    }
  /** Starts-with on the trimmed value, case and accents ignored (connectors/sql/fold.ts). */
  | { readonly op: 'prefix'; readonly field: string; readonly value: string }
  | { readonly op: 'isNull'; readonly field: string }
  | { readonly op: 'and'; readonly filters: ReadonlyArray<Filter> }
  | { readonly op: 'or'; readonly filters: ReadonlyArray<Filter> }
  | { readonly op: 'not'; readonly filter: Filter };

export type FilterOperator = Filter['op'];

export interface OrderBy {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
}

/** A batch of keys, answered with one row set per key. */
export interface LoadRequest {
  /** Canonical entity name, e.g. "order". */
  readonly entity: string;
  /** Canonical field the keys are matched against, e.g. "customerId"; with keyParts, the compound's name. */
  readonly keyField: string;
  readonly keyMatch: KeyMatch;
  /**
   * A compound key (probabilistic blocking on surname + birth year): each key is the parts'
   * values joined by KEY_PART_SEPARATOR, and a row matches when every part does. Only when
   * capabilities.compoundKeys.
   */
  readonly keyParts?: ReadonlyArray<KeyPart>;
  /** Already normalized for keyMatch (lower-cased and trimmed, or digits only). */
  readonly keys: ReadonlyArray<Scalar>;
  /** Canonical fields to return; the connector may return no others. */
  readonly projection: ReadonlyArray<string>;
  readonly filter?: Filter;
  readonly orderBy?: ReadonlyArray<OrderBy>;
  /** At most this many rows per key, after filter and order. */
  readonly limitPerKey?: number;
  /**
   * Rows of other entities of the same source to read in the same statement, attached to
   * each returned row (read them with includedRows, connectors/included.ts). A chain: at
   * most one include per level. Only when capabilities.include.
   */
  readonly include?: IncludeRequest;
}

/** Joins the values of a compound key's parts (LoadRequest.keyParts). */
export const KEY_PART_SEPARATOR = '\u001f';

/** One part of a compound key: a field compared by `keyMatch`, or (`year`) a date field's year. */
export interface KeyPart {
  readonly field: string;
  readonly keyMatch: 'exact' | 'caseInsensitive';
  /** The part's value is the date's year (YYYY): a range on the date, which an index on it serves. */
  readonly year?: boolean;
}

/** Children of each row of a load, read in the same statement: `orders → lines → product`. */
export interface IncludeRequest {
  /** The name the child rows are attached under. */
  readonly as: string;
  readonly entity: string;
  /** Field of the parent row the children's keyField equals (orders.id for lines.orderId). */
  readonly parentField: string;
  readonly keyField: string;
  readonly projection: ReadonlyArray<string>;
  readonly filter?: Filter;
  readonly orderBy?: ReadonlyArray<OrderBy>;
  /** At most this many children per parent, after filter and order. */
  readonly limitPerKey?: number;
  readonly include?: IncludeRequest;
}

/** Rows of one entity matching a filter, in order, at most `limit` (keyset paging). */
export interface ScanRequest {
  readonly entity: string;
  readonly projection: ReadonlyArray<string>;
  readonly filter?: Filter;
  readonly orderBy: ReadonlyArray<OrderBy>;
  readonly limit: number;
}

export type AggregateFunction = 'count' | 'countDistinct' | 'sum' | 'min' | 'max' | 'avg';

export interface Aggregation {
  /** Output name of the aggregate in the returned rows. */
  readonly as: string;
  readonly fn: AggregateFunction;
  /** Omitted for count(*). */
  readonly field?: string;
}

/** Aggregates over an entity, grouped by canonical fields; one row per group. */
export interface AggregateRequest {
  readonly entity: string;
  readonly groupBy: ReadonlyArray<string>;
  readonly aggregations: ReadonlyArray<Aggregation>;
  readonly filter?: Filter;
}

/** A bound on one per-customer RFM measure; both ends inclusive. */
export interface MetricRange {
  readonly min?: number;
  readonly max?: number;
}

/** The per-customer RFM measures an analytics predicate can test. */
export type RfmMetric = 'r' | 'f' | 'm' | 'recencyDays' | 'frequency' | 'monetary' | 'tenureDays';

/** Every bound must hold (AND); an empty predicate holds for every scored customer. */
export type RfmPredicate = Readonly<Partial<Record<RfmMetric, MetricRange>>>;

/** How orders are read for RFM: placed in (asOf - windowDays, asOf], not cancelled or returned. */
export interface RfmWindow {
  /** ISO 8601 UTC. */
  readonly asOf: string;
  readonly windowDays: number;
}

/** Decayed intent: each event weighs `weights[type] * 0.5^(ageDays / halfLifeDays)`. */
export interface IntentWindow {
  readonly asOf: string;
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * Quintile boundaries of the scored base (a statistic, not customer data): for score s in
 * 2..5, `metric[s - 2]` is the value of the ceil((s-1)N/5)-th worst scored customer, and a
 * customer scores at least s when strictly better than it (fewer recency days, more orders,
 * more money). That is the rank rule of `rfm` exactly: score = 1 + floor(5 × worse / N).
 * null where the base is too small to have that customer.
 */
export interface RfmBoundaries {
  readonly customers: number;
  readonly recencyDays: ReadonlyArray<number | null>;
  readonly frequency: ReadonlyArray<number | null>;
  readonly monetary: ReadonlyArray<number | null>;
}

/** Intent levels' lowest scores, ascending (low, medium, high). */
export type IntentThresholds = ReadonlyArray<number>;

/**
 * Statements the generic aggregate cannot express (quintiles over per-customer aggregates,
 * time decay). Customer ids are the shop's own (order.customerId, event.customerId).
 */
export type AnalyticsRequest =
  /** One row per scored customer (of `customerIds`, or all): recencyDays, frequency, monetary, r, f, m… */
  | ({ readonly kind: 'rfm'; readonly customerIds?: ReadonlyArray<string> } & RfmWindow)
  /** One row: `customers` and, per metric and score s in 2..5, `r_s`, `f_s`, `m_s` (see RfmBoundaries). */
  | ({ readonly kind: 'rfmBoundaries' } & RfmWindow)
  /**
   * One row per customer of `customerIds` with an order in the window: its own measures, no scores (an index range each).
   * Without `customerIds`: every customer with an order in the window, one GROUP BY and no ranking (whole-base answers scored by cached boundaries).
   */
  | ({ readonly kind: 'rfmMeasures'; readonly customerIds?: ReadonlyArray<string> } & RfmWindow)
  /**
   * One row: for each predicate i, `count_i`, `revenue_i`, `orders_i`; and `customers`, `revenue` over the base.
   * With `boundaries`, scores come from them (one GROUP BY, no ranking of the base).
   */
  | ({ readonly kind: 'rfmTotals'; readonly predicates: ReadonlyArray<RfmPredicate>; readonly boundaries?: RfmBoundaries } & RfmWindow)
  /** Rows { level, customers }: shop customers with an event in the lookback, per intent level index (0 NONE … thresholds.length). */
  | ({ readonly kind: 'intentLevels'; readonly thresholds: IntentThresholds } & IntentWindow)
  /** One row per (customerId, productId): score, lastAt, lastCartAt (add-to-cart or checkout). */
  | ({ readonly kind: 'intent'; readonly customerIds: ReadonlyArray<string> } & IntentWindow)
  /** One row: `customers` whose score is at least minScore and who placed no RFM order in `purchases`. */
  | ({ readonly kind: 'intentWithoutPurchase'; readonly minScore: number; readonly purchases: RfmWindow } & IntentWindow)
  /**
   * Customer ids (rows of { customerId }) in ascending id order, at most `limit`, after
   * `afterId`, restricted to `customerIds` when given: scored customers meeting `predicate`,
   * or customers whose intent reaches `minScore` (and, with `withoutPurchase`, who bought nothing in it).
   */
  | {
      readonly kind: 'members';
      readonly of:
        | ({ readonly kind: 'rfm'; readonly predicate: RfmPredicate; readonly boundaries?: RfmBoundaries } & RfmWindow)
        | ({ readonly kind: 'intent'; readonly minScore: number; readonly withoutPurchase?: RfmWindow } & IntentWindow);
      readonly afterId?: string;
      readonly customerIds?: ReadonlyArray<string>;
      readonly limit: number;
    };

export type AnalyticsKind = AnalyticsRequest['kind'];

export interface Capabilities {
  readonly projection: boolean;
  readonly limitPerKey: boolean;
  readonly scan: boolean;
  readonly aggregate: boolean;
  readonly keyMatch: ReadonlyArray<KeyMatch>;
  readonly filter: { readonly operators: ReadonlyArray<FilterOperator> };
  /** Largest number of keys one call takes; the gateway splits larger batches. */
  readonly maxBatchSize: number;
  /** The analytics statements the connector runs; absent or empty: none. */
  readonly analytics?: ReadonlyArray<AnalyticsKind>;
  /** Whether a load takes `include` (children of the same source in the same statement). */
  readonly include?: boolean;
  /** Whether a load takes `keyParts` (a compound key). */
  readonly compoundKeys?: boolean;
}

/** What a connector tells the gateway about each statement or HTTP call it made. */
export interface SourceCall {
  readonly source: string;
  readonly entity: string;
  /** SQL text with placeholders, or "GET /path?query". Never parameter values. */
  readonly statement: string;
  readonly rows: number;
  readonly millis: number;
}

export interface CallOptions {
  readonly signal: AbortSignal;
  /** Called once per statement or HTTP call, also when it failed (rows 0). */
  readonly onCall?: (call: SourceCall) => void;
}

export type SourceState = 'up' | 'degraded' | 'down';

export interface SourceHealth {
  readonly state: SourceState;
  readonly latencyMillis?: number;
  readonly detail?: string;
}

/** A mapped table or endpoint and what it lacks, as found by `check`. */
export interface LookupReport {
  /** False when each lookup scans the table. */
  readonly served: boolean;
  readonly message: string;
}

export interface MappingProblem {
  readonly entity: string;
  /** "table" for a missing table, "endpoint" for a REST call, else the canonical field concerned. */
  readonly field: string;
  readonly message: string;
  /**
   * A warning informs (stored values that read as OTHER, a REST reply with no item to
   * verify paths against) without failing `check` or taking `serve` out of rotation.
   */
  readonly severity?: 'warning';
  /** The source could not be reached (down, timed out, 5xx): `check` fails, `serve` asks again later. */
  readonly unreachable?: true;
}

export interface Connector {
  /** The source's name in c360.yaml, e.g. "crm". */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** One result per key, in key order; [] where nothing matches. */
  load(request: LoadRequest, options: CallOptions): Promise<ReadonlyArray<ReadonlyArray<Row>>>;
  /**
   * Several loads of one entity by different key fields (blocking rules: same birth date,
   * same surname, same postcode; identity lookups: same id, e-mail, phone) answered by one
   * statement (UNION ALL); one result per request, each as `load` answers it. Requests
   * share projection, order and limitPerKey (or all have neither order nor limitPerKey)
   * and take no include. Optional: without it the gateway sends the loads one by one.
   */
  loadUnion?(requests: ReadonlyArray<LoadRequest>, options: CallOptions): Promise<ReadonlyArray<ReadonlyArray<ReadonlyArray<Row>>>>;
  /** Rows matching the filter, in order, at most `limit`. Only when capabilities.scan. */
  scan?(request: ScanRequest, options: CallOptions): Promise<ReadonlyArray<Row>>;
  /** One row per group. Only when capabilities.aggregate. */
  aggregate?(request: AggregateRequest, options: CallOptions): Promise<ReadonlyArray<Row>>;
  /** Rows of an analytics statement, computed in the source. Only the kinds in capabilities.analytics. */
  analytics?(request: AnalyticsRequest, options: CallOptions): Promise<ReadonlyArray<Row>>;
  /** One GROUP BY over the orders for an analytics cube query (./cube-contract.ts). */
  cube?(request: CubeRequest, options: CallOptions): Promise<ReadonlyArray<Row>>;
  /** Verifies that every mapped table and column exists; [] when all do. */
  checkMapping(options: CallOptions): Promise<ReadonlyArray<MappingProblem>>;
  /** SQL sources: how an index serves each identity lookup, or what to run where none does (`c360 check`). */
  describeLookups?(options: CallOptions): Promise<ReadonlyArray<LookupReport>>;
  /** SQL sources: whether an index serves each probabilistic blocking rule's load (`c360 check`). */
  describeBlockingLookups?(
    lookups: ReadonlyArray<{ readonly entity: string; readonly name: string; readonly parts: ReadonlyArray<KeyPart> }>,
    options: CallOptions,
  ): Promise<ReadonlyArray<LookupReport>>;
  health(signal: AbortSignal): Promise<SourceHealth>;
  close(): Promise<void>;
}

/** Why a source call failed, as the gateway reports it. */
export type SourceFailure = 'SOURCE_UNAVAILABLE' | 'SOURCE_TIMEOUT' | 'SOURCE_BAD_RESPONSE' | 'CIRCUIT_OPEN';

/** The only error a connector throws for a failed call; `cause` keeps the driver's error for the log. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceFailure,
    readonly source: string,
    message: string,
    options?: { cause?: unknown; path?: string; rejectedValue?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path;
    this.rejectedValue = options?.rejectedValue === true;
  }
  /** Where in the source's reply the problem is (SOURCE_BAD_RESPONSE). */
  readonly path: string | undefined;
  /**
   * The source refused a value of the request as malformed for its column (PostgreSQL's
   * SQLSTATE class 22, "invalid input syntax for type integer"): when that value came from
   * the client (a key in an id or a cursor), the resolver answers BAD_USER_INPUT.
   */
  readonly rejectedValue: boolean;
}

/** A request for something the connector did not declare in its capabilities. */
export class UnsupportedRequestError extends Error {
  override readonly name = 'UnsupportedRequestError';
  constructor(
    readonly source: string,
    readonly what: string,
  ) {
    super(`source "${source}" cannot ${what}`);
  }
}

export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${JSON.stringify(value)}`);
  }
}
