/**
 * The demo's c360.yaml, as the raw object parseConfig reads: every canonical entity mapped
 * onto the demo layout (./layout.ts). c360.example.yaml is the same mapping, commented.
 */
import { JUNK_EMAILS, JUNK_PHONES } from './data/french-people.js';

export type RawFieldMapping = string | { readonly column: string; readonly values: Readonly<Record<string, string>> };

export interface RawEntityMapping {
  readonly source: 'crm' | 'shop';
  readonly table: string;
  readonly fields: Readonly<Record<string, RawFieldMapping>>;
}

export interface DemoRawConfig {
  readonly server: { readonly host: string; readonly port: number };
  readonly sources: Readonly<
    Record<
      'crm' | 'shop',
      { readonly kind: 'postgres' | 'mysql'; readonly url: string; readonly pool: { readonly max: number }; readonly timeoutMillis: number }
    >
  >;
  readonly identity: { readonly defaultRegion: string; readonly blocklist: ReadonlyArray<string> };
  readonly entities: Readonly<Record<string, RawEntityMapping>>;
}

export interface DemoConfigOptions {
  readonly crmUrl: string;
  readonly shopUrl: string;
  readonly shopKind: 'postgres' | 'mysql';
  readonly port: number;
  readonly host?: string;
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

export function demoRawConfig(options: DemoConfigOptions): DemoRawConfig {
  return {
    server: { host: options.host ?? '127.0.0.1', port: options.port },
    sources: {
      crm: { kind: 'postgres', url: options.crmUrl, pool: { max: 10 }, timeoutMillis: 5_000 },
      shop: { kind: options.shopKind, url: options.shopUrl, pool: { max: 10 }, timeoutMillis: 5_000 },
    },
    identity: { defaultRegion: 'FR', blocklist: DEMO_IDENTITY_BLOCKLIST },
    entities: DEMO_ENTITIES,
  };
}
