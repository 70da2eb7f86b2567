/**
 * Following a source's new rows without copying them: a keyset scan past the watermark
 * (time field, then key), ordered, bounded by the batch size. Each row names the customer
 * anchor it touches; the rows themselves are only read, kept as evidence for one poll.
 */
import type { Filter, Row } from '../../connectors/contract.js';
import type { AnchorEntity } from '../identity/customer-id.js';
import type { Loaders } from '../loading/loaders.js';
import type { Watermark } from './state.js';

/** A record key of a customer anchor, or an email the customer is found by (tickets). */
export type AnchorKind = AnchorEntity | 'email';

export interface Follower {
  /** Names the watermark, e.g. "event". */
  readonly name: 'event' | 'order' | 'interaction' | 'ticket';
  readonly timeField: string;
  /** The link from a row to its customer anchor. */
  readonly anchor: AnchorKind;
  readonly anchorField: string;
  readonly projection: ReadonlyArray<string>;
  /**
   * Where a first start "from now" begins: after the newest row (a database can be asked
   * for it), or at the poller's clock (a REST follow endpoint lists oldest first only).
   */
  readonly startNow?: 'newestRow' | 'clock';
}

export const FOLLOWERS: ReadonlyArray<Follower> = [
  {
    name: 'event',
    timeField: 'occurredAt',
    anchor: 'shopCustomer',
    anchorField: 'customerId',
    projection: ['id', 'customerId', 'type', 'occurredAt', 'productId'],
  },
  { name: 'order', timeField: 'placedAt', anchor: 'shopCustomer', anchorField: 'customerId', projection: ['id', 'customerId', 'placedAt', 'status', 'total'] },
  { name: 'interaction', timeField: 'occurredAt', anchor: 'contact', anchorField: 'contactId', projection: ['id', 'contactId', 'type', 'occurredAt'] },
  { name: 'ticket', timeField: 'createdAt', anchor: 'email', anchorField: 'requesterEmail', projection: ['id', 'requesterEmail', 'status', 'createdAt'] },
];

/** How a source can list an entity's new rows: any SQL scan, a REST `follow` endpoint on that time field, or not at all. */
export type FollowSupport = 'sql' | 'rest' | undefined;

/**
 * The followers whose entity is mapped with its time field on a source that can list new
 * rows: a SQL source, or a REST source whose entity has a `follow` endpoint on that time
 * field (a helpdesk's "tickets created since"). Other REST entities are not followed.
 */
export function followersFor(loaders: Loaders, supportOf: (source: string, entity: string, timeField: string) => FollowSupport): Follower[] {
  return FOLLOWERS.flatMap((follower) => {
    if (!loaders.isMapped(follower.name) || loaders.mappedFields(follower.name, [follower.timeField]).length !== 1) return [];
    const support = supportOf(loaders.sourceOf(follower.name), follower.name, follower.timeField);
    if (support === undefined) return [];
    return [{ ...follower, startNow: support === 'rest' ? 'clock' : 'newestRow' } satisfies Follower];
  });
}

export interface TouchedRow {
  readonly follower: Follower['name'];
  readonly anchor: AnchorKind;
  readonly anchorKey: string;
  readonly row: Row;
}

export interface FollowResult {
  readonly rows: ReadonlyArray<TouchedRow>;
  /** Where the next poll starts; unchanged when nothing was new. */
  readonly watermark: Watermark | undefined;
  /** Keys taken at the watermark's instant (a row of the same instant is new only if not among them). */
  readonly keysAtWatermark: ReadonlySet<string>;
  /** A full batch: more rows are waiting. */
  readonly more: boolean;
}

/**
 * Rows at or after the watermark's instant, minus those already taken at that instant.
 * `>=` rather than `>` because a source may keep finer times than it returns (PostgreSQL's
 * microseconds read as milliseconds): a strict `>` on the rounded value could skip rows.
 */
/** Where a follower without a watermark starts: after the newest row there is now. */
export async function newestMark(loaders: Loaders, follower: Follower): Promise<FollowResult> {
  if (follower.startNow === 'clock') return { rows: [], watermark: { at: new Date().toISOString(), key: '' }, keysAtWatermark: new Set(), more: false };
  const [newest] = await loaders.scan(follower.name, {
    projection: ['id', follower.timeField],
    orderBy: [
      { field: follower.timeField, direction: 'DESC' },
      { field: 'id', direction: 'DESC' },
    ],
    limit: 1,
  });
  if (newest === undefined) return { rows: [], watermark: { at: new Date(0).toISOString(), key: '' }, keysAtWatermark: new Set(), more: false };
  const at = String(newest[follower.timeField]);
  // Every row of that instant (as returned: milliseconds) is "already there", not only the one with the highest key.
  const nextMillisecond = new Date(Date.parse(at) + 1).toISOString();
  const sameInstant = await loaders.scan(follower.name, {
    projection: ['id'],
    filter: { op: 'range', field: follower.timeField, gte: at, lt: nextMillisecond },
    orderBy: [{ field: 'id', direction: 'ASC' }],
    limit: 10_000,
  });
  return {
    rows: [],
    watermark: { at, key: String(newest.id) },
    keysAtWatermark: new Set([String(newest.id), ...sameInstant.map((row) => String(row.id))]),
    more: false,
  };
}

export async function followOnce(
  loaders: Loaders,
  follower: Follower,
  since: Watermark | undefined,
  taken: ReadonlySet<string>,
  batchSize: number,
): Promise<FollowResult> {
  const filter: Filter | undefined = since === undefined ? undefined : { op: 'range', field: follower.timeField, gte: since.at };
  const rows = await loaders.scan(follower.name, {
    projection: follower.projection,
    ...(filter === undefined ? {} : { filter }),
    orderBy: [
      { field: follower.timeField, direction: 'ASC' },
      { field: 'id', direction: 'ASC' },
    ],
    limit: batchSize + taken.size,
  });
  const fresh = rows.filter((row) => !(since !== undefined && String(row[follower.timeField]) === since.at && taken.has(String(row.id))));
  const batch = fresh.slice(0, batchSize);
  const last = batch.at(-1);
  if (last === undefined) return { rows: [], watermark: since, keysAtWatermark: taken, more: false };
  const at = String(last[follower.timeField]);
  const keysAtWatermark = new Set(batch.filter((row) => String(row[follower.timeField]) === at).map((row) => String(row.id)));
  if (since !== undefined && at === since.at) for (const key of taken) keysAtWatermark.add(key);
  return {
    rows: batch.flatMap((row) => {
      const anchorKey = row[follower.anchorField];
      return anchorKey === null || anchorKey === undefined ? [] : [{ follower: follower.name, anchor: follower.anchor, anchorKey: String(anchorKey), row }];
    }),
    watermark: { at, key: String(last.id) },
    keysAtWatermark,
    more: fresh.length > batchSize,
  };
}
