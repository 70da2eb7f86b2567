/**
 * Public error codes: every GraphQL error c360 returns carries one in extensions.code,
 * and a source error also extensions.source. Classes stay private; codes are the API.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  SOURCE_TIMEOUT: 'SOURCE_TIMEOUT',
  SOURCE_BAD_RESPONSE: 'SOURCE_BAD_RESPONSE',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  /** Too many operations for the caller's role (HTTP 429, Retry-After); docs/operations.md. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A partner's query or differential-privacy budget for the period is spent (docs/privacy.md). */
  PRIVACY_BUDGET_EXHAUSTED: 'PRIVACY_BUDGET_EXHAUSTED',
  /** An analytics cube query beyond the `analytics` limits (groups x sources); docs/analytics.md. */
  ANALYTICS_TOO_COSTLY: 'ANALYTICS_TOO_COSTLY',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** `serve` found the mapping does not match a source (a missing table, an unmapped stored value): HTTP 503, the problems listed; README "c360 check". */
  MAPPING_INVALID: 'MAPPING_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const MASKED_MESSAGE = 'Unexpected error.';

/** A client mistake in GraphQL arguments; `argument` names the offending one. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: argument === undefined ? { code: ErrorCode.BAD_USER_INPUT } : { code: ErrorCode.BAD_USER_INPUT, argument },
  });
}
