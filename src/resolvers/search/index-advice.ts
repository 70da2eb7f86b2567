/**
 * The index each search question needs, per SQL source entity, as `c360 check` prints it.
 * customerSearch asks prefixes of first name, last name, company name, city and email
 * (src/resolvers/search/word-match.ts): on PostgreSQL an expression index on the folded
 * column (text_pattern_ops, so LIKE 'x%' is a range scan); on MySQL/MariaDB a plain index on
 * the column, which the bare `column LIKE 'x%'` uses under a _ci collation.
 *
 * Each hit is then linked into its customer by identity lookups (src/identity/link.ts), one
 * of which is the email's mailbox key (`keyMatch: email`, connectors/sql/email-key.ts): an
 * expression no plain index serves, so without the index below every search scans both
 * tables for it (docs/identity.md). On PostgreSQL an expression index on exactly that
 * expression; on MySQL/MariaDB a stored generated column holding it, indexed, which the
 * mapping declares (`normalizedColumns: { email: { email: <column> } }`).
 */
import { quoteIdentifier, type SqlKind } from '../../../connectors/admin.js';
import { createMysqlDialect, createPostgresDialect, postgresFolded } from '../../../connectors/sql/dialect.js';
import { mailboxKeySql } from '../../../connectors/sql/email-key.js';
import { raw, render } from '../../../connectors/sql/fragment.js';
import type { EntityMapping } from '../../../connectors/mapping.js';
import type { C360Config } from '../../config/types.js';
import { WORD_FIELDS } from './word-match.js';

const SEARCHED_ENTITIES = ['contact', 'shopCustomer'];

export interface IndexAdvice {
  readonly source: string;
  readonly entity: string;
  readonly field: string;
  readonly sql: string;
  /** What it serves: the search's own questions, or the mailbox-key lookup linking each hit. */
  readonly serves: 'search' | 'linking';
}

export function searchIndexFor(kind: SqlKind, table: string, column: string): string {
  const name = quoteIdentifier(kind, `${table.replace(/\W/g, '_')}_${column}_search_idx`);
  const quotedTable = table
    .split('.')
    .map((part) => quoteIdentifier(kind, part))
    .join('.');
  return kind === 'postgres'
    ? `CREATE INDEX ${name} ON ${quotedTable} ((${postgresFolded(`CAST(${quoteIdentifier(kind, column)} AS TEXT)`)}) text_pattern_ops)`
    : `CREATE INDEX ${name} ON ${quotedTable} (${quoteIdentifier(kind, column)})`;
}

/** The generated column `mailboxKeyIndexFor` adds on MySQL/MariaDB, for `normalizedColumns`. */
export const MAILBOX_KEY_COLUMN = 'email_mailbox_key';

/** The statement serving the mailbox-key lookup of `column` (an email) in `table`. */
export function mailboxKeyIndexFor(kind: SqlKind, table: string, column: string): string {
  const dialect = kind === 'postgres' ? createPostgresDialect() : createMysqlDialect('mariadb', 0);
  const expression = render(mailboxKeySql(dialect, raw(quoteIdentifier(kind, column))), () => '?').text;
  const quotedTable = table
    .split('.')
    .map((part) => quoteIdentifier(kind, part))
    .join('.');
  if (kind === 'postgres')
    return `CREATE INDEX ${quoteIdentifier(kind, `${table.replace(/\W/g, '_')}_${column}_mailbox_idx`)} ON ${quotedTable} ((${expression}))`;
  const generated = quoteIdentifier(kind, MAILBOX_KEY_COLUMN);
  return `ALTER TABLE ${quotedTable} ADD COLUMN ${generated} VARCHAR(320) AS (${expression}) STORED, ADD INDEX (${generated})`;
}

export function searchIndexAdvice(config: C360Config): IndexAdvice[] {
  const advice: IndexAdvice[] = [];
  for (const source of Object.values(config.sources)) {
    if (source.kind !== 'postgres' && source.kind !== 'mysql') continue;
    for (const mapping of source.entities as ReadonlyArray<EntityMapping>) {
      if (!SEARCHED_ENTITIES.includes(mapping.entity)) continue;
      for (const field of WORD_FIELDS) {
        const column = mapping.fields[field];
        if (column?.kind !== 'column') continue;
        advice.push({ source: source.name, entity: mapping.entity, field, sql: searchIndexFor(source.kind, mapping.table, column.column), serves: 'search' });
      }
      // The mailbox-key lookup that links each hit, unless the mapping already reads a column for it.
      const email = mapping.fields.email;
      if (email?.kind === 'column' && mapping.normalizedColumns?.email?.email === undefined) {
        const statement = mailboxKeyIndexFor(source.kind, mapping.table, email.column);
        advice.push({
          source: source.name,
          entity: mapping.entity,
          field: 'email',
          sql: source.kind === 'postgres' ? statement : `${statement}, then declare normalizedColumns: { email: { email: ${MAILBOX_KEY_COLUMN} } }`,
          serves: 'linking',
        });
      }
    }
  }
  return advice;
}
