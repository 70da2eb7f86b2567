import { afterAll, beforeAll } from '@jest/globals';
import { createDatabase, dropDatabase } from '../../connectors/admin.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';
import { describeSqlConnectorContract } from './contract-suite.js';

const name = uniqueDatabaseName('c360_pg_contract');
let url = '';

beforeAll(async () => {
  url = await createDatabase('postgres', POSTGRES_SERVER_URL, name);
});
afterAll(async () => {
  await dropDatabase('postgres', POSTGRES_SERVER_URL, name);
});

describeSqlConnectorContract({ kind: 'postgres', database: () => ({ url, name }) });
