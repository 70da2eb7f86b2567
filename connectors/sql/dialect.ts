/**
 * What differs between PostgreSQL and MySQL/MariaDB in the statements c360 emits. The
 * compiler is written once against this; each connector builds its dialect.
 */
import { UnreachableCaseError } from '../contract.js';
import type { Scalar } from '../contract.js';
import { ACCENTED, PLAIN, foldForPrefix, likePrefix } from './fold.js';
import { utcToLocalText, zoneOffsetAt } from './coerce.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';

export type MysqlFlavour = 'mysql' | 'mariadb';

export interface SqlDialect {
  readonly kind: 'postgres' | 'mysql';
  /** The SELECT keyword, carrying the server-side statement timeout where the server takes it in the text. */
  readonly select: string;
  /**
   * `select`, with the statement's derived tables kept materialized: MySQL and MariaDB merge
   * a derived table into the outer query and then evaluate its expressions once per outer
   * reference (a scored base read by ten segment predicates scores each customer thirty times).
   */
  readonly selectUnmerged: string;
  placeholder(position: number): string;
  /** A table name, schema-qualified names ("crm.res_partner") quoted per part. */
  quoteTable(name: string): string;
  /** A column or alias, quoted whole. */
  quoteName(name: string): string;
  /** The value of `expr` as text, so string functions apply to numeric columns too. */
  asText(expr: Fragment): Fragment;
  /** `expr` equals one of `values`; `values` is never empty. */
  matchAny(expr: Fragment, values: ReadonlyArray<Scalar>): Fragment;
  /** `expr` with every non-digit removed. */
  digitsOnly(expr: Fragment): Fragment;
  /**
   * `text` (already text) starts with `value`, case and accents ignored as `foldForPrefix`
   * folds them (connectors/sql/fold.ts); the dialect folds and escapes the value.
   */
  foldedPrefix(text: Fragment, value: string): Fragment;
  /**
   * `text` starts with one of `values` (never empty), as an OR of `foldedPrefix` would say,
   * without folding every row once per value: the data-quality report asks a few dozen
   * placeholder prefixes of every email.
   */
  foldedPrefixAny(text: Fragment, values: ReadonlyArray<string>): Fragment;
  /** One ORDER BY term; NULLs sort last in both directions on every server. */
  orderTerm(expr: Fragment, direction: 'ASC' | 'DESC'): Fragment;
  /**
   * A canonical ISO 8601 UTC datetime as the server compares it with its columns; with
   * `timezone`, as the wall-clock time of that zone (columns holding local time).
   */
  datetimeParam(iso: string, timezone?: string): string;
}

function postgresPrefix(text: Fragment, value: string): Fragment {
  return sql`${raw(POSTGRES_FOLD_OPEN)}${text}${raw(POSTGRES_FOLD_CLOSE)} LIKE ${param(likePrefix(foldForPrefix(value)))} ESCAPE '!'`;
}

export function createPostgresDialect(): SqlDialect {
  const quote = (part: string): string => `"${part.replaceAll('"', '""')}"`;
  return {
    kind: 'postgres',
    // statement_timeout is a session setting of the pool, so the text carries nothing.
    select: 'SELECT',
    // PostgreSQL computes a subquery's output once per row when it is not pulled up; the
    // statements using this are aggregates over the derived table, measured fine as they are.
    selectUnmerged: 'SELECT',
    placeholder: (position) => `$${position}`,
    quoteTable: (name) => name.split('.').map(quote).join('.'),
    quoteName: quote,
    asText: (expr) => sql`CAST(${expr} AS TEXT)`,
    // One array parameter whatever the batch size: the server infers the element type
    // from the column, so string keys match integer columns.
    matchAny: (expr, values) => sql`${expr} = ANY(${param(values.map(String))})`,
    // Without 'g', regexp_replace replaces only the first match.
    digitsOnly: (expr) => sql`REGEXP_REPLACE(${expr}, '[^0-9]', '', 'g')`,
    foldedPrefix: postgresPrefix,
    // Values that fold alike are asked once (the search asks "coeur" and "cœur"). Two
    // prefixes stay an OR, which a folded-column index serves branch by branch; more become
    // one LIKE ANY, which folds each row once but no index serves (a count scans anyway).
    // LIKE ANY takes no ESCAPE clause: its patterns use LIKE's default escape, the backslash.
    foldedPrefixAny: (text, values) => {
      const folded = [...new Set(values.map(foldForPrefix))];
      if (folded.length <= 2)
        return folded.length === 1
          ? postgresPrefix(text, folded[0]!)
          : sql`(${join(
              folded.map((value) => postgresPrefix(text, value)),
              ' OR ',
            )})`;
      const patterns = folded.map((value) => likePrefix(value, '\\'));
      return sql`${raw(POSTGRES_FOLD_OPEN)}${text}${raw(POSTGRES_FOLD_CLOSE)} LIKE ANY(CAST(${param(patterns)} AS TEXT[]))`;
    },
    orderTerm: (expr, direction) => sql`${expr} ${raw(direction)} NULLS LAST`,
    // With a zone: the local time with its offset, which a `timestamp` column compares as
    // wall-clock text (the offset is ignored) and a `timestamptz` column as the instant.
    datetimeParam: (iso, timezone) => {
      const millis = Date.parse(iso);
      if (timezone === undefined || Number.isNaN(millis)) return iso;
      const offset = zoneOffsetAt(millis, timezone) / 60_000;
      const sign = offset < 0 ? '-' : '+';
      const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
      const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
      return `${utcToLocalText(millis, timezone).replace(' ', 'T')}${sign}${hours}:${minutes}`;
    },
  };
}

export function createMysqlDialect(flavour: MysqlFlavour, timeoutMillis: number): SqlDialect {
  const quote = (part: string): string => {
    // mysql2 substitutes every `?` in the text, quoted or not; createMysqlConnector
    // refuses such names up front, this keeps a compiled statement from ever holding one.
    if (part.includes('?')) throw new Error(`identifier not allowed on MySQL: ${part}`);
    return `\`${part.replaceAll('`', '``')}\``;
  };
  return {
    kind: 'mysql',
    select: mysqlSelect(flavour, timeoutMillis),
    selectUnmerged: mysqlSelect(flavour, timeoutMillis, true),
    placeholder: () => '?',
    quoteTable: (name) => name.split('.').map(quote).join('.'),
    quoteName: quote,
    asText: (expr) => expr,
    matchAny: (expr, values) =>
      sql`${expr} IN (${join(
        values.map((value) => param(value)),
        ', ',
      )})`,
    digitsOnly: (expr) => sql`REGEXP_REPLACE(${expr}, '[^0-9]', '')`,
    // The bare column, so that an index on it serves the prefix: MySQL and MariaDB compare
    // with the column's collation, and every _ci collation (utf8mb4_general_ci, _unicode_ci,
    // the default ones) already ignores case and accents. A _bin column compares as written.
    // Values with leading spaces are the second branch, itself a range (' %') of the index.
    // The value is only lower-cased and trimmed: the collation ignores accents, and LIKE
    // compares character by character, so a ligature (œ) must be asked as itself.
    foldedPrefix: (text, value) => {
      const pattern = likePrefix(value.trim().toLowerCase());
      return sql`(${text} LIKE ${param(pattern)} ESCAPE '!' OR (${text} LIKE ' %' AND TRIM(${text}) LIKE ${param(pattern)} ESCAPE '!'))`;
    },
    // The same two branches, each an OR over the patterns: the bare column still serves each
    // pattern as an index range, and TRIM is computed only for values with a leading space.
    foldedPrefixAny: (text, values) => {
      const patterns = values.map((value) => likePrefix(value.trim().toLowerCase()));
      const against = (expr: Fragment): Fragment =>
        sql`(${join(
          patterns.map((pattern) => sql`${expr} LIKE ${param(pattern)} ESCAPE '!'`),
          ' OR ',
        )})`;
      return sql`(${against(text)} OR (${text} LIKE ' %' AND ${against(sql`TRIM(${text})`)}))`;
    },
    orderTerm: (expr, direction) => sql`${expr} IS NULL, ${expr} ${raw(direction)}`,
    // DATETIME literals take no zone designator; c360 stores and reads them as UTC.
    datetimeParam: (iso, timezone) => {
      const millis = Date.parse(iso);
      if (Number.isNaN(millis)) return iso;
      return timezone === undefined ? new Date(millis).toISOString().replace('T', ' ').replace('Z', '') : utcToLocalText(millis, timezone);
    },
  };
}

function mysqlSelect(flavour: MysqlFlavour, timeoutMillis: number, unmerged = false): string {
  const timed = timeoutMillis > 0;
  if (!timed && !unmerged) return 'SELECT';
  const millis = Math.ceil(timeoutMillis);
  switch (flavour) {
    case 'mysql': {
      const hints = [...(timed ? [`MAX_EXECUTION_TIME(${millis})`] : []), ...(unmerged ? ["SET_VAR(optimizer_switch='derived_merge=off')"] : [])];
      return `SELECT /*+ ${hints.join(' ')} */`;
    }
    case 'mariadb': {
      // MariaDB ignores the MySQL optimizer hints; its limit is in seconds.
      const settings = [...(timed ? [`max_statement_time=${(millis / 1000).toFixed(3)}`] : []), ...(unmerged ? ["optimizer_switch='derived_merge=off'"] : [])];
      return `SET STATEMENT ${settings.join(', ')} FOR SELECT`;
    }
    default:
      throw new UnreachableCaseError(flavour);
  }
}

/**
 * The PostgreSQL expression folding a text column as `foldForPrefix` does. `c360 check`
 * prints the index on exactly this text (docs/ui.md, search), so keep the two together.
 */
export function postgresFolded(textSql: string): string {
  return `${POSTGRES_FOLD_OPEN}${textSql}${POSTGRES_FOLD_CLOSE}`;
}

const POSTGRES_FOLD_OPEN = 'REPLACE(REPLACE(REPLACE(TRANSLATE(LOWER(TRIM(';
const POSTGRES_FOLD_CLOSE = `)), '${ACCENTED}', '${PLAIN}'), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss')`;
