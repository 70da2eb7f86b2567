/** Which canonical fields each GraphQL field reads, per entity: the projection tables. */
import type { GraphQLResolveInfo } from 'graphql';
import type { CustomerNeeds } from '../identity/customer-handle.js';
import { projectionFor, selectedFieldNamesAt, type FieldNeeds } from '../loading/selection.js';
import type { Loaders } from '../loading/loaders.js';
import { customerOrdersInclude } from '../loading/order-tree.js';

const ADDRESS = ['street', 'postcode', 'city', 'country'];
const NAME = ['firstName', 'lastName'];

/** Customer field -> fields of the CRM contact it reads (identifiers are always read). */
const CUSTOMER_CONTACT_NEEDS: FieldNeeds = {
  kind: ['kind'],
  displayName: [...NAME, 'companyName', 'kind'],
  name: NAME,
  address: ADDRESS,
  account: ['accountId'],
  provenance: [...NAME, ...ADDRESS, 'companyName', 'kind', 'updatedAt'],
};

const CUSTOMER_SHOP_NEEDS: FieldNeeds = {
  kind: ['siret'],
  displayName: [...NAME, 'companyName'],
  name: NAME,
  address: ADDRESS,
  provenance: [...NAME, ...ADDRESS, 'companyName', 'siret', 'updatedAt'],
};

export const CONTACT_NEEDS: FieldNeeds = {
  kind: ['kind'],
  firstName: ['firstName'],
  lastName: ['lastName'],
  companyName: ['companyName'],
  email: ['email'],
  phone: ['phone'],
  mobile: ['mobile'],
  birthDate: ['birthDate'],
  address: ADDRESS,
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
};

export const SHOP_CUSTOMER_NEEDS: FieldNeeds = {
  email: ['email'],
  phone: ['phone'],
  firstName: ['firstName'],
  lastName: ['lastName'],
  companyName: ['companyName'],
  siret: ['siret'],
  birthDate: ['birthDate'],
  address: ADDRESS,
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
};

export const ORDER_NEEDS: FieldNeeds = {
  channel: ['channel'],
  channelRaw: ['channelRaw'],
  status: ['status'],
  statusRaw: ['statusRaw'],
  placedAt: ['placedAt'],
  total: ['total'],
  currency: ['currency'],
  storeId: ['storeId'],
};

export const ORDER_LINE_NEEDS: FieldNeeds = {
  sku: ['sku'],
  productName: ['productName'],
  quantity: ['quantity'],
  unitPrice: ['unitPrice'],
  lineTotal: ['lineTotal'],
  product: ['productId'],
};

export const PRODUCT_NEEDS: FieldNeeds = {
  sku: ['sku'],
  name: ['name'],
  category: ['category'],
  brand: ['brand'],
  price: ['price'],
};

export const ACCOUNT_NEEDS: FieldNeeds = {
  name: ['name'],
  siren: ['siren'],
  siret: ['siret'],
  industry: ['industry'],
  // Account.company looks the registry up by these.
  company: ['siren', 'siret'],
};

export const INTERACTION_NEEDS: FieldNeeds = {
  type: ['type'],
  occurredAt: ['occurredAt'],
  subject: ['subject'],
  agent: ['agent'],
  storeId: ['storeId'],
};

export const CONSENT_NEEDS: FieldNeeds = { purpose: ['purpose'], channel: ['channel'], status: ['status'], recordedAt: ['recordedAt'] };

export const EVENT_NEEDS: FieldNeeds = {
  type: ['type'],
  occurredAt: ['occurredAt'],
  product: ['productId'],
  query: ['query'],
  sessionId: ['sessionId'],
  device: ['device'],
};

/** Customer fields that read only the CRM contact itself: selecting only these needs no linking. */
const UNLINKED_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'contact', 'account', 'interactions', 'consents']);

/** What the customers selected at `path` (below the current field) need from each anchor entity. */
export function customerNeeds(info: GraphQLResolveInfo, path: ReadonlyArray<string>, loaders?: Loaders): CustomerNeeds {
  const selected = selectedFieldNamesAt(info, path);
  const contactSub = selectedFieldNamesAt(info, [...path, 'contact']);
  const shopSub = selectedFieldNamesAt(info, [...path, 'shopAccounts']);
  const shopCustomerInclude = loaders === undefined ? undefined : customerOrdersInclude(loaders, info, path, { order: ORDER_NEEDS, line: ORDER_LINE_NEEDS, product: PRODUCT_NEEDS }, 10, 100);
  return {
    contact: [...projectionFor(selected, CUSTOMER_CONTACT_NEEDS, []), ...projectionFor(contactSub, CONTACT_NEEDS, [])],
    shopCustomer: [...projectionFor(selected, CUSTOMER_SHOP_NEEDS, []), ...projectionFor(shopSub, SHOP_CUSTOMER_NEEDS, [])],
    linking: ![...selected].every((name) => UNLINKED_FIELDS.has(name)),
    ...(shopCustomerInclude === undefined ? {} : { shopCustomerInclude }),
  };
}
