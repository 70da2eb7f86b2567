/**
 * The index each search question needs, per SQL source entity, as `c360 check` prints it.
 * customerSearch asks prefixes of first name, last name, company name, city and email
 * (src/resolvers/search/word-match.ts): on PostgreSQL an expression index on the folded
 * column (text_pattern_ops, so LIKE 'x%' is a range scan); on MySQL/MariaDB a plain index on
 * the column, which the bare `column LIKE 'x%'` uses under a _ci collation.
 */
import { quoteIdentifier, type SqlKind } from '../../../connectors/admin.js';
import { postgresFolded } from '../../../connectors/sql/dialect.js';
import type { EntityMapping } from '../../../connectors/mapping.js';
import type { C360Config } from '../../config/types.js';
import { WORD_FIELDS } from './word-match.js';

const SEARCHED_ENTITIES = ['contact', 'shopCustomer'];

export interface IndexAdvice {
  readonly source: string;
  readonly entity: string;
  readonly field: string;
  readonly sql: string;
}

export function searchIndexFor(kind: SqlKind, table: string, column: string): string {
  const name = quoteIdentifier(kind, `${table.replace(/\W/g, '_')}_${column}_search_idx`);
  const quotedTable = table.split('.').map((part) => quoteIdentifier(kind, part)).join('.');
  return kind === 'postgres'
    ? `CREATE INDEX ${name} ON ${quotedTable} ((${postgresFolded(`CAST(${quoteIdentifier(kind, column)} AS TEXT)`)}) text_pattern_ops)`
    : `CREATE INDEX ${name} ON ${quotedTable} (${quoteIdentifier(kind, column)})`;
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
        advice.push({ source: source.name, entity: mapping.entity, field, sql: searchIndexFor(source.kind, mapping.table, column.column) });
      }
    }
  }
  return advice;
}
