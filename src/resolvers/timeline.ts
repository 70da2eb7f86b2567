/**
 * Customer.timeline: orders, store visits, CRM interactions and tickets merged oldest
 * first, strictly after `since`. Each source is asked for at most `first` entries after
 * `since` (the merge can use no more from any one of them), and the asks are batched per
 * page of customers like every other child field.
 */
import type { Filter, Row } from '../../connectors/contract.js';
import type { CustomerResolvers, TimelineEntryResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { CustomerHandle } from '../identity/customer-handle.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import { customerOf } from '../identity/customer.js';
import { projectionFor, selectedFieldNamesAt } from '../loading/selection.js';
import type { TimelineEntryModel } from './models.js';
import { INTERACTION_NEEDS, ORDER_NEEDS } from './needs.js';
import { pageSize, str } from './rows.js';
import { customerTickets } from './support.js';

const MAX_PAGE = 100;

/** The records of one anchor entity; rethrows that source's failure (the timeline would be silently short). */
async function rowsOf(handle: CustomerHandle, ctx: RequestContext, entity: AnchorEntity): Promise<Row[]> {
  return (await customerOf(handle, ctx)).rowsOf(entity);
}

function window(field: string, since: string | null | undefined, before: string | null | undefined): Filter | undefined {
  if (since == null && before == null) return undefined;
  return { op: 'range', field, ...(since == null ? {} : { gt: since }), ...(before == null ? {} : { lt: before }) };
}

function inOrder(field: string, newestFirst: boolean) {
  const direction = newestFirst ? ('DESC' as const) : ('ASC' as const);
  return [
    { field, direction },
    { field: 'id', direction },
  ];
}

function entry(kind: TimelineEntryModel['kind'], source: string, row: Row, field: string): TimelineEntryModel | null {
  const at = str(row, field);
  return at === null ? null : { at, kind, source, row };
}

export const timelineCustomerResolvers: Pick<CustomerResolvers<RequestContext>, 'timeline'> = {
  timeline: async (handle, args, ctx, info) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const since = args.since;
    const before = args.before;
    const newestFirst = args.newestFirst === true;
    const sinceMillis = since == null ? Number.NEGATIVE_INFINITY : Date.parse(since);
    const beforeMillis = before == null ? Number.POSITIVE_INFINITY : Date.parse(before);
    const { loaders } = ctx;
    // A kind or source the caller filtered out is not asked at all.
    const wanted = (entity: 'interaction' | 'order' | 'ticket', kinds: ReadonlyArray<TimelineEntryModel['kind']>): boolean =>
      loaders.isMapped(entity) &&
      (args.kinds == null || kinds.some((kind) => args.kinds!.includes(kind))) &&
      (args.sources == null || loaders.silos.partsOf(entity).some((part) => args.sources!.includes(part.source)));
    const keepKind = (entry: TimelineEntryModel): boolean => args.kinds == null || args.kinds.includes(entry.kind);

    const interactions = async (): Promise<TimelineEntryModel[]> => {
      // The customer's own contact; with contacts in several CRMs, each of them.
      const contacts = await rowsOf(handle, ctx, 'contact');
      const asked = loaders.silos.isSplit('contact') ? contacts : contacts.slice(0, 1);
      if (asked.length === 0 || !wanted('interaction', ['INTERACTION', 'STORE_VISIT'])) return [];
      const filter = window('occurredAt', since, before);
      const lists = await loaders.loadMany(
        'interaction',
        asked.map((contact) => String(contact.id)),
        {
          keyField: 'contactId',
          projection: projectionFor(selectedFieldNamesAt(info, ['interaction']), INTERACTION_NEEDS, ['id', 'occurredAt', 'type']),
          ...(filter === undefined ? {} : { filter }),
          orderBy: inOrder('occurredAt', newestFirst),
          limitPerKey: first,
        },
      );
      return lists
        .flat()
        .map((row) => entry(str(row, 'type') === 'STORE_VISIT' ? 'STORE_VISIT' : 'INTERACTION', loaders.sourceOfRow('interaction', row), row, 'occurredAt'))
        .filter((e): e is TimelineEntryModel => e !== null && (args.sources == null || args.sources.includes(e.source)))
        .filter(keepKind);
    };

    const orders = async (): Promise<TimelineEntryModel[]> => {
      const ids = (await rowsOf(handle, ctx, 'shopCustomer')).map((row) => String(row.id));
      if (ids.length === 0 || !wanted('order', ['ORDER'])) return [];
      const filter = window('placedAt', since, before);
      const rowsPerAccount = await loaders.loadMany('order', ids, {
        keyField: 'customerId',
        projection: projectionFor(selectedFieldNamesAt(info, ['order']), ORDER_NEEDS, ['id', 'placedAt']),
        ...(filter === undefined ? {} : { filter }),
        orderBy: inOrder('placedAt', newestFirst),
        limitPerKey: first,
      });
      // An order entity mapped in several sources (shop orders, store receipts): each row's own.
      return rowsPerAccount
        .flat()
        .map((row) => entry('ORDER', loaders.sourceOfRow('order', row), row, 'placedAt'))
        .filter((e): e is TimelineEntryModel => e !== null && (args.sources == null || args.sources.includes(e.source)));
    };

    const tickets = async (): Promise<TimelineEntryModel[]> => {
      if (!wanted('ticket', ['TICKET'])) return [];
      // The helpdesk API filters by requester only, so the date bound and the limit are
      // applied here, on the same call that tickets and service use.
      const rows = await customerTickets(handle, ctx);
      const ordered = newestFirst ? [...rows] : [...rows].reverse();
      return ordered
        .map((row) => entry('TICKET', loaders.sourceOfRow('ticket', row), row, 'createdAt'))
        .filter((e): e is TimelineEntryModel => e !== null && (args.sources == null || args.sources.includes(e.source)))
        .filter((e) => Date.parse(e.at) > sinceMillis && Date.parse(e.at) < beforeMillis)
        .slice(0, first);
    };

    if (first === 0) return [];
    const parts = await Promise.all([orders(), interactions(), tickets()]);
    return parts
      .flat()
      .sort(
        (a, b) =>
          (newestFirst ? -1 : 1) *
          (Date.parse(a.at) - Date.parse(b.at) || a.kind.localeCompare(b.kind) || String(a.row.id).localeCompare(String(b.row.id), 'en', { numeric: true })),
      )
      .slice(0, first);
  },
};

export const timelineEntryResolvers: TimelineEntryResolvers<RequestContext> = {
  at: (entry) => entry.at,
  kind: (entry) => entry.kind,
  source: (entry) => entry.source,
  order: (entry) => (entry.kind === 'ORDER' ? entry.row : null),
  interaction: (entry) => (entry.kind === 'STORE_VISIT' || entry.kind === 'INTERACTION' ? entry.row : null),
  ticket: (entry) => (entry.kind === 'TICKET' ? entry.row : null),
};
