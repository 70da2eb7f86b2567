/**
 * Administrative access to a SQL server, for what is not a query of customer data:
 * creating and dropping databases (tests, the demo), running DDL, bulk-loading seed rows.
 * Lives in connectors/ because only connectors import the drivers.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Scalar } from './contract.js';

export type SqlKind = 'postgres' | 'mysql';

export interface SqlAdmin {
  readonly kind: SqlKind;
  /** Runs one or more statements separated by semicolons, in order. */
  exec(sql: string): Promise<void>;
  /** Parameterized query returning plain rows. */
  query(sql: string, params?: ReadonlyArray<Scalar>): Promise<Array<Record<string, unknown>>>;
  /** Multi-row INSERTs in chunks small enough for either server's parameter cap. */
  insert(table: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Scalar>>): Promise<void>;
  close(): Promise<void>;
}

export function quoteIdentifier(kind: SqlKind, name: string): string {
  const q = kind === 'postgres' ? '"' : '`';
  return name
    .split('.')
    .map((part) => q + part.replaceAll(q, q + q) + q)
    .join('.');
}

// PostgreSQL caps bind parameters at 65535 and MySQL prepared statements at 65535 too;
// staying well under keeps each statement's packet small.
const MAX_PARAMS_PER_INSERT = 20_000;

export async function openSqlAdmin(kind: SqlKind, url: string): Promise<SqlAdmin> {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      kind,
      async exec(sql) {
        await client.query(sql);
      },
      async query(sql, params = []) {
        const result = await client.query(sql, params as Scalar[]);
        return result.rows as Array<Record<string, unknown>>;
      },
      async insert(table, columns, rows) {
        await insertChunks(kind, table, columns, rows, async (sql, params) => {
          await client.query(sql, params);
        });
      },
      async close() {
        await client.end();
      },
    };
  }
  const connection = await mysql.createConnection({ uri: url, multipleStatements: true, dateStrings: true });
  return {
    kind,
    async exec(sql) {
      await connection.query(sql);
    },
    async query(sql, params = []) {
      const [rows] = await connection.query(sql, params as Scalar[]);
      return rows as Array<Record<string, unknown>>;
    },
    async insert(table, columns, rows) {
      await insertChunks(kind, table, columns, rows, async (sql, params) => {
        await connection.query(sql, params);
      });
    },
    async close() {
      await connection.end();
    },
  };
}

async function insertChunks(
  kind: SqlKind,
  table: string,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Scalar>>,
  run: (sql: string, params: Scalar[]) => Promise<void>,
): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  const rowsPerChunk = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / columns.length));
  const head = `INSERT INTO ${quoteIdentifier(kind, table)} (${columns.map((c) => quoteIdentifier(kind, c)).join(', ')}) VALUES `;
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const chunk = rows.slice(start, start + rowsPerChunk);
    const params: Scalar[] = [];
    const tuples = chunk.map((row) => {
      const marks = row.map((value) => {
        params.push(value);
        return kind === 'postgres' ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await run(head + tuples.join(', '), params);
  }
}

/** The server URL with another database name in its path. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates `name` (dropping any leftover of the same name) and returns its URL. */
export async function createDatabase(kind: SqlKind, serverUrl: string, name: string): Promise<string> {
  assertPlainName(name);
  const admin = await openSqlAdmin(kind, serverUrl);
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdentifier(kind, name)}`);
    await admin.exec(
      kind === 'postgres'
        ? `CREATE DATABASE ${quoteIdentifier(kind, name)}`
        : `CREATE DATABASE ${quoteIdentifier(kind, name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.close();
  }
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(kind: SqlKind, serverUrl: string, name: string): Promise<void> {
  assertPlainName(name);
  const admin = await openSqlAdmin(kind, serverUrl);
  try {
    await admin.exec(
      kind === 'postgres' ? `DROP DATABASE IF EXISTS ${quoteIdentifier(kind, name)} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${quoteIdentifier(kind, name)}`,
    );
  } finally {
    await admin.close();
  }
}

function assertPlainName(name: string): void {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name not allowed: ${name}`);
}
