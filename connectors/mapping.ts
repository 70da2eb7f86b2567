/**
 * What a connector knows of the operator's layout: for each canonical entity it serves,
 * the table and the column behind each canonical field. Built from c360.yaml by
 * src/config and validated there; identifiers here are trusted and only need quoting.
 */
import type { KeyMatch, Scalar } from './contract.js';
import type { DateFormat } from './sql/date-format.js';

/** `json` is for nested values from REST sources (arrays, objects), passed through as parsed. */
export type FieldType = 'string' | 'int' | 'float' | 'boolean' | 'datetime' | 'date' | 'json';

/** A static condition on one column: equality, lists, nulls and ranges (`where:` in c360.yaml). */
export type WhereCondition =
  | { readonly column: string; readonly op: 'eq'; readonly value: Scalar }
  | { readonly column: string; readonly op: 'in' | 'notIn'; readonly values: ReadonlyArray<Exclude<Scalar, null>> }
  | { readonly column: string; readonly op: 'null' | 'notNull' }
  | {
      readonly column: string;
      readonly op: 'range';
      readonly gt?: Exclude<Scalar, null>;
      readonly gte?: Exclude<Scalar, null>;
      readonly lt?: Exclude<Scalar, null>;
      readonly lte?: Exclude<Scalar, null>;
    };

/**
 * A field read from a related table, compiled into the entity's own statement as a
 * correlated subquery (no view): the row of `table` whose `joinColumn` equals this row's
 * `localColumn`, the latest or the first by `orderBy`, among those meeting `where`.
 */
export interface RelatedColumn {
  readonly table: string;
  readonly joinColumn: string;
  readonly localColumn: string;
  readonly pick: 'latest' | 'first';
  readonly orderBy: string;
  readonly where: ReadonlyArray<WhereCondition>;
}

/** How stored values become canonical enum values. */
export interface EnumReading {
  /** Canonical values of the field (OTHER included for an open set). */
  readonly canonical: ReadonlyArray<string>;
  /** Open set: a stored value neither mapped nor canonical reads as OTHER (its raw value stays readable). */
  readonly open: boolean;
}

export type FieldMapping =
  | {
      readonly kind: 'column';
      /** The column of the entity's table, or of `related`'s table when set. */
      readonly column: string;
      readonly type: FieldType;
      /** Source value -> canonical value, for enums stored under other names ("web" -> "WEB"). */
      readonly values?: Readonly<Record<string, string>>;
      /** The canonical value of a stored value that `values` does not map (null: read as null). */
      readonly otherwise?: string | null;
      /** The canonical enum of the field, when it has one. */
      readonly enum?: EnumReading;
      /** A date stored as text: the format it is written in (./sql/date-format.ts). */
      readonly format?: DateFormat;
      /** The column lives in a related table (./sql/related.ts). */
      readonly related?: RelatedColumn;
      /** A datetime stored without a zone, in this IANA zone's local time (the source's `timezone`). */
      readonly timezone?: string;
    }
  /** The field has the same value on every row (a layout without the column). */
  | { readonly kind: 'const'; readonly value: Scalar; readonly type: FieldType };

export interface EntityMapping {
  /** Canonical entity name, e.g. "contact". */
  readonly entity: string;
  /** Table name, optionally schema-qualified ("public.res_partner"). */
  readonly table: string;
  /** Canonical field that identifies a row. */
  readonly key: string;
  readonly fields: Readonly<Record<string, FieldMapping>>;
  /** Static conditions every row must meet (Odoo's `active = true`, `status IN (…)`). */
  readonly where: ReadonlyArray<WhereCondition>;
  /** Canonical field → key match → the operator's column holding the normalized value (./sql/normalized-columns.ts). */
  readonly normalizedColumns?: Readonly<Record<string, Readonly<Partial<Record<KeyMatch, string>>>>>;
}

export interface SqlSourceConfig {
  readonly name: string;
  readonly kind: 'postgres' | 'mysql';
  readonly url: string;
  readonly poolMax: number;
  /** Server-side limit on one statement (PostgreSQL statement_timeout, MySQL MAX_EXECUTION_TIME). */
  readonly timeoutMillis: number;
  readonly connectTimeoutMillis: number;
  /** The source's circuit breaker (src/gateway/sql-breaker.ts); absent: its defaults. */
  readonly circuitBreaker?: { readonly consecutiveFailures: number; readonly halfOpenAfterMillis: number };
  /** IANA zone of datetimes stored without one (MySQL DATETIME, PostgreSQL timestamp); absent: UTC. */
  readonly timezone?: string;
  readonly entities: ReadonlyArray<EntityMapping>;
}
