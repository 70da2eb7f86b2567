/**
 * Scanning a REST entity the only way an API lists "what is new": its `follow` endpoint,
 * items from {since} on, oldest first. The scan a trigger sends (a range from the
 * watermark's time on, ordered by time then id, at most `limit`) becomes pages of that
 * list, read until `limit` items are in hand and a later instant has been seen (so no item
 * of the limit-th item's instant is cut off); the range, order and limit are then applied
 * here. An item earlier than the one before it breaks the follow's contract: the reply is
 * refused (SOURCE_BAD_RESPONSE), since a watermark past it would skip items.
 */
import { SourceError, UnsupportedRequestError } from '../contract.js';
import type { Filter, JsonValue, OrderBy, Row, ScanRequest } from '../contract.js';
import type { RestEntityMapping, RestFollowEndpoint } from './config.js';

export interface FollowPlan {
  readonly entity: RestEntityMapping;
  readonly endpoint: RestFollowEndpoint;
  /** The {since} sent: the range's lower bound, or the epoch. */
  readonly since: string;
  readonly fieldNames: ReadonlyArray<string>;
  readonly enough: (rows: ReadonlyArray<Row>) => boolean;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

type TimeRange = Extract<Filter, { op: 'range' }>;

export function planFollow(source: string, entity: RestEntityMapping | undefined, request: ScanRequest): FollowPlan {
  if (entity === undefined) throw new UnsupportedRequestError(source, `scan "${request.entity}", which is not mapped on it`);
  const endpoint = entity.follow;
  if (endpoint === undefined) throw new UnsupportedRequestError(source, `scan "${request.entity}" (it has no follow endpoint)`);
  const { timeField } = endpoint;
  const first = request.orderBy[0];
  if (first === undefined || first.field !== timeField || first.direction !== 'ASC') {
    throw new UnsupportedRequestError(source, `scan "${request.entity}" other than by ascending ${timeField} (its follow endpoint lists oldest first)`);
  }
  const range = rangeOf(source, request, timeField);
  const since = range?.gte ?? range?.gt ?? EPOCH;
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since)))
    throw new UnsupportedRequestError(source, `scan "${request.entity}" from ${JSON.stringify(since)}, which is not a time`);
  const needed = new Set([...request.projection, timeField, 'id', ...request.orderBy.map((order) => order.field)]);
  for (const field of needed) {
    if (entity.fields[field] === undefined) throw new UnsupportedRequestError(source, `return "${request.entity}.${field}", which is not mapped`);
  }
  const limit = request.limit;
  return {
    entity,
    endpoint,
    since,
    fieldNames: [...needed],
    enough: (rows) => {
      const atLimit = rows[limit - 1];
      const last = rows.at(-1);
      return atLimit !== undefined && last !== undefined && timeOf(last, timeField) > timeOf(atLimit, timeField);
    },
  };
}

/** The range, order and limit of the scan on the fetched items, after checking their order. */
export function takeFollowed(source: string, rows: ReadonlyArray<Row>, plan: FollowPlan, request: ScanRequest): Row[] {
  const { timeField } = plan.endpoint;
  let previous = Number.NEGATIVE_INFINITY;
  rows.forEach((row, index) => {
    const at = timeOf(row, timeField);
    if (Number.isNaN(at)) return;
    if (at < previous) {
      throw new SourceError(
        'SOURCE_BAD_RESPONSE',
        source,
        `source "${source}" listed ${request.entity} item ${index + 1} (${timeField} ${String(row[timeField])}) after a later one: its follow endpoint must list oldest first`,
        { path: `${plan.endpoint.list.text}[${index}].${timeField}` },
      );
    }
    previous = at;
  });
  const range = rangeOf(source, request, timeField);
  const bound = (value: JsonValue | undefined) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);
  const inRange = rows.filter((row) => {
    const at = timeOf(row, timeField);
    if (Number.isNaN(at)) return false; // an item without a time cannot be followed
    if (range === undefined) return true;
    return (
      (range.gte === undefined || at >= bound(range.gte)) &&
      (range.gt === undefined || at > bound(range.gt)) &&
      (range.lt === undefined || at < bound(range.lt)) &&
      (range.lte === undefined || at <= bound(range.lte))
    );
  });
  return inRange
    .sort((a, b) => compare(a, b, request.orderBy, timeField))
    .slice(0, request.limit)
    .map((row) => Object.fromEntries(request.projection.map((field) => [field, row[field] ?? null])));
}

function rangeOf(source: string, request: ScanRequest, timeField: string): TimeRange | undefined {
  const { filter } = request;
  if (filter === undefined) return undefined;
  if (filter.op === 'range' && filter.field === timeField) return filter;
  throw new UnsupportedRequestError(source, `scan "${request.entity}" with a filter other than a range on ${timeField}`);
}

function timeOf(row: Row, timeField: string): number {
  const value = row[timeField];
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/** Times as instants, numbers (ids like 9 and 10) as numbers, the rest as text. */
function compare(a: Row, b: Row, orderBy: ReadonlyArray<OrderBy>, timeField: string): number {
  for (const { field, direction } of orderBy) {
    let order: number;
    if (field === timeField) order = timeOf(a, field) - timeOf(b, field);
    else {
      const [left, right] = [a[field], b[field]].map((value) => (value === null || value === undefined || typeof value === 'object' ? '' : String(value))) as [
        string,
        string,
      ];
      const numeric = /^-?\d+$/.test(left) && /^-?\d+$/.test(right);
      order = numeric ? Number(left) - Number(right) : left < right ? -1 : left > right ? 1 : 0;
    }
    if (order !== 0) return direction === 'ASC' ? order : -order;
  }
  return 0;
}
