/**
 * The demo's own table layout: a CRM (contacts, accounts, interactions, consents), a shop
 * (customers, products, orders, order_lines, web_events) and the stores' loyalty system
 * (card_holders, receipts, receipt_lines). One description renders the DDL for PostgreSQL
 * and for MySQL/MariaDB, so the shop's fallback on PostgreSQL is the same layout.
 * Enum values are lower-case, as the systems c360 plugs into store them; c360.yaml maps them.
 */
import { quoteIdentifier, type SqlKind } from '../../connectors/admin.js';

export type ColumnType =
  | { readonly kind: 'id' }
  /** A text primary key (a loyalty card number). */
  | { readonly kind: 'code'; readonly length: number }
  | { readonly kind: 'int' }
  | { readonly kind: 'text'; readonly length: number }
  | { readonly kind: 'enum'; readonly values: ReadonlyArray<string> }
  | { readonly kind: 'money' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'date' };

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: true;
  /** A foreign key constraint onto another table of the same database. */
  readonly references?: { readonly table: string; readonly column: string };
}

export interface TableSpec {
  readonly name: string;
  readonly columns: ReadonlyArray<ColumnSpec>;
  /** Secondary indexes, each a list of columns: the link keys c360 looks rows up by. */
  readonly indexes: ReadonlyArray<ReadonlyArray<string>>;
  /** Columns c360 matches case-insensitively (emails) or on digits only (phones). */
  readonly normalizedLookups?: { readonly caseInsensitive: ReadonlyArray<string>; readonly digits: ReadonlyArray<string> };
}

const id: ColumnSpec = { name: 'id', type: { kind: 'id' } };
const text = (name: string, length = 255): ColumnSpec => ({ name, type: { kind: 'text', length }, nullable: true });
const int = (name: string, nullable?: true): ColumnSpec => (nullable ? { name, type: { kind: 'int' }, nullable } : { name, type: { kind: 'int' } });
const enumOf = (name: string, values: ReadonlyArray<string>): ColumnSpec => ({ name, type: { kind: 'enum', values } });
const money = (name: string): ColumnSpec => ({ name, type: { kind: 'money' } });
const timestamp = (name: string): ColumnSpec => ({ name, type: { kind: 'timestamp' } });
const date = (name: string): ColumnSpec => ({ name, type: { kind: 'date' }, nullable: true });
const foreignKey = (name: string, type: ColumnType, table: string, column: string): ColumnSpec => ({ name, type, references: { table, column } });

export const CRM_TABLES: ReadonlyArray<TableSpec> = [
  {
    name: 'accounts',
    columns: [id, text('name', 200), text('siren', 9), text('siret', 14), text('industry', 100), timestamp('created_at'), timestamp('updated_at')],
    indexes: [['siren'], ['siret']],
  },
  {
    name: 'contacts',
    columns: [
      id,
      enumOf('kind', ['person', 'company']),
      text('first_name', 100),
      text('last_name', 100),
      text('company_name', 200),
      text('email'),
      text('phone', 32),
      text('mobile', 32),
      text('street'),
      text('postcode', 10),
      text('city', 100),
      text('country', 60),
      date('birth_date'),
      int('account_id', true),
      text('shop_customer_ref', 32),
      timestamp('created_at'),
      timestamp('updated_at'),
    ],
    indexes: [['email'], ['phone'], ['mobile'], ['account_id'], ['shop_customer_ref'], ['last_name', 'first_name']],
    normalizedLookups: { caseInsensitive: ['email'], digits: ['phone', 'mobile'] },
  },
  {
    name: 'interactions',
    columns: [
      id,
      int('contact_id'),
      enumOf('type', ['call', 'meeting', 'email', 'store_visit']),
      timestamp('occurred_at'),
      text('subject'),
      text('agent', 100),
      text('store_id', 16),
    ],
    indexes: [['contact_id', 'occurred_at']],
  },
  {
    name: 'consents',
    columns: [
      id,
      int('contact_id'),
      text('purpose', 40),
      enumOf('channel', ['email', 'sms', 'phone', 'post', 'all']),
      enumOf('status', ['granted', 'denied', 'withdrawn']),
      timestamp('recorded_at'),
    ],
    indexes: [['contact_id', 'recorded_at']],
  },
];

export const SHOP_TABLES: ReadonlyArray<TableSpec> = [
  {
    name: 'customers',
    columns: [
      id,
      text('email'),
      text('phone', 32),
      text('first_name', 100),
      text('last_name', 100),
      text('company_name', 200),
      text('siret', 20),
      text('street'),
      text('postcode', 10),
      text('city', 100),
      text('country', 60),
      date('birth_date'),
      timestamp('created_at'),
      timestamp('updated_at'),
    ],
    indexes: [['email'], ['phone'], ['siret'], ['last_name', 'first_name']],
    normalizedLookups: { caseInsensitive: ['email'], digits: ['phone'] },
  },
  {
    name: 'products',
    columns: [id, text('sku', 32), text('name', 200), text('category', 60), text('brand', 100), money('price')],
    indexes: [['sku']],
  },
  {
    name: 'orders',
    columns: [
      id,
      int('customer_id'),
      enumOf('channel', ['web', 'store']),
      enumOf('status', ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned']),
      timestamp('placed_at'),
      money('total'),
      text('currency', 3),
      text('store_id', 16),
    ],
    indexes: [['customer_id', 'placed_at']],
  },
  {
    name: 'order_lines',
    columns: [
      id,
      int('order_id'),
      int('product_id', true),
      text('sku', 32),
      text('product_name', 200),
      int('quantity'),
      money('unit_price'),
      money('line_total'),
    ],
    indexes: [['order_id']],
  },
  {
    name: 'web_events',
    columns: [
      id,
      int('customer_id'),
      enumOf('type', ['product_view', 'search', 'add_to_cart', 'checkout_started']),
      timestamp('occurred_at'),
      int('product_id', true),
      text('search_query'),
      text('session_id', 40),
      enumOf('device', ['web', 'app']),
    ],
    indexes: [['customer_id', 'occurred_at']],
  },
];

/**
 * The stores' loyalty (point-of-sale) system, as its vendor ships it: card holders keyed by
 * card number, receipts and their lines, with primary keys, foreign keys and an index per
 * foreign key, and nothing more (no index on phones, e-mails or names: what an operator has).
 */
export const LOYALTY_TABLES: ReadonlyArray<TableSpec> = [
  {
    name: 'card_holders',
    columns: [
      { name: 'card_number', type: { kind: 'code', length: 16 } },
      text('phone', 32),
      text('email'),
      text('first_name', 100),
      text('last_name', 100),
      text('postcode', 10),
      timestamp('created_at'),
      timestamp('updated_at'),
    ],
    indexes: [],
  },
  {
    name: 'receipts',
    columns: [
      id,
      foreignKey('card_number', { kind: 'text', length: 16 }, 'card_holders', 'card_number'),
      text('store_id', 16),
      timestamp('placed_at'),
      money('total'),
      text('currency', 3),
    ],
    indexes: [['card_number']],
  },
  {
    name: 'receipt_lines',
    columns: [
      id,
      foreignKey('receipt_id', { kind: 'int' }, 'receipts', 'id'),
      // The shop's product id: the tills sell the shop's catalogue.
      int('product_id'),
      text('sku', 32),
      text('product_name', 200),
      int('quantity'),
      money('unit_price'),
      money('line_total'),
    ],
    indexes: [['receipt_id']],
  },
];

/** CREATE TABLE statements; indexes are separate so that a bulk load can build them after. */
export function createTablesSql(kind: SqlKind, tables: ReadonlyArray<TableSpec>): string {
  return tables
    .map((table) => {
      const columns = table.columns.map((column) => `  ${quoteIdentifier(kind, column.name)} ${columnSql(kind, column)}${referencesSql(kind, column)}`);
      const suffix = kind === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
      return `CREATE TABLE ${quoteIdentifier(kind, table.name)} (\n${columns.join(',\n')}\n)${suffix}`;
    })
    .join(';\n');
}

export function createIndexesSql(kind: SqlKind, tables: ReadonlyArray<TableSpec>): string {
  return tables
    .flatMap((table) => [
      ...table.indexes.map((columns) => {
        const name = quoteIdentifier(kind, `${table.name}_${columns.join('_')}_idx`);
        return `CREATE INDEX ${name} ON ${quoteIdentifier(kind, table.name)} (${columns.map((c) => quoteIdentifier(kind, c)).join(', ')})`;
      }),
      ...(kind === 'postgres' ? normalizedIndexes(table) : []),
    ])
    .join(';\n');
}

/**
 * PostgreSQL expression indexes on exactly the expressions the SQL connector matches
 * emails and phones with (connectors/sql/dialect.ts), so identity lookups are index scans
 * instead of a regex over every row. MariaDB cannot index an expression, so the shop on
 * MariaDB keeps the full scan (bench/README.md).
 */
function normalizedIndexes(table: TableSpec): string[] {
  const lookups = table.normalizedLookups;
  if (lookups === undefined) return [];
  const on = (suffix: string, expression: string) =>
    `CREATE INDEX ${quoteIdentifier('postgres', `${table.name}_${suffix}_idx`)} ON ${quoteIdentifier('postgres', table.name)} ((${expression}))`;
  return [
    ...lookups.caseInsensitive.map((column) => on(`${column}_ci`, `LOWER(TRIM(CAST(${quoteIdentifier('postgres', column)} AS TEXT)))`)),
    ...lookups.digits.map((column) => on(`${column}_digits`, `REGEXP_REPLACE(CAST(${quoteIdentifier('postgres', column)} AS TEXT), '[^0-9]', '', 'g')`)),
  ];
}

function referencesSql(kind: SqlKind, column: ColumnSpec): string {
  const target = column.references;
  return target === undefined ? '' : ` REFERENCES ${quoteIdentifier(kind, target.table)} (${quoteIdentifier(kind, target.column)})`;
}

function columnSql(kind: SqlKind, column: ColumnSpec): string {
  const nullability = column.nullable ? ' NULL' : ' NOT NULL';
  const { type } = column;
  switch (type.kind) {
    case 'id':
      return kind === 'postgres' ? 'BIGINT PRIMARY KEY' : 'BIGINT NOT NULL PRIMARY KEY';
    case 'code':
      return `VARCHAR(${type.length})${kind === 'postgres' ? '' : ' NOT NULL'} PRIMARY KEY`;
    case 'int':
      return `INTEGER${nullability}`;
    case 'text':
      // PostgreSQL has no reason to cap lengths; MySQL needs one to index the column.
      return `${kind === 'postgres' ? 'TEXT' : `VARCHAR(${type.length})`}${nullability}`;
    case 'enum':
      return kind === 'postgres'
        ? `TEXT NOT NULL CHECK (${quoteIdentifier(kind, column.name)} IN (${type.values.map((v) => `'${v}'`).join(', ')}))`
        : `ENUM(${type.values.map((v) => `'${v}'`).join(', ')}) NOT NULL`;
    case 'money':
      return `NUMERIC(12, 2)${nullability}`;
    case 'timestamp':
      // Instants are UTC: timestamptz on PostgreSQL; DATETIME(3) holding UTC on MySQL.
      return `${kind === 'postgres' ? 'TIMESTAMP(3) WITH TIME ZONE' : 'DATETIME(3)'}${nullability}`;
    case 'date':
      return `DATE${nullability}`;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown column type ${JSON.stringify(unreachable)}`);
    }
  }
}
