/**
 * The canonical email address of a column, in SQL: what an `email` key match compares
 * with the (already canonical) keys. Lower-cased and trimmed; the domain rewritten when it
 * is a known typo or alias; then, for the providers that document it, the local part cut
 * at the sub-address separator and stripped of dots. Written with functions both servers
 * have (CASE, REPLACE, CONCAT) plus each one's "part before/after a character".
 *
 * The expression cannot use a plain index on the column; at scale an operator declares a
 * column holding the canonical form (`normalizedColumns` in the mapping, see
 * ./normalized-columns.ts), and the lookup reads that column by name instead.
 */
import type { EmailKeyRules } from '../contract.js';
import type { SqlDialect } from './dialect.js';
import { join, param, sql } from './fragment.js';
import type { Fragment } from './fragment.js';

/** Text before the first `separator` (all of it when there is none). */
function before(dialect: SqlDialect, expr: Fragment, separator: string): Fragment {
  return dialect.kind === 'postgres' ? sql`SPLIT_PART(${expr}, ${param(separator)}, 1)` : sql`SUBSTRING_INDEX(${expr}, ${param(separator)}, 1)`;
}

/** Text after the last '@'. */
function domainOf(dialect: SqlDialect, expr: Fragment): Fragment {
  return dialect.kind === 'postgres' ? sql`SPLIT_PART(${expr}, '@', 2)` : sql`SUBSTRING_INDEX(${expr}, '@', -1)`;
}

/** `CASE value WHEN a THEN b … ELSE value END`, or `value` when there is nothing to map. */
function mapped(value: Fragment, pairs: ReadonlyArray<readonly [string, Fragment]>, otherwise: Fragment): Fragment {
  if (pairs.length === 0) return otherwise;
  const whens = pairs.map(([when, then]) => sql`WHEN ${param(when)} THEN ${then}`);
  return sql`CASE ${value} ${join(whens, ' ')} ELSE ${otherwise} END`;
}

/** SQL for the canonical address of `column` (text) under `rules`. */
export function canonicalEmailSql(dialect: SqlDialect, column: Fragment, rules: EmailKeyRules): Fragment {
  const email = sql`LOWER(TRIM(${dialect.asText(column)}))`;
  const typedDomain = domainOf(dialect, email);
  const rewrites = Object.entries(rules.domainRewrites).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const domain = mapped(typedDomain, rewrites.map(([typo, meant]) => [typo, param(meant)] as const), typedDomain);
  const local = before(dialect, email, '@');
  const providers = Object.entries(rules.providers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([, rule]) => rule.ignoreDots || rule.subaddress !== null);
  const localFor = (rule: EmailKeyRules['providers'][string]): Fragment => {
    const untagged = rule.subaddress === null ? local : before(dialect, local, rule.subaddress);
    return rule.ignoreDots ? sql`REPLACE(${untagged}, '.', '')` : untagged;
  };
  const canonicalLocal = mapped(domain, providers.map(([provider, rule]) => [provider, localFor(rule)] as const), local);
  return sql`CONCAT(${canonicalLocal}, '@', ${domain})`;
}
