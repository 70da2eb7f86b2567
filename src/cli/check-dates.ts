/**
 * `c360 check`, typed inputs: for every date field the mapping reads from text with a
 * declared format, how many stored values are not a date in that format (they read as
 * null, so linking and quality would silently lose them). Counted as the stored values
 * present (one aggregate) minus the values that read as a date (a keyset scan of the key
 * and the field): a CLI may read the column once; the gateway never does.
 */
import type { Connector, Row } from '../../connectors/contract.js';
import type { SourceConfig } from '../config/types.js';

export interface UnparseableDates {
  readonly source: string;
  readonly entity: string;
  readonly field: string;
  readonly format: string;
  readonly present: number;
  readonly unparseable: number;
}

const PAGE = 5000;

export async function countUnparseableDates(source: SourceConfig, connector: Connector): Promise<UnparseableDates[]> {
  if (source.kind === 'rest' || connector.scan === undefined || connector.aggregate === undefined) return [];
  const found: UnparseableDates[] = [];
  const options = { signal: AbortSignal.timeout(120_000) };
  for (const entity of source.entities) {
    for (const [field, mapping] of Object.entries(entity.fields)) {
      if (mapping.kind !== 'column' || mapping.type !== 'date' || mapping.format === undefined) continue;
      const totals = await connector.aggregate({ entity: entity.entity, groupBy: [], aggregations: [{ as: 'present', fn: 'count', field }] }, options);
      const present = Number(totals[0]?.present ?? 0);
      let parsed = 0;
      let after: Row['id'] | undefined;
      for (;;) {
        const rows = await connector.scan(
          {
            entity: entity.entity,
            projection: [entity.key, field],
            orderBy: [{ field: entity.key, direction: 'ASC' }],
            limit: PAGE,
            ...(after === undefined ? {} : { filter: { op: 'range', field: entity.key, gt: after as string | number } }),
          },
          options,
        );
        parsed += rows.filter((row) => row[field] !== null && row[field] !== undefined).length;
        if (rows.length < PAGE) break;
        after = rows.at(-1)![entity.key];
      }
      found.push({ source: source.name, entity: entity.entity, field, format: mapping.format, present, unparseable: present - parsed });
    }
  }
  return found;
}
