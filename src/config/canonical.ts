/**
 * The canonical entities that c360.yaml maps onto, with the type of each field and the
 * fields a mapping must name. The GraphQL schema (schema/*.graphql) is built over these;
 * operators never change them, they map their own tables onto them.
 */
import type { FieldType } from '../../connectors/mapping.js';

export interface CanonicalField {
  readonly type: FieldType;
  /** A mapping without it is refused (keys and link keys). */
  readonly required?: true;
  /** Values the gateway understands; mapped source values must land in this set. */
  readonly enum?: ReadonlyArray<string>;
  /**
   * An open value set (channels, statuses): the canonical model cannot know every value a
   * retailer uses, so a stored value that is neither mapped nor canonical reads as OTHER,
   * and its raw value is kept in the companion field `<field>Raw` (mapped to the same column).
   */
  readonly open?: true;
  /**
   * The entity whose key this field holds (order.customerId -> shopCustomer). An entity
   * mapped in several sources (./types.ts MappedEntity.parts) shows the rows of every source
   * but the first with their key and such references prefixed by the source's name
   * (`loyalty:LC0042`), when the referred entity is mapped in that source too
   * (src/loading/silos.ts).
   */
  readonly references?: string;
}

/** The companion field that keeps an open enum's stored value ("channel" -> "channelRaw"). */
export function rawFieldOf(field: string): string {
  return `${field}Raw`;
}

export interface CanonicalEntity {
  readonly key: string;
  readonly fields: Readonly<Record<string, CanonicalField>>;
}

const str: CanonicalField = { type: 'string' };
const requiredStr: CanonicalField = { type: 'string', required: true };
const datetime: CanonicalField = { type: 'datetime' };
const ref = (entity: string, required = false): CanonicalField =>
  required ? { type: 'string', required: true, references: entity } : { type: 'string', references: entity };

export const CANONICAL_ENTITIES = {
  /** A CRM contact: a person, or a company that is itself the customer. */
  contact: {
    key: 'id',
    fields: {
      id: requiredStr,
      kind: { type: 'string', enum: ['PERSON', 'COMPANY'] },
      firstName: str,
      lastName: str,
      /** Surname at birth (maiden name) when the CRM keeps it beside the current one. */
      birthName: str,
      companyName: str,
      email: str,
      phone: str,
      mobile: str,
      street: str,
      postcode: str,
      city: str,
      country: str,
      birthDate: { type: 'date' },
      /** A number the person holds for life and shares with no one (social security number / NIR): twins and relatives never share it. */
      nationalId: str,
      accountId: ref('account'),
      /** The shop's customer number when the CRM records it. */
      externalId: ref('shopCustomer'),
      createdAt: datetime,
      updatedAt: datetime,
    },
  },
  /** A CRM account: the company a contact belongs to. */
  account: {
    key: 'id',
    fields: {
      id: requiredStr,
      name: str,
      siren: str,
      siret: str,
      industry: str,
      createdAt: datetime,
      updatedAt: datetime,
    },
  },
  interaction: {
    key: 'id',
    fields: {
      id: requiredStr,
      contactId: ref('contact', true),
      type: { type: 'string', enum: ['CALL', 'MEETING', 'EMAIL', 'STORE_VISIT'] },
      occurredAt: datetime,
      subject: str,
      agent: str,
      storeId: str,
    },
  },
  consent: {
    key: 'id',
    fields: {
      id: requiredStr,
      contactId: ref('contact', true),
      purpose: str,
      channel: str,
      status: { type: 'string', enum: ['GRANTED', 'DENIED', 'WITHDRAWN'] },
      recordedAt: datetime,
    },
  },
  /** A customer account in the shop (web or loyalty card in store). */
  shopCustomer: {
    key: 'id',
    fields: {
      id: requiredStr,
      email: str,
      phone: str,
      firstName: str,
      lastName: str,
      /** Surname at birth (maiden name). */
      birthName: str,
      companyName: str,
      siret: str,
      street: str,
      postcode: str,
      city: str,
      country: str,
      birthDate: { type: 'date' },
      /** A number the person holds for life and shares with no one (social security number / NIR). */
      nationalId: str,
      /** The CRM's contact id when the shop records it. */
      externalId: ref('contact'),
      createdAt: datetime,
      updatedAt: datetime,
    },
  },
  order: {
    key: 'id',
    fields: {
      id: requiredStr,
      customerId: ref('shopCustomer', true),
      channel: { type: 'string', enum: ['WEB', 'STORE', 'APP', 'MARKETPLACE', 'PHONE', 'OTHER'], open: true },
      /** The stored channel, as the source spells it (read from the channel's column). */
      channelRaw: str,
      status: { type: 'string', enum: ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED', 'OTHER'], open: true },
      /** The stored status, as the source spells it. */
      statusRaw: str,
      placedAt: datetime,
      total: { type: 'float' },
      currency: str,
      storeId: str,
    },
  },
  orderLine: {
    key: 'id',
    fields: {
      id: requiredStr,
      orderId: ref('order', true),
      productId: ref('product'),
      sku: str,
      productName: str,
      quantity: { type: 'int' },
      unitPrice: { type: 'float' },
      lineTotal: { type: 'float' },
    },
  },
  product: {
    key: 'id',
    fields: {
      id: requiredStr,
      sku: str,
      name: str,
      category: str,
      brand: str,
      price: { type: 'float' },
    },
  },
  /** Web and app behaviour: what intent is computed from. */
  event: {
    key: 'id',
    fields: {
      id: requiredStr,
      customerId: ref('shopCustomer', true),
      type: { type: 'string', enum: ['PRODUCT_VIEW', 'SEARCH', 'ADD_TO_CART', 'CHECKOUT_STARTED'] },
      occurredAt: datetime,
      productId: ref('product'),
      query: str,
      sessionId: str,
      device: str,
    },
  },
  /** An after-sales (SAV) helpdesk ticket, linked to a customer by the requester's email. */
  ticket: {
    key: 'id',
    fields: {
      id: requiredStr,
      requesterEmail: requiredStr,
      subject: str,
      status: { type: 'string', enum: ['OPEN', 'PENDING', 'SOLVED', 'CLOSED'] },
      priority: { type: 'string', enum: ['LOW', 'NORMAL', 'HIGH', 'URGENT'] },
      channel: str,
      createdAt: datetime,
      updatedAt: datetime,
      solvedAt: datetime,
      satisfaction: { type: 'int' },
      /** [{ id, author, body, createdAt }] */
      messages: { type: 'json' },
    },
  },
  /** A company as the company registry knows it, found by SIREN or SIRET. */
  company: {
    key: 'siren',
    fields: {
      siren: requiredStr,
      siret: str,
      legalName: str,
      nafCode: str,
      nafLabel: str,
      headcountBand: str,
      creationDate: { type: 'date' },
      state: { type: 'string', enum: ['ACTIVE', 'CLOSED'] },
      closedDate: { type: 'date' },
      street: str,
      postcode: str,
      city: str,
      /** [{ firstName, lastName, role }] */
      executives: { type: 'json' },
      /** [{ year, revenue, netIncome }] */
      finances: { type: 'json' },
    },
  },
} as const satisfies Readonly<Record<string, CanonicalEntity>>;

export type CanonicalEntityName = keyof typeof CANONICAL_ENTITIES;

export function isCanonicalEntityName(name: string): name is CanonicalEntityName {
  return Object.hasOwn(CANONICAL_ENTITIES, name);
}
