/**
 * Web and app behaviour of shop customers, in sessions: searches, product views, add-to-cart,
 * checkout started. Window shoppers browse hard in the last days and never buy: the intent
 * signal the insights are computed from.
 */
import type { DemoEvent, DemoProduct } from './world-types.js';
import { CATEGORIES, type CategorySpec } from './data/catalog.js';
import type { BuyerProfile, RealCustomer } from './people.js';
import { DAY_MILLIS, type Random } from './random.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EventDraft = Mutable<DemoEvent> & { millis: number };

/** Sessions per customer, [min, max], by profile. */
const SESSIONS: Readonly<Record<BuyerProfile, readonly [number, number]>> = {
  registered: [0, 2],
  window_shopper: [3, 5],
  first_time: [1, 3],
  second_time: [1, 3],
  occasional: [1, 4],
  frequent: [3, 8],
  big_spender: [2, 5],
  loyal: [2, 6],
  lapsed: [0, 1],
};

export function generateEvents(random: Random, customers: ReadonlyArray<RealCustomer>, products: ReadonlyArray<DemoProduct>, asOfMillis: number): DemoEvent[] {
  const byCategory = new Map<string, DemoProduct[]>();
  for (const product of products) {
    const list = byCategory.get(product.category) ?? [];
    list.push(product);
    byCategory.set(product.category, list);
  }
  const drafts: EventDraft[] = [];
  let sessionNumber = 0;
  for (const customer of customers) {
    const customerId = customer.shopCustomerIds[0];
    if (customerId === undefined) continue;
    const favorite = random.pick(CATEGORIES);
    const device = random.chance(0.35) ? 'app' : 'web';
    const [min, max] = SESSIONS[customer.buyer];
    const sessions = random.int(min, max);
    for (let s = 0; s < sessions; s++) {
      sessionNumber += 1;
      const startMillis = sessionStart(random, customer, asOfMillis);
      const session = {
        customerId,
        sessionId: `sess-${sessionNumber.toString(36).padStart(6, '0')}`,
        device,
        intense: customer.buyer === 'window_shopper',
      } as const;
      addSession(random, drafts, session, startMillis, random.chance(0.7) ? favorite : random.pick(CATEGORIES), byCategory, products);
    }
  }
  drafts.sort((a, b) => a.millis - b.millis);
  return drafts.map((draft, i) => ({
    id: i + 1,
    customerId: draft.customerId,
    type: draft.type,
    occurredAt: draft.occurredAt,
    productId: draft.productId,
    query: draft.query,
    sessionId: draft.sessionId,
    device: draft.device,
  }));
}

function sessionStart(random: Random, customer: RealCustomer, asOfMillis: number): number {
  const since = Math.max(customer.shopSinceMillis, asOfMillis - 730 * DAY_MILLIS);
  if (customer.buyer === 'window_shopper') return random.millisBetween(asOfMillis - 10 * DAY_MILLIS, asOfMillis - 3_600_000);
  if (customer.buyer === 'lapsed') return random.millisBetween(since, asOfMillis - 400 * DAY_MILLIS);
  if (random.chance(0.6)) return random.millisBetween(Math.max(since, asOfMillis - 90 * DAY_MILLIS), asOfMillis - 3_600_000);
  return random.millisBetween(since, asOfMillis - 3_600_000);
}

function addSession(
  random: Random,
  drafts: EventDraft[],
  session: { readonly customerId: number; readonly sessionId: string; readonly device: 'web' | 'app'; readonly intense: boolean },
  startMillis: number,
  category: CategorySpec,
  byCategory: ReadonlyMap<string, ReadonlyArray<DemoProduct>>,
  products: ReadonlyArray<DemoProduct>,
): void {
  let millis = startMillis;
  const push = (type: DemoEvent['type'], productId: number | null, query: string | null): void => {
    millis += random.int(5, 240) * 1000;
    drafts.push({
      id: 0,
      customerId: session.customerId,
      type,
      occurredAt: new Date(millis).toISOString(),
      millis,
      productId,
      query,
      sessionId: session.sessionId,
      device: session.device,
    });
  };
  const shelf = byCategory.get(category.name) ?? products;
  if (random.chance(session.intense ? 0.8 : 0.4)) push('search', null, random.pick(category.searches));
  const views = session.intense ? random.int(3, 8) : random.int(1, 4);
  let lastViewed: DemoProduct = random.pick(shelf);
  for (let v = 0; v < views; v++) {
    lastViewed = random.pick(shelf);
    push('product_view', lastViewed.id, null);
  }
  if (!random.chance(session.intense ? 0.9 : 0.3)) return;
  push('add_to_cart', lastViewed.id, null);
  if (random.chance(session.intense ? 0.6 : 0.4)) push('checkout_started', null, null);
}
