/**
 * The raw-driver pools every floor uses, with the options the c360 connectors use (string
 * dates and big numbers, UTC sessions), so a floor's answers compare equal to c360's.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { LinkSettings } from '../src/identity/link.js';

/** What both raw-driver floors are started with. */
export interface FloorOptions {
  readonly crmUrl: string;
  readonly shopUrl: string;
  /** Connections per pool: the gateway's `pool.max` per source. */
  readonly poolMax: number;
  readonly settings: LinkSettings;
}

export interface FloorPools {
  readonly crmPool: pg.Pool;
  readonly shopPool: mysql.Pool;
}

export function createFloorPools(options: { readonly crmUrl: string; readonly shopUrl: string; readonly poolMax: number }): FloorPools {
  const crmPool = new pg.Pool({ connectionString: options.crmUrl, max: options.poolMax });
  crmPool.on('error', () => undefined);
  const shopPool = mysql.createPool({
    uri: options.shopUrl,
    connectionLimit: options.poolMax,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    enableKeepAlive: true,
  });
  shopPool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'", () => undefined);
  });
  return { crmPool, shopPool };
}
