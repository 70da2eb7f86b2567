/**
 * Helpdesk fields: a customer's tickets, found by every valid email of the records it was
 * assembled from (a customer writes to support from whichever address they have at hand).
 * Loads go through the request's loaders, so the tickets of a whole page of customers are
 * one batched call per batch.maxKeys emails, not one call per customer.
 */
import type { Row } from '../../connectors/contract.js';
import type { CustomerResolvers, TicketMessage, TicketResolvers, TicketStatus } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { CustomerHandle } from '../identity/customer-handle.js';
import { customerOf } from '../identity/customer.js';
import type { FieldNeeds } from '../loading/selection.js';
import { needsOf } from './bindings.js';
import { enumValue, newestFirst, num, pageSize, str } from './rows.js';

const MAX_PAGE = 100;
const TICKET_STATUSES = ['OPEN', 'PENDING', 'SOLVED', 'CLOSED'] as const;
const UNRESOLVED: ReadonlySet<string> = new Set(['OPEN', 'PENDING']);

export const TICKET_NEEDS: FieldNeeds = needsOf('Ticket');

const ALL_TICKET_FIELDS: ReadonlyArray<string> = ['id', ...new Set(Object.values(TICKET_NEEDS).flat())];

/** Every valid, non-junk email of the customer's records, normalized, in priority order. */
export async function customerEmails(handle: CustomerHandle, ctx: RequestContext): Promise<ReadonlyArray<string>> {
  // A failed source only hides its own records' emails: the tickets of the others still come back.
  return (await customerOf(handle, ctx)).emails();
}

/** One ticket per id: two emails of one customer can be on one ticket's thread only once. */
function distinctTickets(rowsPerEmail: ReadonlyArray<ReadonlyArray<Row>>): Row[] {
  const byId = new Map<string, Row>();
  for (const rows of rowsPerEmail) for (const row of rows) byId.set(String(row.id), row);
  return newestFirst([...byId.values()], 'createdAt');
}

/**
 * Every ticket of the customer, most recent first, through one loader shape shared by
 * `tickets` and `service`: a helpdesk API answers the same call whatever the projection,
 * status filter or limit (they are applied after the fetch), so one shape is one call.
 */
export async function customerTickets(handle: CustomerHandle, ctx: RequestContext): Promise<Row[]> {
  if (!ctx.loaders.isMapped('ticket')) return [];
  const emails = await customerEmails(handle, ctx);
  if (emails.length === 0) return [];
  const rowsPerEmail = await ctx.loaders.loadMany('ticket', emails, {
    keyField: 'requesterEmail',
    keyMatch: 'caseInsensitive',
    projection: ALL_TICKET_FIELDS,
  });
  return distinctTickets(rowsPerEmail);
}

export const supportCustomerResolvers: Pick<CustomerResolvers<RequestContext>, 'tickets' | 'service'> = {
  tickets: async (handle, args, ctx) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const status: ReadonlyArray<TicketStatus> | null | undefined = args.status;
    const tickets = await customerTickets(handle, ctx);
    const wanted = status == null ? tickets : tickets.filter((row) => (status as ReadonlyArray<string>).includes(str(row, 'status') ?? ''));
    return wanted.slice(0, first);
  },
  service: async (handle, _args, ctx) => {
    if (!ctx.loaders.isMapped('ticket')) return null;
    const tickets = await customerTickets(handle, ctx);
    const scores = tickets.map((row) => num(row, 'satisfaction')).filter((score): score is number => score !== null);
    let lastContactAt: string | null = null;
    for (const row of tickets) {
      for (const at of [str(row, 'updatedAt'), str(row, 'createdAt')]) if (at !== null && (lastContactAt === null || at > lastContactAt)) lastContactAt = at;
    }
    return {
      openTickets: tickets.filter((row) => UNRESOLVED.has(str(row, 'status') ?? '')).length,
      lastContactAt,
      averageSatisfaction: scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length,
    };
  },
};

function messagesOf(row: Row): TicketMessage[] {
  const value = row.messages;
  if (!Array.isArray(value)) return [];
  const messages: TicketMessage[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const message = item as Row;
    messages.push({ author: str(message, 'author'), body: str(message, 'body'), createdAt: str(message, 'createdAt') });
  }
  return messages;
}

export const ticketResolvers: TicketResolvers<RequestContext> = {
  id: (row) => String(row.id),
  subject: (row) => str(row, 'subject'),
  status: (row) => enumValue(row, 'status', TICKET_STATUSES),
  priority: (row) => enumValue(row, 'priority', ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const),
  channel: (row) => str(row, 'channel'),
  createdAt: (row) => str(row, 'createdAt'),
  updatedAt: (row) => str(row, 'updatedAt'),
  solvedAt: (row) => str(row, 'solvedAt'),
  satisfaction: (row) => num(row, 'satisfaction'),
  messages: (row) => messagesOf(row),
};
