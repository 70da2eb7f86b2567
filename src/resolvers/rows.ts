/** Reading canonical rows in resolvers: typed accessors and keyset cursors. */
import type { Filter, Row, Scalar } from '../../connectors/contract.js';
import { badUserInput } from '../errors/codes.js';

export function str(row: Row, field: string): string | null {
  const value = row[field];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function num(row: Row, field: string): number | null {
  const value = row[field];
  return typeof value === 'number' ? value : null;
}

/** An enum field: null unless the value is one of `allowed` (an unmapped source value). */
export function enumValue<T extends string>(row: Row, field: string, allowed: ReadonlyArray<T>): T | null {
  const value = row[field];
  return typeof value === 'string' && (allowed as ReadonlyArray<string>).includes(value) ? (value as T) : null;
}

export function encodeCursor(values: ReadonlyArray<Scalar>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * A connection edge whose cursor is encoded when it is read: most selections ask only
 * `pageInfo.endCursor`, and a Q2 page otherwise encoded 550 cursors nobody read (issue 12).
 */
export class Edge<T> {
  private encoded: string | undefined;
  constructor(
    readonly node: T,
    private readonly values: ReadonlyArray<Scalar>,
  ) {}

  get cursor(): string {
    return (this.encoded ??= encodeCursor(this.values));
  }
}

export function decodeCursor(cursor: string, length: number, argument: string): Scalar[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
      return values as Scalar[];
    }
  } catch {
    // fall through to the same error as a well-formed but foreign cursor
  }
  throw badUserInput(`"${argument}" is not a cursor this field returned`, argument);
}

/** Rows strictly after (field, id) in descending (field, id) order. */
export function beforeKeyset(field: string, value: Scalar, id: Scalar): Filter {
  return {
    op: 'or',
    filters: [
      { op: 'range', field, lt: value },
      {
        op: 'and',
        filters: [
          { op: 'eq', field, value },
          { op: 'range', field: 'id', lt: id },
        ],
      },
    ],
  };
}

export function pageSize(first: number | null | undefined, fallback: number, max: number, argument = 'first'): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badUserInput(`"${argument}" must be between 0 and ${max}`, argument);
  }
  return size;
}

export function and(...filters: ReadonlyArray<Filter | undefined>): Filter | undefined {
  const present = filters.filter((f): f is Filter => f !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return { op: 'and', filters: present };
}

/** Rows merged from several keys or sources, latest `field` first, then highest id. */
export function newestFirst(rows: Row[], field: string): Row[] {
  return rows.sort((a, b) => {
    const left = String(a[field] ?? '');
    const right = String(b[field] ?? '');
    return left < right ? 1 : left > right ? -1 : String(b.id).localeCompare(String(a.id), 'en', { numeric: true });
  });
}
