/** The public error of a cube query over the analytics limits: ANALYTICS_TOO_COSTLY, with the limit and its value. */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';

export type AnalyticsLimit = 'maxCost' | 'maxGroups' | 'maxLinkedRows';

export function tooCostly(limit: AnalyticsLimit, max: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.ANALYTICS_TOO_COSTLY, limit, max } });
}
