/**
 * PostgreSQL source: a pg Pool per source, sized and timed from c360.yaml. The server
 * enforces the statement timeout (statement_timeout is a session setting of the pool).
 */
import pg from 'pg';
import type { Connector } from '../contract.js';
import type { SqlSourceConfig } from '../mapping.js';
import { createSqlConnectorOver } from '../sql/connector.js';
import { createPostgresDialect } from '../sql/dialect.js';
import { classifyPostgresError } from '../sql/errors.js';

const DATE_OID = 1082;
const TIMESTAMP_WITHOUT_TIME_ZONE_OID = 1114;

// pg would build a local-time Date from a DATE (shifting the day in zones west of UTC)
// and from a zone-less timestamp; the raw text lets coercion read both as UTC.
const RAW_TEXT_OIDS = new Set([DATE_OID, TIMESTAMP_WITHOUT_TIME_ZONE_OID]);

const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  RAW_TEXT_OIDS.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

export function createPostgresConnector(config: SqlSourceConfig): Connector {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    // The handshake is bounded by the statement limit too: a black-holed server answers neither.
    connectionTimeoutMillis: Math.min(config.connectTimeoutMillis, config.timeoutMillis),
    statement_timeout: config.timeoutMillis > 0 ? config.timeoutMillis : false,
    application_name: `c360 ${config.name}`,
    types: { getTypeParser },
  });
  // A pooled client that dies while idle emits here; without a listener Node exits.
  // The next statement on the pool reports the outage as SOURCE_UNAVAILABLE.
  pool.on('error', () => undefined);
  const dialect = createPostgresDialect();

  return createSqlConnectorOver(config, {
    defaultSchema: 'public',
    dialect: () => Promise.resolve(dialect),
    // pool.connect and client.query, not pool.query: pg-pool 3.14's pool.query leaves the result
    // of the first statement run on each new connection reachable from that connection's
    // listeners (the connect callback's closure holds the promise of that statement) for as long
    // as the connection lives: a 20,000-row identifier scan stayed in the heap (heap snapshot,
    // bench/insights-scale.ts). What pool.query does otherwise is done here: a client that fails
    // a statement is destroyed, not reused, and its errors are listened to while checked out.
    async query({ text, params }) {
      const client = await pool.connect();
      let failure: Error | undefined;
      const onError = (error: Error) => (failure ??= error);
      client.on('error', onError);
      try {
        const result = await client.query<Record<string, unknown>>({ text, values: [...params] });
        return result.rows;
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(failure);
      }
    },
    classify: classifyPostgresError,
    end: () => pool.end(),
  });
}
