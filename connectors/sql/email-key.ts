/**
 * The mailbox key of an email column, in SQL, for an `email` key match: lower-cased and
 * trimmed, the local part cut at its first "+" and stripped of dots, the domain as typed:
 * `Marie.Dupont+promo@Gmail.com` → `mariedupont@gmail.com`. It is deliberately looser
 * than any provider's rule (Orange keeps dots significant): it finds every stored spelling
 * of one mailbox in one statement, and c360 then keeps only the rows whose address is the
 * same mailbox under the configured provider rules (src/identity/email-canonical.ts).
 * Domain typos are handled on the key side (one key per spelling of the domain).
 *
 * The expression cannot use a plain index on the column; at scale an operator declares a
 * column holding this key (a generated column with an index; `normalizedColumns` in the
 * mapping, ./normalized-columns.ts) and the lookup compares that column by name.
 */
import type { SqlDialect } from './dialect.js';
import { sql } from './fragment.js';
import type { Fragment } from './fragment.js';

/** SQL for the mailbox key of `column`. */
export function mailboxKeySql(dialect: SqlDialect, column: Fragment): Fragment {
  const email = sql`LOWER(TRIM(${dialect.asText(column)}))`;
  // PostgreSQL: `||`, not CONCAT (which is only STABLE), so an expression index can serve it.
  if (dialect.kind === 'postgres') {
    return sql`(REPLACE(SPLIT_PART(SPLIT_PART(${email}, '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(${email}, '@', 2))`;
  }
  return sql`CONCAT(REPLACE(SUBSTRING_INDEX(SUBSTRING_INDEX(${email}, '@', 1), '+', 1), '.', ''), '@', SUBSTRING_INDEX(${email}, '@', -1))`;
}
