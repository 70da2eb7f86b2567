/** Query.triggerDeadLetters, Query.triggerFirings and Subscription.customerSignals. */
import { badUserInput } from '../errors/codes.js';
import type { CustomerSignal, QueryResolvers, SubscriptionResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import type { TriggerEngine } from './engine.js';
import type { Signal } from './signal.js';

const MAX_LIST = 100;

function engineOf(ctx: RequestContext, trigger: string | null | undefined): TriggerEngine {
  if (ctx.triggers === undefined) throw badUserInput('no triggers are configured (c360.yaml has no triggers section)', 'trigger');
  if (trigger != null && !ctx.triggers.knows(trigger)) throw badUserInput(`unknown trigger "${trigger}"`, 'trigger');
  return ctx.triggers;
}

function firstOf(first: number | null | undefined): number {
  const size = first ?? 20;
  if (size < 0 || size > MAX_LIST) throw badUserInput(`"first" must be between 0 and ${MAX_LIST}`, 'first');
  return size;
}

export function signalModel(signal: Signal): CustomerSignal {
  const { evidence } = signal;
  return {
    idempotencyKey: signal.idempotencyKey,
    trigger: signal.trigger,
    customerId: signal.customerId,
    firedAt: signal.firedAt,
    evidence: {
      events: evidence.events.map((event) => ({ ...event })),
      intent: evidence.intent == null ? null : { ...evidence.intent, categories: [...evidence.intent.categories] },
      segments: evidence.segments === undefined ? null : [...evidence.segments],
      cartAt: evidence.cartAt ?? null,
      storeVisitAt: evidence.storeVisitAt ?? null,
      openTickets: evidence.openTickets ?? null,
    },
  };
}

export const triggerQueryResolvers: Pick<QueryResolvers<RequestContext>, 'triggerDeadLetters' | 'triggerFirings'> = {
  triggerDeadLetters: async (_root, { trigger, first }, ctx) => {
    const letters = await engineOf(ctx, trigger).deadLetters(trigger ?? undefined, firstOf(first));
    return letters.map(({ rule, ...letter }) => ({ ...letter, trigger: rule }));
  },
  triggerFirings: (_root, { trigger, first }, ctx) =>
    engineOf(ctx, trigger)
      .firings(trigger, firstOf(first))
      .map((firing) => ({ ...firing, destinations: firing.destinations.map(({ name, outcome }) => ({ destination: name, outcome })) })),
};

export const triggerSubscriptionResolvers: SubscriptionResolvers<RequestContext> = {
  customerSignals: {
    subscribe: (_root, { trigger }, ctx) => engineOf(ctx, trigger).hub.subscribe(trigger),
    resolve: (signal: Signal) => signalModel(signal),
  },
};
