/**
 * The demo's c360.yaml, as the raw object parseConfig reads: every canonical entity mapped
 * onto the demo layout (./layout.ts). c360.example.yaml is the same mapping, commented.
 * With the loyalty system, shop customers, orders and order lines are each mapped in two
 * sources, a list whose first mapping (the shop's) is the primary: card holders are shop
 * customers, receipts are store orders, receipt lines are order lines.
 */
import { JUNK_EMAILS, JUNK_PHONES } from './data/french-people.js';

export type RawFieldMapping = string | { readonly column: string; readonly values: Readonly<Record<string, string>> } | { readonly const: string };

export type DemoSourceName = 'crm' | 'shop' | 'loyalty';

export interface RawEntityMapping {
  readonly source: DemoSourceName;
  readonly table: string;
  readonly fields: Readonly<Record<string, RawFieldMapping>>;
}

/** `M`: the form of an entity's mapping, a single one unless the loyalty system is mapped. */
export interface DemoRawConfig<M = RawEntityMapping | ReadonlyArray<RawEntityMapping>> {
  readonly server: { readonly host: string; readonly port: number };
  readonly sources: Readonly<Record<'crm' | 'shop', RawSqlSource>> & { readonly loyalty?: RawSqlSource };
  readonly identity: { readonly defaultRegion: string; readonly blocklist: ReadonlyArray<string> };
  /** One mapping, or a list of mappings in different sources whose first is the primary. */
  readonly entities: Readonly<Record<string, M>>;
}

export interface RawSqlSource {
  readonly kind: 'postgres' | 'mysql';
  readonly url: string;
  readonly pool: { readonly max: number };
  readonly timeoutMillis: number;
}

export interface DemoConfigOptions {
  readonly crmUrl: string;
  readonly shopUrl: string;
  readonly shopKind: 'postgres' | 'mysql';
  readonly port: number;
  readonly host?: string;
  /** The stores' loyalty system (PostgreSQL); absent: the config maps the CRM and the shop only. */
  readonly loyaltyUrl?: string;
}

/** Placeholder values found in the demo data; they never link two records. */
export const DEMO_IDENTITY_BLOCKLIST: ReadonlyArray<string> = [...JUNK_EMAILS, ...JUNK_PHONES];

/** Lower-case source values onto the canonical upper-case ones: { web: 'WEB', … }. */
function upper(column: string, values: ReadonlyArray<string>): RawFieldMapping {
  return { column, values: Object.fromEntries(values.map((value) => [value, value.toUpperCase()])) };
}

export const DEMO_ENTITIES: Readonly<Record<string, RawEntityMapping>> = {
  contact: {
    source: 'crm',
    table: 'contacts',
    fields: {
      id: 'id',
      kind: upper('kind', ['person', 'company']),
      firstName: 'first_name',
      lastName: 'last_name',
      companyName: 'company_name',
      email: 'email',
      phone: 'phone',
      mobile: 'mobile',
      street: 'street',
      postcode: 'postcode',
      city: 'city',
      country: 'country',
      birthDate: 'birth_date',
      accountId: 'account_id',
      externalId: 'shop_customer_ref',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  account: {
    source: 'crm',
    table: 'accounts',
    fields: { id: 'id', name: 'name', siren: 'siren', siret: 'siret', industry: 'industry', createdAt: 'created_at', updatedAt: 'updated_at' },
  },
  interaction: {
    source: 'crm',
    table: 'interactions',
    fields: {
      id: 'id',
      contactId: 'contact_id',
      type: upper('type', ['call', 'meeting', 'email', 'store_visit']),
      occurredAt: 'occurred_at',
      subject: 'subject',
      agent: 'agent',
      storeId: 'store_id',
    },
  },
  consent: {
    source: 'crm',
    table: 'consents',
    fields: {
      id: 'id',
      contactId: 'contact_id',
      purpose: 'purpose',
      channel: 'channel',
      status: upper('status', ['granted', 'denied', 'withdrawn']),
      recordedAt: 'recorded_at',
    },
  },
  shopCustomer: {
    source: 'shop',
    table: 'customers',
    fields: {
      id: 'id',
      email: 'email',
      phone: 'phone',
      firstName: 'first_name',
      lastName: 'last_name',
      companyName: 'company_name',
      siret: 'siret',
      street: 'street',
      postcode: 'postcode',
      city: 'city',
      country: 'country',
      birthDate: 'birth_date',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  order: {
    source: 'shop',
    table: 'orders',
    fields: {
      id: 'id',
      customerId: 'customer_id',
      channel: upper('channel', ['web', 'store']),
      status: upper('status', ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned']),
      placedAt: 'placed_at',
      total: 'total',
      currency: 'currency',
      storeId: 'store_id',
    },
  },
  orderLine: {
    source: 'shop',
    table: 'order_lines',
    fields: {
      id: 'id',
      orderId: 'order_id',
      productId: 'product_id',
      sku: 'sku',
      productName: 'product_name',
      quantity: 'quantity',
      unitPrice: 'unit_price',
      lineTotal: 'line_total',
    },
  },
  product: {
    source: 'shop',
    table: 'products',
    fields: { id: 'id', sku: 'sku', name: 'name', category: 'category', brand: 'brand', price: 'price' },
  },
  event: {
    source: 'shop',
    table: 'web_events',
    fields: {
      id: 'id',
      customerId: 'customer_id',
      type: upper('type', ['product_view', 'search', 'add_to_cart', 'checkout_started']),
      occurredAt: 'occurred_at',
      productId: 'product_id',
      query: 'search_query',
      sessionId: 'session_id',
      device: 'device',
    },
  },
};

/**
 * The loyalty system's tables as the entities the shop maps too: a card holder is a shop
 * customer (keyed by card number), a receipt a paid store order, a receipt line an order line
 * whose product id is the shop's. The gateway prefixes their keys and references with the
 * source's name (`loyalty:LC000123`); a product id stays raw (products are the shop's only).
 */
export const DEMO_LOYALTY_ENTITIES: Readonly<Record<'shopCustomer' | 'order' | 'orderLine', RawEntityMapping>> = {
  shopCustomer: {
    source: 'loyalty',
    table: 'card_holders',
    fields: {
      id: 'card_number',
      phone: 'phone',
      email: 'email',
      firstName: 'first_name',
      lastName: 'last_name',
      postcode: 'postcode',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  order: {
    source: 'loyalty',
    table: 'receipts',
    fields: {
      id: 'id',
      customerId: 'card_number',
      // A till receipt is a paid purchase in a store; the table has no column for either.
      channel: { const: 'STORE' },
      status: { const: 'PAID' },
      placedAt: 'placed_at',
      total: 'total',
      currency: 'currency',
      storeId: 'store_id',
    },
  },
  orderLine: {
    source: 'loyalty',
    table: 'receipt_lines',
    fields: {
      id: 'id',
      orderId: 'receipt_id',
      productId: 'product_id',
      sku: 'sku',
      productName: 'product_name',
      quantity: 'quantity',
      unitPrice: 'unit_price',
      lineTotal: 'line_total',
    },
  },
};

/** DEMO_ENTITIES with the loyalty system's mappings after the shop's. */
export function demoEntitiesWithLoyalty(): Readonly<Record<string, RawEntityMapping | ReadonlyArray<RawEntityMapping>>> {
  const entities: Record<string, RawEntityMapping | ReadonlyArray<RawEntityMapping>> = { ...DEMO_ENTITIES };
  for (const [entity, mapping] of Object.entries(DEMO_LOYALTY_ENTITIES)) {
    const primary = DEMO_ENTITIES[entity];
    if (primary === undefined) throw new Error(`the loyalty system maps ${entity}, which the demo does not map`);
    entities[entity] = [primary, mapping];
  }
  return entities;
}

export function demoRawConfig(options: DemoConfigOptions & { readonly loyaltyUrl?: undefined }): DemoRawConfig<RawEntityMapping>;
export function demoRawConfig(options: DemoConfigOptions): DemoRawConfig;
export function demoRawConfig(options: DemoConfigOptions): DemoRawConfig {
  const source = (kind: 'postgres' | 'mysql', url: string): RawSqlSource => ({ kind, url, pool: { max: 10 }, timeoutMillis: 5_000 });
  const crm = source('postgres', options.crmUrl);
  const shop = source(options.shopKind, options.shopUrl);
  return {
    server: { host: options.host ?? '127.0.0.1', port: options.port },
    sources: options.loyaltyUrl === undefined ? { crm, shop } : { crm, shop, loyalty: source('postgres', options.loyaltyUrl) },
    identity: { defaultRegion: 'FR', blocklist: DEMO_IDENTITY_BLOCKLIST },
    entities: options.loyaltyUrl === undefined ? DEMO_ENTITIES : demoEntitiesWithLoyalty(),
  };
}
