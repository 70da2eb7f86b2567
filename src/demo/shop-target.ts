/**
 * Where the demo shop lives: the local MariaDB when one answers (so the mysql connector is
 * shown for real), else a second embedded PostgreSQL, with a notice saying why.
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export const DEFAULT_MYSQL_SERVER_URL = 'mysql://root@127.0.0.1:3306/mysql';
/** Prefix of the demo shop's database on a shared MariaDB; each demo adds its instance name. */
export const DEMO_SHOP_DATABASE = 'c360_demo_shop';

/**
 * One name per demo instance (process id and a random part), so two demos started on one
 * MariaDB never share, recreate or drop each other's shop: `c360_demo_shop_4242_9f1c2a`.
 */
export function demoShopDatabaseName(instance: string = `${process.pid}_${randomBytes(3).toString('hex')}`): string {
  return `${DEMO_SHOP_DATABASE}_${instance}`;
}

export type ShopTarget =
  | { readonly kind: 'mysql'; readonly url: string; readonly database: string; stop(): Promise<void> }
  | { readonly kind: 'postgres'; readonly url: string; readonly notice: string; stop(): Promise<void> };

export interface ShopTargetOptions {
  /** How long to wait for MariaDB before falling back. */
  readonly connectTimeoutMillis?: number;
}

export async function chooseShopTarget(mysqlUrl: string = DEFAULT_MYSQL_SERVER_URL, options: ShopTargetOptions = {}): Promise<ShopTarget> {
  const reason = await probeMysql(mysqlUrl, options.connectTimeoutMillis ?? 1_500);
  if (reason === null) {
    const database = demoShopDatabaseName();
    const url = await createDatabase('mysql', mysqlUrl, database);
    // The database is this demo's alone, and dropped when it stops.
    return { kind: 'mysql', url, database, stop: () => dropDatabase('mysql', mysqlUrl, database) };
  }
  const embedded = await startEmbeddedPostgres();
  return {
    kind: 'postgres',
    url: embedded.url,
    notice:
      `No MariaDB/MySQL answered at ${redact(mysqlUrl)} (${reason}), so the demo shop runs on a second embedded ` +
      'PostgreSQL instead; the same shop layout, served by the postgres connector. Start a local MariaDB to see the mysql connector.',
    stop: () => embedded.stop(),
  };
}

/** null when the server answers, else why not. */
async function probeMysql(url: string, timeoutMillis: number): Promise<string | null> {
  const withTimeout = new URL(url);
  withTimeout.searchParams.set('connectTimeout', String(timeoutMillis));
  let timer: NodeJS.Timeout | undefined;
  const opening = openSqlAdmin('mysql', withTimeout.toString());
  try {
    const admin = await Promise.race([
      opening,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // A connection that lands after we gave up must not stay open.
          opening.then((late) => late.close()).catch(() => undefined);
          reject(new Error(`no answer within ${timeoutMillis} ms`));
        }, timeoutMillis + 500);
      }),
    ]);
    try {
      await admin.query('SELECT 1');
    } finally {
      await admin.close();
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
