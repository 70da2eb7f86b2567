/** Shop types: orders, their lines and products, loaded in batches per nesting level. */
import type { OrderLineResolvers, OrderResolvers, ProductResolvers, ShopCustomerResolvers, WebEventResolvers } from '../generated/graphql.js';
import type { Row } from '../../connectors/contract.js';
import type { RequestContext } from '../gateway/context.js';
import { addressOf } from '../identity/golden.js';
import { projectionFor, selectedFieldNames } from '../loading/selection.js';
import { ORDER_LINE_NEEDS, PRODUCT_NEEDS } from './needs.js';
import { enumValue, str } from './rows.js';
import type { GraphQLResolveInfo } from 'graphql';
import { includedRows } from '../../connectors/included.js';

function productOf(row: Row, ctx: RequestContext, info: GraphQLResolveInfo): Row | null | Promise<Row | null> {
  // Read with the line (the orders' statement): no promise, no loader call.
  const included = includedRows(row, 'product');
  if (included !== undefined) return included[0] ?? null;
  return loadProduct(row, ctx, info);
}

async function loadProduct(row: Row, ctx: RequestContext, info: GraphQLResolveInfo): Promise<Row | null> {
  const productId = str(row, 'productId');
  if (productId === null || !ctx.loaders.isMapped('product')) return null;
  const rows = await ctx.loaders.load('product', productId, {
    keyField: 'id',
    projection: projectionFor(selectedFieldNames(info), PRODUCT_NEEDS, ['id']),
  });
  return rows[0] ?? null;
}

/** Personal fields keep their resolver under @pii; the others are read inline (see Order below). */
export const shopCustomerResolvers: ShopCustomerResolvers<RequestContext> = {
  email: (row) => str(row, 'email'),
  phone: (row) => str(row, 'phone'),
  firstName: (row) => str(row, 'firstName'),
  lastName: (row) => str(row, 'lastName'),
  birthDate: (row) => str(row, 'birthDate'),
  address: (row) => addressOf(row),
};

/*
 * Order, OrderLine and Product fields that show a canonical field of the same name as it is
 * have no resolver: graphql's default reads row[field], and the compiled executor inlines
 * that read instead of calling a function with a resolve info made for it (a Q2 page has
 * ~8,500 such fields). Connectors give every canonical field its canonical type (SQL
 * coercion, REST field types), so the ID, String, Int, Float and DateTime serializers see
 * what str/num/String() returned (tests/unit/commerce-plain-fields.test.ts).
 */
export const orderResolvers: OrderResolvers<RequestContext> = {
  channel: (row) => enumValue(row, 'channel', ['WEB', 'STORE', 'APP', 'MARKETPLACE', 'PHONE', 'OTHER'] as const),
  status: (row) => enumValue(row, 'status', ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED', 'OTHER'] as const),
  lines: (row, _args, ctx, info) => (includedRows(row, 'lines') as Row[] | undefined) ?? linesOf(row, ctx, info),
};

async function linesOf(row: Row, ctx: RequestContext, info: GraphQLResolveInfo): Promise<Row[]> {
  if (!ctx.loaders.isMapped('orderLine')) return [];
  const rows = await ctx.loaders.load('orderLine', String(row.id), {
    keyField: 'orderId',
    projection: projectionFor(selectedFieldNames(info), ORDER_LINE_NEEDS, ['id']),
    orderBy: [{ field: 'id', direction: 'ASC' }],
  });
  return [...rows];
}

export const orderLineResolvers: OrderLineResolvers<RequestContext> = {
  product: (row, _args, ctx, info) => productOf(row, ctx, info),
};

/** Every Product field is a canonical field as it is (see above). */
export const productResolvers: ProductResolvers<RequestContext> = {};

export const webEventResolvers: WebEventResolvers<RequestContext> = {
  type: (row) => enumValue(row, 'type', ['PRODUCT_VIEW', 'SEARCH', 'ADD_TO_CART', 'CHECKOUT_STARTED'] as const),
  product: (row, _args, ctx, info) => productOf(row, ctx, info),
  query: (row) => str(row, 'query'),
};
