/**
 * What an API cannot be asked to do, done on the fetched rows of one key: filter (eq,
 * in), order, limit per key, and projection. The rows were fetched whole, so these
 * save the gateway work, not the source.
 */
import { UnsupportedRequestError } from '../contract.js';
import type { Filter, FilterOperator, JsonValue, OrderBy, Row } from '../contract.js';

export const CLIENT_SIDE_OPERATORS: ReadonlyArray<FilterOperator> = ['eq', 'in'];

/** The fields a filter reads; throws for operators applied nowhere. */
export function filterFields(source: string, filter: Filter | undefined): ReadonlyArray<string> {
  if (filter === undefined) return [];
  switch (filter.op) {
    case 'eq':
    case 'in':
      return [filter.field];
    default:
      throw new UnsupportedRequestError(source, `filter with operator "${filter.op}" (REST sources apply eq and in after the fetch)`);
  }
}

export interface Residual {
  readonly filter?: Filter;
  readonly orderBy?: ReadonlyArray<OrderBy>;
  readonly limitPerKey?: number;
  readonly projection: ReadonlyArray<string>;
}

export function applyResidual(rows: ReadonlyArray<Row>, residual: Residual): ReadonlyArray<Row> {
  let result = residual.filter === undefined ? [...rows] : rows.filter((row) => matches(row, residual.filter as Filter));
  if (residual.orderBy !== undefined && residual.orderBy.length > 0) {
    const orderBy = residual.orderBy;
    result = result.sort((a, b) => compareRows(a, b, orderBy));
  }
  if (residual.limitPerKey !== undefined) result = result.slice(0, residual.limitPerKey);
  return result.map((row) => Object.fromEntries(residual.projection.map((field) => [field, row[field] ?? null])));
}

function matches(row: Row, filter: Filter): boolean {
  switch (filter.op) {
    case 'eq':
      return (row[filter.field] ?? null) === filter.value;
    case 'in':
      return filter.values.includes(scalarOf(row[filter.field]));
    default:
      // filterFields refused every other operator before the fetch.
      return false;
  }
}

function scalarOf(value: JsonValue | undefined): string | number | boolean | null {
  return value === undefined || (typeof value === 'object' && value !== null) ? null : value;
}

/** Nulls last when ascending and first when descending, as PostgreSQL orders them. */
function compareRows(a: Row, b: Row, orderBy: ReadonlyArray<OrderBy>): number {
  for (const { field, direction } of orderBy) {
    const left = scalarOf(a[field]);
    const right = scalarOf(b[field]);
    let order: number;
    if (left === right) order = 0;
    else if (left === null) order = 1;
    else if (right === null) order = -1;
    else order = left < right ? -1 : 1;
    if (order !== 0) return direction === 'ASC' ? order : -order;
  }
  return 0;
}
