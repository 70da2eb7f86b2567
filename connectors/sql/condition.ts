/**
 * Conditions the compiler may already have decided (true, false) or left to the server
 * (a fragment), and how they combine. Apart from ./filter.ts so that ./scope.ts can build
 * static conditions without an import cycle.
 */
import { join, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';

/** A condition the compiler may already have decided. */
export type Condition = boolean | Fragment;

export function allOf(conditions: ReadonlyArray<Condition>): Condition {
  if (conditions.includes(false)) return false;
  const fragments = conditions.filter((condition): condition is Fragment => typeof condition !== 'boolean');
  if (fragments.length === 0) return true;
  return fragments.length === 1 ? fragments[0]! : sql`(${join(fragments, ' AND ')})`;
}

export function anyOf(conditions: ReadonlyArray<Condition>): Condition {
  if (conditions.includes(true)) return true;
  const fragments = conditions.filter((condition): condition is Fragment => typeof condition !== 'boolean');
  if (fragments.length === 0) return false;
  return fragments.length === 1 ? fragments[0]! : sql`(${join(fragments, ' OR ')})`;
}

export function conditionSql(condition: Condition): Fragment {
  if (condition === true) return raw('1 = 1');
  if (condition === false) return raw('1 = 0');
  return condition;
}
