/**
 * One chunk of keys, page after page, until the source says there is no more: page
 * numbers (a short page, a null next link, or the total reached), or cursors (a token,
 * or the next page's URL on the source's own origin).
 */
import { SourceError } from '../contract.js';
import type { JsonValue, Row } from '../contract.js';
import type { RestEndpoint, RestEntityMapping } from './config.js';
import { getAtPath } from './json-path.js';
import type { JsonPath } from './json-path.js';
import { planCall, sameOriginUrl } from './request.js';
import type { PageState } from './request.js';
import { badResponse, mapItem } from './row-mapping.js';
import { callSource, rememberReply } from './runtime.js';
import type { CallContext, SourceRuntime } from './runtime.js';

export async function fetchChunk(
  runtime: SourceRuntime,
  entity: RestEntityMapping,
  endpoint: RestEndpoint,
  keys: ReadonlyArray<string>,
  fieldNames: ReadonlyArray<string>,
  context: CallContext,
  /** Stops after the page where it holds (a follow that has enough rows). */
  enough?: (rows: ReadonlyArray<Row>) => boolean,
): Promise<Row[]> {
  const source = runtime.config.name;
  const { pagination } = endpoint;
  const rows: Row[] = [];
  let state: PageState | undefined = { page: pagination.style === 'page' ? pagination.firstPage : undefined, pageIndex: 0 };
  while (state !== undefined) {
    if (pagination.style !== 'none' && state.pageIndex >= pagination.maxPages) {
      throw new SourceError('SOURCE_BAD_RESPONSE', source, `source "${source}" had more than ${pagination.maxPages} pages for one call (pagination.maxPages)`);
    }
    const planned = planCall(runtime.config, endpoint, keys, state);
    const reply = await callSource(runtime, endpoint, planned, context);
    if (reply.kind === 'notFound') {
      if (endpoint.notFoundAsEmpty) return rows;
      throw new SourceError('SOURCE_UNAVAILABLE', source, `source "${source}" answered: HTTP 404`);
    }
    const items = listOf(source, reply.body, endpoint.list);
    items.forEach((item, index) => rows.push(mapItem(source, item, [...endpoint.list.segments, index], entity.fields, fieldNames)));
    if (endpoint.uncached !== true) rememberReply(runtime, planned, reply.body);
    state = enough?.(rows) === true ? undefined : nextPage(runtime, endpoint, reply.body, items.length, state);
  }
  return rows;
}

/** The reply's list of items; a missing list, or one that is not an array, breaks the mapping. */
export function listOf(source: string, body: JsonValue, list: JsonPath): ReadonlyArray<JsonValue> {
  const items = getAtPath(body, list.segments);
  if (Array.isArray(items)) return items as ReadonlyArray<JsonValue>;
  throw badResponse(source, list.segments, items === undefined ? 'no list' : 'a list that is not an array');
}

function nextPage(runtime: SourceRuntime, endpoint: RestEndpoint, body: JsonValue, itemCount: number, state: PageState): PageState | undefined {
  const { pagination } = endpoint;
  const pageIndex = state.pageIndex + 1;
  switch (pagination.style) {
    case 'none':
      return undefined;
    case 'page': {
      if (itemCount < pagination.perPage) return undefined;
      if (pagination.hasMorePath !== undefined && !isTruthy(getAtPath(body, pagination.hasMorePath.segments))) return undefined;
      if (pagination.totalPagesPath !== undefined) {
        const totalPages = getAtPath(body, pagination.totalPagesPath.segments);
        if (typeof totalPages === 'number' && pageIndex >= totalPages) return undefined;
      }
      return { page: (state.page ?? pagination.firstPage) + 1, pageIndex };
    }
    case 'cursor': {
      const cursor = getAtPath(body, pagination.cursorPath.segments);
      if (!isTruthy(cursor) || itemCount === 0) return undefined;
      if (typeof cursor !== 'string' && typeof cursor !== 'number')
        throw badResponse(runtime.config.name, pagination.cursorPath.segments, 'a cursor that is not text');
      const url = sameOriginUrl(runtime.config, String(cursor));
      if (url === 'otherOrigin') throw badResponse(runtime.config.name, pagination.cursorPath.segments, 'a next-page URL on another host');
      return url === undefined ? { cursor: String(cursor), pageIndex } : { nextUrl: url, pageIndex };
    }
  }
}

function isTruthy(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}
