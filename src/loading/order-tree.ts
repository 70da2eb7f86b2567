/**
 * The shop subtree a selection asks of each order (lines, and each line's product), as an
 * include the shop reads in the same statement as the orders. Built once per selection:
 * graphql-js hands every customer of a page the same field nodes.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import type { IncludeRequest } from '../../connectors/contract.js';
import type { Loaders } from './loaders.js';
import { fieldNodesAt, projectionFor, selectedFieldNamesAt, type FieldNeeds } from './selection.js';

export interface OrderSubtreeSelection {
  /** Fields selected under Order.lines, or undefined when lines are not selected. */
  readonly lines: ReadonlySet<string> | undefined;
  /** Fields selected under OrderLine.product, or undefined. */
  readonly product: ReadonlySet<string> | undefined;
}

export interface OrderSubtreeNeeds {
  readonly line: FieldNeeds;
  readonly product: FieldNeeds;
}

const memo = new WeakMap<ReadonlyArray<FieldNode>, IncludeRequest | null>();

/** Lines (with products) to read with the orders, or undefined when the shop cannot or nothing asks. */
export function orderLinesInclude(
  loaders: Loaders,
  nodes: ReadonlyArray<FieldNode>,
  selection: () => OrderSubtreeSelection,
  needs: OrderSubtreeNeeds,
): IncludeRequest | undefined {
  const cached = memo.get(nodes);
  if (cached !== undefined) return cached ?? undefined;
  const built = build(loaders, selection(), needs);
  memo.set(nodes, built ?? null);
  return built;
}

function build(loaders: Loaders, selection: OrderSubtreeSelection, needs: OrderSubtreeNeeds): IncludeRequest | undefined {
  if (selection.lines === undefined || !loaders.isMapped('orderLine')) return undefined;
  const withProduct = selection.product !== undefined && loaders.isMapped('product') && loaders.canInclude('order', ['orderLine', 'product']);
  if (!loaders.canInclude('order', ['orderLine'])) return undefined;
  const product: IncludeRequest | undefined = withProduct
    ? {
        as: 'product',
        entity: 'product',
        parentField: 'productId',
        keyField: 'id',
        projection: loaders.mappedFields('product', projectionFor(selection.product!, needs.product, ['id'])),
      }
    : undefined;
  return {
    as: 'lines',
    entity: 'orderLine',
    parentField: 'id',
    keyField: 'orderId',
    projection: loaders.mappedFields('orderLine', projectionFor(selection.lines, needs.line, ['id'])),
    orderBy: [{ field: 'id', direction: 'ASC' }],
    ...(product === undefined ? {} : { include: product }),
  };
}

export interface OrdersNeeds extends OrderSubtreeNeeds {
  readonly order: FieldNeeds;
}

/** How Customer.orders pages: newest first, one more than asked to know hasNextPage. */
export const ORDERS_ORDER_BY = [
  { field: 'placedAt', direction: 'DESC' },
  { field: 'id', direction: 'DESC' },
] as const;

const ordersMemo = new WeakMap<FieldNode, Map<number, IncludeRequest | null>>();

/**
 * The orders (with lines and products) a selection of customers reads, as an include of the
 * shop-customer lookup, so linking a customer by e-mail reads its orders in the same
 * statement. Only for the plain form `orders(first: N)` selected once; anything else
 * (filters, a cursor, two differently-argued selections) is loaded by Customer.orders.
 */
export function customerOrdersInclude(
  loaders: Loaders,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>,
  path: ReadonlyArray<string>,
  needs: OrdersNeeds,
  defaultFirst: number,
  maxFirst: number,
): IncludeRequest | undefined {
  const nodes = fieldNodesAt(info, [...path, 'orders']);
  if (nodes.length !== 1 || !loaders.isMapped('order') || !loaders.canInclude('shopCustomer', ['order'])) return undefined;
  const node = nodes[0]!;
  let first = defaultFirst;
  for (const argument of node.arguments ?? []) {
    if (argument.name.value !== 'first') return undefined;
    const value =
      argument.value.kind === Kind.INT
        ? Number(argument.value.value)
        : argument.value.kind === Kind.VARIABLE
          ? info.variableValues[argument.value.name.value]
          : undefined;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxFirst) return undefined;
    first = value;
  }
  let byFirst = ordersMemo.get(node);
  if (byFirst === undefined) ordersMemo.set(node, (byFirst = new Map()));
  const cached = byFirst.get(first);
  if (cached !== undefined) return cached ?? undefined;
  const one = { fieldNodes: [node], fragments: info.fragments };
  const under = (tail: ReadonlyArray<string>) =>
    new Set([...selectedFieldNamesAt(one, ['nodes', ...tail]), ...selectedFieldNamesAt(one, ['edges', 'node', ...tail])]);
  const selected = under([]);
  const lines = orderLinesInclude(
    loaders,
    [node],
    () => ({ lines: selected.has('lines') ? under(['lines']) : undefined, product: under(['lines']).has('product') ? under(['lines', 'product']) : undefined }),
    needs,
  );
  const built: IncludeRequest = {
    as: 'orders',
    entity: 'order',
    parentField: 'id',
    keyField: 'customerId',
    projection: loaders.mappedFields('order', projectionFor(selected, needs.order, ['id', 'placedAt'])),
    orderBy: ORDERS_ORDER_BY,
    limitPerKey: first + 1,
    ...(lines === undefined ? {} : { include: lines }),
  };
  byFirst.set(first, built);
  return built;
}
