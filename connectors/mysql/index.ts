/**
 * MySQL 8 and MariaDB 10.11 source: a mysql2 pool per source. The two servers take the
 * statement timeout differently, so the flavour is read once from VERSION().
 */
import mysql from 'mysql2/promise';
import type { Connector } from '../contract.js';
import type { SqlSourceConfig } from '../mapping.js';
import { createSqlConnectorOver } from '../sql/connector.js';
import { createMysqlDialect } from '../sql/dialect.js';
import type { SqlDialect } from '../sql/dialect.js';
import { classifyMysqlError } from '../sql/errors.js';

/**
 * mysql2 binds values by replacing every `?` in the text, inside quoted names too, so a
 * name holding one would shift every value after it: refuse it when the source is built.
 */
function assertNoPlaceholderInNames(config: SqlSourceConfig): void {
  for (const mapping of config.entities) {
    const names = [
      mapping.table,
      ...Object.values(mapping.fields).flatMap((field) =>
        field.kind !== 'column'
          ? []
          : [
              field.column,
              ...(field.related === undefined
                ? []
                : [
                    field.related.table,
                    field.related.joinColumn,
                    field.related.localColumn,
                    field.related.orderBy,
                    ...field.related.where.map(({ column }) => column),
                  ]),
            ],
      ),
      ...mapping.where.map(({ column }) => column),
    ];
    const bad = names.find((name) => name.includes('?'));
    if (bad !== undefined) throw new Error(`source "${config.name}": the MySQL name "${bad}" (mapped for ${mapping.entity}) may not contain "?"`);
  }
}

export function createMysqlConnector(config: SqlSourceConfig): Connector {
  assertNoPlaceholderInNames(config);
  const pool = mysql.createPool({
    uri: config.url,
    connectionLimit: config.poolMax,
    // The handshake is bounded by the statement limit too: a black-holed server answers neither.
    connectTimeout: Math.min(config.connectTimeoutMillis, config.timeoutMillis),
    // Dates as text, read as UTC by coercion: a Date built by the driver would depend on
    // the gateway's zone, and DATE columns would shift a day.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    enableKeepAlive: true,
    // No call-site stack captured per statement (mysql2's "long stack traces"): a
    // captureStackTrace for every query, 1-2% of a Q1 request's gateway CPU (issue 12).
    // Errors keep the driver's own stack and every MySQL field classification reads.
    trace: false,
  });
  // TIMESTAMP columns are rendered in the session zone; UTC makes them read like DATETIME.
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'", () => undefined);
  });

  let dialect: Promise<SqlDialect> | undefined;
  const detectDialect = async (): Promise<SqlDialect> => {
    const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    const version = String(rows[0]?.version ?? '');
    return createMysqlDialect(version.includes('MariaDB') ? 'mariadb' : 'mysql', config.timeoutMillis);
  };

  return createSqlConnectorOver(config, {
    defaultSchema: decodeURIComponent(new URL(config.url).pathname.replace(/^\//, '')),
    dialect() {
      dialect ??= detectDialect().catch((error: unknown) => {
        // An unreachable server must not pin the failure: detect again on the next call.
        dialect = undefined;
        throw error;
      });
      return dialect;
    },
    async query({ text, params }) {
      // query(), not execute(): values are still bound by the driver, but every batch size
      // would otherwise be another server-side prepared statement, and servers cap those
      // (max_prepared_stmt_count) across all connections.
      const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql: text, values: [...params] });
      return Array.isArray(rows) ? rows : [];
    },
    classify: classifyMysqlError,
    end: () => pool.end(),
  });
}
