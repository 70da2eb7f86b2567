/**
 * The `privacy` section of c360.yaml: who may call (API keys, JWT), which partners exist
 * with their pseudonym keys and persisted operations, the minimum group size, and where
 * the audit log is kept. Absent section: the gateway is open (see docs/privacy.md).
 */
import { z } from 'zod';

export const ROLES = ['admin', 'agent', 'analyst', 'partner'] as const;
export type Role = (typeof ROLES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 of the key, 64 lower-case hex digits');
const partnerName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'partner names are lower-case letters, digits, - and _');

const apiKeySchema = z
  .object({
    /** Names the key in the audit log; never the key itself. */
    id: z.string().min(1),
    sha256: sha256Hex,
    role: z.enum(ROLES),
    partner: partnerName.optional(),
  })
  .strict()
  .refine((key) => (key.role === 'partner') === (key.partner !== undefined), { message: 'a partner key names its partner, and only a partner key does' });

const jwtSchema = z
  .object({
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    /** HS256 shared secret; at least 32 bytes, as RFC 7518 §3.2 asks. */
    hs256Secret: z.string().min(32).optional(),
    /** RS256 keys, fetched and cached by jose. */
    jwksUrl: z.url().optional(),
    roleClaim: z.string().min(1).default('c360_role'),
    partnerClaim: z.string().min(1).default('c360_partner'),
    /** Every token must carry `exp`, at most this far after its `iat` (or after now, without `iat`). */
    maxLifetimeSeconds: z
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(3_600),
    /** Clock skew allowed on `exp`, `nbf` and `iat` (an `iat` further ahead is refused). */
    clockToleranceSeconds: z.int().min(0).max(300).default(30),
  })
  .strict()
  .refine((jwt) => jwt.hs256Secret !== undefined || jwt.jwksUrl !== undefined, { message: 'give hs256Secret, jwksUrl or both' });

const partnerSchema = z
  .object({
    /** HMAC-SHA256 key of this partner's pseudonyms; change it (and keyVersion) to rotate them. */
    pseudonymKey: z.string().min(32),
    keyVersion: z.int().min(1).default(1),
    /** Trusted documents: id -> GraphQL operation. Nothing else runs on /partner/graphql. */
    operations: z.record(z.string().regex(/^[\w.:-]{1,128}$/), z.string().min(1)),
  })
  .strict();

/** Where the chain's head is published after every append: a file outside the store (another disk or share), so truncation is seen. */
const anchorPath = z.string().min(1).optional();

const auditSchema = z.discriminatedUnion('store', [
  z.object({ store: z.literal('memory') }).strict(),
  z.object({ store: z.literal('file'), path: z.string().min(1), anchorPath }).strict(),
  z
    .object({
      store: z.literal('postgres'),
      url: z.string().regex(/^postgres(ql)?:\/\//),
      table: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('c360_audit'),
      anchorPath,
    })
    .strict(),
]);

export const privacySchema = z
  .object({
    auth: z.object({ apiKeys: z.array(apiKeySchema).default([]), jwt: jwtSchema.optional() }).strict(),
    partners: z.record(partnerName, partnerSchema).default({}),
    minGroupSize: z.int().min(2).max(1_000_000).default(10),
    /** What partner answers may release beyond k (docs/privacy.md, "Partner release policy"). */
    release: z
      .object({
        /** Released counts are rounded down to a multiple of this. */
        roundTo: z.int().min(1).default(5),
        /** An overlap needs at least this many hashes; default: the minimum group size. */
        minOverlapHashes: z.int().min(1).optional(),
        /** Discrete Laplace noise on every aggregate count, with a per-partner ε budget per period. Off unless given. */
        differentialPrivacy: z
          .object({ epsilonPerQuery: z.number().positive().max(10), epsilonPerPeriod: z.number().positive() })
          .strict()
          .optional(),
        /** Partner operations (any kind) per partner and period. */
        queriesPerPeriod: z.int().min(1).default(1_000),
        periodHours: z
          .number()
          .positive()
          .max(24 * 366)
          .default(24),
      })
      .strict()
      .default({ roundTo: 5, queriesPerPeriod: 1_000, periodHours: 24 }),
    /** Keys the customer pseudonyms written to the audit log, and (derived) the chain's MACs; keep it out of the audit store. */
    auditKey: z.string().min(32),
    audit: auditSchema.default({ store: 'file', path: 'c360-audit.jsonl' }),
  })
  .strict()
  .superRefine((privacy, ctx) => {
    privacy.auth.apiKeys.forEach((key, index) => {
      if (key.partner !== undefined && !Object.hasOwn(privacy.partners, key.partner)) {
        ctx.addIssue({
          code: 'custom',
          path: ['auth', 'apiKeys', index, 'partner'],
          message: `unknown partner "${key.partner}" (declared: ${Object.keys(privacy.partners).join(', ') || 'none'})`,
        });
      }
    });
  });

export type AuditStoreConfig = z.infer<typeof auditSchema>;
export type PrivacyConfig = z.infer<typeof privacySchema>;
export type PartnerConfig = PrivacyConfig['partners'][string];
export type ApiKeyConfig = PrivacyConfig['auth']['apiKeys'][number];
export type JwtConfig = NonNullable<PrivacyConfig['auth']['jwt']>;
