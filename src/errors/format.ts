/**
 * Shapes every error leaving the gateway: source failures keep their code and source,
 * client errors pass through, anything else is masked and logged with the request id.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { SourceError, UnsupportedRequestError } from '../../connectors/contract.js';
import { ErrorCode, MASKED_MESSAGE } from './codes.js';

/** Codes that are safe to show as they are (Apollo's own included). */
const PUBLIC_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

/** Walks GraphQLError.originalError and Error.cause to the first error c360 knows. */
function knownCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof SourceError || current instanceof UnsupportedRequestError) return current;
    if (current instanceof GraphQLError) {
      if (current.originalError === undefined || current.originalError === null) return current;
      current = current.originalError;
      continue;
    }
    return current;
  }
  return current;
}

export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: ErrorLogger,
  requestId: string | undefined,
  development: boolean,
): GraphQLFormattedError {
  const cause = knownCause(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (cause instanceof SourceError) {
    const extensions: Record<string, unknown> = { code: cause.code, source: cause.source };
    if (cause.path !== undefined) extensions.responsePath = cause.path;
    return { ...base, message: cause.message, extensions };
  }
  if (cause instanceof UnsupportedRequestError) {
    log.error({ requestId, err: cause }, 'request outside a source capabilities');
    return { ...base, message: MASKED_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
  }
  const code = formatted.extensions?.code;
  // Apollo fills in INTERNAL_SERVER_ERROR for an error made without a code: look at the error itself.
  if ((code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) && isClientRequestError(error)) {
    // Outside any field the request itself is malformed; inside one, a value the client gave is.
    return { ...base, extensions: { code: formatted.path === undefined ? 'BAD_REQUEST' : ErrorCode.BAD_USER_INPUT } };
  }
  if (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    if (development) return formatted;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: withoutSuggestions(formatted.message, code), extensions };
  }
  log.error({ requestId, err: cause }, 'unexpected error');
  if (development) return formatted;
  return { ...base, message: MASKED_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
}

/**
 * A GraphQLError made on purpose (no cause) without a code: Apollo's refusals of a
 * malformed request ("Unsupported persisted query version") and graphql-js's own coercion
 * errors of the request ("Argument \"if\" of non-null type \"Boolean!\" must not be null"
 * for a null variable in @skip). An exception from a resolver always has a cause and
 * stays masked.
 */
function isClientRequestError(error: unknown): boolean {
  let inner: unknown = error;
  // graphql-js wraps an error raised while completing a field in a located one: look through GraphQLErrors only.
  while (inner instanceof GraphQLError && inner.originalError instanceof GraphQLError && inner.extensions?.code === undefined) inner = inner.originalError;
  return inner instanceof GraphQLError && inner.extensions?.code === undefined && (inner.originalError === undefined || inner.originalError === null);
}

/** A logger that drops everything: for Apollo's formatError hook, which has no request id (the error-log plugin logs with one). */
export const SILENT_ERROR_LOGGER: ErrorLogger = { error: () => undefined };

/** "Did you mean …?" tells a stranger the schema; kept in development only. */
function withoutSuggestions(message: string, code: string): string {
  return code === 'GRAPHQL_VALIDATION_FAILED' ? message.replace(/ Did you mean .*\?$/, '') : message;
}
