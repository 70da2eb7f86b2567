/**
 * What `c360 check` advises for customerSearch and for the identity lookups it links hits
 * with, on the demo layout's contacts and shop customers: the search indexes, and on MariaDB
 * the generated phone-digits column (the email lookup is already served by `email`'s index
 * under its _ci collation).
 */
import type { SqlKind } from '../connectors/admin.js';
import { searchIndexFor } from '../src/resolvers/search/index-advice.js';

const COLUMNS = ['first_name', 'last_name', 'company_name', 'city', 'email'];

export function searchIndexSql(kind: SqlKind): string {
  const table = kind === 'postgres' ? 'contacts' : 'customers';
  // The demo layout already indexes email (and last_name, first_name) on MariaDB.
  const columns = kind === 'postgres' ? COLUMNS : COLUMNS.filter((column) => column !== 'email');
  const search = columns.map((column) => searchIndexFor(kind, table, column));
  const lookups = kind === 'mysql' ? ["ALTER TABLE `customers` ADD COLUMN `phone_digits` VARCHAR(32) AS (REGEXP_REPLACE(`phone`, '[^0-9]', '')) PERSISTENT, ADD INDEX (`phone_digits`)"] : [];
  return [...search, ...lookups].join(';\n');
}
