/** The search indexes `c360 check` advises, for the demo layout's contacts and shop customers. */
import type { SqlKind } from '../connectors/admin.js';
import { searchIndexFor } from '../src/resolvers/search/index-advice.js';

const COLUMNS = ['first_name', 'last_name', 'company_name', 'city', 'email'];

export function searchIndexSql(kind: SqlKind): string {
  const table = kind === 'postgres' ? 'contacts' : 'customers';
  // The demo layout already indexes email (and last_name, first_name) on MariaDB.
  const columns = kind === 'postgres' ? COLUMNS : COLUMNS.filter((column) => column !== 'email');
  return columns.map((column) => searchIndexFor(kind, table, column)).join(';\n');
}
