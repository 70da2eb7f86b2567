/**
 * Operator-declared normalized columns. A key match on an expression (`LOWER(TRIM(x))`,
 * digits only, the canonical email) cannot use a plain index on `x`; an operator who adds
 * a column holding the normalized value (a generated/virtual column with an index, or one
 * filled by the application) declares it in the mapping:
 *
 *   normalizedColumns: { lastName: { caseInsensitive: lastname_key }, phone: { digits: phone_digits } }
 *
 * and a lookup of that field by that match compares the column by name, so the index on
 * it serves the lookup. The column must hold exactly what c360's match computes
 * (docs/identity.md gives the expressions).
 */
import type { KeyMatch } from '../contract.js';
import { raw } from './fragment.js';
import type { Fragment } from './fragment.js';
import type { EntityScope } from './scope.js';

/** The declared column serving `keyField` matched by `keyMatch`, quoted; undefined when none is declared. */
export function declaredNormalizedColumn(scope: EntityScope, keyField: string, keyMatch: KeyMatch): Fragment | undefined {
  const declared = scope.mapping.normalizedColumns?.[keyField]?.[keyMatch];
  return declared === undefined ? undefined : raw(scope.dialect.quoteName(declared));
}
