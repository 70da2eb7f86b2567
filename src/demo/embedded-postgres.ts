/**
 * An embedded PostgreSQL for the demo: PGlite (PostgreSQL compiled to WebAssembly, in this
 * process) served over the Postgres wire protocol, so that the real pg connector and pool
 * talk to it through an ordinary postgres:// URL.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** 0 or absent: a free port chosen by the system. */
  readonly port?: number;
  /** Where PGlite keeps its files; in memory when absent. */
  readonly dataDir?: string;
  /** Client connections served at once; their queries still run one at a time in PGlite. */
  readonly maxConnections?: number;
}

const HOST = '127.0.0.1';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir ?? 'memory://');
  // The default is a single connection; a pg Pool opens several.
  const server = new PGLiteSocketServer({ db, host: HOST, port: options.port ?? 0, maxConnections: options.maxConnections ?? 20 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) {
    await server.stop();
    await db.close();
    throw new Error(`embedded PostgreSQL did not report its port (${server.getServerConn()})`);
  }
  let stopped = false;
  return {
    url: `postgres://postgres@${HOST}:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
