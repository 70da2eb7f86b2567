/**
 * What `c360 check` advises for customerSearch and for the identity lookups it links hits
 * with, on the demo layout's contacts and shop customers: the search indexes; the index of
 * the email's mailbox-key lookup (PostgreSQL: an expression index; MariaDB: a stored
 * generated column with its index, declared in the bench's mapping as `normalizedColumns`);
 * on MariaDB the generated phone-digits column.
 */
import type { SqlKind } from '../connectors/admin.js';
import { mailboxKeyIndexFor, searchIndexFor } from '../src/resolvers/search/index-advice.js';

const COLUMNS = ['first_name', 'last_name', 'company_name', 'city', 'email'];

export function searchIndexSql(kind: SqlKind): string {
  const table = kind === 'postgres' ? 'contacts' : 'customers';
  // The demo layout already indexes email (and last_name, first_name) on MariaDB.
  const columns = kind === 'postgres' ? COLUMNS : COLUMNS.filter((column) => column !== 'email');
  const search = columns.map((column) => searchIndexFor(kind, table, column));
  const lookups =
    kind === 'mysql'
      ? ["ALTER TABLE `customers` ADD COLUMN `phone_digits` VARCHAR(32) AS (REGEXP_REPLACE(`phone`, '[^0-9]', '')) PERSISTENT, ADD INDEX (`phone_digits`)"]
      : [];
  return [...search, mailboxKeyIndexFor(kind, table, 'email'), ...lookups].join(';\n');
}
