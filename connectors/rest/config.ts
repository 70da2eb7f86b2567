/**
 * A REST source as the connector uses it: raw c360.yaml entries parsed by ./schema.ts,
 * checked against the canonical model, paths compiled. `compileRestSource` reports every
 * problem at once with its path; nothing downstream checks again.
 */
import type { JsonValue } from '../contract.js';
import type { FieldType } from '../mapping.js';
import { CANONICAL_ENTITIES, isCanonicalEntityName } from '../../src/config/canonical.js';
import type { CanonicalField } from '../../src/config/canonical.js';
import { parseJsonPath } from './json-path.js';
import type { JsonPath } from './json-path.js';
import { restEntitySchema, restSourceSchema } from './schema.js';
import type { ParsedRestEndpoint, ParsedRestField, ParsedRestFollow, ParsedRestSubField } from './schema.js';

export {
  jsonPathSchema,
  restBatchSchema,
  restEndpointSchema,
  restEntitySchema,
  restFieldSchema,
  restFollowSchema,
  restPaginationSchema,
  restSourceSchema,
  restSubFieldSchema,
} from './schema.js';
export type { RawRestEntity, RawRestSource } from './schema.js';

export type Otherwise = 'error' | 'null' | 'keep';

/** How one value is read from an item: where, as what type, with which renames. */
export interface RestValueMapping {
  readonly type: FieldType;
  readonly values?: Readonly<Record<string, string>>;
  readonly otherwise: Otherwise;
  /** The canonical enum, when the field has one: mapped values must land in it. */
  readonly enumValues?: ReadonlyArray<string>;
}

export type RestFieldSource =
  { readonly kind: 'path'; readonly path: JsonPath } | { readonly kind: 'join'; readonly paths: ReadonlyArray<JsonPath>; readonly separator: string };

export interface RestFieldMapping extends RestValueMapping {
  readonly source: RestFieldSource;
  /** json fields only: each array element (or object entry) becomes { property: value }. */
  readonly each?: Readonly<Record<string, RestValueMapping & { readonly path: JsonPath }>>;
}

export type RestPagination =
  | { readonly style: 'none' }
  | {
      readonly style: 'page';
      readonly perPage: number;
      readonly firstPage: number;
      readonly maxPages: number;
      readonly hasMorePath?: JsonPath;
      readonly totalPagesPath?: JsonPath;
    }
  | { readonly style: 'cursor'; readonly perPage: number; readonly cursorPath: JsonPath; readonly maxPages: number };

export interface RestEndpoint {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: JsonValue;
  /** GET, or a POST search marked idempotent: only these are retried. */
  readonly idempotent: boolean;
  readonly batch: { readonly maxKeys: number; readonly separator: string } | null;
  readonly list: JsonPath;
  readonly pagination: RestPagination;
  readonly keyField: string;
  readonly keyMatch: 'exact' | 'caseInsensitive';
  readonly notFoundAsEmpty: boolean;
  readonly probeKey?: string;
  /** Never answered from the reply cache (a follow endpoint). */
  readonly uncached?: boolean;
}

/** An endpoint listing items from {since} on, in ascending `timeField` order (its keyField is the time field). */
export interface RestFollowEndpoint extends RestEndpoint {
  readonly timeField: string;
}

export interface RestEntityMapping {
  readonly entity: string;
  readonly endpoints: ReadonlyArray<RestEndpoint>;
  readonly follow?: RestFollowEndpoint;
  readonly fields: Readonly<Record<string, RestFieldMapping>>;
}

export interface RestSourceConfig {
  readonly name: string;
  readonly kind: 'rest';
  readonly baseUrl: string;
  readonly timeoutMillis: number;
  readonly attemptTimeoutMillis: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: { readonly maxAttempts: number; readonly initialDelayMillis: number; readonly maxDelayMillis: number };
  readonly circuitBreaker: { readonly consecutiveFailures: number; readonly halfOpenAfterMillis: number };
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number } | null;
  readonly maxConcurrency: number;
  readonly cache: { readonly ttlSeconds: number; readonly maxEntries: number } | null;
  readonly entities: ReadonlyArray<RestEntityMapping>;
}

export interface RestConfigProblem {
  /** From the top of c360.yaml, e.g. ["entities", "ticket", "fields", "status"]. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export class RestConfigError extends Error {
  override readonly name = 'RestConfigError';
  constructor(readonly problems: ReadonlyArray<RestConfigProblem>) {
    super(`invalid REST configuration:\n${problems.map((p) => `  ${p.path.join('.')}: ${p.message}`).join('\n')}`);
  }
}

/** The compiled source, or every problem found (for a loader that collects problems). */
export function parseRestSource(
  name: string,
  rawSource: unknown,
  rawEntities: Readonly<Record<string, unknown>>,
): { readonly ok: true; readonly config: RestSourceConfig } | { readonly ok: false; readonly problems: ReadonlyArray<RestConfigProblem> } {
  const problems: RestConfigProblem[] = [];
  const source = restSourceSchema.safeParse(rawSource);
  if (!source.success) {
    for (const issue of source.error.issues) problems.push({ path: ['sources', name, ...issue.path.map(pathKey)], message: issue.message });
  }
  const entities: RestEntityMapping[] = [];
  for (const [entityName, rawEntity] of Object.entries(rawEntities)) {
    const at = ['entities', entityName];
    const parsed = restEntitySchema.safeParse(rawEntity);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ path: [...at, ...issue.path.map(pathKey)], message: issue.message });
      continue;
    }
    if (parsed.data.source !== name) {
      problems.push({ path: [...at, 'source'], message: `expected source "${name}"` });
      continue;
    }
    const endpoints = [
      ...(parsed.data.endpoint === undefined ? [] : [{ endpoint: parsed.data.endpoint, at: ['endpoint'] }]),
      ...(parsed.data.endpoints ?? []).map((endpoint, index) => ({ endpoint, at: ['endpoints', index] })),
    ];
    const entity = compileEntity(entityName, endpoints, parsed.data.follow, parsed.data.fields, (path, message) =>
      problems.push({ path: [...at, ...path], message }),
    );
    if (entity !== undefined) entities.push(entity);
  }
  if (!source.success || problems.length > 0) return { ok: false, problems };
  const s = source.data;
  return {
    ok: true,
    config: {
      name,
      kind: 'rest',
      baseUrl: s.baseUrl.replace(/\/+$/, ''),
      timeoutMillis: s.timeoutMillis,
      attemptTimeoutMillis: Math.min(s.attemptTimeoutMillis ?? s.timeoutMillis, s.timeoutMillis),
      headers: s.headers,
      retry: s.retry,
      circuitBreaker: s.circuitBreaker,
      rateLimit: s.rateLimit ?? null,
      maxConcurrency: s.maxConcurrency,
      cache: s.cache ?? null,
      entities,
    },
  };
}

/** The compiled source; throws RestConfigError listing every problem. */
export function compileRestSource(name: string, rawSource: unknown, rawEntities: Readonly<Record<string, unknown>>): RestSourceConfig {
  const result = parseRestSource(name, rawSource, rawEntities);
  if (!result.ok) throw new RestConfigError(result.problems);
  return result.config;
}

type Report = (path: ReadonlyArray<string | number>, message: string) => void;

function pathKey(key: PropertyKey): string | number {
  return typeof key === 'symbol' ? String(key) : key;
}

function compilePath(text: string): JsonPath {
  const parsed = parseJsonPath(text);
  // The schema already refused invalid paths.
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function compileEntity(
  entityName: string,
  endpoints: ReadonlyArray<{ readonly endpoint: ParsedRestEndpoint; readonly at: ReadonlyArray<string | number> }>,
  follow: ParsedRestFollow | undefined,
  rawFields: Readonly<Record<string, ParsedRestField>>,
  report: Report,
): RestEntityMapping | undefined {
  if (!isCanonicalEntityName(entityName)) {
    report([], `unknown canonical entity "${entityName}" (expected one of ${Object.keys(CANONICAL_ENTITIES).join(', ')})`);
    return undefined;
  }
  const canonical: Readonly<Record<string, CanonicalField>> = CANONICAL_ENTITIES[entityName].fields;
  const fields: Record<string, RestFieldMapping> = {};
  for (const [fieldName, raw] of Object.entries(rawFields)) {
    const field = canonical[fieldName];
    if (field === undefined) {
      report(['fields', fieldName], `"${entityName}" has no canonical field "${fieldName}" (expected one of ${Object.keys(canonical).join(', ')})`);
      continue;
    }
    const compiled = compileField(field, raw, (path, message) => report(['fields', fieldName, ...path], message));
    if (compiled !== undefined) fields[fieldName] = compiled;
  }
  for (const [fieldName, field] of Object.entries(canonical)) {
    if (field.required === true && rawFields[fieldName] === undefined) report(['fields'], `the required field "${fieldName}" is not mapped`);
  }
  const keyFields = new Set<string>();
  endpoints.forEach(({ endpoint, at }) => {
    if (rawFields[endpoint.keyField] === undefined) report([...at, 'keyField'], `the key field "${endpoint.keyField}" is not mapped in fields`);
    if (keyFields.has(endpoint.keyField)) report([...at, 'keyField'], `another endpoint is already looked up by "${endpoint.keyField}"`);
    keyFields.add(endpoint.keyField);
  });
  if (follow !== undefined) {
    if (rawFields[follow.timeField] === undefined) report(['follow', 'timeField'], `the time field "${follow.timeField}" is not mapped in fields`);
    else if (canonical[follow.timeField]?.type !== 'datetime') report(['follow', 'timeField'], `"${follow.timeField}" is not a datetime field`);
    if (rawFields.id === undefined) report(['follow'], 'a followed entity maps its "id" (the key that orders items of the same time)');
  }
  return {
    entity: entityName,
    endpoints: endpoints.map(({ endpoint }) => compileEndpoint(endpoint)),
    ...(follow === undefined
      ? {}
      : {
          follow: {
            ...compileEndpoint({ ...follow, keyField: follow.timeField, keyMatch: 'exact', notFoundAsEmpty: false }),
            uncached: true,
            timeField: follow.timeField,
          },
        }),
    fields,
  };
}

function compileField(field: CanonicalField, raw: ParsedRestField, report: Report): RestFieldMapping | undefined {
  const enumValues = field.enum;
  if (typeof raw === 'string') return { source: { kind: 'path', path: compilePath(raw) }, type: field.type, otherwise: 'error', enumValues };
  if ('join' in raw) {
    if (field.type !== 'string') report(['join'], `join builds a string, but this field is ${field.type}`);
    return { source: { kind: 'join', paths: raw.join.map(compilePath), separator: raw.separator }, type: field.type, otherwise: 'error', enumValues };
  }
  checkValues(enumValues, raw.values, raw.otherwise, report);
  let each: RestFieldMapping['each'];
  if (raw.each !== undefined) {
    if (field.type !== 'json') report(['each'], `each builds nested objects, but this field is ${field.type}`);
    each = Object.fromEntries(Object.entries(raw.each).map(([name, sub]) => [name, compileSubField(sub)]));
  }
  return {
    source: { kind: 'path', path: compilePath(raw.path) },
    type: field.type,
    values: raw.values,
    otherwise: raw.otherwise ?? 'error',
    enumValues,
    each,
  };
}

function compileSubField(raw: ParsedRestSubField): RestValueMapping & { readonly path: JsonPath } {
  if (typeof raw === 'string') return { path: compilePath(raw), type: 'json', otherwise: 'error' };
  return { path: compilePath(raw.path), type: raw.type ?? 'json', values: raw.values, otherwise: raw.otherwise ?? 'error' };
}

function checkValues(
  enumValues: ReadonlyArray<string> | undefined,
  values: Readonly<Record<string, string>> | undefined,
  otherwise: Otherwise | undefined,
  report: Report,
): void {
  if (enumValues === undefined) return;
  for (const [from, to] of Object.entries(values ?? {})) {
    if (!enumValues.includes(to)) report(['values', from], `"${to}" is not one of ${enumValues.join(', ')}`);
  }
  if (otherwise === 'keep') report(['otherwise'], 'an enum field cannot keep unmapped values; use "error" or "null"');
}

function compileEndpoint(raw: ParsedRestEndpoint): RestEndpoint {
  const pagination: RestPagination =
    raw.pagination.style === 'none'
      ? { style: 'none' }
      : raw.pagination.style === 'page'
        ? {
            style: 'page',
            perPage: raw.pagination.perPage,
            firstPage: raw.pagination.firstPage,
            maxPages: raw.pagination.maxPages,
            hasMorePath: raw.pagination.hasMorePath === undefined ? undefined : compilePath(raw.pagination.hasMorePath),
            totalPagesPath: raw.pagination.totalPagesPath === undefined ? undefined : compilePath(raw.pagination.totalPagesPath),
          }
        : { style: 'cursor', perPage: raw.pagination.perPage, cursorPath: compilePath(raw.pagination.cursorPath), maxPages: raw.pagination.maxPages };
  return {
    method: raw.method,
    path: raw.path,
    query: raw.query,
    body: raw.body as JsonValue | undefined,
    idempotent: raw.method === 'GET' || raw.idempotent === true,
    batch: raw.batch ?? null,
    list: compilePath(raw.list),
    pagination,
    keyField: raw.keyField,
    keyMatch: raw.keyMatch,
    notFoundAsEmpty: raw.notFoundAsEmpty,
    probeKey: raw.probeKey,
  };
}
