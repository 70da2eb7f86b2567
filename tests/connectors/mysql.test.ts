import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase } from '../../connectors/admin.js';
import { createMysqlConnector } from '../../connectors/mysql/index.js';
import { MYSQL_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';
import { describeSqlConnectorContract } from './contract-suite.js';
import { orderMapping } from './fixtures.js';

const name = uniqueDatabaseName('c360_mysql_contract');
let url = '';

beforeAll(async () => {
  url = await createDatabase('mysql', MYSQL_SERVER_URL, name);
});
afterAll(async () => {
  await dropDatabase('mysql', MYSQL_SERVER_URL, name);
});

describeSqlConnectorContract({ kind: 'mysql', database: () => ({ url, name }) });

it('refuses a mapped name holding "?", which mysql2 would bind a value into', () => {
  const config = { name: 'shop', kind: 'mysql', url: MYSQL_SERVER_URL, poolMax: 1, timeoutMillis: 1000, connectTimeoutMillis: 1000 } as const;
  expect(() => createMysqlConnector({ ...config, entities: [orderMapping('orders?')] })).toThrow('may not contain "?"');
});
