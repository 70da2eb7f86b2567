/** Customer: golden fields from the assembled records, and the per-source fields below it. */
import type { Row } from '../../connectors/contract.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { CustomerOrdersArgs, CustomerResolvers, InteractionType, OrderChannel, OrderStatus, WebEventType } from '../generated/graphql.js';
import type { CustomerHandle } from '../identity/customer-handle.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import { customerOf, type PersonRecord } from '../identity/customer.js';
import { selectedFieldNames, selectedFieldNamesAt, projectionFor } from '../loading/selection.js';
import type { RequestContext } from '../gateway/context.js';
import { includedRows } from '../../connectors/included.js';
import { CONSENT_NEEDS, EVENT_NEEDS, INTERACTION_NEEDS, ACCOUNT_NEEDS, ORDER_NEEDS, ORDER_LINE_NEEDS, PRODUCT_NEEDS } from './needs.js';
import { orderLinesInclude } from '../loading/order-tree.js';
import { and, beforeKeyset, decodeCursor, Edge, newestFirst, pageSize, str } from './rows.js';
import { survivorshipCustomerResolvers } from './survivorship.js';

const MAX_PAGE = 100;

/** The records of one person entity; throws that source's failure so only its fields go null. */
async function recordsOf(handle: CustomerHandle, ctx: RequestContext, entity: AnchorEntity): Promise<Row[]> {
  return (await customerOf(handle, ctx)).rowsOf(entity);
}

/**
 * The contact whose CRM fields (contact, account, interactions, consents) a customer
 * shows: the first contact of its records, which for a contact anchor is always the
 * anchor itself. That one is read without waiting for the links to the shop, so a shop
 * that hangs while linking costs the shop's fields, not the CRM's (issue 13).
 */
async function ownContact(handle: CustomerHandle, ctx: RequestContext): Promise<Row | undefined> {
  if (handle.anchor.entity === 'contact') return (await handle.anchorRecord()) ?? undefined;
  return (await recordsOf(handle, ctx, 'contact'))[0];
}

/**
 * The contacts whose CRM children (interactions, consents) the customer shows: its own
 * contact; with contacts in several sources (two CRMs after a merger), every contact of it,
 * since one CRM's record does not hold the other's history.
 */
async function crmContacts(handle: CustomerHandle, ctx: RequestContext): Promise<Row[]> {
  if (!ctx.loaders.silos.isSplit('contact')) {
    const own = await ownContact(handle, ctx);
    return own === undefined ? [] : [own];
  }
  return recordsOf(handle, ctx, 'contact');
}

/** Each contact's children, newest first across them (read with the date when there are several lists), at most `first`. */
function newestAcross(lists: ReadonlyArray<ReadonlyArray<Row>>, field: string, first?: number): Row[] {
  if (lists.length === 1) return [...lists[0]!];
  const rows = newestFirst(lists.flat(), field);
  return first === undefined ? rows : rows.slice(0, first);
}

/**
 * The rows of one entity without a promise, when the customer is assembled and that source
 * did not fail: the aggregate's rowsOf, read off the assembly itself (same rows, same order),
 * so a field that needs no golden value builds no aggregate (a CRM page's 50 contacts).
 */
function recordsNow(handle: CustomerHandle, entity: AnchorEntity): Row[] | undefined {
  const assembly = handle.assembledNow();
  if (assembly === undefined || assembly.failures[entity] !== undefined) return undefined;
  return assembly.records[entity].map((record) => record.row);
}

/** Where a linked record lives and how it was linked: Customer.sources, and the base of Customer.identities. */
export function sourceRecordOf(record: PersonRecord) {
  return { source: record.source, entity: record.entity, key: record.key, matchedBy: record.rule };
}

/**
 * Per shop account, the orders read with it when the customer was linked (the plan's
 * include), if they answer exactly this field: plain `first`, no filter, no cursor. An
 * account read without them (linked another way) is left undefined, for one batched load.
 */
function plannedOrders(
  handle: CustomerHandle,
  shopRows: ReadonlyArray<Row>,
  first: number,
  args: { channel?: unknown; status?: unknown; after?: unknown },
): Array<ReadonlyArray<Row> | undefined> | undefined {
  const include = handle.needs.shopCustomerInclude;
  if (include === undefined || include.limitPerKey !== first + 1 || args.channel != null || args.status != null || args.after != null) return undefined;
  return shopRows.map((row) => includedRows(row, 'orders'));
}

function ordersPage(rowsPerCustomer: ReadonlyArray<ReadonlyArray<Row>>, first: number) {
  const rows = newestFirst(rowsPerCustomer.flat(), 'placedAt');
  const page = rows.slice(0, first);
  const edges = page.map((row) => new Edge(row, [row.placedAt as string | null, String(row.id)]));
  return { edges, nodes: page, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

export const customerResolvers: CustomerResolvers<RequestContext> = {
  id: (handle) => handle.idNow() ?? handle.id(),
  // Golden fields under the configured survivorship rules (src/resolvers/survivorship.ts).
  ...survivorshipCustomerResolvers,
  sources: async (handle, _args, ctx) => (await customerOf(handle, ctx)).records.map(sourceRecordOf),

  contact: (handle, _args, ctx) => {
    const assembly = handle.assembledNow();
    // Not assembled yet: a contact anchor's own record, without waiting for the links (ownContact).
    if (assembly === undefined || assembly.failures.contact !== undefined) return ownContact(handle, ctx).then((row) => row ?? null);
    return assembly.records.contact[0]?.row ?? null;
  },
  account: async (handle, _args, ctx, info) => {
    const contact = await ownContact(handle, ctx);
    const accountId = contact === undefined ? null : str(contact, 'accountId');
    if (accountId === null || !ctx.loaders.isMapped('account')) return null;
    const projection = projectionFor(selectedFieldNames(info), ACCOUNT_NEEDS, ['id']);
    const rows = await ctx.loaders.load('account', accountId, { keyField: 'id', projection });
    return rows[0] ?? null;
  },
  interactions: async (handle, args, ctx, info) => {
    const contacts = await crmContacts(handle, ctx);
    if (contacts.length === 0 || !ctx.loaders.isMapped('interaction')) return [];
    const first = pageSize(args.first, 20, MAX_PAGE);
    const types: ReadonlyArray<InteractionType> | null | undefined = args.types;
    const lists = await ctx.loaders.loadMany(
      'interaction',
      contacts.map((contact) => String(contact.id)),
      {
        keyField: 'contactId',
        projection: projectionFor(selectedFieldNames(info), INTERACTION_NEEDS, contacts.length > 1 ? ['id', 'occurredAt'] : ['id']),
        ...(types == null ? {} : { filter: { op: 'in', field: 'type', values: types } }),
        orderBy: [
          { field: 'occurredAt', direction: 'DESC' },
          { field: 'id', direction: 'DESC' },
        ],
        limitPerKey: first,
      },
    );
    return newestAcross(lists, 'occurredAt', first);
  },
  consents: async (handle, _args, ctx, info) => {
    const contacts = await crmContacts(handle, ctx);
    if (contacts.length === 0 || !ctx.loaders.isMapped('consent')) return [];
    const lists = await ctx.loaders.loadMany(
      'consent',
      contacts.map((contact) => String(contact.id)),
      {
        keyField: 'contactId',
        projection: projectionFor(selectedFieldNames(info), CONSENT_NEEDS, contacts.length > 1 ? ['id', 'recordedAt'] : ['id']),
        orderBy: [
          { field: 'recordedAt', direction: 'DESC' },
          { field: 'id', direction: 'DESC' },
        ],
      },
    );
    return newestAcross(lists, 'recordedAt');
  },

  shopAccounts: (handle, _args, ctx) => recordsNow(handle, 'shopCustomer') ?? recordsOf(handle, ctx, 'shopCustomer'),
  orders: (handle, args, ctx, info) => {
    // The orders read with the assembled accounts, without a promise (Q1/Q2's plan).
    const shopRows = recordsNow(handle, 'shopCustomer');
    if (
      shopRows !== undefined &&
      ctx.loaders.isMapped('order') &&
      (args.first == null || (Number.isInteger(args.first) && args.first > 0 && args.first <= MAX_PAGE))
    ) {
      const first = pageSize(args.first, 10, MAX_PAGE);
      const planned = plannedOrders(handle, shopRows, first, args);
      if (planned !== undefined && planned.every((orders) => orders !== undefined)) return ordersPage(planned as Array<ReadonlyArray<Row>>, first);
    }
    return loadedOrders(handle, args, ctx, info);
  },
  events: async (handle, args, ctx, info) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const ids = (await customerOf(handle, ctx)).keysOf('shopCustomer');
    if (!ctx.loaders.isMapped('event')) return [];
    const types: ReadonlyArray<WebEventType> | null | undefined = args.types;
    const rowsPerCustomer = await ctx.loaders.loadMany('event', ids, {
      keyField: 'customerId',
      projection: projectionFor(selectedFieldNames(info), EVENT_NEEDS, ['id', 'occurredAt']),
      ...(types == null ? {} : { filter: { op: 'in', field: 'type', values: types } }),
      orderBy: [
        { field: 'occurredAt', direction: 'DESC' },
        { field: 'id', direction: 'DESC' },
      ],
      limitPerKey: first,
    });
    return newestFirst(rowsPerCustomer.flat(), 'occurredAt').slice(0, first);
  },
};

/** Orders not read with the accounts (a shop anchor, a filter, a cursor): one batched load. */
async function loadedOrders(handle: CustomerHandle, args: CustomerOrdersArgs, ctx: RequestContext, info: GraphQLResolveInfo) {
  const first = pageSize(args.first, 10, MAX_PAGE);
  const shopRows = await recordsOf(handle, ctx, 'shopCustomer');
  const ids = shopRows.map((row) => String(row.id));
  if (!ctx.loaders.isMapped('order')) return { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const planned = plannedOrders(handle, shopRows, first, args);
  if (planned !== undefined && planned.every((orders) => orders !== undefined)) return ordersPage(planned as Array<ReadonlyArray<Row>>, first);
  const after = args.after == null ? undefined : decodeCursor(args.after, 2, 'after');
  const channel: OrderChannel | null | undefined = args.channel;
  const status: ReadonlyArray<OrderStatus> | null | undefined = args.status;
  const selected = new Set([...selectedFieldNamesAt(info, ['nodes']), ...selectedFieldNamesAt(info, ['edges', 'node'])]);
  // Lines and their products in the orders' statement, when the shop can.
  const include = orderLinesInclude(
    ctx.loaders,
    info.fieldNodes,
    () => {
      const under = (path: ReadonlyArray<string>) =>
        new Set([...selectedFieldNamesAt(info, ['nodes', ...path]), ...selectedFieldNamesAt(info, ['edges', 'node', ...path])]);
      return {
        lines: selected.has('lines') ? under(['lines']) : undefined,
        product: under(['lines']).has('product') ? under(['lines', 'product']) : undefined,
      };
    },
    { line: ORDER_LINE_NEEDS, product: PRODUCT_NEEDS },
  );
  const missing = planned === undefined ? ids : ids.filter((_, index) => planned[index] === undefined);
  const loaded = await ctx.loaders.loadMany('order', missing, {
    ...(include === undefined ? {} : { include }),
    keyField: 'customerId',
    projection: projectionFor(selected, ORDER_NEEDS, ['id', 'placedAt']),
    filter: and(
      channel == null ? undefined : { op: 'eq', field: 'channel', value: channel },
      status == null ? undefined : { op: 'in', field: 'status', values: status },
      after === undefined ? undefined : beforeKeyset('placedAt', after[0] ?? null, after[1] ?? null),
    ),
    orderBy: [
      { field: 'placedAt', direction: 'DESC' },
      { field: 'id', direction: 'DESC' },
    ],
    limitPerKey: first + 1,
  });
  const rowsPerCustomer = planned === undefined ? loaded : [...planned.filter((orders): orders is ReadonlyArray<Row> => orders !== undefined), ...loaded];
  return ordersPage(rowsPerCustomer, first);
}
