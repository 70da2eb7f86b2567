/**
 * What a connector knows of the operator's layout: for each canonical entity it serves,
 * the table and the column behind each canonical field. Built from c360.yaml by
 * src/config and validated there; identifiers here are trusted and only need quoting.
 */
import type { KeyMatch, Scalar } from './contract.js';
import type { DateFormat } from './sql/date-format.js';

/** `json` is for nested values from REST sources (arrays, objects), passed through as parsed. */
export type FieldType = 'string' | 'int' | 'float' | 'boolean' | 'datetime' | 'date' | 'json';

export type FieldMapping =
  | {
      readonly kind: 'column';
      readonly column: string;
      readonly type: FieldType;
      /** Source value -> canonical value, for enums stored under other names ("web" -> "WEB"). */
      readonly values?: Readonly<Record<string, string>>;
      /** A date stored as text: the format it is written in (./sql/date-format.ts). */
      readonly format?: DateFormat;
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
  /** Static conditions every row must meet (Odoo's `active = true`, `is_company = false`). */
  readonly where: ReadonlyArray<{ readonly column: string; readonly equals: Scalar }>;
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
  readonly entities: ReadonlyArray<EntityMapping>;
}
