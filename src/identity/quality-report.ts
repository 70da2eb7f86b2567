/**
 * The data-quality report over the whole customer base, computed by the sources: a few
 * aggregate statements per anchor entity (counts of present values, of placeholder
 * emails, of stale records), never a read of every record.
 */
import type { Filter, Row } from '../../connectors/contract.js';
import type { MappedPart } from '../config/types.js';
import type { Loaders } from '../loading/loaders.js';
import { DEFAULT_BLOCKLIST } from './blocklist.js';
import type { AnchorEntity } from './customer-id.js';
import type { LinkSettings } from './link.js';

export type IssueKind = 'MISSING_EMAIL' | 'MISSING_PHONE' | 'MISSING_NAME' | 'MISSING_POSTCODE' | 'JUNK_EMAIL' | 'SHARED_EMAIL' | 'STALE';

export interface IssueCount {
  readonly source: string;
  readonly entity: AnchorEntity;
  readonly kind: IssueKind;
  readonly count: number;
}

export interface QualityReport {
  readonly records: Array<{ readonly source: string; readonly entity: AnchorEntity; readonly count: number }>;
  readonly issues: IssueCount[];
}

const ANCHORS: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];
const STALE_AFTER_MILLIS = 2 * 365 * 24 * 3600 * 1000;

function count(row: Row | undefined, name: string): number {
  const value = row?.[name];
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : 0;
}

/** Placeholder emails a source can find by itself: placeholder local parts and the configured values. */
export function junkEmailFilter(settings: LinkSettings): Filter {
  const prefixes = [
    ...DEFAULT_BLOCKLIST.emailLocalParts.map((local) => `${local}@`),
    ...settings.blocklist.filter((value) => value.includes('@')).map((value) => value.trim().toLowerCase()),
  ];
  return { op: 'or', filters: prefixes.map((value) => ({ op: 'prefix', field: 'email', value })) };
}

async function entityReport(
  loaders: Loaders,
  entity: AnchorEntity,
  part: MappedPart,
  settings: LinkSettings,
  nowMillis: number,
): Promise<{ records: number; issues: Array<[IssueKind, number]> }> {
  // One report per source the entity is mapped in (a shop and a loyalty system are two).
  const mapped = new Set(['email', 'phone', 'mobile', 'lastName', 'postcode', 'updatedAt'].filter((field) => part.fields.has(field)));
  const aggregate = (request: Parameters<Loaders['aggregate']>[1]) => loaders.aggregate(entity, request, part.source);
  const phones = ['phone', 'mobile'].filter((field) => mapped.has(field));
  const present = ['email', 'lastName', 'postcode'].filter((field) => mapped.has(field));
  const [totals, noPhone, junk, stale] = await Promise.all([
    aggregate({
      groupBy: [],
      aggregations: [
        { as: 'records', fn: 'count' },
        ...present.map((field) => ({ as: field, fn: 'count' as const, field })),
        ...(mapped.has('email') ? [{ as: 'distinctEmails', fn: 'countDistinct' as const, field: 'email' }] : []),
      ],
    }),
    phones.length === 0
      ? null
      : aggregate({
          groupBy: [],
          aggregations: [{ as: 'n', fn: 'count' }],
          filter: { op: 'and', filters: phones.map((field) => ({ op: 'isNull', field })) },
        }),
    mapped.has('email') ? aggregate({ groupBy: [], aggregations: [{ as: 'n', fn: 'count' }], filter: junkEmailFilter(settings) }) : null,
    mapped.has('updatedAt')
      ? aggregate({
          groupBy: [],
          aggregations: [{ as: 'n', fn: 'count' }],
          filter: {
            op: 'or',
            filters: [
              { op: 'isNull', field: 'updatedAt' },
              { op: 'range', field: 'updatedAt', lt: new Date(nowMillis - STALE_AFTER_MILLIS).toISOString() },
            ],
          },
        })
      : null,
  ]);
  const total = totals[0];
  const records = count(total, 'records');
  const issues: Array<[IssueKind, number]> = [];
  const missing = (kind: IssueKind, field: string) => issues.push([kind, records - (mapped.has(field) ? count(total, field) : 0)]);
  missing('MISSING_EMAIL', 'email');
  issues.push(['MISSING_PHONE', noPhone === null ? records : count(noPhone[0], 'n')]);
  missing('MISSING_NAME', 'lastName');
  missing('MISSING_POSTCODE', 'postcode');
  if (junk !== null) issues.push(['JUNK_EMAIL', count(junk[0], 'n')]);
  if (mapped.has('email')) issues.push(['SHARED_EMAIL', count(total, 'email') - count(total, 'distinctEmails')]);
  if (stale !== null) issues.push(['STALE', count(stale[0], 'n')]);
  return { records, issues };
}

export async function qualityReport(loaders: Loaders, settings: LinkSettings, nowMillis: number): Promise<QualityReport> {
  const targets = ANCHORS.flatMap((entity) => loaders.silos.partsOf(entity).map((part) => ({ entity, part })));
  const reports = await Promise.all(targets.map(({ entity, part }) => entityReport(loaders, entity, part, settings, nowMillis)));
  return {
    records: targets.map(({ entity, part }, i) => ({ source: part.source, entity, count: reports[i]!.records })),
    issues: targets.flatMap(({ entity, part }, i) => reports[i]!.issues.map(([kind, n]) => ({ source: part.source, entity, kind, count: n }))),
  };
}
