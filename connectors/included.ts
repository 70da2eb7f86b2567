/**
 * Child rows a connector read in the same statement as their parent (LoadRequest.include),
 * kept beside the row rather than in it, so a row's fields stay what its mapping says and
 * no JSON answer ever shows them. Held by the row object: it lives as long as the row.
 */
import type { Row } from './contract.js';

/**
 * A non-enumerable symbol property of the row, as markUnreadable's: invisible to JSON,
 * spreads and deep equality like the WeakMap it replaces, but without an ephemeron per
 * row for the garbage collector to trace (a Q2 page holds a thousand rows; issue 12).
 */
const INCLUDED = Symbol('c360.included');

/** The child lists by the name they are attached under: a plain object, one property each (a Map per row cost a Q2 page 2,000 maps). */
type Included = Record<string, ReadonlyArray<Row>>;
type WithIncluded = Row & { [INCLUDED]?: Included };

export function attachIncluded(row: Row, as: string, rows: ReadonlyArray<Row>): void {
  const held = row as WithIncluded;
  const byName = held[INCLUDED];
  if (byName === undefined) {
    const created: Included = Object.create(null) as Included;
    created[as] = rows;
    Object.defineProperty(row, INCLUDED, { value: created, enumerable: false });
  } else {
    byName[as] = rows;
  }
}

/** The children read under `as`, or undefined when this row was read without them. */
export function includedRows(row: Row, as: string): ReadonlyArray<Row> | undefined {
  return (row as WithIncluded)[INCLUDED]?.[as];
}

/** Every child list read with this row, with the name it is attached under; undefined when none. */
export function includedLists(row: Row): ReadonlyArray<readonly [string, ReadonlyArray<Row>]> | undefined {
  const byName = (row as WithIncluded)[INCLUDED];
  return byName === undefined ? undefined : Object.entries(byName);
}
