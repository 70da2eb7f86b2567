/**
 * `customers(filter: { hasOpenTicket: true })`: the helpdesk owns ticket status, so it
 * names the requester emails of its OPEN and PENDING tickets (the ticket mapping's
 * endpoint keyed by `status`), and c360 pages the customers holding one of those emails on
 * a CRM contact or shop account. A customer is listed once, at its lowest such email, so
 * the cursor (phase 3, email, customer id) stays valid however the page sizes change.
 */
import type { Row } from '../../connectors/contract.js';
import { badUserInput } from '../errors/codes.js';
import type { RequestContext } from '../gateway/context.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import { CustomerHandle, type CustomerNeeds } from '../identity/customer-handle.js';
import { isJunkIdentifier } from '../identity/blocklist.js';
import { normalizeEmail } from '../identity/email.js';
import { IDENTIFIER_FIELDS } from '../identity/link.js';
import { decodeCursor, encodeCursor, str } from '../resolvers/rows.js';
import type { SemiJoinPage } from './semi-join.js';

export const OPEN_TICKET_PHASE = 3;
const UNRESOLVED_STATUSES = ['OPEN', 'PENDING'];
const ANCHORS: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];
const MAX_CHUNK = 200;

/** Requester emails of the unresolved tickets: normalized, junk left out (as Customer.tickets does), ascending. */
async function openTicketEmails(ctx: RequestContext): Promise<string[]> {
  if (!ctx.loaders.isMapped('ticket')) throw badUserInput('hasOpenTicket needs the ticket entity mapped', 'filter.hasOpenTicket');
  const perStatus = await ctx.loaders.loadMany('ticket', UNRESOLVED_STATUSES, {
    keyField: 'status',
    keyMatch: 'caseInsensitive',
    projection: ['id', 'requesterEmail'],
  });
  const emails = new Set<string>();
  for (const row of perStatus.flat()) {
    const email = normalizeEmail(str(row, 'requesterEmail'));
    if (email !== null && !isJunkIdentifier('email', email, ctx.link.blocklist)) emails.add(email);
  }
  return [...emails].sort();
}

/**
 * The email a record is found by: sources are asked LOWER(TRIM(email)) = key, so only that
 * form counts (an address stored as "<a@b.fr>" is not found by "a@b.fr", and does not count).
 */
function lookupEmail(row: Row): string | null {
  const email = str(row, 'email');
  return email === null ? null : email.trim().toLowerCase();
}

interface Candidate {
  readonly email: string;
  readonly id: string;
  readonly handle: CustomerHandle;
}

/** The customers whose lowest unresolved-ticket email is in `chunk`, in (email, id) order. */
async function candidatesOf(ctx: RequestContext, needs: CustomerNeeds, chunk: ReadonlyArray<string>, unresolved: ReadonlySet<string>): Promise<Candidate[]> {
  const handles: CustomerHandle[] = [];
  for (const entity of ANCHORS) {
    if (!ctx.loaders.isMapped(entity) || ctx.loaders.mappedFields(entity, ['email']).length === 0) continue;
    const projection = [...new Set([...needs[entity], ...IDENTIFIER_FIELDS[entity]])];
    const found = await ctx.loaders.loadMany(entity, chunk, { keyField: 'email', keyMatch: 'caseInsensitive', projection });
    for (const row of found.flat()) handles.push(new CustomerHandle({ entity, key: String(row.id) }, needs, ctx.loaders, ctx.link, row));
  }
  const assemblies = await Promise.all(handles.map((handle) => handle.assembly()));
  const ids = await Promise.all(handles.map((handle) => handle.id()));
  const byId = new Map<string, Candidate>();
  for (const [index, assembly] of assemblies.entries()) {
    const id = ids[index]!;
    if (assembly === null || byId.has(id)) continue;
    const rows = [...assembly.records.contact, ...assembly.records.shopCustomer].map((record) => record.row);
    const emails = rows.map(lookupEmail).filter((email): email is string => email !== null && unresolved.has(email));
    const lowest = emails.sort()[0];
    if (lowest !== undefined) byId.set(id, { email: lowest, id, handle: handles[index]! });
  }
  const inChunk = new Set(chunk);
  // A customer found here through a higher email of theirs belongs to an earlier chunk.
  return [...byId.values()].filter((candidate) => inChunk.has(candidate.email)).sort((a, b) => compare(a.email, b.email) || compare(a.id, b.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function openTicketPage(
  ctx: RequestContext,
  needs: CustomerNeeds,
  first: number,
  after: string | null | undefined,
  hasOpenTicket: boolean,
): Promise<SemiJoinPage> {
  if (!hasOpenTicket)
    throw badUserInput('hasOpenTicket: false is not supported: the helpdesk lists unresolved tickets, not the customers without one', 'filter.hasOpenTicket');
  let cursor: { email: string; id: string } | undefined;
  if (after != null) {
    const [phase, email, id] = decodeCursor(after, 3, 'after');
    if (phase !== OPEN_TICKET_PHASE || typeof email !== 'string' || typeof id !== 'string')
      throw badUserInput('"after" is not a cursor of this filtered list', 'after');
    cursor = { email, id };
  }
  const emails = await openTicketEmails(ctx);
  const unresolved = new Set(emails);
  // The cursor's email may have no open ticket any more: resume at the first email after or at it.
  let start = cursor === undefined ? 0 : emails.findIndex((email) => email >= cursor.email);
  if (start === -1) start = emails.length;
  const chunkSize = Math.min(Math.max(first + 1, 10), MAX_CHUNK);
  const edges: SemiJoinPage['edges'] = [];
  for (; start < emails.length; start += chunkSize) {
    const candidates = await candidatesOf(ctx, needs, emails.slice(start, start + chunkSize), unresolved);
    for (const candidate of candidates) {
      if (cursor !== undefined && (compare(candidate.email, cursor.email) || compare(candidate.id, cursor.id)) <= 0) continue;
      if (edges.length === first) return { edges, hasNextPage: true };
      edges.push({ cursor: encodeCursor([OPEN_TICKET_PHASE, candidate.email, candidate.id]), node: candidate.handle });
    }
  }
  return { edges, hasNextPage: false };
}
