/**
 * Child rows a connector read in the same statement as their parent (LoadRequest.include),
 * kept beside the row rather than in it, so a row's fields stay what its mapping says and
 * no JSON answer ever shows them. Keyed by the row object: it lives as long as the row.
 */
import type { Row } from './contract.js';

const included = new WeakMap<Row, Map<string, ReadonlyArray<Row>>>();

export function attachIncluded(row: Row, as: string, rows: ReadonlyArray<Row>): void {
  let byName = included.get(row);
  if (byName === undefined) included.set(row, (byName = new Map()));
  byName.set(as, rows);
}

/** The children read under `as`, or undefined when this row was read without them. */
export function includedRows(row: Row, as: string): ReadonlyArray<Row> | undefined {
  return included.get(row)?.get(as);
}
