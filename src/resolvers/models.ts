/**
 * What resolvers pass to each other (codegen mappers): rows as the sources returned them,
 * plus what the children need to load more. Never exposed as such.
 */
import type { Row } from '../../connectors/contract.js';
import type { CustomerHandle } from '../identity/customer-handle.js';

export type CustomerModel = CustomerHandle;
export type ContactModel = Row;
export type AccountModel = Row;
export type ShopCustomerModel = Row;
export type OrderModel = Row;
export type OrderLineModel = Row;
export type ProductModel = Row;
/** Interactions, consents, web events: rows passed through as the source returned them. */
export type RowModel = Row;

/** A registry row, with when it reached c360 (Company.fetchedAt). */
export interface CompanyModel {
  readonly row: Row;
  readonly fetchedAt: string;
}

/** A timeline entry: the row it stands for, with its kind and date already read. */
export interface TimelineEntryModel {
  readonly at: string;
  readonly kind: 'ORDER' | 'STORE_VISIT' | 'INTERACTION' | 'TICKET';
  readonly source: string;
  readonly row: Row;
}
