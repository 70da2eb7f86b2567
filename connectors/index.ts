/** The SQL connector for a source's kind; the gateway needs nothing else to build one. */
import { UnreachableCaseError } from './contract.js';
import type { Connector } from './contract.js';
import type { SqlSourceConfig } from './mapping.js';
import { createMysqlConnector } from './mysql/index.js';
import { createPostgresConnector } from './postgres/index.js';

export function createSqlConnector(config: SqlSourceConfig): Connector {
  switch (config.kind) {
    case 'postgres':
      return createPostgresConnector(config);
    case 'mysql':
      return createMysqlConnector(config);
    default:
      throw new UnreachableCaseError(config.kind);
  }
}

export { createMysqlConnector, createPostgresConnector };
