/**
 * The JSON paths of a REST mapping: deliberately small so an operator can read them.
 *
 *   "$"                 the value itself (the whole reply, or the list item)
 *   "tickets"           a property; "$.tickets" is the same
 *   "requester.email"   nested properties
 *   "comments[0].body"  an array index
 *   "@key"              inside `each` over an object: the entry's key (finances by year)
 *
 * No wildcards, filters or quoted names: a property containing "." or "[" cannot be
 * addressed, which no API we map needs.
 */
import type { JsonValue } from '../contract.js';

export type PathSegment = string | number;

export interface JsonPath {
  /** As written in c360.yaml, for messages. */
  readonly text: string;
  readonly segments: ReadonlyArray<PathSegment>;
}

/** The entry key inside `each` over an object. */
export const ENTRY_KEY_PATH = '@key';

const SEGMENT = /^([^.[\]]+)?((?:\[\d+\])*)$/;

/** The path's segments, or a message saying what is wrong with it. */
export function parseJsonPath(text: string): JsonPath | { readonly error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'a JSON path cannot be empty (use "$" for the value itself)' };
  if (trimmed === '$') return { text: trimmed, segments: [] };
  const body = trimmed.startsWith('$.') ? trimmed.slice(2) : trimmed.startsWith('$[') ? trimmed.slice(1) : trimmed;
  const segments: PathSegment[] = [];
  for (const part of body.split('.')) {
    const match = SEGMENT.exec(part);
    if (part === '' || match === null) {
      return { error: `invalid JSON path "${text}" (expected dot-separated names with optional [index], e.g. "siege.siret")` };
    }
    if (match[1] !== undefined) segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return { text: trimmed, segments };
}

/** The value at `path`, or undefined when any step is missing or of the wrong kind. */
export function getAtPath(value: JsonValue | undefined, segments: ReadonlyArray<PathSegment>): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const segment of segments) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = (current as ReadonlyArray<JsonValue>)[segment];
    } else {
      if (Array.isArray(current)) return undefined;
      const record = current as { readonly [key: string]: JsonValue };
      current = Object.hasOwn(record, segment) ? record[segment] : undefined;
    }
  }
  return current;
}

/** "$.tickets[3].status": where in a reply a value sits, for SOURCE_BAD_RESPONSE. */
export function formatPath(segments: ReadonlyArray<PathSegment>): string {
  let text = '$';
  for (const segment of segments) text += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return text;
}
