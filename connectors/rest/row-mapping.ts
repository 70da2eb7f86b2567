/**
 * One list item -> one canonical Row, by the mapping's JSON paths, with each value
 * coerced to its canonical FieldType. A value of the wrong type is the source breaking
 * its contract, so it is a SOURCE_BAD_RESPONSE naming where in the reply it sits.
 */
import { SourceError } from '../contract.js';
import type { JsonValue, Row } from '../contract.js';
import type { RestFieldMapping, RestValueMapping } from './config.js';
import { ENTRY_KEY_PATH, formatPath, getAtPath } from './json-path.js';
import type { PathSegment } from './json-path.js';

type JsonObject = { readonly [key: string]: JsonValue };

export function badResponse(source: string, at: ReadonlyArray<PathSegment>, what: string, cause?: unknown): SourceError {
  const path = formatPath(at);
  return new SourceError('SOURCE_BAD_RESPONSE', source, `source "${source}" replied ${what} at ${path}`, { path, cause });
}

/** The item's canonical fields among `fieldNames`; `at` is the item's place in the reply. */
export function mapItem(
  source: string,
  item: JsonValue,
  at: ReadonlyArray<PathSegment>,
  fields: Readonly<Record<string, RestFieldMapping>>,
  fieldNames: ReadonlyArray<string>,
): Row {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw badResponse(source, at, 'a list item that is not an object');
  const row: Record<string, JsonValue> = {};
  for (const name of fieldNames) {
    const field = fields[name];
    if (field !== undefined) row[name] = mapField(source, item, at, field);
  }
  return row;
}

function mapField(source: string, item: JsonValue, at: ReadonlyArray<PathSegment>, field: RestFieldMapping): JsonValue {
  if (field.source.kind === 'join') {
    const parts: string[] = [];
    for (const path of field.source.paths) {
      const value = getAtPath(item, path.segments);
      if (value === null || value === undefined || value === '') continue;
      if (typeof value === 'object') throw badResponse(source, [...at, ...path.segments], 'an object where a text part was expected');
      parts.push(String(value));
    }
    return parts.length === 0 ? null : parts.join(field.source.separator);
  }
  const valueAt = [...at, ...field.source.path.segments];
  const value = getAtPath(item, field.source.path.segments);
  if (field.each === undefined) return coerce(source, value, valueAt, field);
  return reshape(source, value, valueAt, field.each);
}

/** Nested arrays (ticket comments) or year-keyed objects (finances) -> canonical objects. */
function reshape(source: string, value: JsonValue | undefined, at: ReadonlyArray<PathSegment>, each: NonNullable<RestFieldMapping['each']>): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') throw badResponse(source, at, `a ${typeof value} where an array or object was expected`);
  const entries: Array<[PathSegment, JsonValue]> = Array.isArray(value)
    ? (value as ReadonlyArray<JsonValue>).map((element, index) => [index, element])
    : Object.entries(value as JsonObject);
  return entries.map(([entryKey, element]) => {
    const out: Record<string, JsonValue> = {};
    for (const [name, sub] of Object.entries(each)) {
      if (sub.path.text === ENTRY_KEY_PATH) {
        out[name] = coerce(source, entryKey, [...at, entryKey], sub);
        continue;
      }
      out[name] = coerce(source, getAtPath(element, sub.path.segments), [...at, entryKey, ...sub.path.segments], sub);
    }
    return out;
  });
}

export function coerce(source: string, raw: JsonValue | undefined, at: ReadonlyArray<PathSegment>, mapping: RestValueMapping): JsonValue {
  if (raw === undefined || raw === null) return null;
  let value: JsonValue = raw;
  if (mapping.values !== undefined && typeof raw !== 'object') {
    const renamed = Object.hasOwn(mapping.values, String(raw)) ? mapping.values[String(raw)] : undefined;
    if (renamed !== undefined) value = renamed;
    else if (mapping.otherwise === 'null') return null;
    else if (mapping.otherwise === 'error') throw badResponse(source, at, `the unmapped value ${JSON.stringify(raw)}`);
  }
  const typed = toType(value, mapping);
  if (typed === undefined) throw badResponse(source, at, `${describe(value)} where ${article(mapping.type)} was expected`);
  if (mapping.enumValues !== undefined && typeof typed === 'string' && !mapping.enumValues.includes(typed)) {
    if (mapping.otherwise === 'null') return null;
    throw badResponse(source, at, `${JSON.stringify(typed)}, not one of ${mapping.enumValues.join(', ')}`);
  }
  return typed;
}

const INTEGER = /^-?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/** The value as the canonical type, or undefined when it cannot be one. */
function toType(value: JsonValue, mapping: RestValueMapping): JsonValue | undefined {
  switch (mapping.type) {
    case 'json':
      return value;
    case 'string':
      return typeof value === 'object' ? undefined : String(value);
    case 'int':
      if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
      return typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : undefined;
    case 'float':
      if (typeof value === 'number') return value;
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'datetime':
      // Kept as the source wrote it: re-serialising would shift zone-less times.
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10))) ? value.slice(0, 10) : undefined;
  }
}

function describe(value: JsonValue): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
