/**
 * The `triggers:` section of c360.yaml: conditions over the customer view that fire when a
 * customer crosses into them, the consent each needs, and where the signal goes (webhooks,
 * NATS JetStream, RabbitMQ; the GraphQL subscription always listens). docs/triggers.md.
 * Cross-references (destinations, segments, partners) are checked in `checkTriggers`.
 */
import { z } from 'zod';
import { ROLES } from './privacy-config.js';

const name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'names are lower-case letters, digits, - and _');
const millis = z.int().min(1).max(3_600_000);

const retrySchema = z
  .object({
    /** Tries in all, the first included; then the signal is dead-lettered. */
    maxAttempts: z.int().min(1).max(50).default(5),
    initialMillis: millis.default(500),
    maxMillis: millis.default(30_000),
  })
  .strict();
const DEFAULT_RETRY = { maxAttempts: 5, initialMillis: 500, maxMillis: 30_000 };

const common = {
  /** Whose field policies shape the payload: admin, agent, analyst or partner. */
  role: z.enum(ROLES).default('analyst'),
  /** For role partner: the partner whose pseudonyms the payload carries (privacy.partners). */
  partner: name.optional(),
  /** Customer fields added to the payload when the role may read them. */
  fields: z.array(z.enum(['email', 'phone', 'displayName'])).default([]),
  retry: retrySchema.default(DEFAULT_RETRY),
  timeoutMillis: millis.default(5_000),
};

const webhookSchema = z
  .object({
    kind: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC-SHA256 key of the signature header; at least 32 characters. */
    secret: z.string().min(32),
    ...common,
  })
  .strict();

const natsSchema = z
  .object({
    kind: z.literal('nats'),
    url: z.string().regex(/^nats:\/\/[^\s]+$/, 'expected nats://host:port'),
    /** The JetStream stream; created with `subject` when missing. */
    stream: z.string().regex(/^[A-Za-z0-9_-]+$/),
    subject: z.string().regex(/^[A-Za-z0-9_.>*-]+$/),
    ...common,
  })
  .strict();

const rabbitmqSchema = z
  .object({
    kind: z.literal('rabbitmq'),
    url: z.string().regex(/^amqps?:\/\/[^\s]+$/, 'expected amqp://user:password@host:port'),
    /** A durable queue, declared when missing; messages go to it through the default exchange. */
    queue: z.string().min(1).max(255),
    ...common,
  })
  .strict();

const destinationSchema = z.discriminatedUnion('kind', [webhookSchema, natsSchema, rabbitmqSchema]);

const level = z.enum(['LOW', 'MEDIUM', 'HIGH']);
const conditionSchema = z
  .object({
    /** Intent reaches this level (for this category of products, when given). */
    intent: z
      .object({ level, category: z.string().min(1).optional() })
      .strict()
      .optional(),
    /** About to buy (a cart or checkout lately, no order since), for this category when given. */
    aboutToBuy: z
      .object({ category: z.string().min(1).optional() })
      .strict()
      .optional(),
    /** A segment (insights.segments) entered or left. */
    segment: z
      .object({ id: z.string().min(1), on: z.enum(['enter', 'leave']).default('enter') })
      .strict()
      .optional(),
    /** The first store visit after a web add-to-cart of the last `withinHours`. */
    storeVisitAfterCart: z
      .object({
        withinHours: z
          .int()
          .min(1)
          .max(24 * 90)
          .default(72),
      })
      .strict()
      .optional(),
    /** An open (OPEN or PENDING) helpdesk ticket on a customer in this segment. */
    openTicket: z
      .object({ segment: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((when) => Object.values(when).filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of intent, aboutToBuy, segment, storeVisitAfterCart or openTicket',
  });

const ruleSchema = z
  .object({
    when: conditionSchema,
    /** The consent purpose the customer must have granted (latest record GRANTED). */
    consent: z.string().min(1),
    destinations: z.array(name).min(1),
    /** Evaluate and report who would fire, send nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict();

const stateSchema = z.discriminatedUnion('store', [
  z.object({ store: z.literal('memory') }).strict(),
  z
    .object({
      store: z.literal('postgres'),
      url: z.string().regex(/^postgres(ql)?:\/\//),
      table: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('c360_trigger'),
    })
    .strict(),
]);

export const triggersSchema = z
  .object({
    /** How often the sources are asked for new rows. */
    pollMillis: z.int().min(50).max(600_000).default(1_000),
    /** New rows read per source per poll; more wait for the next poll. */
    batchSize: z.int().min(1).max(10_000).default(500),
    /** Signals waiting per destination; beyond, the poller waits (back-pressure). */
    maxQueued: z.int().min(1).max(100_000).default(1_000),
    /** With no watermark kept yet: `now` skips the rows already there, `beginning` evaluates them all. */
    startFrom: z.enum(['now', 'beginning']).default('now'),
    /** Every rule in dry-run: evaluated and listed, nothing sent. */
    dryRun: z.boolean().default(false),
    /** Where the watermarks, last states and dead letters are kept. */
    state: stateSchema.default({ store: 'memory' }),
    destinations: z.record(name, destinationSchema).default({}),
    rules: z.record(name, ruleSchema),
  })
  .strict();

export type TriggersConfig = z.infer<typeof triggersSchema>;
export type DestinationConfig = z.infer<typeof destinationSchema>;
export type TriggerRule = z.infer<typeof ruleSchema>;
export type TriggerCondition = z.infer<typeof conditionSchema>;
export type TriggerStateConfig = z.infer<typeof stateSchema>;

export interface TriggerCheckContext {
  readonly segmentIds: ReadonlyArray<string>;
  readonly partners: ReadonlyArray<string>;
  readonly mappedEntities: ReadonlyArray<string>;
}

/** Every cross-reference problem of the section, as (path under triggers, message). */
export function checkTriggers(triggers: TriggersConfig, context: TriggerCheckContext): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const declared = Object.keys(triggers.destinations);
  const segment = (id: string, path: Array<string | number>) => {
    if (!context.segmentIds.includes(id)) problems.push({ path, message: `unknown segment "${id}" (known: ${context.segmentIds.join(', ')})` });
  };
  for (const [ruleName, rule] of Object.entries(triggers.rules)) {
    rule.destinations.forEach((destination, index) => {
      if (!declared.includes(destination))
        problems.push({
          path: ['rules', ruleName, 'destinations', index],
          message: `unknown destination "${destination}" (declared: ${declared.join(', ') || 'none'})`,
        });
    });
    if (rule.when.segment !== undefined) segment(rule.when.segment.id, ['rules', ruleName, 'when', 'segment', 'id']);
    if (rule.when.openTicket !== undefined) segment(rule.when.openTicket.segment, ['rules', ruleName, 'when', 'openTicket', 'segment']);
    if (!context.mappedEntities.includes('consent'))
      problems.push({ path: ['rules', ruleName, 'consent'], message: 'no consent entity is mapped, so no customer could ever consent' });
    if (rule.when.storeVisitAfterCart !== undefined && !context.mappedEntities.includes('interaction')) {
      problems.push({
        path: ['rules', ruleName, 'when', 'storeVisitAfterCart'],
        message: 'store visits are CRM interactions, and no interaction entity is mapped',
      });
    }
  }
  for (const [destinationName, destination] of Object.entries(triggers.destinations)) {
    const path = ['destinations', destinationName, 'partner'];
    if ((destination.role === 'partner') !== (destination.partner !== undefined))
      problems.push({ path, message: 'a partner destination names its partner, and only a partner destination does' });
    else if (destination.partner !== undefined && !context.partners.includes(destination.partner)) {
      problems.push({ path, message: `unknown partner "${destination.partner}" (privacy.partners: ${context.partners.join(', ') || 'none'})` });
    }
  }
  return problems;
}
