/**
 * Driver values -> canonical values. Drivers hand back what the column type suggests
 * (pg NUMERIC and MySQL DECIMAL as strings, MySQL booleans as 0/1, dates as strings
 * here because both connectors ask for raw date text); the canonical model wants one
 * representation per FieldType.
 */
import { UnreachableCaseError } from '../contract.js';
import type { JsonValue } from '../contract.js';
import type { FieldMapping, FieldType } from '../mapping.js';
import { parseDateInFormat, type DateFormat } from './date-format.js';
import { readEnum, translates } from './enum.js';

export function coerceValue(value: unknown, type: FieldType, timezone?: string): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return toText(value);
    case 'int': {
      const number = toNumber(value);
      return number === null ? null : Math.trunc(number);
    }
    case 'float':
      return toNumber(value);
    case 'boolean':
      return toBoolean(value);
    case 'datetime':
      return toIsoDatetime(value, timezone);
    case 'date':
      return toIsoDate(value);
    case 'json':
      return toJson(value);
    default:
      throw new UnreachableCaseError(type);
  }
}

/** A column's value as the canonical field holds it: typed, then enum-translated. */
export function readField(value: unknown, mapping: FieldMapping): JsonValue {
  switch (mapping.kind) {
    case 'const':
      return mapping.value;
    case 'column': {
      if (mapping.format !== undefined && mapping.type === 'date') return readDateInFormat(value, mapping.format);
      const coerced = coerceValue(value, mapping.type, mapping.timezone);
      if (!translates(mapping) || typeof coerced === 'object') return coerced;
      if (coerced === null) return null;
      return readEnum(String(coerced), mapping);
    }
    default:
      throw new UnreachableCaseError(mapping);
  }
}

/** A date column or a text column holding a date written in `format`. */
function readDateInFormat(value: unknown, format: DateFormat): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return toIsoDate(value);
  return parseDateInFormat(toText(value), format);
}

/** pg parses json/jsonb and mysql2 parses JSON columns; text columns holding JSON are parsed here. */
function toJson(value: unknown): JsonValue {
  if (typeof value !== 'string') return value as JsonValue;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const number = typeof value === 'number' ? value : Number(toText(value));
  return Number.isFinite(number) ? number : null;
}

function toBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  // MySQL BIT(1) arrives as a one-byte Buffer.
  if (Buffer.isBuffer(value)) return value.some((byte) => byte !== 0);
  const text = toText(value).trim().toLowerCase();
  if (['1', 't', 'true', 'y', 'yes', 'on'].includes(text)) return true;
  if (['0', 'f', 'false', 'n', 'no', 'off'].includes(text)) return false;
  return null;
}

const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Text without a zone is UTC: MySQL DATETIME and PostgreSQL `timestamp` carry none, and
 * c360 reads them as UTC on every machine rather than in the gateway's local zone, unless
 * the source declares the zone its local times are in (`timezone`).
 */
function toIsoDatetime(value: unknown, timezone?: string): string | null {
  if (typeof value === 'string' && timezone === undefined) {
    const fast = plainUtcDatetime(value);
    if (fast !== undefined) return fast;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const match = DATETIME_TEXT.exec(toText(value).trim());
  if (match === null) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const wall =
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) + Math.floor(Number(`0${fraction || '.0'}`) * 1000);
  const millis = zone === undefined && timezone !== undefined ? localToUtc(wall, timezone) : wall - zoneOffsetMillis(zone);
  // MySQL's zero date '0000-00-00 00:00:00' and out-of-range values are no date at all.
  if (Number.isNaN(millis) || Number(month) === 0 || Number(day) === 0) return null;
  return new Date(millis).toISOString();
}

const PLAIN_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{3})?$/;

/**
 * MySQL's `YYYY-MM-DD HH:MM:SS` or DATETIME(3)'s `YYYY-MM-DD HH:MM:SS.mmm` (dateStrings) read as UTC without a Date: the text
 * toIsoDatetime's general path gives for it, when no field can roll over (day 01-28, hour
 * below 24, minute and second below 60, year from 0100: Date.UTC reads 0-99 as 1900-1999); else undefined, and the general path
 * decides. Every order date of a page goes through here (issue 12).
 */
function plainUtcDatetime(text: string): string | undefined {
  if (text.length !== 19 && text.length !== 23) return undefined;
  const match = PLAIN_DATETIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, millis] = match as unknown as [string, string, string, string, string, string, string, string | undefined];
  if (year < '0100' || month < '01' || month > '12' || day < '01' || day > '28' || hour > '23' || minute > '59' || second > '59') return undefined;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${millis ?? '.000'}Z`;
}

/** Offset of `zone` from UTC at the instant `utcMillis`, in milliseconds (Paris in summer: +2 h). */
export function zoneOffsetAt(utcMillis: number, zone: string): number {
  const parts = zoneFormatter(zone).formatToParts(new Date(utcMillis));
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(utcMillis / 1000) * 1000;
}

/**
 * A wall-clock time in `zone` (given as if it were UTC) -> the UTC instant (two passes, so
 * the offset is the one in force at the instant found).
 */
export function localToUtc(wallMillis: number, zone: string): number {
  if (Number.isNaN(wallMillis)) return wallMillis;
  const guess = wallMillis - zoneOffsetAt(wallMillis, zone);
  return wallMillis - zoneOffsetAt(guess, zone);
}

/** A UTC instant -> the wall-clock text of `zone`, "YYYY-MM-DD HH:MM:SS.mmm". */
export function utcToLocalText(utcMillis: number, zone: string): string {
  return new Date(utcMillis + zoneOffsetAt(utcMillis, zone)).toISOString().replace('T', ' ').replace('Z', '');
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5) || '0');
  return sign * (hours * 60 + minutes) * 60_000;
}

/** The calendar date as stored: never shifted through a time zone. */
function toIsoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  const text = toText(value).trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (match === null || match[2] === '00' || match[3] === '00') return null;
  return match[0];
}
