/**
 * Driver errors -> SourceError. The gateway only needs to know whether the source is
 * down, too slow, or answered something unusable; the driver's error stays as `cause`
 * for the log. Messages carry driver codes, never driver messages: those quote values
 * ("invalid input syntax for type integer: \"…\"").
 */
import { SourceError, UnreachableCaseError } from '../contract.js';
import type { SourceFailure } from '../contract.js';

export interface StatementContext {
  readonly source: string;
  /** Canonical entity, or what the statement is for ("mapping check", "health"). */
  readonly entity: string;
}

// Node's socket and DNS failures, as both drivers pass them through.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** PostgreSQL SQLSTATEs and pg messages meaning "cannot reach or use the server". */
export function classifyPostgresError(error: unknown): SourceFailure {
  const code = stringProperty(error, 'code');
  if (code === '57014') return 'SOURCE_TIMEOUT';
  if (code !== undefined) {
    // 08: connection exception · 28: authorization · 3D000: unknown database ·
    // 57P0x: server shutting down or starting · 53300: too many connections.
    if (code.startsWith('08') || code.startsWith('28') || code.startsWith('57P') || code === '3D000' || code === '53300') {
      return 'SOURCE_UNAVAILABLE';
    }
    if (NETWORK_CODES.has(code)) return 'SOURCE_UNAVAILABLE';
  }
  const message = stringProperty(error, 'message') ?? '';
  if (
    message.includes('timeout exceeded when trying to connect') ||
    message.includes('Connection terminated') ||
    message.includes('Cannot use a pool after calling end')
  ) {
    return 'SOURCE_UNAVAILABLE';
  }
  return 'SOURCE_BAD_RESPONSE';
}

const MYSQL_TIMEOUT_ERRNOS = new Set([
  3024, // MySQL ER_QUERY_TIMEOUT (MAX_EXECUTION_TIME)
  1969, // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time)
]);

const MYSQL_UNAVAILABLE_ERRNOS = new Set([
  1040, // too many connections
  1044, // access denied to database
  1045, // access denied for user
  1049, // unknown database
  1053, // server shutdown in progress
  1129, // host blocked
  1130, // host not allowed
  2002, // cannot connect through socket
  2003, // cannot connect to server
  2006, // server has gone away
  2013, // lost connection during query
]);

export function classifyMysqlError(error: unknown): SourceFailure {
  const errno = numberProperty(error, 'errno');
  if (errno !== undefined && MYSQL_TIMEOUT_ERRNOS.has(errno)) return 'SOURCE_TIMEOUT';
  if (errno !== undefined && MYSQL_UNAVAILABLE_ERRNOS.has(errno)) return 'SOURCE_UNAVAILABLE';
  const code = stringProperty(error, 'code');
  if (code !== undefined && NETWORK_CODES.has(code)) return 'SOURCE_UNAVAILABLE';
  // mysql2 marks errors that broke the connection itself as fatal.
  if (booleanProperty(error, 'fatal') === true) return 'SOURCE_UNAVAILABLE';
  const message = stringProperty(error, 'message') ?? '';
  if (message.startsWith('Pool is closed') || message.startsWith('No connections available')) return 'SOURCE_UNAVAILABLE';
  return 'SOURCE_BAD_RESPONSE';
}

export function toSourceError(failure: SourceFailure, context: StatementContext, error: unknown): SourceError {
  // PostgreSQL class 22 (data exception): a value of the statement does not fit its column.
  const rejectedValue = failure === 'SOURCE_BAD_RESPONSE' && (stringProperty(error, 'code') ?? '').startsWith('22');
  const what = namedCause(error);
  return new SourceError(failure, context.source, `${describe(failure, context)}${what === undefined ? '' : `: ${what}`}${driverCode(error)}`, {
    cause: error,
    rejectedValue,
  });
}

/** The signal fired first: the caller gave up; the server-side timeout ends the statement. */
export function abortedError(context: StatementContext, reason: unknown): SourceError {
  return new SourceError('SOURCE_TIMEOUT', context.source, `${describe('SOURCE_TIMEOUT', context)} (aborted by the caller)`, {
    cause: reason,
  });
}

function describe(failure: SourceFailure, { source, entity }: StatementContext): string {
  switch (failure) {
    case 'SOURCE_TIMEOUT':
      return `source "${source}" timed out reading ${entity}`;
    case 'SOURCE_UNAVAILABLE':
      return `source "${source}" is unavailable for ${entity}`;
    case 'SOURCE_BAD_RESPONSE':
    case 'CIRCUIT_OPEN':
      return `source "${source}" failed reading ${entity}`;
    default:
      throw new UnreachableCaseError(failure);
  }
}

/**
 * What the driver's error names, for the errors that name an object rather than a value:
 * the table, column or database that does not exist, refused credentials or connection
 * (never the user or the host). Only identifiers are taken from the driver's text (by pattern).
 */
export function namedCause(error: unknown): string | undefined {
  const code = stringProperty(error, 'code');
  const errno = numberProperty(error, 'errno');
  const message = stringProperty(error, 'sqlMessage') ?? stringProperty(error, 'message') ?? '';
  const quoted = (pattern: RegExp): string | undefined => pattern.exec(message)?.[1];
  switch (code) {
    case '42P01': {
      const name = quoted(/relation "([^"]+)" does not exist/);
      return name === undefined ? 'a mapped table does not exist' : `table "${name}" does not exist`;
    }
    case '42703': {
      const name = quoted(/column "?([^"\s]+)"? does not exist/);
      return name === undefined ? 'a mapped column does not exist' : `column "${name}" does not exist`;
    }
    case '3D000': {
      const name = quoted(/database "([^"]+)" does not exist/);
      return name === undefined ? 'the database does not exist' : `database "${name}" does not exist`;
    }
    case '28P01':
    case '28000':
      // Neither user nor host reaches a client (they are in the config and in the log's cause).
      return 'the server refused the credentials';
    default:
      break;
  }
  switch (errno) {
    case 1146: {
      const name = quoted(/Table '([^']+)' doesn't exist/);
      return name === undefined ? 'a mapped table does not exist' : `table "${name}" does not exist`;
    }
    case 1054: {
      const name = quoted(/Unknown column '([^']+)'/);
      return name === undefined ? 'a mapped column does not exist' : `column "${name}" does not exist`;
    }
    case 1049: {
      const name = quoted(/Unknown database '([^']+)'/);
      return name === undefined ? 'the database does not exist' : `database "${name}" does not exist`;
    }
    case 1044:
    case 1045:
      return 'the server refused the credentials';
    default:
      break;
  }
  if (code === 'ECONNREFUSED') return 'the server refused the connection';
  if (code === 'ENOTFOUND') return 'the host name is not known';
  return undefined;
}

function driverCode(error: unknown): string {
  const code = stringProperty(error, 'code');
  const errno = numberProperty(error, 'errno');
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && /[0-9]/.test(code)) return ` (SQLSTATE ${code})`;
  if (code !== undefined && errno !== undefined) return ` (${code}, errno ${errno})`;
  if (code !== undefined) return ` (${code})`;
  return '';
}

function stringProperty(value: unknown, key: string): string | undefined {
  const property = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof property === 'string' ? property : undefined;
}

function numberProperty(value: unknown, key: string): number | undefined {
  const property = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof property === 'number' ? property : undefined;
}

function booleanProperty(value: unknown, key: string): boolean | undefined {
  const property = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof property === 'boolean' ? property : undefined;
}
