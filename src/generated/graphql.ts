import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CustomerModel, OrderModel, OrderLineModel, ContactModel, AccountModel, ShopCustomerModel, ProductModel, RowModel, CompanyModel, TimelineEntryModel } from '../resolvers/models.js';
import type { IntentModel } from '../insights/models.js';
import type { AnalyticsAnswer } from '../analytics/engine.js';
import type { RequestContext } from '../gateway/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, ISO 8601 (2026-03-01). */
  Date: { input: string; output: string; }
  /** An instant, ISO 8601 in UTC (2026-03-01T10:00:00.000Z). */
  DateTime: { input: string; output: string; }
};

/** A company account in the CRM. */
export type Account = {
  __typename?: 'Account';
  /**
   * The company in the company registry, found by the account's SIREN (or its SIRET's).
   * An invalid SIREN or SIRET is an error on this field (BAD_USER_INPUT) and is never sent.
   */
  company?: Maybe<Company>;
  id: Scalars['ID']['output'];
  industry?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  siren?: Maybe<Scalars['String']['output']>;
  siret?: Maybe<Scalars['String']['output']>;
};

export type AnalyticsDateRange = {
  /** Inclusive. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exclusive. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type AnalyticsDimension =
  /** Month (YYYY-MM) of the shop account's first counted order: the cohort. */
  | 'ACQUISITION_MONTH'
  /** Order channel (WEB, STORE). */
  | 'CHANNEL'
  /** The CRM contact's city. */
  | 'CITY'
  /** PERSON or COMPANY, from the CRM contact. */
  | 'CUSTOMER_KIND'
  /** The French département of the CRM contact's postcode. */
  | 'DEPARTEMENT'
  /** Headcount band of the contact's account in the company registry. */
  | 'HEADCOUNT_BAND'
  /** The customer's intent level from web/app events as of the period's end. */
  | 'INTENT_LEVEL'
  /** Order status. */
  | 'ORDER_STATUS'
  /** Product category of the order lines. */
  | 'PRODUCT_CATEGORY'
  /** The customer's R, F and M scores as digits, e.g. "545". */
  | 'RFM_CELL'
  /** The customer's RFM GRID segment as of the period's end (insights.segments). */
  | 'SEGMENT'
  /** The store of the order. */
  | 'STORE';

export type AnalyticsDimensionValue = {
  __typename?: 'AnalyticsDimensionValue';
  dimension: AnalyticsDimension;
  value?: Maybe<Scalars['String']['output']>;
};

/** Every given condition must hold; values within one list are alternatives. */
export type AnalyticsFilter = {
  channel?: InputMaybe<Array<OrderChannel>>;
  customerKind?: InputMaybe<Array<CustomerKind>>;
  orderStatus?: InputMaybe<Array<OrderStatus>>;
  productCategory?: InputMaybe<Array<Scalars['String']['input']>>;
  segment?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type AnalyticsGranularity =
  | 'DAY'
  | 'MONTH'
  | 'QUARTER'
  | 'WEEK'
  | 'YEAR';

export type AnalyticsMeasure =
  /** REVENUE / ORDERS. */
  | 'AVERAGE_BASKET'
  /** Distinct shop accounts with at least one counted order in the group. */
  | 'CUSTOMERS'
  /** Helpdesk tickets OPEN or PENDING. */
  | 'OPEN_TICKETS'
  /** Counted orders (cancelled and returned ones excluded unless filter.orderStatus names them). */
  | 'ORDERS'
  /** Share of CUSTOMERS with at least two counted orders in the group (0 to 1). */
  | 'REPEAT_RATE'
  /** Sum of the orders' totals (of the lines' totals when grouped by product category). */
  | 'REVENUE'
  /** Helpdesk tickets. */
  | 'TICKETS'
  /** Sum of the order lines' quantities. */
  | 'UNITS';

export type AnalyticsOrder = {
  dimension?: InputMaybe<AnalyticsDimension>;
  direction?: InputMaybe<SortDirection>;
  /** A measure, PERIOD, or a dimension with `dimension`. */
  field?: InputMaybe<AnalyticsOrderField>;
};

export type AnalyticsOrderField =
  | 'AVERAGE_BASKET'
  | 'CUSTOMERS'
  | 'OPEN_TICKETS'
  | 'ORDERS'
  | 'PERIOD'
  | 'REPEAT_RATE'
  | 'REVENUE'
  | 'TICKETS'
  | 'UNITS';

export type AnalyticsPlan =
  | 'LINKED'
  | 'SINGLE_SOURCE';

export type AnalyticsResult = {
  __typename?: 'AnalyticsResult';
  /** SINGLE_SOURCE (one GROUP BY) or LINKED (bulk linking in c360). */
  plan: AnalyticsPlan;
  /** One row per group, after orderBy and limit. */
  rows: Array<AnalyticsRow>;
  /** Sources that answered, e.g. ["shop", "crm"]. */
  sources: Array<Scalars['String']['output']>;
  /** Groups before the limit cut. */
  totalGroups: Scalars['Int']['output'];
};

export type AnalyticsRow = {
  __typename?: 'AnalyticsRow';
  averageBasket?: Maybe<Scalars['Float']['output']>;
  customers?: Maybe<Scalars['Int']['output']>;
  /** One value per requested dimension, in the requested order; null is shown as null. */
  dimensions: Array<AnalyticsDimensionValue>;
  openTickets?: Maybe<Scalars['Int']['output']>;
  orders?: Maybe<Scalars['Int']['output']>;
  /** Start of the period (YYYY-MM-DD), with a granularity. */
  period?: Maybe<Scalars['String']['output']>;
  repeatRate?: Maybe<Scalars['Float']['output']>;
  revenue?: Maybe<Scalars['Float']['output']>;
  tickets?: Maybe<Scalars['Int']['output']>;
  units?: Maybe<Scalars['Float']['output']>;
};

export type AnalyticsTimeDimension = {
  dateRange?: InputMaybe<AnalyticsDateRange>;
  field?: InputMaybe<AnalyticsTimeField>;
  /** Groups by period start; without it the range only filters. */
  granularity?: InputMaybe<AnalyticsGranularity>;
};

/** The date each fact is placed at: an order's placedAt, a ticket's createdAt. */
export type AnalyticsTimeField =
  | 'FACT_DATE';

/** A company as the company registry describes it. */
export type Company = {
  __typename?: 'Company';
  closedDate?: Maybe<Scalars['Date']['output']>;
  creationDate?: Maybe<Scalars['Date']['output']>;
  executives: Array<Executive>;
  /** When c360 received this record (the registry connector may serve it from its reply cache). */
  fetchedAt: Scalars['DateTime']['output'];
  headOffice?: Maybe<PostalAddress>;
  /** INSEE headcount band code, e.g. 12 */
  headcountBand?: Maybe<Scalars['String']['output']>;
  /** The most recent year of published accounts. */
  latestFinances?: Maybe<CompanyFinances>;
  legalName?: Maybe<Scalars['String']['output']>;
  /** NAF/APE activity code, e.g. 47.71Z */
  nafCode?: Maybe<Scalars['String']['output']>;
  nafLabel?: Maybe<Scalars['String']['output']>;
  siren: Scalars['ID']['output'];
  /** The head office's SIRET. */
  siret?: Maybe<Scalars['String']['output']>;
  state?: Maybe<CompanyState>;
};

export type CompanyFinances = {
  __typename?: 'CompanyFinances';
  netIncome?: Maybe<Scalars['Float']['output']>;
  revenue?: Maybe<Scalars['Float']['output']>;
  year?: Maybe<Scalars['Int']['output']>;
};

export type CompanyState =
  | 'ACTIVE'
  | 'CLOSED';

export type Consent = {
  __typename?: 'Consent';
  channel?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** e.g. marketing_email, marketing_sms, profiling, partner_sharing */
  purpose?: Maybe<Scalars['String']['output']>;
  recordedAt?: Maybe<Scalars['DateTime']['output']>;
  status?: Maybe<ConsentStatus>;
};

export type ConsentStatus =
  | 'DENIED'
  | 'GRANTED'
  | 'WITHDRAWN';

/** A CRM contact record, as the CRM holds it. */
export type Contact = {
  __typename?: 'Contact';
  address?: Maybe<PostalAddress>;
  birthDate?: Maybe<Scalars['Date']['output']>;
  companyName?: Maybe<Scalars['String']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  firstName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind?: Maybe<CustomerKind>;
  lastName?: Maybe<Scalars['String']['output']>;
  mobile?: Maybe<Scalars['String']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** One customer as every source knows them, assembled at query time. */
export type Customer = {
  __typename?: 'Customer';
  /** The company the customer is or works for, from the CRM. */
  account?: Maybe<Account>;
  address?: Maybe<PostalAddress>;
  consents?: Maybe<Array<Consent>>;
  /** The CRM contact; null when the CRM has none or is unavailable. */
  contact?: Maybe<Contact>;
  /** Completeness, validity, staleness and conflicts of this customer's data across sources. */
  dataQuality: DataQuality;
  displayName?: Maybe<Scalars['String']['output']>;
  /** Records that may be this customer: scored between the review and link thresholds, not merged. */
  duplicateCandidates: Array<DuplicateCandidate>;
  /** Golden email: normalized, from the highest-priority source that has a valid one. */
  email?: Maybe<Scalars['String']['output']>;
  /** Web and app behaviour, most recent first. */
  events?: Maybe<Array<WebEvent>>;
  /** Other people who share an email or phone with this customer (a household, a parent, a twin): shown, never merged. */
  household: Array<HouseholdMember>;
  /** Stable and opaque: use it as it is. */
  id: Scalars['ID']['output'];
  /** Every source record of this customer, how it was matched and why. */
  identities: Array<Identity>;
  /** Buying intent from web/app events and store visits, time-decayed. */
  intent?: Maybe<Intent>;
  interactions?: Maybe<Array<Interaction>>;
  kind: CustomerKind;
  name?: Maybe<PersonName>;
  /** Orders across the linked shop accounts, most recent first. */
  orders?: Maybe<OrderConnection>;
  /** Golden phone in E.164 (+33612345678). */
  phone?: Maybe<Scalars['String']['output']>;
  /** Where each golden field comes from: the winning record, the rule that chose it, and every record's value. */
  provenance: Array<FieldProvenance>;
  /** Recency, frequency, monetary value and their 1-5 quintile scores over the RFM window; null without an order in it. */
  rfm?: Maybe<Rfm>;
  /** At most one GRID segment and any number of MARKETING segments. */
  segments?: Maybe<Array<Segment>>;
  /** A summary over all of the customer's tickets; null when the helpdesk is unavailable. */
  service?: Maybe<ServiceSummary>;
  /** The shop's customer accounts linked to this customer. */
  shopAccounts?: Maybe<Array<ShopCustomer>>;
  /** The source records this customer was assembled from, and how each was linked. */
  sources: Array<SourceRecord>;
  /**
   * After-sales tickets requested from any of the customer's emails (golden and every
   * linked record's), most recent first. Null when the helpdesk is unavailable.
   */
  tickets?: Maybe<Array<Ticket>>;
  /**
   * Orders, store visits, other CRM interactions and helpdesk tickets, oldest first, strictly
   * after `since` (from the beginning when absent). For the next page, pass the last entry's
   * `at` as `since`. Each source is asked for at most `first` entries. Null, with that
   * source's error, when one of the sources fails.
   * With `newestFirst: true`: newest first, strictly before `before` (from now when absent); for
   * the next page pass the last entry's `at` as `before`. `kinds` and `sources` keep only those
   * kinds of entry and those sources (names in c360.yaml); a source left out is not asked.
   */
  timeline?: Maybe<Array<TimelineEntry>>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerEventsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  types?: InputMaybe<Array<WebEventType>>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerIntentArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerInteractionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  types?: InputMaybe<Array<InteractionType>>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  channel?: InputMaybe<OrderChannel>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Array<OrderStatus>>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerRfmArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerSegmentsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerTicketsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Array<TicketStatus>>;
};


/** One customer as every source knows them, assembled at query time. */
export type CustomerTimelineArgs = {
  before?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kinds?: InputMaybe<Array<TimelineKind>>;
  newestFirst?: InputMaybe<Scalars['Boolean']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  sources?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  edges: Array<CustomerEdge>;
  pageInfo: PageInfo;
};

export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  cursor: Scalars['String']['output'];
  node: Customer;
};

export type CustomerFilter = {
  /** The date segment, intent and revenue are computed at; default now. */
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  /** City, case-insensitive. */
  city?: InputMaybe<Scalars['String']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** true: customers with an OPEN or PENDING helpdesk ticket under an email of theirs (the helpdesk filters). Not combinable with other filters; false is refused. */
  hasOpenTicket?: InputMaybe<Scalars['Boolean']['input']>;
  /** Intent at least this level. */
  intentLevel?: InputMaybe<IntentLevel>;
  kind?: InputMaybe<CustomerKind>;
  /** Revenue (RFM monetary) in the RFM window at least this much. */
  minRevenue?: InputMaybe<Scalars['Float']['input']>;
  /** Exact postcode. */
  postcode?: InputMaybe<Scalars['String']['input']>;
  /** A segment id from Query.segments. */
  segment?: InputMaybe<Scalars['ID']['input']>;
};

export type CustomerKind =
  | 'COMPANY'
  | 'PERSON';

export type CustomerSearchConnection = {
  __typename?: 'CustomerSearchConnection';
  edges: Array<CustomerSearchEdge>;
  pageInfo: PageInfo;
};

export type CustomerSearchEdge = {
  __typename?: 'CustomerSearchEdge';
  cursor: Scalars['String']['output'];
  /** What the text matched, best first: EMAIL, PHONE, SIRET, SIREN, NAME, COMPANY, CITY, NAME_SIMILAR. */
  matchedOn: Array<SearchMatch>;
  node: Customer;
};

export type CustomerSignal = {
  __typename?: 'CustomerSignal';
  customerId: Scalars['ID']['output'];
  evidence: SignalEvidence;
  firedAt: Scalars['DateTime']['output'];
  /** The same for a firing sent twice (at-least-once delivery): deduplicate on it. */
  idempotencyKey: Scalars['ID']['output'];
  trigger: Scalars['ID']['output'];
};

export type DataQuality = {
  __typename?: 'DataQuality';
  /** False when a source stores a date of birth that is not a date in the mapping's declared format (it reads as null). */
  birthDateValid?: Maybe<Scalars['Boolean']['output']>;
  /** 0..1: share of the expected golden fields (name, email, phone, postcode, city, street) present. */
  completeness: Scalars['Float']['output'];
  /** Fields whose sources disagree. */
  conflicts: Array<FieldConflict>;
  /** Null when no source has a value. */
  emailValid?: Maybe<Scalars['Boolean']['output']>;
  /** Most recent update across the customer's records. */
  lastUpdatedAt?: Maybe<Scalars['DateTime']['output']>;
  phoneValid?: Maybe<Scalars['Boolean']['output']>;
  postcodeValid?: Maybe<Scalars['Boolean']['output']>;
  /** 0..1: mean of completeness, validity and freshness, minus conflicts. */
  score: Scalars['Float']['output'];
  siretValid?: Maybe<Scalars['Boolean']['output']>;
  /** No record updated in the last two years. */
  stale: Scalars['Boolean']['output'];
  /** Records of this customer whose stored date of birth is not a date in the mapping's declared format. */
  unparseableBirthDates: Scalars['Int']['output'];
};

export type DataQualityIssueCount = {
  __typename?: 'DataQualityIssueCount';
  count: Scalars['Int']['output'];
  entity: Scalars['String']['output'];
  kind: DataQualityIssueKind;
  source: Scalars['String']['output'];
};

export type DataQualityIssueKind =
  /** A placeholder email from the blocklist (noemail@…, test@…). */
  | 'JUNK_EMAIL'
  | 'MISSING_EMAIL'
  | 'MISSING_NAME'
  | 'MISSING_PHONE'
  | 'MISSING_POSTCODE'
  /** Records holding an email that an earlier record of the same source holds (count minus distinct). */
  | 'SHARED_EMAIL'
  /** Not updated for two years. */
  | 'STALE';

export type DataQualityReport = {
  __typename?: 'DataQualityReport';
  /** One line per (source, entity, issue kind). */
  issues: Array<DataQualityIssueCount>;
  /** Records per source entity, the denominators. */
  records: Array<SourceRecordCount>;
};

/** A record that may be the same customer, with the evidence for and against. */
export type DuplicateCandidate = {
  __typename?: 'DuplicateCandidate';
  entity: Scalars['String']['output'];
  key: Scalars['ID']['output'];
  reasons: Array<MatchReason>;
  /** Match probability, between the review and link thresholds. */
  score: Scalars['Float']['output'];
  source: Scalars['String']['output'];
};

/** Records of one entity to erase in one source. */
export type ErasureTarget = {
  __typename?: 'ErasureTarget';
  entity: Scalars['String']['output'];
  keys: Array<Scalars['ID']['output']>;
  source: Scalars['String']['output'];
};

export type Executive = {
  __typename?: 'Executive';
  firstName?: Maybe<Scalars['String']['output']>;
  lastName?: Maybe<Scalars['String']['output']>;
  role?: Maybe<Scalars['String']['output']>;
};

/** A record key in a named source, e.g. { source: "shop", key: "1042" }. */
export type ExternalIdInput = {
  key: Scalars['ID']['input'];
  source: Scalars['String']['input'];
};

/** Two or more sources holding different values for one golden field. */
export type FieldConflict = {
  __typename?: 'FieldConflict';
  field: Scalars['String']['output'];
  values: Array<SourcedValue>;
};

/** The provenance of one golden field (email, phone, name, address, kind, companyName, displayName). */
export type FieldProvenance = {
  __typename?: 'FieldProvenance';
  /** Every record's value for this field, the winner's included, in configured source order. */
  alternatives: Array<SourcedValue>;
  /** The records hold different normalized values. */
  conflict: Scalars['Boolean']['output'];
  entity?: Maybe<Scalars['String']['output']>;
  field: Scalars['String']['output'];
  key?: Maybe<Scalars['ID']['output']>;
  /** The winning record; null when no record holds a value. */
  source?: Maybe<Scalars['String']['output']>;
  strategy: SurvivorshipStrategy;
  /** When the winning record was last updated, as its source says. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The golden value as text (a name in full, an address on one line); null when no record holds one. */
  value?: Maybe<Scalars['String']['output']>;
};

/** A record that shares an identifier with the customer but is another person. */
export type HouseholdMember = {
  __typename?: 'HouseholdMember';
  entity: Scalars['String']['output'];
  key: Scalars['ID']['output'];
  /** Why they are not one person. */
  reason: HouseholdReason;
  /** The identifier they share. */
  sharedBy: MatchRule;
  source: Scalars['String']['output'];
};

export type HouseholdReason =
  /** Birth dates that are not one date mistyped (a parent and a child). */
  | 'BIRTH_DATES_DIFFER'
  /** Different generation markers (Jr, fils, père). */
  | 'GENERATIONS_DIFFER'
  /** Given names that cannot be one person's (Laurent / Véronique, Jean / Jeanne). */
  | 'GIVEN_NAMES_DIFFER'
  /** A person and a company record (a switchboard, a business address). */
  | 'PERSON_AND_COMPANY';

/** One source record of a customer. */
export type Identity = {
  __typename?: 'Identity';
  entity: Scalars['String']['output'];
  /** The rule, or for PROBABILISTIC the field scores, in one line. */
  explanation: Scalars['String']['output'];
  key: Scalars['ID']['output'];
  matchedBy: MatchRule;
  /** Per-field evidence of a PROBABILISTIC match; empty otherwise. */
  reasons: Array<MatchReason>;
  /** Match probability: 1 for the anchor and identifier rules, the model's for PROBABILISTIC. */
  score: Scalars['Float']['output'];
  source: Scalars['String']['output'];
};

export type Intent = {
  __typename?: 'Intent';
  /** An add-to-cart or checkout recently, with no order since. */
  aboutToBuy: Scalars['Boolean']['output'];
  /** Categories of those products, strongest first. */
  categories: Array<Scalars['String']['output']>;
  lastSignalAt?: Maybe<Scalars['DateTime']['output']>;
  level: IntentLevel;
  /** Products the signals point to, strongest first. */
  products: Array<Product>;
  score: Scalars['Float']['output'];
};

export type IntentDistribution = {
  __typename?: 'IntentDistribution';
  asOf: Scalars['DateTime']['output'];
  levels: Array<IntentLevelCount>;
};

export type IntentLevel =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'NONE';

export type IntentLevelCount = {
  __typename?: 'IntentLevelCount';
  level: IntentLevel;
  shopAccounts: Scalars['Int']['output'];
};

export type Interaction = {
  __typename?: 'Interaction';
  agent?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  occurredAt?: Maybe<Scalars['DateTime']['output']>;
  storeId?: Maybe<Scalars['String']['output']>;
  subject?: Maybe<Scalars['String']['output']>;
  type?: Maybe<InteractionType>;
};

export type InteractionType =
  | 'CALL'
  | 'EMAIL'
  | 'MEETING'
  | 'STORE_VISIT';

/** One field's contribution to a match score (Fellegi–Sunter log2 Bayes factor). */
export type MatchReason = {
  __typename?: 'MatchReason';
  field: Scalars['String']['output'];
  /** Agreement level, e.g. exact, jw>=0.94, else; null when either side has no value. */
  level?: Maybe<Scalars['String']['output']>;
  /** The other record's normalized value. */
  otherValue?: Maybe<Scalars['String']['output']>;
  /** This customer's normalized value. */
  value?: Maybe<Scalars['String']['output']>;
  /** log2(m/u): positive is evidence for a match, negative against. */
  weight: Scalars['Float']['output'];
};

export type MatchRule =
  | 'ANCHOR'
  | 'EMAIL'
  | 'EXTERNAL_ID'
  | 'PHONE'
  /** Linked by the scoring model on names, birth date and address (no shared identifier). */
  | 'PROBABILISTIC';

export type Order = {
  __typename?: 'Order';
  channel?: Maybe<OrderChannel>;
  /** The channel as the source stores it ("app", "amazon"), whatever channel reads as. */
  channelRaw?: Maybe<Scalars['String']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lines: Array<OrderLine>;
  placedAt?: Maybe<Scalars['DateTime']['output']>;
  status?: Maybe<OrderStatus>;
  /** The status as the source stores it ("wc-completed"). */
  statusRaw?: Maybe<Scalars['String']['output']>;
  storeId?: Maybe<Scalars['String']['output']>;
  total?: Maybe<Scalars['Float']['output']>;
};

/**
 * Where an order was placed. An open set: a channel the source stores that the mapping does
 * not map (and that is none of these) is OTHER, with the stored value in Order.channelRaw.
 */
export type OrderChannel =
  | 'APP'
  | 'MARKETPLACE'
  | 'OTHER'
  | 'PHONE'
  | 'STORE'
  | 'WEB';

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  nodes: Array<Order>;
  pageInfo: PageInfo;
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  id: Scalars['ID']['output'];
  lineTotal?: Maybe<Scalars['Float']['output']>;
  product?: Maybe<Product>;
  productName?: Maybe<Scalars['String']['output']>;
  quantity?: Maybe<Scalars['Int']['output']>;
  sku?: Maybe<Scalars['String']['output']>;
  unitPrice?: Maybe<Scalars['Float']['output']>;
};

export type OrderStatus =
  | 'CANCELLED'
  | 'DELIVERED'
  /** A status the mapping does not map: the stored value is in Order.statusRaw. */
  | 'OTHER'
  | 'PAID'
  | 'PENDING'
  | 'RETURNED'
  | 'SHIPPED';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** One past access to the customer's personal data, from the audit log. */
export type PastAccess = {
  __typename?: 'PastAccess';
  at: Scalars['DateTime']['output'];
  fields: Array<Scalars['String']['output']>;
  operation: Scalars['String']['output'];
  outcome: Scalars['String']['output'];
  principal: Scalars['String']['output'];
  purpose?: Maybe<Scalars['String']['output']>;
  role: Scalars['String']['output'];
};

export type PersonName = {
  __typename?: 'PersonName';
  first?: Maybe<Scalars['String']['output']>;
  full?: Maybe<Scalars['String']['output']>;
  last?: Maybe<Scalars['String']['output']>;
};

/** The kind of personal data a field holds; each kind is read with the scope pii:<kind in lower case>. */
export type PiiKind =
  /** Postal addresses of people. */
  | 'ADDRESS'
  /** What a person did on the web site or app. */
  | 'BEHAVIOUR'
  | 'BIRTH_DATE'
  /** Email addresses and phone numbers. */
  | 'CONTACT'
  /** Text a person or an agent typed: subjects, messages, searches. */
  | 'FREE_TEXT'
  /** First, last and display names of people. */
  | 'NAME';

export type PostalAddress = {
  __typename?: 'PostalAddress';
  city?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  postcode?: Maybe<Scalars['String']['output']>;
  street?: Maybe<Scalars['String']['output']>;
};

export type Product = {
  __typename?: 'Product';
  brand?: Maybe<Scalars['String']['output']>;
  category?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  price?: Maybe<Scalars['Float']['output']>;
  sku?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * A cube over the customer view, the way Cube's GraphQL API and Hasura's aggregates are
   * asked: measures by dimensions and a time dimension. A measure and dimensions of one
   * source are one GROUP BY in that source; a dimension of another source is joined in c360
   * by bulk linking (each source's identifiers read once). The enums offer only what the
   * config maps. docs/analytics.md.
   */
  analytics: AnalyticsResult;
  /** One customer by its c360 id; null when no source holds it. */
  customer?: Maybe<Customer>;
  /** One customer by an identifier: exactly one of email, phone or externalId. */
  customerBy?: Maybe<Customer>;
  /**
   * Customers as staff look them up: a full name in either order ("Julie Gaillard",
   * "GAILLARD Julie"), a prefix, a small typo, accents and case ignored; an email, a phone in
   * any format, a SIREN or SIRET, a company name, a city. Ranked (an exact identifier first),
   * deduplicated across sources, paged. Only fields the caller may read are searched.
   */
  customerSearch: CustomerSearchConnection;
  /**
   * Every customer, CRM contacts first then shop-only customers, in stable pages. Null, with
   * its error, when this field fails (a bad argument, a forged cursor): the operation's other
   * fields still answer.
   */
  customers?: Maybe<CustomerConnection>;
  /** Data-quality issues over the whole customer base, counted in the sources by aggregate statements. */
  dataQualityReport: DataQualityReport;
  /**
   * GDPR erasure (admin only): c360 copies nothing, so erasing means erasing in each source;
   * this lists the records to erase there.
   */
  erasurePlan?: Maybe<Array<ErasureTarget>>;
  /** Shop accounts with a web event in the intent lookback, per intent level from their events (store visits are per customer and not counted here). One GROUP BY in the shop. */
  intentDistribution?: Maybe<IntentDistribution>;
  /** The first page of customerSearch: the best-ranked customers for what staff type (docs/ui.md, search). */
  searchCustomers: Array<Customer>;
  /** Per segment of the shop's customer base as of a date (default now): customers, revenue, average basket, share of revenue. Computed in the shop. */
  segments?: Maybe<Array<SegmentSummary>>;
  /**
   * GDPR subject access (admin only): everything every source holds on one customer, as
   * JSON text, with the dates and purposes of past accesses to their personal data.
   */
  subjectAccessExport?: Maybe<SubjectAccessExport>;
  /** Signals given up after every delivery try, newest first. Admins only. */
  triggerDeadLetters?: Maybe<Array<TriggerDeadLetter>>;
  /** The latest firings of a trigger, newest first (at most 100 kept in memory); in dry-run, who would have fired. Admins only. */
  triggerFirings?: Maybe<Array<TriggerFiring>>;
};


export type QueryAnalyticsArgs = {
  dimensions?: InputMaybe<Array<AnalyticsDimension>>;
  filter?: InputMaybe<AnalyticsFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  measures: Array<AnalyticsMeasure>;
  orderBy?: InputMaybe<Array<AnalyticsOrder>>;
  timeDimension?: InputMaybe<AnalyticsTimeDimension>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomerByArgs = {
  email?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<ExternalIdInput>;
  phone?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCustomerSearchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CustomerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryErasurePlanArgs = {
  customerId: Scalars['ID']['input'];
};


export type QueryIntentDistributionArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QuerySearchCustomersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
};


export type QuerySegmentsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QuerySubjectAccessExportArgs = {
  customerId: Scalars['ID']['input'];
};


export type QueryTriggerDeadLettersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  trigger?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryTriggerFiringsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  trigger: Scalars['ID']['input'];
};

export type Rfm = {
  __typename?: 'Rfm';
  asOf: Scalars['DateTime']['output'];
  /** R, F and M as digits, e.g. "545". */
  code: Scalars['String']['output'];
  f: Scalars['Int']['output'];
  firstPurchaseAt?: Maybe<Scalars['DateTime']['output']>;
  /** Orders in the window, cancelled and returned ones excluded. */
  frequency: Scalars['Int']['output'];
  lastPurchaseAt?: Maybe<Scalars['DateTime']['output']>;
  m: Scalars['Int']['output'];
  /** Sum of those orders' totals. */
  monetary: Scalars['Float']['output'];
  r: Scalars['Int']['output'];
  /** Whole days since the last order. */
  recencyDays: Scalars['Int']['output'];
  /** When the shop computed the quintile boundaries these scores use (a cached whole-base statistic, see docs/insights.md). */
  statisticsComputedAt?: Maybe<Scalars['DateTime']['output']>;
  windowDays: Scalars['Int']['output'];
};

export type SearchMatch =
  | 'CITY'
  | 'COMPANY'
  | 'EMAIL'
  | 'NAME'
  | 'NAME_SIMILAR'
  | 'PHONE'
  | 'SIREN'
  | 'SIRET';

export type Segment = {
  __typename?: 'Segment';
  family: SegmentFamily;
  id: Scalars['ID']['output'];
  label: Scalars['String']['output'];
};

export type SegmentFamily =
  | 'GRID'
  | 'MARKETING';

export type SegmentSummary = {
  __typename?: 'SegmentSummary';
  /** Revenue per order. */
  averageBasket?: Maybe<Scalars['Float']['output']>;
  customers: Scalars['Int']['output'];
  revenue: Scalars['Float']['output'];
  segment: Segment;
  /** Of the whole base's revenue in the window, 0 to 1. */
  shareOfRevenue: Scalars['Float']['output'];
};

export type ServiceSummary = {
  __typename?: 'ServiceSummary';
  /** Mean of the satisfaction scores given; null when none was. */
  averageSatisfaction?: Maybe<Scalars['Float']['output']>;
  /** The last time a ticket was created or updated. */
  lastContactAt?: Maybe<Scalars['DateTime']['output']>;
  /** Tickets still OPEN or PENDING. */
  openTickets: Scalars['Int']['output'];
};

/** A customer account in the shop. */
export type ShopCustomer = {
  __typename?: 'ShopCustomer';
  address?: Maybe<PostalAddress>;
  birthDate?: Maybe<Scalars['Date']['output']>;
  companyName?: Maybe<Scalars['String']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  firstName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastName?: Maybe<Scalars['String']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  siret?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type SignalEvent = {
  __typename?: 'SignalEvent';
  id: Scalars['ID']['output'];
  occurredAt?: Maybe<Scalars['DateTime']['output']>;
  productId?: Maybe<Scalars['ID']['output']>;
  /** event, order or interaction: the followed source entity. */
  source: Scalars['String']['output'];
  type?: Maybe<Scalars['String']['output']>;
};

/** Why the trigger fired: the new rows that made c360 look, and what it computed from them. */
export type SignalEvidence = {
  __typename?: 'SignalEvidence';
  /** The last web add-to-cart, for storeVisitAfterCart triggers. */
  cartAt?: Maybe<Scalars['DateTime']['output']>;
  events?: Maybe<Array<SignalEvent>>;
  intent?: Maybe<SignalIntent>;
  /** Open or pending helpdesk tickets, for openTicket triggers. */
  openTickets?: Maybe<Scalars['Int']['output']>;
  /** Segment ids the customer is in. */
  segments?: Maybe<Array<Scalars['ID']['output']>>;
  /** The last store visit, for storeVisitAfterCart triggers. */
  storeVisitAt?: Maybe<Scalars['DateTime']['output']>;
};

export type SignalIntent = {
  __typename?: 'SignalIntent';
  aboutToBuy: Scalars['Boolean']['output'];
  categories: Array<Scalars['String']['output']>;
  lastSignalAt?: Maybe<Scalars['DateTime']['output']>;
  level: IntentLevel;
  score: Scalars['Float']['output'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** A record in one source that a customer was assembled from. */
export type SourceRecord = {
  __typename?: 'SourceRecord';
  /** The canonical entity, e.g. contact or shopCustomer. */
  entity: Scalars['String']['output'];
  key: Scalars['ID']['output'];
  /** How the record was linked to the customer: ANCHOR for the record the customer is built on. */
  matchedBy: MatchRule;
  /** The source's name in c360.yaml, e.g. crm. */
  source: Scalars['String']['output'];
};

export type SourceRecordCount = {
  __typename?: 'SourceRecordCount';
  count: Scalars['Int']['output'];
  entity: Scalars['String']['output'];
  source: Scalars['String']['output'];
};

export type SourcedValue = {
  __typename?: 'SourcedValue';
  entity: Scalars['String']['output'];
  key: Scalars['ID']['output'];
  source: Scalars['String']['output'];
  /** When that record was last updated; null when unknown or not read (data-quality conflicts). */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  value?: Maybe<Scalars['String']['output']>;
};

export type SubjectAccessExport = {
  __typename?: 'SubjectAccessExport';
  accesses: Array<PastAccess>;
  customerId: Scalars['ID']['output'];
  /** Every record, as JSON text: the customer as each source holds it. */
  data: Scalars['String']['output'];
  generatedAt: Scalars['DateTime']['output'];
  /** Sources that could not be read for this export, with their error code. */
  unavailable: Array<Scalars['String']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Signals of a trigger as they fire (graphql-ws on /graphql), shaped by the subscriber's field policies. */
  customerSignals: CustomerSignal;
};


export type SubscriptionCustomerSignalsArgs = {
  trigger: Scalars['ID']['input'];
};

/** How a golden field chose among the records that hold a value (identity.survivorship in c360.yaml). */
export type SurvivorshipStrategy =
  /** The normalized value most records hold; ties go by source priority. */
  | 'MOST_FREQUENT'
  /** The value of the most recently updated record; ties and undated records go by source priority. */
  | 'MOST_RECENT'
  /** The most trusted source's first valid value (configured source order, then assembly order). */
  | 'SOURCE_PRIORITY';

/** A helpdesk ticket, as the helpdesk holds it. */
export type Ticket = {
  __typename?: 'Ticket';
  /** e.g. email, web, phone, chat */
  channel?: Maybe<Scalars['String']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  messages: Array<TicketMessage>;
  priority?: Maybe<TicketPriority>;
  /** The customer's satisfaction score, when they gave one. */
  satisfaction?: Maybe<Scalars['Int']['output']>;
  solvedAt?: Maybe<Scalars['DateTime']['output']>;
  status?: Maybe<TicketStatus>;
  subject?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type TicketMessage = {
  __typename?: 'TicketMessage';
  /** customer or agent */
  author?: Maybe<Scalars['String']['output']>;
  body?: Maybe<Scalars['String']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
};

export type TicketPriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL'
  | 'URGENT';

export type TicketStatus =
  | 'CLOSED'
  | 'OPEN'
  | 'PENDING'
  | 'SOLVED';

/** One dated event of a customer; exactly one of order, interaction, ticket is set. */
export type TimelineEntry = {
  __typename?: 'TimelineEntry';
  at: Scalars['DateTime']['output'];
  /** Store visits and other CRM interactions. */
  interaction?: Maybe<Interaction>;
  kind: TimelineKind;
  order?: Maybe<Order>;
  /** The source's name in c360.yaml. */
  source: Scalars['String']['output'];
  ticket?: Maybe<Ticket>;
};

export type TimelineKind =
  | 'INTERACTION'
  | 'ORDER'
  | 'STORE_VISIT'
  | 'TICKET';

export type TriggerDeadLetter = {
  __typename?: 'TriggerDeadLetter';
  attempts: Scalars['Int']['output'];
  customerId: Scalars['ID']['output'];
  destination: Scalars['String']['output'];
  failedAt: Scalars['DateTime']['output'];
  idempotencyKey: Scalars['ID']['output'];
  lastError: Scalars['String']['output'];
  trigger: Scalars['ID']['output'];
};

export type TriggerDelivery = {
  __typename?: 'TriggerDelivery';
  destination: Scalars['String']['output'];
  /** delivered, deadLettered, abandoned (stopped; sent again at the next start) or dryRun. */
  outcome: Scalars['String']['output'];
};

export type TriggerFiring = {
  __typename?: 'TriggerFiring';
  customerId: Scalars['ID']['output'];
  destinations: Array<TriggerDelivery>;
  dryRun: Scalars['Boolean']['output'];
  firedAt: Scalars['DateTime']['output'];
  idempotencyKey: Scalars['ID']['output'];
  trigger: Scalars['ID']['output'];
};

export type WebEvent = {
  __typename?: 'WebEvent';
  device?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  occurredAt?: Maybe<Scalars['DateTime']['output']>;
  product?: Maybe<Product>;
  query?: Maybe<Scalars['String']['output']>;
  sessionId?: Maybe<Scalars['String']['output']>;
  type?: Maybe<WebEventType>;
};

export type WebEventType =
  | 'ADD_TO_CART'
  | 'CHECKOUT_STARTED'
  | 'PRODUCT_VIEW'
  | 'SEARCH';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Account: ResolverTypeWrapper<AccountModel>;
  AnalyticsDateRange: AnalyticsDateRange;
  AnalyticsDimension: AnalyticsDimension;
  AnalyticsDimensionValue: ResolverTypeWrapper<AnalyticsDimensionValue>;
  AnalyticsFilter: AnalyticsFilter;
  AnalyticsGranularity: AnalyticsGranularity;
  AnalyticsMeasure: AnalyticsMeasure;
  AnalyticsOrder: AnalyticsOrder;
  AnalyticsOrderField: AnalyticsOrderField;
  AnalyticsPlan: AnalyticsPlan;
  AnalyticsResult: ResolverTypeWrapper<AnalyticsAnswer>;
  AnalyticsRow: ResolverTypeWrapper<AnalyticsRow>;
  AnalyticsTimeDimension: AnalyticsTimeDimension;
  AnalyticsTimeField: AnalyticsTimeField;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Company: ResolverTypeWrapper<CompanyModel>;
  CompanyFinances: ResolverTypeWrapper<CompanyFinances>;
  CompanyState: CompanyState;
  Consent: ResolverTypeWrapper<RowModel>;
  ConsentStatus: ConsentStatus;
  Contact: ResolverTypeWrapper<ContactModel>;
  Customer: ResolverTypeWrapper<CustomerModel>;
  CustomerConnection: ResolverTypeWrapper<Omit<CustomerConnection, 'edges'> & { edges: Array<ResolversTypes['CustomerEdge']> }>;
  CustomerEdge: ResolverTypeWrapper<Omit<CustomerEdge, 'node'> & { node: ResolversTypes['Customer'] }>;
  CustomerFilter: CustomerFilter;
  CustomerKind: CustomerKind;
  CustomerSearchConnection: ResolverTypeWrapper<Omit<CustomerSearchConnection, 'edges'> & { edges: Array<ResolversTypes['CustomerSearchEdge']> }>;
  CustomerSearchEdge: ResolverTypeWrapper<Omit<CustomerSearchEdge, 'node'> & { node: ResolversTypes['Customer'] }>;
  CustomerSignal: ResolverTypeWrapper<CustomerSignal>;
  DataQuality: ResolverTypeWrapper<DataQuality>;
  DataQualityIssueCount: ResolverTypeWrapper<DataQualityIssueCount>;
  DataQualityIssueKind: DataQualityIssueKind;
  DataQualityReport: ResolverTypeWrapper<DataQualityReport>;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DuplicateCandidate: ResolverTypeWrapper<DuplicateCandidate>;
  ErasureTarget: ResolverTypeWrapper<ErasureTarget>;
  Executive: ResolverTypeWrapper<Executive>;
  ExternalIdInput: ExternalIdInput;
  FieldConflict: ResolverTypeWrapper<FieldConflict>;
  FieldProvenance: ResolverTypeWrapper<FieldProvenance>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  HouseholdMember: ResolverTypeWrapper<HouseholdMember>;
  HouseholdReason: HouseholdReason;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Identity: ResolverTypeWrapper<Identity>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Intent: ResolverTypeWrapper<IntentModel>;
  IntentDistribution: ResolverTypeWrapper<IntentDistribution>;
  IntentLevel: IntentLevel;
  IntentLevelCount: ResolverTypeWrapper<IntentLevelCount>;
  Interaction: ResolverTypeWrapper<RowModel>;
  InteractionType: InteractionType;
  MatchReason: ResolverTypeWrapper<MatchReason>;
  MatchRule: MatchRule;
  Order: ResolverTypeWrapper<OrderModel>;
  OrderChannel: OrderChannel;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['OrderEdge']>, nodes: Array<ResolversTypes['Order']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderLine: ResolverTypeWrapper<OrderLineModel>;
  OrderStatus: OrderStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PastAccess: ResolverTypeWrapper<PastAccess>;
  PersonName: ResolverTypeWrapper<PersonName>;
  PiiKind: PiiKind;
  PostalAddress: ResolverTypeWrapper<PostalAddress>;
  Product: ResolverTypeWrapper<ProductModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Rfm: ResolverTypeWrapper<Rfm>;
  SearchMatch: SearchMatch;
  Segment: ResolverTypeWrapper<Segment>;
  SegmentFamily: SegmentFamily;
  SegmentSummary: ResolverTypeWrapper<SegmentSummary>;
  ServiceSummary: ResolverTypeWrapper<ServiceSummary>;
  ShopCustomer: ResolverTypeWrapper<ShopCustomerModel>;
  SignalEvent: ResolverTypeWrapper<SignalEvent>;
  SignalEvidence: ResolverTypeWrapper<SignalEvidence>;
  SignalIntent: ResolverTypeWrapper<SignalIntent>;
  SortDirection: SortDirection;
  SourceRecord: ResolverTypeWrapper<SourceRecord>;
  SourceRecordCount: ResolverTypeWrapper<SourceRecordCount>;
  SourcedValue: ResolverTypeWrapper<SourcedValue>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  SubjectAccessExport: ResolverTypeWrapper<SubjectAccessExport>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SurvivorshipStrategy: SurvivorshipStrategy;
  Ticket: ResolverTypeWrapper<RowModel>;
  TicketMessage: ResolverTypeWrapper<TicketMessage>;
  TicketPriority: TicketPriority;
  TicketStatus: TicketStatus;
  TimelineEntry: ResolverTypeWrapper<TimelineEntryModel>;
  TimelineKind: TimelineKind;
  TriggerDeadLetter: ResolverTypeWrapper<TriggerDeadLetter>;
  TriggerDelivery: ResolverTypeWrapper<TriggerDelivery>;
  TriggerFiring: ResolverTypeWrapper<TriggerFiring>;
  WebEvent: ResolverTypeWrapper<RowModel>;
  WebEventType: WebEventType;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: AccountModel;
  AnalyticsDateRange: AnalyticsDateRange;
  AnalyticsDimensionValue: AnalyticsDimensionValue;
  AnalyticsFilter: AnalyticsFilter;
  AnalyticsOrder: AnalyticsOrder;
  AnalyticsResult: AnalyticsAnswer;
  AnalyticsRow: AnalyticsRow;
  AnalyticsTimeDimension: AnalyticsTimeDimension;
  Boolean: Scalars['Boolean']['output'];
  Company: CompanyModel;
  CompanyFinances: CompanyFinances;
  Consent: RowModel;
  Contact: ContactModel;
  Customer: CustomerModel;
  CustomerConnection: Omit<CustomerConnection, 'edges'> & { edges: Array<ResolversParentTypes['CustomerEdge']> };
  CustomerEdge: Omit<CustomerEdge, 'node'> & { node: ResolversParentTypes['Customer'] };
  CustomerFilter: CustomerFilter;
  CustomerSearchConnection: Omit<CustomerSearchConnection, 'edges'> & { edges: Array<ResolversParentTypes['CustomerSearchEdge']> };
  CustomerSearchEdge: Omit<CustomerSearchEdge, 'node'> & { node: ResolversParentTypes['Customer'] };
  CustomerSignal: CustomerSignal;
  DataQuality: DataQuality;
  DataQualityIssueCount: DataQualityIssueCount;
  DataQualityReport: DataQualityReport;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  DuplicateCandidate: DuplicateCandidate;
  ErasureTarget: ErasureTarget;
  Executive: Executive;
  ExternalIdInput: ExternalIdInput;
  FieldConflict: FieldConflict;
  FieldProvenance: FieldProvenance;
  Float: Scalars['Float']['output'];
  HouseholdMember: HouseholdMember;
  ID: Scalars['ID']['output'];
  Identity: Identity;
  Int: Scalars['Int']['output'];
  Intent: IntentModel;
  IntentDistribution: IntentDistribution;
  IntentLevelCount: IntentLevelCount;
  Interaction: RowModel;
  MatchReason: MatchReason;
  Order: OrderModel;
  OrderConnection: Omit<OrderConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['OrderEdge']>, nodes: Array<ResolversParentTypes['Order']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderLine: OrderLineModel;
  PageInfo: PageInfo;
  PastAccess: PastAccess;
  PersonName: PersonName;
  PostalAddress: PostalAddress;
  Product: ProductModel;
  Query: Record<PropertyKey, never>;
  Rfm: Rfm;
  Segment: Segment;
  SegmentSummary: SegmentSummary;
  ServiceSummary: ServiceSummary;
  ShopCustomer: ShopCustomerModel;
  SignalEvent: SignalEvent;
  SignalEvidence: SignalEvidence;
  SignalIntent: SignalIntent;
  SourceRecord: SourceRecord;
  SourceRecordCount: SourceRecordCount;
  SourcedValue: SourcedValue;
  String: Scalars['String']['output'];
  SubjectAccessExport: SubjectAccessExport;
  Subscription: Record<PropertyKey, never>;
  Ticket: RowModel;
  TicketMessage: TicketMessage;
  TimelineEntry: TimelineEntryModel;
  TriggerDeadLetter: TriggerDeadLetter;
  TriggerDelivery: TriggerDelivery;
  TriggerFiring: TriggerFiring;
  WebEvent: RowModel;
};

export type ConsentDirectiveArgs = {
  purpose: Scalars['String']['input'];
};

export type ConsentDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = ConsentDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PiiDirectiveArgs = {
  kind: PiiKind;
};

export type PiiDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = PiiDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type RequiresDirectiveArgs = {
  scopes: Array<Scalars['String']['input']>;
};

export type RequiresDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = RequiresDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account']> = {
  company?: Resolver<Maybe<ResolversTypes['Company']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  industry?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  siren?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  siret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AnalyticsDimensionValueResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AnalyticsDimensionValue'] = ResolversParentTypes['AnalyticsDimensionValue']> = {
  dimension?: Resolver<ResolversTypes['AnalyticsDimension'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AnalyticsResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AnalyticsResult'] = ResolversParentTypes['AnalyticsResult']> = {
  plan?: Resolver<ResolversTypes['AnalyticsPlan'], ParentType, ContextType>;
  rows?: Resolver<Array<ResolversTypes['AnalyticsRow']>, ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  totalGroups?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AnalyticsRowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AnalyticsRow'] = ResolversParentTypes['AnalyticsRow']> = {
  averageBasket?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  customers?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  dimensions?: Resolver<Array<ResolversTypes['AnalyticsDimensionValue']>, ParentType, ContextType>;
  openTickets?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  orders?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  period?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  repeatRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  revenue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  tickets?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  units?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type CompanyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Company'] = ResolversParentTypes['Company']> = {
  closedDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  creationDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  executives?: Resolver<Array<ResolversTypes['Executive']>, ParentType, ContextType>;
  fetchedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  headOffice?: Resolver<Maybe<ResolversTypes['PostalAddress']>, ParentType, ContextType>;
  headcountBand?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latestFinances?: Resolver<Maybe<ResolversTypes['CompanyFinances']>, ParentType, ContextType>;
  legalName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nafCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nafLabel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  siren?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  siret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<Maybe<ResolversTypes['CompanyState']>, ParentType, ContextType>;
};

export type CompanyFinancesResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CompanyFinances'] = ResolversParentTypes['CompanyFinances']> = {
  netIncome?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  revenue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  year?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type ConsentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Consent'] = ResolversParentTypes['Consent']> = {
  channel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  purpose?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  recordedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['ConsentStatus']>, ParentType, ContextType>;
};

export type ContactResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact']> = {
  address?: Resolver<Maybe<ResolversTypes['PostalAddress']>, ParentType, ContextType>;
  birthDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  companyName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['CustomerKind']>, ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  mobile?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer']> = {
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['PostalAddress']>, ParentType, ContextType>;
  consents?: Resolver<Maybe<Array<ResolversTypes['Consent']>>, ParentType, ContextType>;
  contact?: Resolver<Maybe<ResolversTypes['Contact']>, ParentType, ContextType>;
  dataQuality?: Resolver<ResolversTypes['DataQuality'], ParentType, ContextType>;
  displayName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  duplicateCandidates?: Resolver<Array<ResolversTypes['DuplicateCandidate']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  events?: Resolver<Maybe<Array<ResolversTypes['WebEvent']>>, ParentType, ContextType, RequireFields<CustomerEventsArgs, 'first'>>;
  household?: Resolver<Array<ResolversTypes['HouseholdMember']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  identities?: Resolver<Array<ResolversTypes['Identity']>, ParentType, ContextType>;
  intent?: Resolver<Maybe<ResolversTypes['Intent']>, ParentType, ContextType, Partial<CustomerIntentArgs>>;
  interactions?: Resolver<Maybe<Array<ResolversTypes['Interaction']>>, ParentType, ContextType, RequireFields<CustomerInteractionsArgs, 'first'>>;
  kind?: Resolver<ResolversTypes['CustomerKind'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['PersonName']>, ParentType, ContextType>;
  orders?: Resolver<Maybe<ResolversTypes['OrderConnection']>, ParentType, ContextType, RequireFields<CustomerOrdersArgs, 'first'>>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provenance?: Resolver<Array<ResolversTypes['FieldProvenance']>, ParentType, ContextType>;
  rfm?: Resolver<Maybe<ResolversTypes['Rfm']>, ParentType, ContextType, Partial<CustomerRfmArgs>>;
  segments?: Resolver<Maybe<Array<ResolversTypes['Segment']>>, ParentType, ContextType, Partial<CustomerSegmentsArgs>>;
  service?: Resolver<Maybe<ResolversTypes['ServiceSummary']>, ParentType, ContextType>;
  shopAccounts?: Resolver<Maybe<Array<ResolversTypes['ShopCustomer']>>, ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['SourceRecord']>, ParentType, ContextType>;
  tickets?: Resolver<Maybe<Array<ResolversTypes['Ticket']>>, ParentType, ContextType, RequireFields<CustomerTicketsArgs, 'first'>>;
  timeline?: Resolver<Maybe<Array<ResolversTypes['TimelineEntry']>>, ParentType, ContextType, RequireFields<CustomerTimelineArgs, 'first' | 'newestFirst'>>;
};

export type CustomerConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CustomerConnection'] = ResolversParentTypes['CustomerConnection']> = {
  edges?: Resolver<Array<ResolversTypes['CustomerEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type CustomerEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CustomerEdge'] = ResolversParentTypes['CustomerEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
};

export type CustomerSearchConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CustomerSearchConnection'] = ResolversParentTypes['CustomerSearchConnection']> = {
  edges?: Resolver<Array<ResolversTypes['CustomerSearchEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type CustomerSearchEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CustomerSearchEdge'] = ResolversParentTypes['CustomerSearchEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  matchedOn?: Resolver<Array<ResolversTypes['SearchMatch']>, ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
};

export type CustomerSignalResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CustomerSignal'] = ResolversParentTypes['CustomerSignal']> = {
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  evidence?: Resolver<ResolversTypes['SignalEvidence'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  trigger?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type DataQualityResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DataQuality'] = ResolversParentTypes['DataQuality']> = {
  birthDateValid?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  completeness?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  conflicts?: Resolver<Array<ResolversTypes['FieldConflict']>, ParentType, ContextType>;
  emailValid?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  lastUpdatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  phoneValid?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  postcodeValid?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  siretValid?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  unparseableBirthDates?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DataQualityIssueCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DataQualityIssueCount'] = ResolversParentTypes['DataQualityIssueCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['DataQualityIssueKind'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DataQualityReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DataQualityReport'] = ResolversParentTypes['DataQualityReport']> = {
  issues?: Resolver<Array<ResolversTypes['DataQualityIssueCount']>, ParentType, ContextType>;
  records?: Resolver<Array<ResolversTypes['SourceRecordCount']>, ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DuplicateCandidateResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DuplicateCandidate'] = ResolversParentTypes['DuplicateCandidate']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reasons?: Resolver<Array<ResolversTypes['MatchReason']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ErasureTargetResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ErasureTarget'] = ResolversParentTypes['ErasureTarget']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ExecutiveResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Executive'] = ResolversParentTypes['Executive']> = {
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type FieldConflictResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FieldConflict'] = ResolversParentTypes['FieldConflict']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['SourcedValue']>, ParentType, ContextType>;
};

export type FieldProvenanceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FieldProvenance'] = ResolversParentTypes['FieldProvenance']> = {
  alternatives?: Resolver<Array<ResolversTypes['SourcedValue']>, ParentType, ContextType>;
  conflict?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  entity?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['SurvivorshipStrategy'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type HouseholdMemberResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['HouseholdMember'] = ResolversParentTypes['HouseholdMember']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['HouseholdReason'], ParentType, ContextType>;
  sharedBy?: Resolver<ResolversTypes['MatchRule'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IdentityResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Identity'] = ResolversParentTypes['Identity']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  explanation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  matchedBy?: Resolver<ResolversTypes['MatchRule'], ParentType, ContextType>;
  reasons?: Resolver<Array<ResolversTypes['MatchReason']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IntentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Intent'] = ResolversParentTypes['Intent']> = {
  aboutToBuy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  lastSignalAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['IntentLevel'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type IntentDistributionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IntentDistribution'] = ResolversParentTypes['IntentDistribution']> = {
  asOf?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  levels?: Resolver<Array<ResolversTypes['IntentLevelCount']>, ParentType, ContextType>;
};

export type IntentLevelCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IntentLevelCount'] = ResolversParentTypes['IntentLevelCount']> = {
  level?: Resolver<ResolversTypes['IntentLevel'], ParentType, ContextType>;
  shopAccounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InteractionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Interaction'] = ResolversParentTypes['Interaction']> = {
  agent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  storeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['InteractionType']>, ParentType, ContextType>;
};

export type MatchReasonResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MatchReason'] = ResolversParentTypes['MatchReason']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  level?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  otherValue?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type OrderResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order']> = {
  channel?: Resolver<Maybe<ResolversTypes['OrderChannel']>, ParentType, ContextType>;
  channelRaw?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  placedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['OrderStatus']>, ParentType, ContextType>;
  statusRaw?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  storeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type OrderConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type OrderEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type OrderLineResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lineTotal?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  productName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unitPrice?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PastAccessResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PastAccess'] = ResolversParentTypes['PastAccess']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  operation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  purpose?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PersonNameResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PersonName'] = ResolversParentTypes['PersonName']> = {
  first?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  full?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  last?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PostalAddressResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PostalAddress'] = ResolversParentTypes['PostalAddress']> = {
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postcode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  street?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProductResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = {
  brand?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  analytics?: Resolver<ResolversTypes['AnalyticsResult'], ParentType, ContextType, RequireFields<QueryAnalyticsArgs, 'dimensions' | 'measures'>>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customerBy?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, Partial<QueryCustomerByArgs>>;
  customerSearch?: Resolver<ResolversTypes['CustomerSearchConnection'], ParentType, ContextType, RequireFields<QueryCustomerSearchArgs, 'first' | 'text'>>;
  customers?: Resolver<Maybe<ResolversTypes['CustomerConnection']>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'first'>>;
  dataQualityReport?: Resolver<ResolversTypes['DataQualityReport'], ParentType, ContextType>;
  erasurePlan?: Resolver<Maybe<Array<ResolversTypes['ErasureTarget']>>, ParentType, ContextType, RequireFields<QueryErasurePlanArgs, 'customerId'>>;
  intentDistribution?: Resolver<Maybe<ResolversTypes['IntentDistribution']>, ParentType, ContextType, Partial<QueryIntentDistributionArgs>>;
  searchCustomers?: Resolver<Array<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QuerySearchCustomersArgs, 'first' | 'text'>>;
  segments?: Resolver<Maybe<Array<ResolversTypes['SegmentSummary']>>, ParentType, ContextType, Partial<QuerySegmentsArgs>>;
  subjectAccessExport?: Resolver<Maybe<ResolversTypes['SubjectAccessExport']>, ParentType, ContextType, RequireFields<QuerySubjectAccessExportArgs, 'customerId'>>;
  triggerDeadLetters?: Resolver<Maybe<Array<ResolversTypes['TriggerDeadLetter']>>, ParentType, ContextType, RequireFields<QueryTriggerDeadLettersArgs, 'first'>>;
  triggerFirings?: Resolver<Maybe<Array<ResolversTypes['TriggerFiring']>>, ParentType, ContextType, RequireFields<QueryTriggerFiringsArgs, 'first' | 'trigger'>>;
};

export type RfmResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Rfm'] = ResolversParentTypes['Rfm']> = {
  asOf?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  f?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstPurchaseAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  frequency?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastPurchaseAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  m?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  monetary?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  r?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recencyDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  statisticsComputedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  windowDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SegmentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Segment'] = ResolversParentTypes['Segment']> = {
  family?: Resolver<ResolversTypes['SegmentFamily'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SegmentSummaryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SegmentSummary'] = ResolversParentTypes['SegmentSummary']> = {
  averageBasket?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  customers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revenue?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  segment?: Resolver<ResolversTypes['Segment'], ParentType, ContextType>;
  shareOfRevenue?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ServiceSummaryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ServiceSummary'] = ResolversParentTypes['ServiceSummary']> = {
  averageSatisfaction?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  lastContactAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  openTickets?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ShopCustomerResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ShopCustomer'] = ResolversParentTypes['ShopCustomer']> = {
  address?: Resolver<Maybe<ResolversTypes['PostalAddress']>, ParentType, ContextType>;
  birthDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  companyName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  siret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type SignalEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SignalEvent'] = ResolversParentTypes['SignalEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  productId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SignalEvidenceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SignalEvidence'] = ResolversParentTypes['SignalEvidence']> = {
  cartAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  events?: Resolver<Maybe<Array<ResolversTypes['SignalEvent']>>, ParentType, ContextType>;
  intent?: Resolver<Maybe<ResolversTypes['SignalIntent']>, ParentType, ContextType>;
  openTickets?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  segments?: Resolver<Maybe<Array<ResolversTypes['ID']>>, ParentType, ContextType>;
  storeVisitAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type SignalIntentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SignalIntent'] = ResolversParentTypes['SignalIntent']> = {
  aboutToBuy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  lastSignalAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['IntentLevel'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SourceRecordResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SourceRecord'] = ResolversParentTypes['SourceRecord']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  matchedBy?: Resolver<ResolversTypes['MatchRule'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SourceRecordCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SourceRecordCount'] = ResolversParentTypes['SourceRecordCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SourcedValueResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SourcedValue'] = ResolversParentTypes['SourcedValue']> = {
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubjectAccessExportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SubjectAccessExport'] = ResolversParentTypes['SubjectAccessExport']> = {
  accesses?: Resolver<Array<ResolversTypes['PastAccess']>, ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  data?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  generatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  unavailable?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  customerSignals?: SubscriptionResolver<ResolversTypes['CustomerSignal'], "customerSignals", ParentType, ContextType, RequireFields<SubscriptionCustomerSignalsArgs, 'trigger'>>;
};

export type TicketResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Ticket'] = ResolversParentTypes['Ticket']> = {
  channel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  messages?: Resolver<Array<ResolversTypes['TicketMessage']>, ParentType, ContextType>;
  priority?: Resolver<Maybe<ResolversTypes['TicketPriority']>, ParentType, ContextType>;
  satisfaction?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  solvedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['TicketStatus']>, ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type TicketMessageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TicketMessage'] = ResolversParentTypes['TicketMessage']> = {
  author?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  body?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type TimelineEntryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TimelineEntry'] = ResolversParentTypes['TimelineEntry']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  interaction?: Resolver<Maybe<ResolversTypes['Interaction']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TimelineKind'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
};

export type TriggerDeadLetterResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TriggerDeadLetter'] = ResolversParentTypes['TriggerDeadLetter']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  destination?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trigger?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type TriggerDeliveryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TriggerDelivery'] = ResolversParentTypes['TriggerDelivery']> = {
  destination?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TriggerFiringResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TriggerFiring'] = ResolversParentTypes['TriggerFiring']> = {
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  destinations?: Resolver<Array<ResolversTypes['TriggerDelivery']>, ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  trigger?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type WebEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['WebEvent'] = ResolversParentTypes['WebEvent']> = {
  device?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  query?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sessionId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['WebEventType']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Account?: AccountResolvers<ContextType>;
  AnalyticsDimensionValue?: AnalyticsDimensionValueResolvers<ContextType>;
  AnalyticsResult?: AnalyticsResultResolvers<ContextType>;
  AnalyticsRow?: AnalyticsRowResolvers<ContextType>;
  Company?: CompanyResolvers<ContextType>;
  CompanyFinances?: CompanyFinancesResolvers<ContextType>;
  Consent?: ConsentResolvers<ContextType>;
  Contact?: ContactResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  CustomerConnection?: CustomerConnectionResolvers<ContextType>;
  CustomerEdge?: CustomerEdgeResolvers<ContextType>;
  CustomerSearchConnection?: CustomerSearchConnectionResolvers<ContextType>;
  CustomerSearchEdge?: CustomerSearchEdgeResolvers<ContextType>;
  CustomerSignal?: CustomerSignalResolvers<ContextType>;
  DataQuality?: DataQualityResolvers<ContextType>;
  DataQualityIssueCount?: DataQualityIssueCountResolvers<ContextType>;
  DataQualityReport?: DataQualityReportResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  DuplicateCandidate?: DuplicateCandidateResolvers<ContextType>;
  ErasureTarget?: ErasureTargetResolvers<ContextType>;
  Executive?: ExecutiveResolvers<ContextType>;
  FieldConflict?: FieldConflictResolvers<ContextType>;
  FieldProvenance?: FieldProvenanceResolvers<ContextType>;
  HouseholdMember?: HouseholdMemberResolvers<ContextType>;
  Identity?: IdentityResolvers<ContextType>;
  Intent?: IntentResolvers<ContextType>;
  IntentDistribution?: IntentDistributionResolvers<ContextType>;
  IntentLevelCount?: IntentLevelCountResolvers<ContextType>;
  Interaction?: InteractionResolvers<ContextType>;
  MatchReason?: MatchReasonResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PastAccess?: PastAccessResolvers<ContextType>;
  PersonName?: PersonNameResolvers<ContextType>;
  PostalAddress?: PostalAddressResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Rfm?: RfmResolvers<ContextType>;
  Segment?: SegmentResolvers<ContextType>;
  SegmentSummary?: SegmentSummaryResolvers<ContextType>;
  ServiceSummary?: ServiceSummaryResolvers<ContextType>;
  ShopCustomer?: ShopCustomerResolvers<ContextType>;
  SignalEvent?: SignalEventResolvers<ContextType>;
  SignalEvidence?: SignalEvidenceResolvers<ContextType>;
  SignalIntent?: SignalIntentResolvers<ContextType>;
  SourceRecord?: SourceRecordResolvers<ContextType>;
  SourceRecordCount?: SourceRecordCountResolvers<ContextType>;
  SourcedValue?: SourcedValueResolvers<ContextType>;
  SubjectAccessExport?: SubjectAccessExportResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Ticket?: TicketResolvers<ContextType>;
  TicketMessage?: TicketMessageResolvers<ContextType>;
  TimelineEntry?: TimelineEntryResolvers<ContextType>;
  TriggerDeadLetter?: TriggerDeadLetterResolvers<ContextType>;
  TriggerDelivery?: TriggerDeliveryResolvers<ContextType>;
  TriggerFiring?: TriggerFiringResolvers<ContextType>;
  WebEvent?: WebEventResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  consent?: ConsentDirectiveResolver<any, any, ContextType>;
  pii?: PiiDirectiveResolver<any, any, ContextType>;
  requires?: RequiresDirectiveResolver<any, any, ContextType>;
};
