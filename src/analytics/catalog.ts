/**
 * The cube's measures and dimensions (schema/analytics.graphql), what each needs mapped,
 * and where it is computed. The schema offers only those the config maps
 * (./schema-enums.ts), so a caller never sees a dimension c360 could not compute.
 */
import type { CubeDimension } from '../../connectors/cube-contract.js';
import type { CanonicalEntityName } from '../config/canonical.js';
import type { C360Config } from '../config/types.js';

export const MEASURES = ['CUSTOMERS', 'ORDERS', 'REVENUE', 'AVERAGE_BASKET', 'UNITS', 'REPEAT_RATE', 'TICKETS', 'OPEN_TICKETS'] as const;
export type MeasureName = (typeof MEASURES)[number];

export const DIMENSIONS = [
  'CHANNEL',
  'ORDER_STATUS',
  'PRODUCT_CATEGORY',
  'STORE',
  'SEGMENT',
  'RFM_CELL',
  'INTENT_LEVEL',
  'CITY',
  'DEPARTEMENT',
  'CUSTOMER_KIND',
  'HEADCOUNT_BAND',
  'ACQUISITION_MONTH',
] as const;
export type DimensionName = (typeof DIMENSIONS)[number];

/** Order measures are one statement in the shop; ticket measures are read from the helpdesk. */
export type Fact = 'order' | 'ticket';

export const MEASURE_FACT: Readonly<Record<MeasureName, Fact>> = {
  CUSTOMERS: 'order',
  ORDERS: 'order',
  REVENUE: 'order',
  AVERAGE_BASKET: 'order',
  UNITS: 'order',
  REPEAT_RATE: 'order',
  TICKETS: 'ticket',
  OPEN_TICKETS: 'ticket',
};

/**
 * Where a dimension's value comes from: the order row (only order measures can be grouped
 * by it), the shop account (computed in the shop, per customer), or the CRM contact.
 */
export type DimensionLevel = 'order' | 'shopCustomer' | 'contact';

export interface DimensionDefinition {
  readonly level: DimensionLevel;
  /** The shop's name for it, for order and shop-account dimensions. */
  readonly cube?: CubeDimension;
  /** Distinct values when known in advance (null counts as one), for the cost estimate. */
  readonly cardinality?: (config: C360Config) => number;
}

export const DIMENSION_DEFINITIONS: Readonly<Record<DimensionName, DimensionDefinition>> = {
  // The canonical values (open sets: OTHER included) and null.
  CHANNEL: { level: 'order', cube: 'channel', cardinality: () => 7 },
  ORDER_STATUS: { level: 'order', cube: 'status', cardinality: () => 8 },
  PRODUCT_CATEGORY: { level: 'order', cube: 'category' },
  STORE: { level: 'order', cube: 'storeId' },
  SEGMENT: { level: 'shopCustomer', cube: 'segment', cardinality: (config) => 1 + (config.insights?.segments.filter((s) => s.family === 'GRID').length ?? 11) },
  RFM_CELL: { level: 'shopCustomer', cube: 'rfmCell', cardinality: () => 126 },
  INTENT_LEVEL: { level: 'shopCustomer', cube: 'intentLevel', cardinality: () => 4 },
  ACQUISITION_MONTH: { level: 'shopCustomer', cube: 'acquisitionMonth' },
  CITY: { level: 'contact' },
  DEPARTEMENT: { level: 'contact', cardinality: () => 103 },
  CUSTOMER_KIND: { level: 'contact', cardinality: () => 3 },
  HEADCOUNT_BAND: { level: 'contact' },
};

function has(config: C360Config, entity: CanonicalEntityName, ...fields: string[]): boolean {
  const mapped = config.entities[entity];
  return mapped !== undefined && fields.every((field) => mapped.fields.has(field));
}

function sourceOf(config: C360Config, entity: CanonicalEntityName): string | undefined {
  return config.entities[entity]?.source;
}

/** The orders are in a SQL source, which groups them (connectors/sql/cube.ts). */
function ordersGroupable(config: C360Config): boolean {
  const source = sourceOf(config, 'order');
  const kind = source === undefined ? undefined : config.sources[source]?.kind;
  return has(config, 'order', 'placedAt') && (kind === 'postgres' || kind === 'mysql');
}

function inOrderSource(config: C360Config, entity: CanonicalEntityName): boolean {
  return config.entities[entity] !== undefined && sourceOf(config, entity) === sourceOf(config, 'order');
}

/** Shop accounts and CRM contacts can be linked: both mapped with an identifier. */
function linkable(config: C360Config): boolean {
  return (
    has(config, 'shopCustomer') &&
    has(config, 'contact') &&
    ['email', 'phone', 'externalId'].some(
      (field) => has(config, 'shopCustomer', field) && (has(config, 'contact', field) || (field === 'phone' && has(config, 'contact', 'mobile'))),
    )
  );
}

/** Tickets are listed by status and owned by the customer holding the requester's email. */
function ticketsReadable(config: C360Config): boolean {
  return has(config, 'ticket', 'status') && (has(config, 'contact', 'email') || has(config, 'shopCustomer', 'email'));
}

export function measureAvailable(config: C360Config, measure: MeasureName): boolean {
  switch (measure) {
    case 'CUSTOMERS':
    case 'ORDERS':
    case 'REPEAT_RATE':
      return ordersGroupable(config);
    case 'REVENUE':
    case 'AVERAGE_BASKET':
      return ordersGroupable(config) && has(config, 'order', 'total');
    case 'UNITS':
      return ordersGroupable(config) && inOrderSource(config, 'orderLine') && has(config, 'orderLine', 'quantity');
    case 'TICKETS':
    case 'OPEN_TICKETS':
      return ticketsReadable(config);
  }
}

export function dimensionAvailable(config: C360Config, dimension: DimensionName): boolean {
  const shop = ordersGroupable(config);
  switch (dimension) {
    case 'CHANNEL':
      return shop && has(config, 'order', 'channel');
    case 'ORDER_STATUS':
      return shop && has(config, 'order', 'status');
    case 'STORE':
      return shop && has(config, 'order', 'storeId');
    case 'PRODUCT_CATEGORY':
      return (
        shop &&
        inOrderSource(config, 'orderLine') &&
        inOrderSource(config, 'product') &&
        has(config, 'orderLine', 'productId') &&
        has(config, 'product', 'category')
      );
    case 'SEGMENT':
    case 'RFM_CELL':
      return shop && has(config, 'order', 'total');
    case 'INTENT_LEVEL':
      return shop && inOrderSource(config, 'event') && has(config, 'event', 'type', 'occurredAt');
    case 'ACQUISITION_MONTH':
      return shop;
    case 'CITY':
      return linkable(config) && has(config, 'contact', 'city');
    case 'DEPARTEMENT':
      return linkable(config) && has(config, 'contact', 'postcode');
    case 'CUSTOMER_KIND':
      return linkable(config) && has(config, 'contact', 'kind');
    case 'HEADCOUNT_BAND':
      return linkable(config) && has(config, 'contact', 'accountId') && has(config, 'account', 'siren') && has(config, 'company', 'headcountBand');
  }
}

export function availableMeasures(config: C360Config): MeasureName[] {
  return MEASURES.filter((measure) => measureAvailable(config, measure));
}

export function availableDimensions(config: C360Config): DimensionName[] {
  return DIMENSIONS.filter((dimension) => dimensionAvailable(config, dimension));
}
