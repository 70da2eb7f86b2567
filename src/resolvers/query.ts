/** Entry points: one customer by id or identifier, a search, and a paged scan of every customer. */
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { SourceError, type Filter, type Row } from '../../connectors/contract.js';
import { badUserInput } from '../errors/codes.js';
import type { CustomerFilter, QueryResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { notePartialAnswer } from '../gateway/partial-answers.js';
import { CustomerHandle, type CustomerNeeds } from '../identity/customer-handle.js';
import { decodeCustomerId, encodeCustomerId, type AnchorEntity } from '../identity/customer-id.js';
import { canonicalEmail, DEFAULT_EMAIL_RULES } from '../identity/email-canonical.js';
import { IDENTIFIER_FIELDS, compareKeys, holdersOfEmail, holdersOfPhone, stringOf } from '../identity/link.js';
import { normalizePhone } from '../identity/phone.js';
import { MATCH_FIELDS } from '../identity/probabilistic.js';
import { needsSemiJoin, semiJoinPage } from '../insights/semi-join.js';
import { selectedFieldNamesAt } from '../loading/selection.js';
import { customerNeeds } from './needs.js';
import { MAX_SEARCH_PAGE, searchCustomerPage } from './search/search.js';
import { and, decodeCursor, Edge, pageSize } from './rows.js';

const MAX_PAGE = 100;
const ANCHORS: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];

function handleFor(ctx: RequestContext, entity: AnchorEntity, row: Row | undefined, key: string, needs: CustomerNeeds): CustomerHandle {
  return new CustomerHandle({ entity, key }, needs, ctx.loaders, ctx.link, row, ctx.linked);
}

function projectionOf(entity: AnchorEntity, needs: CustomerNeeds): string[] {
  return [...new Set([...needs[entity], ...IDENTIFIER_FIELDS[entity]])];
}

/** The projection linking asks of `entity` (CustomerHandle.projection, through findLinked). */
function linkProjection(ctx: RequestContext, entity: AnchorEntity, needs: CustomerNeeds): string[] {
  const matching = ctx.link.probabilistic?.enabled === true ? MATCH_FIELDS : [];
  return [...new Set([...needs[entity], ...IDENTIFIER_FIELDS[entity], ...matching])];
}

function lowestKey(rows: ReadonlyArray<Row>): Row | undefined {
  return [...rows].sort((a, b) => compareKeys(String(a.id), String(b.id)))[0];
}

/** The first anchor entity (CRM before shop) holding a record for the identifier. */
async function firstHolder(
  ctx: RequestContext,
  needs: CustomerNeeds,
  find: (entity: AnchorEntity, projection: string[]) => Promise<ReadonlyArray<Row>>,
): Promise<CustomerHandle | null> {
  for (const entity of ANCHORS) {
    if (!ctx.loaders.isMapped(entity)) continue;
    const row = lowestKey(await find(entity, projectionOf(entity, needs)));
    if (row !== undefined) return handleFor(ctx, entity, row, String(row.id), needs);
  }
  return null;
}

function entityFilter(entity: AnchorEntity, filter: CustomerFilter | null | undefined, ctx: RequestContext): Filter | undefined {
  if (filter == null) return undefined;
  const parts: Array<Filter | undefined> = [];
  if (filter.kind != null) {
    if (entity === 'contact') parts.push({ op: 'eq', field: 'kind', value: filter.kind });
    else if (ctx.loaders.mappedFields('shopCustomer', ['siret']).length > 0) {
      parts.push(filter.kind === 'COMPANY' ? { op: 'not', filter: { op: 'isNull', field: 'siret' } } : { op: 'isNull', field: 'siret' });
    } else if (filter.kind === 'COMPANY') {
      parts.push({ op: 'in', field: 'id', values: [] });
    }
  }
  if (filter.postcode != null) parts.push({ op: 'eq', field: 'postcode', value: filter.postcode.trim() });
  if (filter.city != null) parts.push({ op: 'prefix', field: 'city', value: filter.city.trim().toLowerCase() });
  if (filter.createdAfter != null) parts.push({ op: 'range', field: 'createdAt', gt: filter.createdAfter });
  return and(...parts);
}

/** A source refusing a value the client gave (a forged key in an id or cursor) is the client's BAD_USER_INPUT, not the source's fault. */
async function clientValue<T>(work: Promise<T>, argument: string, message: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SourceError && error.rejectedValue) throw badUserInput(message, argument);
    throw error;
  }
}

type Page = { edges: Array<{ cursor: string; node: CustomerHandle }>; hasNextPage: boolean };

/**
 * Every CRM contact in key order, then every shop account that links to no contact. The
 * cursor says which phase and which key the page ended on, so pages are stable.
 */
async function customerPage(
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  first: number,
  after: string | null | undefined,
  filter: CustomerFilter | null | undefined,
): Promise<Page> {
  const needs = customerNeeds(info, ['edges', 'node'], ctx.loaders);
  // A full page that nobody asks hasNextPage of does not look into the next phase (shop accounts linked to no contact).
  const wantsNextPage = selectedFieldNamesAt(info, ['pageInfo']).has('hasNextPage');
  const [phase, lastKey] = after == null ? [0, null] : decodeCursor(after, 2, 'after');
  if (phase !== 0 && phase !== 1) throw badUserInput('"after" is not a cursor this field returned', 'after');
  const edges: Page['edges'] = [];
  for (let index = phase; index < ANCHORS.length; index++) {
    const entity = ANCHORS[index]!;
    if (!ctx.loaders.isMapped(entity)) continue;
    if (edges.length === first && !wantsNextPage) return { edges, hasNextPage: false };
    let cursorKey = index === phase ? lastKey : null;
    const chunk = Math.min(Math.max(first + 1, 10), 500);
    for (;;) {
      const limit = index === 0 ? first + 1 - edges.length : chunk;
      const scanned = ctx.loaders.scan(entity, {
        projection: projectionOf(entity, needs),
        filter: and(entityFilter(entity, filter, ctx), cursorKey === null ? undefined : { op: 'range', field: 'id', gt: cursorKey }),
        orderBy: [{ field: 'id', direction: 'ASC' }],
        limit,
      });
      const rows =
        cursorKey === lastKey && lastKey !== null ? await clientValue(scanned, 'after', '"after" is not a cursor this field returned') : await scanned;
      // With bulk links, a record listed under another customer is known without assembling it.
      const linked = ctx.linked;
      const listed =
        linked === undefined
          ? rows
          : rows.filter((row) => {
              const anchor = { entity, key: String(row.id) };
              const id = linked.customerIdOf(anchor);
              return (
                id === undefined ||
                (index === 0 && needs.linking === false) ||
                (id === encodeCustomerId(anchor) && (index === 0 || linked.plan(anchor)!.anchor.entity === 'shopCustomer'))
              );
            });
      const handles = listed.map((row) => handleFor(ctx, entity, row, String(row.id), needs));
      // One edge per customer: shop accounts linked to a CRM contact were listed with that
      // contact, and of several records of one source linked together only the one whose
      // key is the customer's id is listed.
      const kept = await representatives(index === 0 ? handles : await keepUnlinked(handles));
      for (const handle of kept) {
        if (edges.length === first) return { edges, hasNextPage: true };
        edges.push(new Edge(handle, [index, handle.anchor.key]));
      }
      const last = rows.at(-1);
      if (last === undefined || rows.length < limit) break;
      cursorKey = stringOf(last.id);
    }
    if (edges.length > first) return { edges: edges.slice(0, first), hasNextPage: true };
  }
  return { edges, hasNextPage: false };
}

/**
 * Waits until every customer of a list is assembled, so that their children (orders,
 * account…) ask in the same tick and share one statement per entity, however long each
 * customer's links took.
 */
async function settled(handles: ReadonlyArray<CustomerHandle>): Promise<void> {
  const pending = handles.filter((handle) => handle.assembledNow() === undefined);
  if (pending.length > 0) await Promise.allSettled(pending.map((handle) => handle.assembly()));
}

/** The handles that are their customer's own id (not a same-source duplicate of a lower-keyed record). */
async function representatives(handles: ReadonlyArray<CustomerHandle>): Promise<CustomerHandle[]> {
  // Handles already assembled (a CRM-only page's contacts) answer without a promise each.
  const known = handles.map((handle) => handle.idNow());
  const ids = known.every((id) => id !== undefined)
    ? known
    : await Promise.all(handles.map((handle, index) => known[index] ?? handle.id().catch(() => handle.anchorId())));
  return handles.filter((handle, index) => ids[index] === handle.anchorId());
}

async function keepUnlinked(handles: ReadonlyArray<CustomerHandle>): Promise<CustomerHandle[]> {
  const assemblies = await Promise.all(handles.map((handle) => handle.assembly()));
  return handles.filter((_, index) => assemblies[index]?.anchor.entity === 'shopCustomer');
}

/** One customer by its c360 id (Query.customer, and a federation reference by id). */
export async function customerById(ctx: RequestContext, id: string, info: GraphQLResolveInfo): Promise<CustomerHandle | null> {
  const anchor = decodeCustomerId(id);
  if (anchor === undefined) throw badUserInput('"id" is not a c360 customer id', 'id');
  if (!ctx.loaders.isMapped(anchor.entity)) return null;
  const handle = handleFor(ctx, anchor.entity, undefined, anchor.key, customerNeeds(info, [], ctx.loaders));
  // Whether the customer exists is its anchor's question: the links (another source, maybe hanging) are its fields' wait.
  return (await clientValue(handle.anchorRecord(), 'id', '"id" is not a c360 customer id')) === null ? null : handle;
}

/** The customer holding an email, CRM first (customerBy(email), and a federation reference by email). */
export function customerByEmail(ctx: RequestContext, email: string, info: GraphQLResolveInfo): Promise<CustomerHandle | null> {
  const needs = customerNeeds(info, [], ctx.loaders);
  const normalized = canonicalEmail(email, ctx.link.email ?? DEFAULT_EMAIL_RULES);
  if (normalized === null) throw badUserInput('"email" is not an email address', 'email');
  const include = needs.shopCustomerInclude;
  // Every stored spelling of the mailbox (dots, +tags, domain typos), as the links read it.
  const byEmail = (entity: AnchorEntity, projection: ReadonlyArray<string>) =>
    holdersOfEmail(ctx.loaders, entity, normalized, projection, ctx.link, entity === 'shopCustomer' ? include : undefined);
  // Both sources in parallel: the shop's holders are the contact's e-mail links too, and
  // linking finds them in the request's loader cache instead of a second wave.
  if (ctx.link.rules === undefined || ctx.link.rules.includes('EMAIL')) {
    for (const entity of ANCHORS) if (ctx.loaders.isMapped(entity)) void byEmail(entity, linkProjection(ctx, entity, needs)).catch(() => undefined);
  }
  return firstHolder(ctx, needs, byEmail);
}

/** A search one source could not answer lists the others' matches, and says in `errors` which source is missing. */
function partialSearch(ctx: RequestContext, info: GraphQLResolveInfo): (error: SourceError) => void {
  return (error) => notePartialAnswer(ctx, responsePathAsArray(info.path), error, 'the search lists the matches of the other sources only');
}

export const queryResolvers: QueryResolvers<RequestContext> = {
  customer: (_root, { id }, ctx, info) => customerById(ctx, id, info),

  customerBy: async (_root, { email, phone, externalId }, ctx, info) => {
    const given = [email, phone, externalId].filter((value) => value != null).length;
    if (given !== 1) throw badUserInput('give exactly one of "email", "phone" or "externalId"');
    const needs = customerNeeds(info, [], ctx.loaders);
    if (email != null) return customerByEmail(ctx, email, info);
    if (phone != null) {
      const normalized = normalizePhone(phone, ctx.link.defaultRegion);
      if (normalized === null) throw badUserInput('"phone" is not a valid phone number', 'phone');
      return firstHolder(ctx, needs, (entity, projection) => holdersOfPhone(ctx.loaders, entity, normalized, projection, ctx.link));
    }
    const source = externalId!.source;
    const entity = ANCHORS.find((candidate) => ctx.loaders.isMapped(candidate) && ctx.loaders.sourceOf(candidate) === source);
    if (entity === undefined) throw badUserInput(`source "${source}" holds no customer records`, 'externalId.source');
    const handle = handleFor(ctx, entity, undefined, externalId!.key, needs);
    return (await handle.assembly()) === null ? null : handle;
  },

  searchCustomers: async (_root, { text, first }, ctx, info) => {
    const page = await searchCustomerPage(
      ctx,
      info.schema,
      customerNeeds(info, []),
      text,
      pageSize(first, 10, MAX_SEARCH_PAGE),
      null,
      partialSearch(ctx, info),
    );
    return page.edges.map((edge) => edge.node);
  },

  customerSearch: async (_root, { text, first, after }, ctx, info) => {
    const page = await searchCustomerPage(
      ctx,
      info.schema,
      customerNeeds(info, ['edges', 'node']),
      text,
      pageSize(first, 10, MAX_SEARCH_PAGE),
      after,
      partialSearch(ctx, info),
    );
    return {
      edges: page.edges.map((edge) => ({ ...edge, matchedOn: [...edge.matchedOn] })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
    };
  },

  customers: async (_root, { first, after, filter }, ctx, info) => {
    const size = ctx.bulkPageSize ?? pageSize(first, 20, MAX_PAGE);
    const page = needsSemiJoin(filter)
      ? await semiJoinPage(ctx, customerNeeds(info, ['edges', 'node']), size, after, filter!)
      : await customerPage(ctx, info, size, after, filter);
    await settled(page.edges.map((edge) => edge.node));
    return { edges: page.edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null } };
  },
};
