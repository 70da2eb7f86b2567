/**
 * The shop subtree a selection asks of each order (lines, and each line's product), as an
 * include the shop reads in the same statement as the orders. Built once per selection:
 * graphql-js hands every customer of a page the same field nodes.
 */
import type { FieldNode } from 'graphql';
import type { IncludeRequest } from '../../connectors/contract.js';
import type { Loaders } from './loaders.js';
import { projectionFor, type FieldNeeds } from './selection.js';

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
    ? { as: 'product', entity: 'product', parentField: 'productId', keyField: 'id', projection: loaders.mappedFields('product', projectionFor(selection.product!, needs.product, ['id'])) }
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
