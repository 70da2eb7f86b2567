/**
 * The raw shape of a REST source and of an entity mapped onto it in c360.yaml, as zod
 * schemas. Objects are strict so a typo'd key is reported, not ignored; defaults make
 * the common case short. Cross-checks against the canonical model are in ./config.ts.
 * Header values arrive already env-interpolated by the config loader.
 */
import { z } from 'zod';
import { parseJsonPath } from './json-path.js';

/** A source's circuit breaker (REST here, SQL in src/gateway/sql-breaker.ts): opens after that many failures in a row, probes after the pause. */
export function circuitBreakerSchema(defaults: { consecutiveFailures: number; halfOpenAfterMillis: number }) {
  return z
    .object({
      consecutiveFailures: z.int().min(1).max(1000).default(defaults.consecutiveFailures),
      halfOpenAfterMillis: z.int().min(1).max(3_600_000).default(defaults.halfOpenAfterMillis),
    })
    .strict()
    .prefault({});
}

/** Placeholders a template may use; anything else in braces is a typo. */
export const TEMPLATE_PLACEHOLDERS = ['key', 'keys', 'page', 'perPage', 'cursor'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Placeholders of a follow endpoint: {since} is the time to list from (inclusive). */
export const FOLLOW_PLACEHOLDERS = ['since', 'page', 'perPage', 'cursor'] as const;

function placeholdersOf(templates: ReadonlyArray<string>): Set<string> {
  const used = new Set<string>();
  for (const template of templates) for (const match of template.matchAll(/\{(\w+)\}/g)) used.add(match[1] ?? '');
  return used;
}

export const jsonPathSchema = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const parsed = parseJsonPath(text);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

const fieldTypeSchema = z.enum(['string', 'int', 'float', 'boolean', 'datetime', 'date', 'json']);

/**
 * What to do with a source value missing from `values`: fail, give null, or keep it as is.
 * YAML reads a bare `otherwise: null` as null, so null means "null" too.
 */
const otherwiseSchema = z.union([z.enum(['error', 'null', 'keep']), z.null().transform(() => 'null' as const)]);

const valuesSchema = z.record(z.string(), z.string());

/** A property of the objects built by `each`: a path, or a path with a type and value renames. */
export const restSubFieldSchema = z.union([
  jsonPathSchema,
  z.object({ path: jsonPathSchema, type: fieldTypeSchema.optional(), values: valuesSchema.optional(), otherwise: otherwiseSchema.optional() }).strict(),
]);

/**
 * A canonical field: a JSON path inside a list item; or { path, values } to rename enum
 * values ("open" -> "OPEN"); or { path, each } to reshape a nested array (or an object
 * keyed by year) into canonical objects; or { join } to concatenate several parts.
 */
export const restFieldSchema = z.union([
  jsonPathSchema,
  z
    .object({
      path: jsonPathSchema,
      values: valuesSchema.optional(),
      otherwise: otherwiseSchema.optional(),
      each: z.record(z.string(), restSubFieldSchema).optional(),
    })
    .strict(),
  z.object({ join: z.array(jsonPathSchema).min(1), separator: z.string().default(' ') }).strict(),
]);

const perPage = z.int().min(1).max(1000).default(100);
const maxPages = z.int().min(1).max(10_000).default(50);

export const restPaginationSchema = z.discriminatedUnion('style', [
  z.object({ style: z.literal('none') }).strict(),
  /** {page} counts from firstPage; stops on a short page, hasMorePath null/false, or totalPagesPath reached. */
  z
    .object({
      style: z.literal('page'),
      perPage,
      firstPage: z.int().min(0).default(1),
      maxPages,
      hasMorePath: jsonPathSchema.optional(),
      totalPagesPath: jsonPathSchema.optional(),
    })
    .strict(),
  /** The reply's cursorPath gives the next {cursor}, or the next page's absolute URL; null ends. */
  z.object({ style: z.literal('cursor'), perPage, cursorPath: jsonPathSchema, maxPages }).strict(),
]);

export const restBatchSchema = z.object({ maxKeys: z.int().min(1).max(1000), separator: z.string().min(1).default(',') }).strict();

/** How a call is made and its items found: shared by lookup endpoints and follow endpoints. */
const restRequestFields = {
  method: z.enum(['GET', 'POST']).default('GET'),
  /** Relative to the source's baseUrl; may hold {key} (URL-encoded). */
  path: z.string().startsWith('/', 'the path starts with "/"'),
  /** Query parameter -> template; a parameter whose template is only an absent {cursor} is left out. */
  query: z.record(z.string(), z.string()).default({}),
  /** POST search body; a string that is exactly "{keys}" becomes the array of keys, "{page}" a number. */
  body: z.json().optional(),
  /** A POST that only reads (a search) may be retried; GET always is. */
  idempotent: z.boolean().optional(),
  /** Where the array of items is in the reply; "$" when the reply is the array. */
  list: jsonPathSchema.default('$'),
  pagination: restPaginationSchema.default({ style: 'none' }),
};

export const restEndpointSchema = z
  .object({
    ...restRequestFields,
    /** Several keys per call (`?emails=a,b,c`); without it, one call per key. */
    batch: restBatchSchema.optional(),
    /** The canonical field the keys are matched against, e.g. requesterEmail. */
    keyField: z.string().min(1),
    /** How the API compares keys; caseInsensitive lets the gateway send lower-cased keys. */
    keyMatch: z.enum(['exact', 'caseInsensitive']).default('exact'),
    /** A 404 means "nothing for this key" (GET /tickets/{key}); false makes it an error. */
    notFoundAsEmpty: z.boolean().default(true),
    /** A key that exists, for `c360 check` to probe the mapping with. */
    probeKey: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((endpoint, ctx) => {
    const used = placeholdersOf([endpoint.path, ...Object.values(endpoint.query), JSON.stringify(endpoint.body ?? null)]);
    for (const name of used) {
      if (!(TEMPLATE_PLACEHOLDERS as ReadonlyArray<string>).includes(name)) {
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}} (expected ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})` });
      }
    }
    if (endpoint.batch !== undefined && !used.has('keys')) {
      ctx.addIssue({ code: 'custom', path: ['batch'], message: 'a batched endpoint takes {keys} in its path, query or body' });
    }
    if (endpoint.batch === undefined && !used.has('key')) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'an endpoint without batch takes {key} in its path, query or body' });
    }
    if (endpoint.pagination.style === 'page' && !used.has('page')) {
      ctx.addIssue({ code: 'custom', path: ['pagination'], message: 'page pagination needs {page} in the query or body' });
    }
    if (endpoint.method === 'GET' && endpoint.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET has no body' });
    }
    if (endpoint.method === 'GET' && endpoint.idempotent === false) {
      ctx.addIssue({ code: 'custom', path: ['idempotent'], message: 'a GET is always idempotent' });
    }
  });

/**
 * The endpoint that lists an entity's items from a time on, oldest first (a helpdesk's
 * "tickets created since"), for triggers to follow new rows: {since} is an ISO 8601 time,
 * inclusive; the reply's items must come in ascending `timeField` order.
 */
export const restFollowSchema = z
  .object({
    ...restRequestFields,
    /** The canonical time field {since} bounds and the items are ordered by, e.g. createdAt. */
    timeField: z.string().min(1),
  })
  .strict()
  .superRefine((endpoint, ctx) => {
    const used = placeholdersOf([endpoint.path, ...Object.values(endpoint.query), JSON.stringify(endpoint.body ?? null)]);
    for (const name of used) {
      if (!(FOLLOW_PLACEHOLDERS as ReadonlyArray<string>).includes(name)) {
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}} (expected ${FOLLOW_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})` });
      }
    }
    if (!used.has('since')) ctx.addIssue({ code: 'custom', path: ['query'], message: 'a follow endpoint takes {since} in its path, query or body' });
    if (endpoint.pagination.style === 'page' && !used.has('page')) {
      ctx.addIssue({ code: 'custom', path: ['pagination'], message: 'page pagination needs {page} in the query or body' });
    }
    if (endpoint.method === 'GET' && endpoint.body !== undefined) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET has no body' });
    if (endpoint.method === 'GET' && endpoint.idempotent === false)
      ctx.addIssue({ code: 'custom', path: ['idempotent'], message: 'a GET is always idempotent' });
  });

export const restEntitySchema = z
  .object({
    source: z.string().min(1),
    /**
     * One endpoint, several looked up by different key fields (by email, by id), or both:
     * `endpoint` first, then `endpoints` (a mapping can add a lookup beside its main one).
     */
    endpoint: restEndpointSchema.optional(),
    endpoints: z.array(restEndpointSchema).min(1).optional(),
    /** Lists new items by time, for triggers (docs/triggers.md); optional. */
    follow: restFollowSchema.optional(),
    fields: z.record(z.string(), restFieldSchema),
  })
  .strict()
  .superRefine((entity, ctx) => {
    if (entity.endpoint === undefined && entity.endpoints === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'give endpoint, endpoints or both' });
    }
  });

const httpUrlSchema = z.string().refine(
  (value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'expected an http:// or https:// URL' },
);

export const restSourceSchema = z
  .object({
    kind: z.literal('rest'),
    baseUrl: httpUrlSchema,
    /** Bound on a whole load (all pages, retries and waits included). */
    timeoutMillis: z.int().min(1).max(600_000).default(5_000),
    /** Bound on one HTTP attempt; defaults to timeoutMillis. */
    attemptTimeoutMillis: z.int().min(1).max(600_000).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    retry: z
      .object({
        /** Attempts in all, the first included; 1 turns retries off. */
        maxAttempts: z.int().min(1).max(10).default(3),
        initialDelayMillis: z.int().min(0).max(60_000).default(100),
        maxDelayMillis: z.int().min(0).max(60_000).default(2_000),
      })
      .strict()
      .prefault({}),
    circuitBreaker: circuitBreakerSchema({ consecutiveFailures: 5, halfOpenAfterMillis: 10_000 }),
    /** Client-side token bucket; off when absent. */
    rateLimit: z
      .object({ requestsPerSecond: z.number().positive().max(10_000), burst: z.int().min(1).max(10_000).default(1) })
      .strict()
      .optional(),
    /** HTTP calls in flight at once for this source. */
    maxConcurrency: z.int().min(1).max(256).default(4),
    /** Reply cache; off when absent (c360 keeps no customer data unless the operator says so). */
    cache: z
      .object({
        ttlSeconds: z
          .number()
          .positive()
          .max(30 * 86_400),
        maxEntries: z.int().min(1).max(1_000_000).default(1_000),
      })
      .strict()
      .optional(),
  })
  .strict();

export type RawRestSource = z.input<typeof restSourceSchema>;
export type RawRestEntity = z.input<typeof restEntitySchema>;
export type ParsedRestSource = z.output<typeof restSourceSchema>;
export type ParsedRestEntity = z.output<typeof restEntitySchema>;
export type ParsedRestEndpoint = z.output<typeof restEndpointSchema>;
export type ParsedRestFollow = z.output<typeof restFollowSchema>;
export type ParsedRestField = z.output<typeof restFieldSchema>;
export type ParsedRestSubField = z.output<typeof restSubFieldSchema>;
