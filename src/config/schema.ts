/**
 * The raw shape of c360.yaml, as zod schemas. Objects are strict so that a typo'd key is
 * reported instead of ignored. Cross-references (a source named by an entity, canonical
 * field names) are checked in ./parse.ts, where the canonical model is known.
 */
import { z } from 'zod';
import { DATE_FORMATS } from '../../connectors/sql/date-format.js';
import { circuitBreakerSchema } from '../../connectors/rest/schema.js';
import { limitsSchema } from './limits-config.js';
import { insightsSchema } from './insights-config.js';
import { analyticsSchema } from './analytics-config.js';
import { privacySchema } from './privacy-config.js';
import { uiSchema } from './ui-config.js';
import { identitySchema } from './identity-config.js';
import { triggersSchema } from './triggers-config.js';
import { redisSchema } from './redis-config.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const port = z.int().min(0).max(65535);

export const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(4000),
    development: z.boolean().default(false),
    /** Host header names the gateway answers for, beyond its bind address (and localhost when bound to loopback): DNS rebinding. */
    hostNames: z.array(z.string().min(1)).optional(),
    /** Serve the schema as an Apollo Federation v2 subgraph (src/gateway/subgraph.ts). */
    federation: z.boolean().default(false),
  })
  .strict();

const databaseUrl = (protocols: ReadonlyArray<string>) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** An IANA zone name the runtime knows (Europe/Paris, America/New_York, UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const sqlSourceFields = {
  /** Zone of datetimes stored without one (MySQL DATETIME, PostgreSQL timestamp): local time of the stores. */
  timezone: z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' }).optional(),
  pool: z
    .object({ max: z.int().min(1).max(500).default(10) })
    .strict()
    .default({ max: 10 }),
  timeoutMillis: z.int().min(1).max(600_000).default(5_000),
  connectTimeoutMillis: z.int().min(1).max(120_000).default(3_000),
  /** The REST sources' breaker shape (src/gateway/sql-breaker.ts): opens after that many timeouts or outages in a row. */
  circuitBreaker: circuitBreakerSchema({ consecutiveFailures: 3, halfOpenAfterMillis: 2_000 }),
};

export const postgresSourceSchema = z.object({ kind: z.literal('postgres'), url: databaseUrl(['postgres:', 'postgresql:']), ...sqlSourceFields }).strict();

export const mysqlSourceSchema = z.object({ kind: z.literal('mysql'), url: databaseUrl(['mysql:', 'mariadb:']), ...sqlSourceFields }).strict();

const whereScalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * One column's condition in `where`: a scalar (equality), null, a list (IN), or an object
 * of operators. Read by ./parse.ts, which dispatches on the shape so a mistake gets a
 * message naming the accepted forms instead of zod's "Invalid input".
 */
export const whereOperatorsSchema = z
  .object({
    in: z.array(whereScalar).min(1).optional(),
    notIn: z.array(whereScalar).min(1).optional(),
    null: z.literal(true).optional(),
    notNull: z.literal(true).optional(),
    gt: whereScalar.optional(),
    gte: whereScalar.optional(),
    lt: whereScalar.optional(),
    lte: whereScalar.optional(),
  })
  .strict();
export const whereListSchema = z.array(whereScalar).min(1);

const enumReadingFields = {
  /** Stored value -> canonical value. */
  values: z.record(z.string(), z.string()).optional(),
  /** The canonical value of a stored value `values` does not map; null: read as null. */
  otherwise: z.string().nullable().optional(),
  format: z.enum(DATE_FORMATS).optional(),
};

export const columnFieldSchema = z.object({ column: z.string().min(1), ...enumReadingFields }).strict();
export const constFieldSchema = z.object({ const: scalar }).strict();
export const relatedFieldSchema = z
  .object({
    related: z
      .object({
        /** The related table (`schema.table` allowed). */
        table: z.string().min(1),
        /** Its column holding the value. */
        column: z.string().min(1),
        /** Its column that refers to this entity's row. */
        joinOn: z.string().min(1),
        /** This entity's column it refers to; default: the column of the entity's key. */
        localColumn: z.string().min(1).optional(),
        /** Which related row when several match: the latest or the first by `orderBy`. */
        pick: z.enum(['latest', 'first']).default('latest'),
        orderBy: z.string().min(1),
        /** Conditions on the related rows (the same language as the entity's `where`). */
        where: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
    ...enumReadingFields,
  })
  .strict();

export const sqlEntitySchema = z
  .object({
    source: z.string().min(1),
    table: z.string().min(1),
    key: z.string().min(1).optional(),
    /** Canonical field -> a column name, `{ column, values, otherwise }`, `{ const }` or `{ related }` (./parse.ts). */
    fields: z.record(z.string(), z.unknown()),
    /** Column -> condition every row must meet (Odoo's active = true; `status: [a, b]`; `{ notNull: true }`). */
    where: z.record(z.string(), z.unknown()).default({}),
    /** Canonical field → key match → a column holding the normalized value, read by name in lookups. */
    normalizedColumns: z.record(z.string(), z.partialRecord(z.enum(['caseInsensitive', 'digits', 'email']), z.string().min(1))).optional(),
  })
  .strict();

/** The top level; sources and entities are checked per kind in ./parse.ts. */
export const topLevelSchema = z
  .object({
    server: serverSchema.default({ host: '127.0.0.1', port: 4000, development: false, federation: false }),
    sources: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'source names are lower-case letters, digits and _'), z.looseObject({ kind: z.string() })),
    /** An entity's mapping, or a list of mappings in several sources (one each, the first primary). */
    entities: z.record(z.string(), z.union([z.looseObject({ source: z.string() }), z.array(z.looseObject({ source: z.string() })).min(1)])),
    identity: identitySchema.default(identitySchema.parse({})),
    /** Auth, partners, audit (./privacy-config.ts); absent: an open gateway. */
    privacy: privacySchema.optional(),
    /** Query limits, overload protection, metrics and tracing (./limits-config.ts). */
    limits: limitsSchema.default(limitsSchema.parse({})),
    /** RFM window, intent weights and the segment map (./insights-config.ts). */
    insights: insightsSchema,
    /** What one cube query may cost (./analytics-config.ts). */
    analytics: analyticsSchema.default(analyticsSchema.parse({})),
    /** Intent triggers to webhooks, brokers and subscriptions (./triggers-config.ts); absent: none. */
    triggers: triggersSchema.optional(),
    /** State shared by replicas (./redis-config.ts); absent: in process. */
    redis: redisSchema.optional(),
    /** Sign-in and links to source systems for the pages (./ui-config.ts). */
    ui: uiSchema.optional(),
  })
  .strict();
