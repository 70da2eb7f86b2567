/**
 * Query.analytics: plans a cube query onto the sources and assembles the groups.
 *
 * - Order measures by order and shop-account dimensions: one GROUP BY in the shop
 *   (SINGLE_SOURCE).
 * - Order measures by a CRM dimension: the identifiers of contacts and shop accounts are
 *   read once and linked in memory; the shop then groups by the CRM groups given as lists
 *   of its own customer ids, in slices (LINKED).
 * - Ticket measures: the helpdesk's tickets are listed once (by status), each owned by
 *   the contact or shop account holding its requester email, and folded into the groups.
 */
import type { CallOptions, Connector, Row } from '../../connectors/contract.js';
import type { CubeDimension, CubeGranularity, CubeRequest } from '../../connectors/cube-contract.js';
import { DEFAULT_ANALYTICS_CONFIG } from '../config/analytics-config.js';
import { defaultInsightsConfig } from '../config/insights-config.js';
import type { C360Config } from '../config/types.js';
import { badUserInput } from '../errors/codes.js';
import type { LinkSettings } from '../identity/link.js';
import { normalizeEmail } from '../identity/email.js';
import { compareKeys } from '../identity/link.js';
import type { Loaders } from '../loading/loaders.js';
import { withPrefix } from '../loading/silos.js';
import { InsightsService } from '../insights/service.js';
import { DIMENSION_DEFINITIONS, MEASURE_FACT, dimensionAvailable, measureAvailable, type DimensionName, type MeasureName } from './catalog.js';
import { tooCostly } from './errors.js';
import { linkWorld, type ContactDimension, type LinkedWorld } from './linking.js';
import { periodOf, periodsBetween } from './periods.js';

export interface AnalyticsArgs {
  readonly measures: ReadonlyArray<MeasureName>;
  readonly dimensions?: ReadonlyArray<DimensionName> | null;
  readonly timeDimension?: {
    readonly granularity?: CubeGranularity | null;
    readonly dateRange?: { readonly from?: string | null; readonly to?: string | null } | null;
  } | null;
  readonly filter?: {
    readonly channel?: ReadonlyArray<string> | null;
    readonly orderStatus?: ReadonlyArray<string> | null;
    readonly productCategory?: ReadonlyArray<string> | null;
    readonly segment?: ReadonlyArray<string> | null;
    readonly customerKind?: ReadonlyArray<string> | null;
  } | null;
  readonly orderBy?: ReadonlyArray<{
    readonly field?: string | null;
    readonly dimension?: DimensionName | null;
    readonly direction?: 'ASC' | 'DESC' | null;
  }> | null;
  readonly limit?: number | null;
}

export interface AnalyticsGroup {
  readonly period: string | null;
  readonly dimensions: ReadonlyArray<{ readonly dimension: DimensionName; readonly value: string | null }>;
  readonly customers: number | null;
  readonly orders: number | null;
  readonly revenue: number | null;
  readonly averageBasket: number | null;
  readonly units: number | null;
  readonly repeatRate: number | null;
  readonly tickets: number | null;
  readonly openTickets: number | null;
}

export interface AnalyticsAnswer {
  readonly rows: ReadonlyArray<AnalyticsGroup>;
  readonly totalGroups: number;
  readonly sources: ReadonlyArray<string>;
  readonly plan: 'SINGLE_SOURCE' | 'LINKED';
}

export interface AnalyticsDeps {
  readonly config: C360Config;
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly loaders: Loaders;
  readonly callOptions: CallOptions;
  readonly link: LinkSettings;
  /**
   * A partner's cube (src/analytics/partner.ts): only shop accounts whose linked contact's
   * latest consent for `consentPurpose` is GRANTED count. The answer holds every group,
   * exact: the partner module releases it through the partner release policy.
   */
  readonly restrict?: { readonly consentPurpose: string };
  /** The request's insights (the RFM boundaries of a base whose orders are in several sources); one of its own when absent. */
  readonly insights?: InsightsService;
}

interface Accumulator {
  readonly period: string | null;
  readonly values: ReadonlyArray<string | null>;
  customers: number;
  repeaters: number;
  orders: number;
  revenue: number | null;
  units: number;
  tickets: number;
  openTickets: number;
}

const UNRESOLVED = new Set(['OPEN', 'PENDING']);
const TICKET_STATUSES = ['OPEN', 'PENDING', 'SOLVED', 'CLOSED'];

export async function runAnalytics(deps: AnalyticsDeps, args: AnalyticsArgs): Promise<AnalyticsAnswer> {
  const { config } = deps;
  const limits = config.analytics ?? DEFAULT_ANALYTICS_CONFIG;
  const measures = [...new Set(args.measures)];
  const dimensions = [...new Set(args.dimensions ?? [])];
  if (measures.length === 0) throw badUserInput('ask for at least one measure', 'measures');
  for (const measure of measures)
    if (!measureAvailable(config, measure)) throw badUserInput(`measure ${measure} is not mapped in this configuration`, 'measures');
  for (const dimension of dimensions)
    if (!dimensionAvailable(config, dimension)) throw badUserInput(`dimension ${dimension} is not mapped in this configuration`, 'dimensions');
  const limit = args.limit ?? limits.maxGroups;
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.maxGroups) throw badUserInput(`limit must be between 1 and ${limits.maxGroups}`, 'limit');
  const granularity = args.timeDimension?.granularity ?? undefined;
  const from = validDate(args.timeDimension?.dateRange?.from, 'timeDimension.dateRange.from');
  const to = validDate(args.timeDimension?.dateRange?.to, 'timeDimension.dateRange.to');
  if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to))
    throw badUserInput('dateRange.from must be before dateRange.to', 'timeDimension.dateRange');
  const filter = args.filter ?? {};

  const orderMeasures = measures.filter((measure) => MEASURE_FACT[measure] === 'order');
  const ticketMeasures = measures.filter((measure) => MEASURE_FACT[measure] === 'ticket');
  const orderLevel = dimensions.filter((d) => DIMENSION_DEFINITIONS[d].level === 'order');
  const contactLevel = dimensions.filter((d): d is ContactDimension => DIMENSION_DEFINITIONS[d].level === 'contact');
  const shopLevel = dimensions.filter((d) => DIMENSION_DEFINITIONS[d].level === 'shopCustomer');
  if (ticketMeasures.length > 0 && orderLevel.length > 0)
    throw badUserInput(
      `${ticketMeasures.join(', ')} cannot be grouped by ${orderLevel.join(', ')}: a ticket belongs to a customer, not to an order`,
      'dimensions',
    );
  if (ticketMeasures.length > 0 && (filter.channel != null || filter.orderStatus != null || filter.productCategory != null)) {
    throw badUserInput('filter.channel, orderStatus and productCategory apply to orders, not to tickets', 'filter');
  }
  if (filter.customerKind != null && !dimensionAvailable(config, 'CUSTOMER_KIND'))
    throw badUserInput('filter.customerKind needs the CRM contact kind mapped', 'filter.customerKind');
  if (filter.segment != null && !dimensionAvailable(config, 'SEGMENT'))
    throw badUserInput('filter.segment needs the orders mapped with a total', 'filter.segment');
  if (filter.productCategory != null && !dimensionAvailable(config, 'PRODUCT_CATEGORY'))
    throw badUserInput('filter.productCategory needs order lines and products mapped', 'filter.productCategory');

  // Cost before any source is called: the groups known in advance times the sources touched.
  const restrict = deps.restrict;
  if (restrict !== undefined && ticketMeasures.length > 0) throw badUserInput('a partner cube counts orders only', 'measures');
  const crmNeeded = contactLevel.length > 0 || filter.customerKind != null || restrict !== undefined;
  const linked = crmNeeded || ticketMeasures.length > 0;
  const touched = new Set<string>();
  if (orderMeasures.length > 0 || shopLevel.length > 0 || filter.segment != null) touched.add(deps.loaders.sourceOf('order'));
  if (linked) {
    touched.add(deps.loaders.sourceOf('contact'));
    touched.add(deps.loaders.sourceOf('shopCustomer'));
  }
  if (ticketMeasures.length > 0) touched.add(deps.loaders.sourceOf('ticket'));
  if (dimensions.includes('HEADCOUNT_BAND')) touched.add(deps.loaders.sourceOf('company'));
  const periods = granularity === undefined ? 1 : from !== undefined && to !== undefined ? periodsBetween(from, to, granularity) : 1;
  const knownGroups = dimensions.reduce((product, d) => product * (DIMENSION_DEFINITIONS[d].cardinality?.(config) ?? 1), periods);
  const cost = knownGroups * touched.size;
  if (cost > limits.maxCost)
    throw tooCostly(
      'maxCost',
      limits.maxCost,
      `this query costs ${cost} (${knownGroups} known groups x ${touched.size} sources), above analytics.maxCost ${limits.maxCost}; narrow the date range, coarsen the granularity or drop a dimension`,
    );

  const insights = config.insights ?? defaultInsightsConfig();
  const asOf = to ?? new Date().toISOString();
  const cubeBase = {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(filter.orderStatus == null ? {} : { statuses: filter.orderStatus }),
    ...(filter.channel == null ? {} : { channels: filter.channel }),
    ...(filter.productCategory == null ? {} : { categories: filter.productCategory }),
    ...(filter.segment == null ? {} : { segments: filter.segment }),
    rfm: {
      asOf,
      windowDays: insights.rfm.windowDays,
      segments: insights.segments
        .filter((s) => s.family === 'GRID' && s.rule.kind === 'rfm')
        .map((s) => ({ id: s.id, when: s.rule.kind === 'rfm' ? s.rule.when : {} })),
    },
    intent: {
      asOf,
      lookbackDays: insights.intent.lookbackDays,
      halfLifeDays: insights.intent.halfLifeDays,
      weights: insights.intent.weights,
      levels: insights.intent.levels,
    },
  };
  const cubeDimensions = (names: ReadonlyArray<DimensionName>): CubeDimension[] => names.map((d) => DIMENSION_DEFINITIONS[d].cube!);
  const groups = new Map<string, Accumulator>();
  const groupOf = (period: string | null, values: ReadonlyArray<string | null>): Accumulator => {
    const key = JSON.stringify([period, values]);
    let group = groups.get(key);
    if (group === undefined) {
      if (groups.size >= limits.maxGroups)
        throw tooCostly('maxGroups', limits.maxGroups, `more than ${limits.maxGroups} groups; narrow the query or raise analytics.maxGroups`);
      group = { period, values, customers: 0, repeaters: 0, orders: 0, revenue: null, units: 0, tickets: 0, openTickets: 0 };
      groups.set(key, group);
    }
    return group;
  };
  const wantsUnits = measures.includes('UNITS');
  const wantsRepeat = measures.includes('REPEAT_RATE');
  const sources = new Set<string>();

  let world: LinkedWorld | undefined;
  if (linked) {
    world = await linkWorld(
      deps.loaders,
      deps.link,
      [...new Set<ContactDimension>([...contactLevel, ...(filter.customerKind == null ? [] : (['CUSTOMER_KIND'] as const))])],
      limits.maxLinkedRows,
      restrict?.consentPurpose,
    );
    if (crmNeeded) for (const source of world.sources) sources.add(source);
  }
  const kindAllowed = (contactValues: Readonly<Partial<Record<ContactDimension, string | null>>> | undefined): boolean =>
    filter.customerKind == null || (contactValues?.CUSTOMER_KIND != null && filter.customerKind.includes(contactValues.CUSTOMER_KIND));

  if (orderMeasures.length > 0) {
    sources.add(deps.loaders.sourceOf('order'));
    const shopSide = dimensions.filter((d) => DIMENSION_DEFINITIONS[d].level !== 'contact');
    const base = {
      ...cubeBase,
      dimensions: cubeDimensions(shopSide),
      ...(granularity === undefined ? {} : { granularity }),
      units: wantsUnits,
      customers: measures.includes('CUSTOMERS') || wantsRepeat,
      orders: measures.includes('ORDERS') || measures.includes('AVERAGE_BASKET'),
      repeaters: wantsRepeat,
      perCustomer: false,
      maxRows: limits.maxGroups,
    } satisfies CubeRequest;
    // Across sources, c360 links every shop account to its contact and sends the shop the
    // resulting groups as lists of its own customer ids, in slices of the ids: the shop
    // still answers one GROUP BY per slice, and the slices split the customers, so every
    // measure (distinct customers included) adds up across them.
    const linkedGroups = crmNeeded
      ? assignGroups(world!, contactLevel, kindAllowed, restrict, restrict !== undefined || filter.customerKind != null, limits.sliceIds)
      : undefined;
    const requests: CubeRequest[] = linkedGroups === undefined ? [base] : linkedGroups.slices.map((assigned) => ({ ...base, assigned }));
    const answers = await Promise.all(requests.map((request) => cube(deps, request)));
    for (const rows of answers) {
      if (rows.length > limits.maxGroups)
        throw tooCostly('maxGroups', limits.maxGroups, `more than ${limits.maxGroups} groups; narrow the query or raise analytics.maxGroups`);
      for (const row of rows) {
        let crmValues: ReadonlyArray<string | null> | undefined;
        if (linkedGroups !== undefined) {
          crmValues = row.assigned === null || row.assigned === undefined ? linkedGroups.unassigned : linkedGroups.values[Number(row.assigned)];
          // Not linked, not consented or not of the asked kind: outside the cube.
          if (crmValues === undefined) continue;
        }
        const values = dimensions.map((d) =>
          DIMENSION_DEFINITIONS[d].level === 'contact'
            ? (crmValues![contactLevel.indexOf(d as ContactDimension)] ?? null)
            : textOrNull(row[DIMENSION_DEFINITIONS[d].cube!]),
        );
        const group = groupOf(textOrNull(row.period), values);
        group.orders += Number(row.orders ?? 0);
        if (row.revenue !== null && row.revenue !== undefined) group.revenue = (group.revenue ?? 0) + Number(row.revenue);
        group.units += Number(row.units ?? 0);
        group.customers += Number(row.customers ?? 0);
        group.repeaters += Number(row.repeaters ?? 0);
      }
    }
  }

  if (ticketMeasures.length > 0) {
    sources.add(deps.loaders.sourceOf('ticket'));
    const shopValues = new Map<string, Row>();
    if (shopLevel.length > 0 || filter.segment != null) {
      sources.add(deps.loaders.sourceOf('order'));
      const rows = await cube(deps, {
        ...cubeBase,
        from: undefined,
        to: undefined,
        statuses: undefined,
        channels: undefined,
        categories: undefined,
        dimensions: cubeDimensions(shopLevel),
        units: false,
        customers: false,
        orders: false,
        repeaters: false,
        perCustomer: true,
        maxRows: limits.maxLinkedRows,
      } as CubeRequest);
      if (rows.length > limits.maxLinkedRows) throw tooCostly('maxLinkedRows', limits.maxLinkedRows, `more than ${limits.maxLinkedRows} shop accounts to link`);
      for (const row of rows) shopValues.set(String(row.customerId), row);
    }
    for (const ticket of await allTickets(deps, limits.maxLinkedRows)) {
      const at = typeof ticket.createdAt === 'string' ? ticket.createdAt : null;
      if ((from !== undefined || to !== undefined) && at === null) continue;
      if (at !== null && ((from !== undefined && Date.parse(at) < Date.parse(from)) || (to !== undefined && Date.parse(at) >= Date.parse(to)))) continue;
      // A ticket whose email is unusable or held by nobody still counts, in the groups of unknown values.
      const email = normalizeEmail(typeof ticket.requesterEmail === 'string' ? ticket.requesterEmail : null) ?? '';
      const contactId = lowest(world!.contactsByEmail(email)) ?? lowestContactOfShops(world!, world!.shopsByEmail(email));
      const shopId = lowest(world!.shopsByEmail(email)) ?? (contactId === undefined ? undefined : world!.shopOfContact(contactId));
      const contact = contactId === undefined ? undefined : world!.contact(contactId);
      if (!kindAllowed(contact?.values)) continue;
      const shopRow = shopId === undefined ? undefined : shopValues.get(shopId);
      if (filter.segment != null && (shopRow === undefined || !filter.segment.includes(String(shopRow.segment)))) continue;
      const values = dimensions.map((d) =>
        DIMENSION_DEFINITIONS[d].level === 'contact' ? (contact?.values[d as ContactDimension] ?? null) : textOrNull(shopRow?.[DIMENSION_DEFINITIONS[d].cube!]),
      );
      const group = groupOf(granularity === undefined ? null : at === null ? null : periodOf(at, granularity), values);
      group.tickets += 1;
      if (UNRESOLVED.has(String(ticket.status))) group.openTickets += 1;
    }
  }

  const rows = [...groups.values()].map((group) => toGroup(group, dimensions, measures));
  const ordered = sortGroups(rows, args.orderBy ?? [], dimensions);
  return { rows: ordered.slice(0, limit), totalGroups: rows.length, sources: [...sources].sort(), plan: linked ? 'LINKED' : 'SINGLE_SOURCE' };
}

interface LinkedGroups {
  /** The CRM values of group i (in the order of the contact dimensions asked). */
  readonly values: ReadonlyArray<ReadonlyArray<string | null>>;
  /** The values of an order whose customer is in no list; undefined when such orders are left out. */
  readonly unassigned: ReadonlyArray<string | null> | undefined;
  readonly slices: ReadonlyArray<NonNullable<CubeRequest['assigned']>>;
}

/**
 * Each shop account's CRM group, from the linked world: accounts linked to an allowed contact
 * are listed under the group of their contact's values; the others (unlinked, or filtered
 * out) are in no list. The shop's ids are cut, in the shop's own order, into slices of
 * `sliceIds` (analytics.sliceIds); a slice reads the orders of the customer ids from its first id to the next
 * slice's first, so every order is read once, orders of unknown customers included.
 */
function assignGroups(
  world: LinkedWorld,
  contactLevel: ReadonlyArray<ContactDimension>,
  kindAllowed: (values: Readonly<Partial<Record<ContactDimension, string | null>>> | undefined) => boolean,
  restrict: AnalyticsDeps['restrict'],
  dropUnassigned: boolean,
  sliceIds: number,
): LinkedGroups {
  const codes = new Map<string, number>();
  const values: Array<ReadonlyArray<string | null>> = [];
  const slices: Array<NonNullable<CubeRequest['assigned']>> = [];
  let lists: string[][] = [];
  let sliceStart: string | undefined;
  let inSlice = 0;
  const close = (toId: string | undefined) => {
    slices.push({ groups: lists, ...(sliceStart === undefined ? {} : { fromId: sliceStart }), ...(toId === undefined ? {} : { toId }) });
    lists = [];
    inSlice = 0;
  };
  for (const shopId of world.shopIds) {
    if (inSlice === sliceIds) {
      close(shopId);
      sliceStart = shopId;
    }
    inSlice += 1;
    const contact = world.contactOfShop(shopId);
    if (contact === undefined || !kindAllowed(contact.values)) continue;
    if (restrict !== undefined && !world.consented(contact.id)) continue;
    const tuple = contactLevel.map((d) => contact.values[d] ?? null);
    const key = JSON.stringify(tuple);
    let code = codes.get(key);
    if (code === undefined) {
      code = values.length;
      codes.set(key, code);
      values.push(tuple);
    }
    (lists[code] ??= []).push(shopId);
  }
  close(undefined);
  // Lists are indexed by code; a slice without some code has a hole there, which is an empty list.
  const dense = slices.map((slice) => ({ ...slice, groups: Array.from({ length: values.length }, (_v, i) => slice.groups[i] ?? []) }));
  return { values, unassigned: dropUnassigned ? undefined : contactLevel.map(() => null), slices: dense };
}

async function cube(deps: AnalyticsDeps, request: CubeRequest): Promise<ReadonlyArray<Row>> {
  const silos = deps.loaders.silos;
  // One order source whose accounts are all the shop's: its statement as it is (linked groups
  // may list loyalty cards when only shopCustomer is split: those go through the parts below).
  if (!silos.routes('order', 'customerId')) {
    const source = deps.loaders.sourceOf('order');
    const connector = deps.connectors.get(source);
    if (connector?.cube === undefined) throw badUserInput(`source "${source}" cannot group orders`, 'measures');
    return connector.cube(request, deps.callOptions);
  }
  // Orders in several sources (shop orders, store receipts): one statement per source, whose
  // groups the caller adds up. Its customers are its own accounts, so every measure adds up;
  // RFM scores are against the boundaries of every source's accounts together.
  const scored = request.rfm !== undefined && (request.segments !== undefined || request.dimensions.some((d) => d === 'segment' || d === 'rfmCell'));
  const insights = deps.insights ?? new InsightsService(deps.config, deps.connectors, deps.loaders, deps.callOptions);
  const rfm = scored ? { ...request.rfm!, boundaries: (await insights.boundaries(request.rfm!.asOf)).boundaries } : request.rfm;
  const parts = silos.partsOf('order');
  const answers = await Promise.all(
    parts.map(async (part, index) => {
      const connector = deps.connectors.get(part.source);
      if (connector?.cube === undefined) throw badUserInput(`source "${part.source}" cannot group orders`, 'measures');
      // Categories are the products' own, joined in the orders' statement: a source without products cannot group by them.
      if ((request.dimensions.includes('category') || request.categories !== undefined) && !silos.partsOf('product').some((own) => own.source === part.source))
        throw badUserInput(`orders of source "${part.source}" have no product table in that source to group by category`, 'dimensions');
      const assigned = request.assigned === undefined ? undefined : assignedIn(request.assigned, index, silos.referredPart('order', index, 'shopCustomer'));
      if (assigned === null) return [];
      const rows = await connector.cube(
        { ...request, ...(rfm === undefined ? {} : { rfm }), ...(assigned === undefined ? {} : { assigned }) },
        deps.callOptions,
      );
      return request.perCustomer ? withPrefix(rows, 'customerId', silos.prefixOf('order', index, 'customerId')) : rows;
    }),
  );
  return answers.flat();

  /** A slice of linked groups as order part `index` reads it (its own accounts, unprefixed), or null when the slice holds none of them. */
  function assignedIn(assigned: NonNullable<CubeRequest['assigned']>, index: number, shopPart: number): NonNullable<CubeRequest['assigned']> | null {
    const own = (id: string) => silos.route('order', 'customerId', id).find((route) => route.part === index);
    const at = (id: string) => silos.partOfKey('shopCustomer', id);
    const from = assigned.fromId === undefined ? undefined : at(assigned.fromId);
    const to = assigned.toId === undefined ? undefined : at(assigned.toId);
    // The slice's bounds are in the link map's order: the parts one after another.
    if ((from !== undefined && from.part > shopPart) || (to !== undefined && to.part < shopPart)) return null;
    const groups = assigned.groups.map((ids) =>
      ids.flatMap((id) => {
        const route = own(id);
        return route === undefined ? [] : [String(route.key)];
      }),
    );
    return {
      groups,
      ...(from !== undefined && from.part === shopPart ? { fromId: from.key } : {}),
      ...(to !== undefined && to.part === shopPart ? { toId: to.key } : {}),
    };
  }
}

/** Every ticket, listed once per status (the helpdesk's own filter), with the fields a cube needs. */
async function allTickets(deps: AnalyticsDeps, maxRows: number): Promise<ReadonlyArray<Row>> {
  const perStatus = await deps.loaders.loadMany('ticket', TICKET_STATUSES, {
    keyField: 'status',
    keyMatch: 'caseInsensitive',
    projection: ['id', 'requesterEmail', 'status', 'createdAt'],
  });
  const byId = new Map<string, Row>();
  for (const row of perStatus.flat()) byId.set(String(row.id), row);
  if (byId.size > maxRows) throw tooCostly('maxLinkedRows', maxRows, `more than ${maxRows} tickets to link`);
  return [...byId.values()];
}

function lowest(ids: ReadonlyArray<string>): string | undefined {
  return [...ids].sort(compareKeys)[0];
}

function lowestContactOfShops(world: LinkedWorld, shopIds: ReadonlyArray<string>): string | undefined {
  return lowest(
    shopIds.flatMap((id) => {
      const contact = world.contactOfShop(id);
      return contact === undefined ? [] : [contact.id];
    }),
  );
}

function validDate(value: string | null | undefined, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw badUserInput(`${argument} is not a date-time`, argument);
  return new Date(millis).toISOString();
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function toGroup(group: Accumulator, dimensions: ReadonlyArray<DimensionName>, measures: ReadonlyArray<MeasureName>): AnalyticsGroup {
  const wants = (measure: MeasureName) => measures.includes(measure);
  return {
    period: group.period,
    dimensions: dimensions.map((dimension, index) => ({ dimension, value: group.values[index] ?? null })),
    customers: wants('CUSTOMERS') ? group.customers : null,
    orders: wants('ORDERS') ? group.orders : null,
    revenue: wants('REVENUE') ? round(group.revenue ?? 0) : null,
    averageBasket: wants('AVERAGE_BASKET') ? (group.orders === 0 ? null : (group.revenue ?? 0) / group.orders) : null,
    units: wants('UNITS') ? group.units : null,
    repeatRate: wants('REPEAT_RATE') ? (group.customers === 0 ? null : group.repeaters / group.customers) : null,
    tickets: wants('TICKETS') ? group.tickets : null,
    openTickets: wants('OPEN_TICKETS') ? group.openTickets : null,
  };
}

/** Cents, so sums of DECIMAL columns read as floats compare equal to the source's. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const MEASURE_KEYS: Readonly<Record<string, keyof AnalyticsGroup>> = {
  CUSTOMERS: 'customers',
  ORDERS: 'orders',
  REVENUE: 'revenue',
  AVERAGE_BASKET: 'averageBasket',
  UNITS: 'units',
  REPEAT_RATE: 'repeatRate',
  TICKETS: 'tickets',
  OPEN_TICKETS: 'openTickets',
};

/** By the given terms, then by period and dimension values ascending, so every answer has one order. */
function sortGroups(rows: AnalyticsGroup[], orderBy: NonNullable<AnalyticsArgs['orderBy']>, dimensions: ReadonlyArray<DimensionName>): AnalyticsGroup[] {
  const terms = orderBy.map((term) => {
    const direction = term.direction === 'ASC' ? 1 : -1;
    if (term.dimension != null) {
      const index = dimensions.indexOf(term.dimension);
      if (index < 0) throw badUserInput(`orderBy names ${term.dimension}, which is not among the dimensions`, 'orderBy');
      return (a: AnalyticsGroup, b: AnalyticsGroup) => direction * compareNullable(a.dimensions[index]!.value, b.dimensions[index]!.value);
    }
    if (term.field === 'PERIOD' || term.field == null) return (a: AnalyticsGroup, b: AnalyticsGroup) => direction * compareNullable(a.period, b.period);
    const key = MEASURE_KEYS[term.field];
    if (key === undefined) throw badUserInput(`cannot order by ${term.field}`, 'orderBy');
    return (a: AnalyticsGroup, b: AnalyticsGroup) => direction * compareNullable(a[key] as number | null, b[key] as number | null);
  });
  const natural = (a: AnalyticsGroup, b: AnalyticsGroup): number => {
    const byPeriod = compareNullable(a.period, b.period);
    if (byPeriod !== 0) return byPeriod;
    for (let i = 0; i < a.dimensions.length; i++) {
      const c = compareNullable(a.dimensions[i]!.value, b.dimensions[i]!.value);
      if (c !== 0) return c;
    }
    return 0;
  };
  return rows.sort((a, b) => {
    for (const term of terms) {
      const c = term(a, b);
      if (c !== 0) return c;
    }
    return natural(a, b);
  });
}

/** Nulls last; numbers by value, text by code point. */
function compareNullable(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
