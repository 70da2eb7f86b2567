/**
 * The demo after-sales helpdesk: a Zendesk-like tickets API over the demo world's
 * tickets, so c360's REST connector has a real HTTP service to map.
 *
 *   GET  /api/v2/tickets?requester_emails=a@x.com,b@y.com&page=1&per_page=100
 *   GET  /api/v2/tickets?ids=1,2,3  (show many)
 *   GET  /api/v2/tickets?status=open,pending&page=1&per_page=100  (every ticket in those states)
 *   GET  /api/v2/tickets?created_since=<ISO time>&page=1&per_page=100  (created then or later, oldest first, then by id)
 *   GET  /api/v2/tickets/:id
 *   POST /api/v2/tickets/search     { requester_emails: [...], page, per_page }: a read-only POST
 *   POST /api/v2/tickets            (create; not idempotent, never retried)
 *
 * Every route wants `Authorization: Bearer <token>`. Emails are compared trimmed and
 * case-insensitively, as a helpdesk's user search does.
 */
import type { DemoTicket } from '../world-types.js';
import { startService } from './service-kit.js';
import type { DemoService, MalformedKind, ServiceReply } from './service-kit.js';

export type { MalformedKind, ServiceCounters, ServiceKnobs } from './service-kit.js';

export type HelpdeskServer = DemoService;

export interface HelpdeskServerOptions {
  readonly tickets: ReadonlyArray<DemoTicket>;
  readonly token: string;
  readonly port?: number;
  readonly host?: string;
}

const MAX_PER_PAGE = 100;

export interface ApiTicket {
  readonly id: number;
  readonly requester: { readonly email: string };
  readonly subject: string;
  readonly status: DemoTicket['status'];
  readonly priority: DemoTicket['priority'];
  readonly via: { readonly channel: DemoTicket['channel'] };
  readonly created_at: string;
  readonly updated_at: string;
  readonly solved_at: string | null;
  readonly satisfaction_rating: { readonly score: number } | null;
  readonly comments: ReadonlyArray<{ readonly id: string; readonly author_role: 'end_user' | 'agent'; readonly body: string; readonly created_at: string }>;
}

export function toApiTicket(ticket: DemoTicket): ApiTicket {
  return {
    id: ticket.id,
    requester: { email: ticket.requesterEmail },
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    via: { channel: ticket.channel },
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    solved_at: ticket.solvedAt,
    satisfaction_rating: ticket.satisfaction === null ? null : { score: ticket.satisfaction },
    comments: ticket.messages.map((message) => ({
      id: message.id,
      author_role: message.author === 'customer' ? 'end_user' : 'agent',
      body: message.body,
      created_at: message.createdAt,
    })),
  };
}

export async function startHelpdeskServer(options: HelpdeskServerOptions): Promise<HelpdeskServer> {
  const tickets = [...options.tickets].sort((a, b) => a.id - b.id).map(toApiTicket);
  let nextId = tickets.reduce((max, ticket) => Math.max(max, ticket.id), 0) + 1;

  return startService({ port: options.port, host: options.host }, (request, service) => {
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return { status: 401, body: { error: "Couldn't authenticate you" } };
    }
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === '/api/v2/tickets' && request.method === 'GET') return listTickets(tickets, request.url.searchParams, request.malformed, service.url);
    if (path === '/api/v2/tickets/search' && request.method === 'POST') {
      const params = searchParamsOf(request.body);
      return params === undefined ? { status: 400, body: { error: 'InvalidJSON' } } : listTickets(tickets, params, request.malformed, null);
    }
    if (path === '/api/v2/tickets' && request.method === 'POST') {
      const created = createTicket(request.body, nextId);
      if (created.status === 201) {
        nextId += 1;
        tickets.push((created.body as { ticket: ApiTicket }).ticket);
      }
      return created;
    }
    const byId = /^\/api\/v2\/tickets\/(\d+)$/.exec(path);
    if (byId !== null && request.method === 'GET') {
      const ticket = tickets.find((candidate) => candidate.id === Number(byId[1]));
      return ticket === undefined ? { status: 404, body: { error: 'RecordNotFound' } } : { status: 200, body: { ticket } };
    }
    if (path === '' || path === '/api/v2') return { status: 200, body: { service: 'c360 demo helpdesk' } };
    return { status: 404, body: { error: 'InvalidEndpoint' } };
  });
}

/** The search body as the query parameters of the GET list. */
function searchParamsOf(text: string): URLSearchParams | undefined {
  try {
    const body = JSON.parse(text) as { requester_emails?: unknown; page?: unknown; per_page?: unknown } | null;
    const params = new URLSearchParams();
    if (Array.isArray(body?.requester_emails)) params.set('requester_emails', body.requester_emails.map(String).join(','));
    if (body?.page !== undefined) params.set('page', String(body.page));
    if (body?.per_page !== undefined) params.set('per_page', String(body.per_page));
    return params;
  } catch {
    return undefined;
  }
}

/** next_page is a URL for the GET list, and null from the search (whose callers ask by page number). */
function listTickets(all: ReadonlyArray<ApiTicket>, params: URLSearchParams, malformed: MalformedKind | null, baseUrl: string | null): ServiceReply {
  const emailsParam = params.get('requester_emails');
  const emails =
    emailsParam === null
      ? null
      : new Set(
          emailsParam
            .split(',')
            .map(normalizeEmail)
            .filter((email) => email !== ''),
        );
  const page = positiveInt(params.get('page'), 1);
  const perPage = Math.min(positiveInt(params.get('per_page'), MAX_PER_PAGE), MAX_PER_PAGE);
  const idsParam = params.get('ids');
  const ids = idsParam === null ? null : new Set(idsParam.split(',').map((id) => Number(id.trim())));
  const statusParam = params.get('status');
  const statuses = statusParam === null ? null : new Set(statusParam.split(',').map((status) => status.trim().toLowerCase()));
  const sinceParam = params.get('created_since');
  const since = sinceParam === null ? null : Date.parse(sinceParam);
  if (since !== null && Number.isNaN(since)) return { status: 400, body: { error: 'InvalidParameter', details: 'created_since is an ISO 8601 time' } };
  const matching = all.filter(
    (ticket) =>
      (emails === null || emails.has(normalizeEmail(ticket.requester.email))) &&
      (ids === null || ids.has(ticket.id)) &&
      (statuses === null || statuses.has(ticket.status)) &&
      (since === null || Date.parse(ticket.created_at) >= since),
  );
  // The incremental list: oldest first, ties by id (a follower's keyset).
  if (since !== null) matching.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  const pageTickets = matching.slice((page - 1) * perPage, page * perPage);
  let nextPage: string | null = null;
  if (baseUrl !== null && page * perPage < matching.length) {
    const next = new URLSearchParams(params);
    next.set('page', String(page + 1));
    next.set('per_page', String(perPage));
    nextPage = `${baseUrl}/api/v2/tickets?${next.toString()}`;
  }
  return { status: 200, body: malform({ tickets: pageTickets, next_page: nextPage, previous_page: null, count: matching.length }, malformed) };
}

/** A reply broken the way a misbehaving helpdesk breaks them: cut short, reshaped, or a field of the wrong type. */
function malform(body: { tickets: ReadonlyArray<ApiTicket>; [key: string]: unknown }, kind: MalformedKind | null): unknown {
  switch (kind) {
    case null:
      return body;
    case 'invalidJson':
      return JSON.stringify(body).slice(0, 20);
    case 'wrongShape':
      return { ...body, tickets: { items: body.tickets } };
    case 'wrongType': {
      const tickets = body.tickets.map((ticket, index) => (index === body.tickets.length - 1 ? { ...ticket, status: { name: ticket.status } } : ticket));
      return { ...body, tickets };
    }
  }
}

function createTicket(text: string, id: number): ServiceReply {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { status: 400, body: { error: 'InvalidJSON' } };
  }
  const ticket = (input as { ticket?: { subject?: unknown; requester?: { email?: unknown } } } | null)?.ticket;
  if (typeof ticket?.subject !== 'string' || typeof ticket.requester?.email !== 'string') {
    return { status: 422, body: { error: 'RecordInvalid', details: 'ticket.subject and ticket.requester.email are required' } };
  }
  const now = new Date().toISOString();
  const created: ApiTicket = {
    id,
    requester: { email: ticket.requester.email },
    subject: ticket.subject,
    status: 'open',
    priority: 'normal',
    via: { channel: 'web' },
    created_at: now,
    updated_at: now,
    solved_at: null,
    satisfaction_rating: null,
    comments: [],
  };
  return { status: 201, body: { ticket: created } };
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function positiveInt(text: string | null, fallback: number): number {
  const value = Number(text);
  return text !== null && Number.isInteger(value) && value >= 1 ? value : fallback;
}
