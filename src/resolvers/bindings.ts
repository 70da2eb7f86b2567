/**
 * The binding table: for every field of the schema types that show source data
 * (schema/*.graphql), which canonical fields (src/config/canonical.ts) it reads. The
 * projection tables resolvers load with (./needs.ts) are derived from it, and
 * tests/unit/schema-bindings.test.ts fails when a schema field has no binding or a binding
 * names a canonical field that does not exist, so a field added to the schema cannot fall
 * silently to graphql's default resolver (row[fieldName], null for every customer).
 */
import type { GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { CANONICAL_ENTITIES, type CanonicalEntityName } from '../config/canonical.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import type { FieldNeeds } from '../loading/selection.js';

/** How one schema field gets its value. */
export type Binding =
  /** The entity's key (always read: it is never part of a projection table). */
  | { readonly kind: 'key' }
  /** These canonical fields of the type's own entity. */
  | { readonly kind: 'fields'; readonly fields: ReadonlyArray<string> }
  /** A row of another entity, found by the value of these own fields (OrderLine.product by productId). */
  | { readonly kind: 'related'; readonly entity: CanonicalEntityName; readonly through: ReadonlyArray<string> }
  /** Rows of another entity whose `keyField` holds this row's key, or (on Customer) the keys of the `of` records. */
  | { readonly kind: 'children'; readonly entity: CanonicalEntityName; readonly keyField: string; readonly of?: AnchorEntity }
  /** Customer: these fields of each person record of the customer (survivorship, provenance, links). */
  | { readonly kind: 'persons'; readonly fields: Readonly<Partial<Record<AnchorEntity, ReadonlyArray<string>>>> }
  /** Computed by c360 from other bindings or other services (RFM, intent, quality): `from` says from what. */
  | { readonly kind: 'computed'; readonly from: string };

export interface TypeBinding {
  /** The canonical entity a row of this type is; null for Customer, which is assembled from person records. */
  readonly entity: CanonicalEntityName | null;
  readonly fields: Readonly<Record<string, Binding>>;
}

const KEY: Binding = { kind: 'key' };
const read = (...fields: string[]): Binding => ({ kind: 'fields', fields });
const related = (entity: CanonicalEntityName, ...through: string[]): Binding => ({ kind: 'related', entity, through });
const children = (entity: CanonicalEntityName, keyField: string, of?: AnchorEntity): Binding => ({
  kind: 'children',
  entity,
  keyField,
  ...(of === undefined ? {} : { of }),
});
const persons = (fields: Readonly<Partial<Record<AnchorEntity, ReadonlyArray<string>>>>): Binding => ({ kind: 'persons', fields });
const computed = (from: string): Binding => ({ kind: 'computed', from });

const ADDRESS = ['street', 'postcode', 'city', 'country'];
const NAME = ['firstName', 'lastName'];

export const SCHEMA_BINDINGS = {
  Customer: {
    entity: null,
    fields: {
      id: computed('the lowest key of its contacts, else of its shop accounts (src/identity/customer-id.ts)'),
      kind: persons({ contact: ['kind'], shopCustomer: ['siret'] }),
      displayName: persons({ contact: [...NAME, 'companyName', 'kind'], shopCustomer: [...NAME, 'companyName'] }),
      email: persons({ contact: ['email'], shopCustomer: ['email'] }),
      phone: persons({ contact: ['mobile', 'phone'], shopCustomer: ['phone'] }),
      name: persons({ contact: NAME, shopCustomer: NAME }),
      address: persons({ contact: ADDRESS, shopCustomer: ADDRESS }),
      provenance: persons({
        contact: [...NAME, ...ADDRESS, 'companyName', 'kind', 'updatedAt'],
        shopCustomer: [...NAME, ...ADDRESS, 'companyName', 'siret', 'updatedAt'],
      }),
      sources: persons({}),
      identities: persons({}),
      duplicateCandidates: computed('probabilistic matching of its records (src/identity/probabilistic.ts)'),
      household: computed('the records the shared-identifier guard held back (src/identity/shared-identifier-guard.ts)'),
      dataQuality: computed('its person records re-read with QUALITY_FIELDS (src/identity/quality.ts)'),
      contact: persons({}),
      account: persons({ contact: ['accountId'] }),
      interactions: children('interaction', 'contactId', 'contact'),
      consents: children('consent', 'contactId', 'contact'),
      shopAccounts: persons({}),
      orders: children('order', 'customerId', 'shopCustomer'),
      events: children('event', 'customerId', 'shopCustomer'),
      tickets: children('ticket', 'requesterEmail'),
      service: computed('its tickets (open count, last contact, average satisfaction)'),
      timeline: computed('its orders, interactions and tickets, merged by date'),
      rfm: computed('the orders of its shop accounts (src/insights)'),
      intent: computed('the events of its shop accounts and the store visits of its contacts (src/insights/intent.ts)'),
      segments: computed('its RFM and intent under insights.segments'),
    },
  },
  Contact: {
    entity: 'contact',
    fields: {
      id: KEY,
      kind: read('kind'),
      firstName: read('firstName'),
      lastName: read('lastName'),
      companyName: read('companyName'),
      email: read('email'),
      phone: read('phone'),
      mobile: read('mobile'),
      birthDate: read('birthDate'),
      address: read(...ADDRESS),
      createdAt: read('createdAt'),
      updatedAt: read('updatedAt'),
    },
  },
  Account: {
    entity: 'account',
    fields: {
      id: KEY,
      name: read('name'),
      siren: read('siren'),
      siret: read('siret'),
      industry: read('industry'),
      // Account.company looks the registry up by these.
      company: related('company', 'siren', 'siret'),
    },
  },
  Interaction: {
    entity: 'interaction',
    fields: { id: KEY, type: read('type'), occurredAt: read('occurredAt'), subject: read('subject'), agent: read('agent'), storeId: read('storeId') },
  },
  Consent: {
    entity: 'consent',
    fields: { id: KEY, purpose: read('purpose'), channel: read('channel'), status: read('status'), recordedAt: read('recordedAt') },
  },
  ShopCustomer: {
    entity: 'shopCustomer',
    fields: {
      id: KEY,
      email: read('email'),
      phone: read('phone'),
      firstName: read('firstName'),
      lastName: read('lastName'),
      companyName: read('companyName'),
      siret: read('siret'),
      birthDate: read('birthDate'),
      address: read(...ADDRESS),
      createdAt: read('createdAt'),
      updatedAt: read('updatedAt'),
    },
  },
  Order: {
    entity: 'order',
    fields: {
      id: KEY,
      channel: read('channel'),
      channelRaw: read('channelRaw'),
      status: read('status'),
      statusRaw: read('statusRaw'),
      placedAt: read('placedAt'),
      total: read('total'),
      currency: read('currency'),
      storeId: read('storeId'),
      lines: children('orderLine', 'orderId'),
    },
  },
  OrderLine: {
    entity: 'orderLine',
    fields: {
      id: KEY,
      sku: read('sku'),
      productName: read('productName'),
      quantity: read('quantity'),
      unitPrice: read('unitPrice'),
      lineTotal: read('lineTotal'),
      product: related('product', 'productId'),
    },
  },
  Product: {
    entity: 'product',
    fields: { id: KEY, sku: read('sku'), name: read('name'), category: read('category'), brand: read('brand'), price: read('price') },
  },
  WebEvent: {
    entity: 'event',
    fields: {
      id: KEY,
      type: read('type'),
      occurredAt: read('occurredAt'),
      product: related('product', 'productId'),
      query: read('query'),
      sessionId: read('sessionId'),
      device: read('device'),
    },
  },
  Ticket: {
    entity: 'ticket',
    fields: {
      id: KEY,
      subject: read('subject'),
      status: read('status'),
      priority: read('priority'),
      channel: read('channel'),
      createdAt: read('createdAt'),
      updatedAt: read('updatedAt'),
      solvedAt: read('solvedAt'),
      satisfaction: read('satisfaction'),
      messages: read('messages'),
    },
  },
  Company: {
    entity: 'company',
    fields: {
      siren: KEY,
      siret: read('siret'),
      legalName: read('legalName'),
      nafCode: read('nafCode'),
      nafLabel: read('nafLabel'),
      headcountBand: read('headcountBand'),
      executives: read('executives'),
      creationDate: read('creationDate'),
      state: read('state'),
      closedDate: read('closedDate'),
      headOffice: read('street', 'postcode', 'city'),
      latestFinances: read('finances'),
      fetchedAt: computed('when c360 received the registry reply'),
    },
  },
} as const satisfies Readonly<Record<string, TypeBinding>>;

export type BoundType = keyof typeof SCHEMA_BINDINGS;

/** The canonical fields a binding reads from its own row, for projections: keys are always read, children and computed values read none. */
function ownFields(binding: Binding): ReadonlyArray<string> {
  switch (binding.kind) {
    case 'fields':
      return binding.fields;
    case 'related':
      return binding.through;
    case 'key':
    case 'children':
    case 'persons':
    case 'computed':
      return [];
    default: {
      const unknown: never = binding;
      throw new Error(`unknown binding ${JSON.stringify(unknown)}`);
    }
  }
}

/** GraphQL field -> canonical fields of the type's entity it reads (the projection table of ./needs.ts). */
export function needsOf(type: Exclude<BoundType, 'Customer'>): FieldNeeds {
  const fields: Readonly<Record<string, Binding>> = SCHEMA_BINDINGS[type].fields;
  return Object.fromEntries(Object.entries(fields).flatMap(([name, binding]) => (ownFields(binding).length === 0 ? [] : [[name, ownFields(binding)]])));
}

/** Customer field -> fields of each record of `entity` it reads (besides the identifiers, always read). */
export function customerNeedsOf(entity: AnchorEntity): FieldNeeds {
  const fields: Readonly<Record<string, Binding>> = SCHEMA_BINDINGS.Customer.fields;
  return Object.fromEntries(
    Object.entries(fields).flatMap(([name, binding]) =>
      binding.kind === 'persons' && binding.fields[entity] !== undefined ? [[name, binding.fields[entity]]] : [],
    ),
  );
}

/**
 * What is wrong between the table and a schema: a field of a bound type the table does not
 * bind, a binding for a field the schema does not have, a canonical entity or field that
 * does not exist. Empty when they agree.
 */
export function bindingProblems(schema: GraphQLSchema, table: Readonly<Record<string, TypeBinding>> = SCHEMA_BINDINGS): string[] {
  const problems: string[] = [];
  const canonicalField = (where: string, entity: CanonicalEntityName, field: string) => {
    if (!Object.hasOwn(CANONICAL_ENTITIES[entity].fields, field)) problems.push(`${where}: "${field}" is not a field of the canonical ${entity}`);
  };
  for (const [typeName, binding] of Object.entries(table)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) {
      problems.push(`${typeName}: bound in src/resolvers/bindings.ts but not an object type of the schema`);
      continue;
    }
    const schemaFields = type.getFields();
    for (const name of Object.keys(schemaFields)) {
      if (!Object.hasOwn(binding.fields, name))
        problems.push(`${typeName}.${name}: no binding in src/resolvers/bindings.ts (which canonical fields does it read?)`);
    }
    for (const [name, field] of Object.entries(binding.fields)) {
      const where = `${typeName}.${name}`;
      if (!Object.hasOwn(schemaFields, name)) problems.push(`${where}: bound but not in the schema`);
      if (binding.entity !== null) for (const read of ownFields(field)) canonicalField(where, binding.entity, read);
      if (field.kind === 'key' && binding.entity !== null && CANONICAL_ENTITIES[binding.entity].key !== name)
        problems.push(`${where}: bound as the key, but the canonical ${binding.entity}'s key is "${CANONICAL_ENTITIES[binding.entity].key}"`);
      if (field.kind === 'children') canonicalField(where, field.entity, field.keyField);
      if (field.kind === 'persons')
        for (const [entity, reads] of Object.entries(field.fields) as Array<[AnchorEntity, ReadonlyArray<string>]>)
          for (const read of reads) canonicalField(where, entity, read);
    }
  }
  return problems;
}
