/**
 * The `identity` section of c360.yaml: deterministic rules in priority order, junk values,
 * the switchboard limit, and query-time probabilistic matching. Parsed here so the shared
 * config files only name it.
 */
import { z } from 'zod';
import { DEFAULT_PERSON_MODEL } from '../identity/person-model.js';
import { DEFAULT_EMAIL_PROVIDERS, DEFAULT_DOMAIN_TYPOS, type EmailRules } from '../identity/email-canonical.js';
import type { MatchModel } from '../identity/scoring.js';
import { DEFAULT_SURVIVORSHIP, SURVIVORSHIP_STRATEGIES, GOLDEN_FIELDS, type SurvivorshipConfig } from '../identity/survivorship.js';

/** Deterministic rules; ANCHOR and PROBABILISTIC are not configured here. */
export const DETERMINISTIC_RULES = ['EXTERNAL_ID', 'EMAIL', 'PHONE'] as const;
export type DeterministicRule = (typeof DETERMINISTIC_RULES)[number];

/** Canonical person fields a blocking predicate can use (a load on an equal value). */
export const BLOCKING_FIELDS = ['birthDate', 'lastName', 'firstName', 'postcode', 'nationalId'] as const;
export type BlockingField = (typeof BLOCKING_FIELDS)[number];
/** What a part of a compound blocking rule can be: a blocking field, or the year of the birth date. */
export const BLOCKING_PARTS = [...BLOCKING_FIELDS, 'birthYear'] as const;
export type BlockingPart = (typeof BLOCKING_PARTS)[number];
/**
 * A blocking rule: records with an equal value of one field, or (a compound rule) equal
 * values of every part: `[lastName, birthYear]` is the people of one surname born in one
 * year, a few dozen rows where the surname alone is a thousand.
 */
export type BlockingRule = BlockingField | ReadonlyArray<BlockingPart>;

const compoundRuleSchema = z
  .array(z.enum(BLOCKING_PARTS))
  .min(2)
  .max(3)
  .refine((parts) => new Set(parts).size === parts.length, { message: 'a part is listed twice' })
  .refine((parts) => !(parts.includes('birthYear') && parts.includes('birthDate')), { message: 'birthYear and birthDate in one rule' });

const levelSchema = z.object({ name: z.string().min(1), m: z.number().gt(0).lt(1), u: z.number().gt(0).lt(1) }).strict();
const comparisonSchema = z.union([
  z.object({ kind: z.literal('jaroWinkler'), thresholds: z.array(z.number().min(0).max(1)).min(1) }).strict(),
  z.object({ kind: z.literal('exact') }).strict(),
  z.object({ kind: z.literal('date') }).strict(),
  z.object({ kind: z.literal('street'), thresholds: z.array(z.number().min(0).max(1)).min(1) }).strict(),
]);
const modelSchema = z
  .object({
    prior: z.number().gt(0).lt(1),
    fields: z
      .array(
        z
          .object({
            field: z.enum(['givenName', 'surname', 'birthDate', 'postcode', 'street', 'city', 'nationalId']),
            normalize: z.enum(['personName', 'street', 'city', 'postcode', 'date', 'trim', 'identifier']),
            comparison: comparisonSchema,
            levels: z.array(levelSchema).min(2),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const probabilisticSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Match probability above which two records are one customer. */
    linkAbove: z.number().min(0).max(1).default(0.95),
    /** Above this and not above linkAbove: shown as a possible duplicate, never merged. */
    reviewAbove: z.number().min(0).max(1).default(0.5),
    /** Blocking rules, unioned: a field (`lastName`) or a compound rule (`[lastName, birthYear]`). */
    blocking: z
      .array(z.union([z.enum(BLOCKING_FIELDS), compoundRuleSchema]))
      .min(1)
      .default(['birthDate', 'lastName', 'postcode']),
    /** Candidates read per blocking value: bounds what resolving one customer reads. */
    candidatesPerBlock: z.int().min(1).max(1000).default(50),
    /** Rows read per blocking value, ranked by a cheap similarity to the record before candidatesPerBlock are kept. */
    blockReadLimit: z.int().min(1).max(5000).default(200),
    /** A block over blockReadLimit is read whole up to this many rows and ranked; a larger one is not blocked on. */
    maxBlockRows: z.int().min(1).max(100_000).default(5_000),
    /** Look for duplicates inside the anchor's own source too (two CRM contacts of one person). */
    sameSource: z.boolean().default(true),
    /** Hold back (as a candidate) a pair whose given name or surname is nothing alike, unless the birth dates are equal. */
    namesMustAgree: z.boolean().default(true),
    /** Direct links resolved one hop further (A–B, B–C gives A–C); 0 turns the hop off. Costs at most one more load per blocking field. */
    transitiveLinks: z.int().min(0).max(20).default(0),
    /** Score a pair whose given name and surname agree crosswise as if written the right way round. */
    swappedNames: z.boolean().default(true),
    /** Same birth date, given names that cannot be one person's: twins, never linked by score. */
    twinsApart: z.boolean().default(true),
    model: modelSchema.optional(),
  })
  .strict()
  .refine((p) => p.linkAbove >= p.reviewAbove, { message: 'linkAbove must be at least reviewAbove', path: ['linkAbove'] })
  .refine((p) => p.maxBlockRows >= p.blockReadLimit, { message: 'maxBlockRows must be at least blockReadLimit', path: ['maxBlockRows'] });

const fieldRuleSchema = z.object({ strategy: z.enum(SURVIVORSHIP_STRATEGIES), sources: z.array(z.string().min(1)).optional() }).strict();
/** Per golden field: which record wins; a field without a rule uses `default`. */
const survivorshipSchema = z
  .object({
    default: fieldRuleSchema.default({ strategy: 'sourcePriority' }),
    fields: z.partialRecord(z.enum(GOLDEN_FIELDS), fieldRuleSchema).default({}),
  })
  .strict();

const emailProviderSchema = z
  .object({
    ignoreDots: z.boolean().default(false),
    subaddress: z.string().length(1).nullable().default(null),
    aliases: z.array(z.string().min(3)).default([]),
  })
  .strict();

/** Mailbox rules: per provider domain, what its local parts ignore; mistyped domains → the one meant. */
const emailSchema = z
  .object({
    /** Added to (or replacing, per domain) the built-in providers (gmail.com dots and tags, Outlook tags…). */
    providers: z.record(z.string().min(3), emailProviderSchema.nullable()).default({}),
    /** Added to the built-in typos (gmial.com, hotmial.fr, orange.fe…). */
    domainTypos: z.record(z.string().min(3), z.string().min(3)).default({}),
    /** Use the built-in providers and typos; false: only those configured here. */
    builtIn: z.boolean().default(true),
  })
  .strict();

export const identitySchema = z
  .object({
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 region such as FR')
      .default('FR'),
    blocklist: z.array(z.string()).default([]),
    maxRecordsPerIdentifier: z.int().min(1).max(1000).default(3),
    /** Deterministic rules used, strongest first; a rule left out links nobody. */
    rules: z
      .array(z.enum(DETERMINISTIC_RULES))
      .refine((rules) => new Set(rules).size === rules.length, { message: 'a rule is listed twice' })
      .default([...DETERMINISTIC_RULES]),
    probabilistic: probabilisticSchema.default({
      enabled: false,
      linkAbove: 0.95,
      reviewAbove: 0.5,
      blocking: ['birthDate', 'lastName', 'postcode'],
      candidatesPerBlock: 50,
      blockReadLimit: 200,
      maxBlockRows: 5_000,
      sameSource: true,
      namesMustAgree: true,
      transitiveLinks: 0,
      swappedNames: true,
      twinsApart: true,
    }),
    survivorship: survivorshipSchema.default({ default: { strategy: 'sourcePriority' }, fields: {} }),
    email: emailSchema.default({ providers: {}, domainTypos: {}, builtIn: true }),
    /** A shared email or phone links only records whose names and birth dates allow one person; the others are a household. */
    sharedIdentifierGuard: z.boolean().default(true),
  })
  .strict();

export type RawIdentityConfig = z.infer<typeof identitySchema>;

export interface ProbabilisticConfig {
  readonly enabled: boolean;
  readonly linkAbove: number;
  readonly reviewAbove: number;
  readonly blocking: ReadonlyArray<BlockingRule>;
  readonly candidatesPerBlock: number;
  /** Rows read per blocking value and ranked before the candidatesPerBlock cap. */
  readonly blockReadLimit: number;
  readonly maxBlockRows: number;
  readonly sameSource: boolean;
  readonly namesMustAgree: boolean;
  /** How many direct links (the most probable) are resolved one hop further; 0: none. */
  readonly transitiveLinks: number;
  /** Score crosswise-agreeing names (given name in the surname field and back) the right way round. */
  readonly swappedNames: boolean;
  /** Same birth date and incompatible given names (twins) is never linked by score. */
  readonly twinsApart: boolean;
  readonly model: MatchModel;
}

export interface IdentityConfig {
  /** Region for phone numbers written without a country code. */
  readonly defaultRegion: string;
  /** Identifier values that never link anyone, beyond the built-in list. */
  readonly blocklist: ReadonlyArray<string>;
  /** An identifier held by more records than this in one source links nobody (a switchboard). */
  readonly maxRecordsPerIdentifier: number;
  /** Deterministic rules in use, strongest first. */
  readonly rules: ReadonlyArray<DeterministicRule>;
  readonly probabilistic: ProbabilisticConfig; /** Which record's value each golden field keeps. */
  readonly survivorship: SurvivorshipConfig;
  /** Mailbox rules: provider dots and tags, alias domains, domain typos. */
  readonly email: EmailRules;
  /** Records sharing an identifier link only when nothing says they are two people. */
  readonly sharedIdentifierGuard: boolean;
}

export const DEFAULT_IDENTITY_CONFIG: IdentityConfig = compileIdentityConfig(identitySchema.parse({}));

export function compileIdentityConfig(raw: RawIdentityConfig): IdentityConfig {
  const { model, ...probabilistic } = raw.probabilistic;
  return {
    defaultRegion: raw.defaultRegion,
    blocklist: raw.blocklist,
    maxRecordsPerIdentifier: raw.maxRecordsPerIdentifier,
    rules: raw.rules,
    probabilistic: { ...probabilistic, model: model ?? DEFAULT_PERSON_MODEL },
    survivorship: compileSurvivorship(raw.survivorship),
    email: compileEmailRules(raw.email),
    sharedIdentifierGuard: raw.sharedIdentifierGuard,
  };
}

function compileEmailRules(raw: RawIdentityConfig['email']): EmailRules {
  const providers: Record<string, EmailRules['providers'][string]> = raw.builtIn ? { ...DEFAULT_EMAIL_PROVIDERS } : {};
  for (const [domain, rule] of Object.entries(raw.providers)) {
    if (rule === null) delete providers[domain.toLowerCase()];
    else providers[domain.toLowerCase()] = rule;
  }
  const typos = {
    ...(raw.builtIn ? DEFAULT_DOMAIN_TYPOS : {}),
    ...Object.fromEntries(Object.entries(raw.domainTypos).map(([typo, meant]) => [typo.toLowerCase(), meant.toLowerCase()])),
  };
  return { providers, domainTypos: typos };
}

function compileSurvivorship(raw: RawIdentityConfig['survivorship']): SurvivorshipConfig {
  const rule = (field: { strategy: SurvivorshipConfig['default']['strategy']; sources?: string[] | undefined }) => ({
    strategy: field.strategy,
    sources: field.sources ?? DEFAULT_SURVIVORSHIP.default.sources,
  });
  const fields = Object.fromEntries(Object.entries(raw.fields).flatMap(([field, value]) => (value === undefined ? [] : [[field, rule(value)]])));
  return { default: rule(raw.default), fields };
}
