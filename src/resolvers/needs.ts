/** Which canonical fields each GraphQL field reads, per entity: the projection tables. */
import type { GraphQLResolveInfo } from 'graphql';
import type { CustomerNeeds } from '../identity/customer-handle.js';
import { projectionFor, selectedFieldNamesAt, type FieldNeeds } from '../loading/selection.js';
import type { Loaders } from '../loading/loaders.js';
import { customerOrdersInclude } from '../loading/order-tree.js';
import { customerNeedsOf, needsOf } from './bindings.js';

// Derived from the binding table (./bindings.ts): GraphQL field -> canonical fields it reads.

/** Customer field -> fields of the CRM contact it reads (identifiers are always read). */
const CUSTOMER_CONTACT_NEEDS: FieldNeeds = customerNeedsOf('contact');
const CUSTOMER_SHOP_NEEDS: FieldNeeds = customerNeedsOf('shopCustomer');

export const CONTACT_NEEDS: FieldNeeds = needsOf('Contact');
export const SHOP_CUSTOMER_NEEDS: FieldNeeds = needsOf('ShopCustomer');
export const ORDER_NEEDS: FieldNeeds = needsOf('Order');
export const ORDER_LINE_NEEDS: FieldNeeds = needsOf('OrderLine');
export const PRODUCT_NEEDS: FieldNeeds = needsOf('Product');
/** Account.company looks the registry up by siren and siret. */
export const ACCOUNT_NEEDS: FieldNeeds = needsOf('Account');
export const INTERACTION_NEEDS: FieldNeeds = needsOf('Interaction');
export const CONSENT_NEEDS: FieldNeeds = needsOf('Consent');
export const EVENT_NEEDS: FieldNeeds = needsOf('WebEvent');

/** Customer fields that read only the CRM contact itself: selecting only these needs no linking. */
const UNLINKED_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'contact', 'account', 'interactions', 'consents']);

/** What the customers selected at `path` (below the current field) need from each anchor entity. */
export function customerNeeds(info: GraphQLResolveInfo, path: ReadonlyArray<string>, loaders?: Loaders): CustomerNeeds {
  const selected = selectedFieldNamesAt(info, path);
  const contactSub = selectedFieldNamesAt(info, [...path, 'contact']);
  const shopSub = selectedFieldNamesAt(info, [...path, 'shopAccounts']);
  const shopCustomerInclude =
    loaders === undefined
      ? undefined
      : customerOrdersInclude(loaders, info, path, { order: ORDER_NEEDS, line: ORDER_LINE_NEEDS, product: PRODUCT_NEEDS }, 10, 100);
  return {
    contact: [...projectionFor(selected, CUSTOMER_CONTACT_NEEDS, []), ...projectionFor(contactSub, CONTACT_NEEDS, [])],
    shopCustomer: [...projectionFor(selected, CUSTOMER_SHOP_NEEDS, []), ...projectionFor(shopSub, SHOP_CUSTOMER_NEEDS, [])],
    // Contacts of several CRMs link to each other: no selection reads one without the links.
    linking: loaders?.silos.isSplit('contact') === true || ![...selected].every((name) => UNLINKED_FIELDS.has(name)),
    ...(shopCustomerInclude === undefined ? {} : { shopCustomerInclude }),
  };
}
