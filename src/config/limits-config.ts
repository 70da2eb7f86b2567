/**
 * The `limits` section of c360.yaml: what one request may ask, how
 * often a principal may ask, how many calls a source takes at once, and what the process
 * tells its operator. Every key has a safe default, so the section can be left out.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** Limits of one role; a role other than `default` states only what differs from it. */
const roleLimitsSchema = z
  .object({
    maxDepth: positiveInt,
    /** Field cost where a list counts its page size (`first`) times its children's cost. */
    maxCost: positiveInt,
    maxAliases: z.number().int().nonnegative(),
    maxDirectives: z.number().int().nonnegative(),
    maxTokens: positiveInt,
    /** Fields after every fragment spread is expanded in place: the hard cap on what a small document can ask. */
    maxFields: positiveInt,
    /** Largest `first` any field accepts; above it, BAD_USER_INPUT before any source is called. */
    maxPageSize: positiveInt,
    /** Operations (not HTTP requests: a batch counts each) per principal, as a token bucket. */
    rateLimit: z.object({ operationsPerMinute: positiveInt, burst: positiveInt }).strict(),
  })
  .strict();

export type RoleLimits = z.infer<typeof roleLimitsSchema>;

export const DEFAULT_ROLE_LIMITS: RoleLimits = {
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 30,
  maxDirectives: 30,
  maxTokens: 3_000,
  maxFields: 5_000,
  maxPageSize: 100,
  rateLimit: { operationsPerMinute: 1_200, burst: 100 },
};

const bulkheadSchema = z.object({ maxConcurrent: positiveInt, maxQueued: z.number().int().nonnegative() }).strict();
export type BulkheadLimits = z.infer<typeof bulkheadSchema>;
export const DEFAULT_BULKHEAD: BulkheadLimits = { maxConcurrent: 16, maxQueued: 64 };

export const observabilitySchema = z
  .object({
    metrics: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .default({ enabled: true }),
    /** OpenTelemetry spans per request and per source call; `console` prints them, `otlp` posts them to otlpUrl. */
    tracing: z
      .object({
        enabled: z.boolean().default(false),
        exporter: z.enum(['console', 'none', 'otlp']).default('console'),
        /** OTLP over HTTP (JSON): a collector's traces endpoint. */
        otlpUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4318/v1/traces'),
      })
      .strict()
      .default({ enabled: false, exporter: 'console', otlpUrl: 'http://127.0.0.1:4318/v1/traces' }),
  })
  .strict();

export const limitsSchema = z
  .object({
    /** Largest request body in bytes; beyond it, HTTP 413. */
    maxBodyBytes: positiveInt.default(1_048_576),
    /** Every source call of a request shares this deadline (the connectors' CallOptions.signal). */
    requestDeadlineMillis: positiveInt.default(15_000),
    /**
     * The end of the request deadline kept for the sources that answered: the calls still
     * outstanding this long before the deadline are cut (SOURCE_TIMEOUT from their source),
     * and that source fails at once for the rest of the request (src/gateway/deadline-reserve.ts).
     * Default: a quarter of requestDeadlineMillis. Must be below it.
     */
    deadlineReserveMillis: positiveInt.optional(),
    /** Arrays of operations in one POST; off unless configured. */
    batching: z
      .object({ enabled: z.boolean().default(false), maxOperations: positiveInt.default(10) })
      .strict()
      .default({ enabled: false, maxOperations: 10 }),
    /** Keyed by role (the principal's role, see docs/operations.md); `default` applies to everyone else. */
    roles: z.record(z.string(), roleLimitsSchema.partial().extend({ rateLimit: roleLimitsSchema.shape.rateLimit.optional() })).default({}),
    /** Concurrent calls per source beyond which calls queue, and the queue beyond which they fail fast. */
    bulkheads: z
      .object({ default: bulkheadSchema.optional(), sources: z.record(z.string(), bulkheadSchema).default({}) })
      .strict()
      .default({ sources: {} }),
    /** How long SIGTERM waits for in-flight requests before closing the pools anyway. */
    shutdownGraceMillis: positiveInt.default(10_000),
    /** On SIGTERM, how long to keep serving (not ready, every answer with Connection: close) before closing the listener: the load balancer's time to notice. */
    drainDelayMillis: z.number().int().min(0).max(120_000).default(0),
    observability: observabilitySchema.default({
      metrics: { enabled: true },
      tracing: { enabled: false, exporter: 'console', otlpUrl: 'http://127.0.0.1:4318/v1/traces' },
    }),
  })
  .strict()
  .refine((limits) => limits.deadlineReserveMillis === undefined || limits.deadlineReserveMillis < limits.requestDeadlineMillis, {
    message: 'deadlineReserveMillis must be below requestDeadlineMillis',
    path: ['deadlineReserveMillis'],
  });

export interface LimitsConfig {
  readonly maxBodyBytes: number;
  readonly requestDeadlineMillis: number;
  /** Absent: a quarter of requestDeadlineMillis (reserveMillisOf). */
  readonly deadlineReserveMillis?: number;
  readonly batching: { readonly enabled: boolean; readonly maxOperations: number };
  /** Always has `default`; every role is complete (merged over `default`). */
  readonly roles: Readonly<Record<string, RoleLimits>>;
  readonly bulkheads: { readonly default: BulkheadLimits; readonly sources: Readonly<Record<string, BulkheadLimits>> };
  readonly shutdownGraceMillis: number;
  readonly drainDelayMillis: number;
  readonly observability: {
    readonly metrics: { readonly enabled: boolean };
    readonly tracing: { readonly enabled: boolean; readonly exporter: 'console' | 'none' | 'otlp'; readonly otlpUrl: string };
  };
}

/** Roles merged over `default` (itself over the built-in defaults), so nothing downstream merges again. */
export function compileLimits(raw: z.infer<typeof limitsSchema>): LimitsConfig {
  const base: RoleLimits = { ...DEFAULT_ROLE_LIMITS, ...definedOnly(raw.roles.default ?? {}) };
  const roles: Record<string, RoleLimits> = { default: base };
  for (const [role, partial] of Object.entries(raw.roles)) {
    if (role !== 'default') roles[role] = { ...base, ...definedOnly(partial) };
  }
  return {
    maxBodyBytes: raw.maxBodyBytes,
    requestDeadlineMillis: raw.requestDeadlineMillis,
    ...(raw.deadlineReserveMillis === undefined ? {} : { deadlineReserveMillis: raw.deadlineReserveMillis }),
    batching: raw.batching,
    roles,
    bulkheads: { default: raw.bulkheads.default ?? DEFAULT_BULKHEAD, sources: raw.bulkheads.sources },
    shutdownGraceMillis: raw.shutdownGraceMillis,
    drainDelayMillis: raw.drainDelayMillis,
    observability: raw.observability,
  };
}

export const DEFAULT_LIMITS: LimitsConfig = compileLimits(limitsSchema.parse({}));

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
