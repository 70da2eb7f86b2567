/**
 * The shop's catalogue, orders and order lines. Each buying customer places orders that fit
 * their profile (first-time, frequent, big spender, lapsed…) within the two years before asOf;
 * order totals are the exact sum of their lines, computed in cents.
 */
import type { DemoOrder, DemoOrderLine, DemoProduct, DemoShopCustomer } from './world-types.js';
import { CATEGORIES, storesOf } from './data/catalog.js';
import type { BuyerProfile, RealCustomer } from './people.js';
import { DAY_MILLIS, type Random } from './random.js';

export interface Commerce {
  readonly orders: DemoOrder[];
  readonly orderLines: DemoOrderLine[];
}

export function generateProducts(random: Random): DemoProduct[] {
  const products: DemoProduct[] = [];
  for (const category of CATEGORIES) {
    let number = 0;
    for (const item of category.items) {
      const brands = random.shuffle([...category.brands]).slice(0, random.int(2, 3));
      for (const brand of brands) {
        number += 1;
        const euros = Math.floor(random.float(category.minPrice, category.maxPrice));
        products.push({
          id: products.length + 1,
          sku: `${category.code}-${String(number * 7 + 1000).padStart(5, '0')}`,
          name: `${item} ${brand}`,
          category: category.name,
          brand,
          price: euros + random.pick([0.9, 0.99, 0.5, 0]),
        });
      }
    }
  }
  return products;
}

/** Orders each profile places, relative to the others; fixed ones ignore the requested mean. */
const ORDER_WEIGHT: Readonly<Record<BuyerProfile, number>> = {
  registered: 0,
  window_shopper: 0,
  first_time: 0,
  second_time: 0,
  occasional: 1,
  frequent: 3,
  big_spender: 0.6,
  loyal: 1.8,
  lapsed: 0.8,
};
const FIXED_ORDERS: Partial<Record<BuyerProfile, number>> = { first_time: 1, second_time: 2 };

interface OrderDraft {
  readonly customerId: number;
  readonly placedMillis: number;
  readonly bigSpender: boolean;
  readonly storeCode: string;
  readonly favorite: string;
}

/** What a line of an order or a store receipt says of its product: the product, the unit price paid (cents), the quantity and the line's total. */
export function pricedLine(product: DemoProduct, unitCents: number, quantity: number) {
  return {
    productId: product.id,
    sku: product.sku,
    productName: product.name,
    quantity,
    unitPrice: unitCents / 100,
    lineTotal: (unitCents * quantity) / 100,
  };
}

export interface OrderOptions {
  readonly asOfMillis: number;
  /** Average orders per buying customer. */
  readonly ordersPerCustomer: number;
  /** Overrides the average: aim for this many orders in all. */
  readonly totalOrders?: number;
}

export function generateOrders(
  random: Random,
  customers: ReadonlyArray<RealCustomer>,
  shopCustomers: ReadonlyArray<DemoShopCustomer>,
  products: ReadonlyArray<DemoProduct>,
  options: OrderOptions,
): Commerce {
  const { asOfMillis } = options;
  const buyers = customers.filter((c) => c.shopCustomerIds.length > 0 && c.buyer !== 'registered' && c.buyer !== 'window_shopper');
  let fixed = 0;
  let weights = 0;
  for (const buyer of buyers) {
    fixed += FIXED_ORDERS[buyer.buyer] ?? 0;
    weights += ORDER_WEIGHT[buyer.buyer];
  }
  const target = options.totalOrders ?? options.ordersPerCustomer * buyers.length;
  // Scale of the variable profiles so that the expected total meets the target.
  const scale = weights > 0 ? Math.max(1, (target - fixed) / weights) : 1;

  const drafts: OrderDraft[] = [];
  for (const buyer of buyers) {
    const favorite = random.pick(CATEGORIES).name;
    const count = FIXED_ORDERS[buyer.buyer] ?? Math.max(1, Math.round(scale * ORDER_WEIGHT[buyer.buyer] * random.float(0.5, 1.5)));
    const windowStart = Math.max(buyer.shopSinceMillis, asOfMillis - 730 * DAY_MILLIS);
    for (let n = 0; n < count; n++) {
      const placedMillis = orderTime(random, buyer.buyer, n, count, windowStart, asOfMillis);
      drafts.push({
        customerId: accountAt(random, buyer, shopCustomers, placedMillis),
        placedMillis,
        bigSpender: buyer.buyer === 'big_spender',
        storeCode: buyer.storeCode,
        favorite,
      });
    }
  }
  // Ids follow time, as a shop's auto-increment does.
  drafts.sort((a, b) => a.placedMillis - b.placedMillis);
  return buildOrders(random, drafts, products, asOfMillis);
}

function orderTime(random: Random, buyer: BuyerProfile, n: number, count: number, windowStart: number, asOfMillis: number): number {
  const recentStart = (days: number): number => Math.max(windowStart, asOfMillis - days * DAY_MILLIS);
  switch (buyer) {
    case 'first_time':
      return random.millisBetween(recentStart(60), asOfMillis);
    case 'second_time':
      return n === count - 1 ? random.millisBetween(recentStart(90), asOfMillis) : random.millisBetween(windowStart, recentStart(90));
    case 'lapsed':
      return random.millisBetween(windowStart, asOfMillis - 400 * DAY_MILLIS);
    case 'frequent':
      return n === 0 ? random.millisBetween(recentStart(30), asOfMillis) : random.millisBetween(windowStart, asOfMillis);
    case 'registered':
    case 'window_shopper':
    case 'occasional':
    case 'big_spender':
    case 'loyal':
      return random.millisBetween(windowStart, asOfMillis);
    default: {
      const unreachable: never = buyer;
      throw new Error(`unknown buyer profile ${String(unreachable)}`);
    }
  }
}

/** A customer with a duplicate shop account uses either one once both exist. */
function accountAt(random: Random, buyer: RealCustomer, shopCustomers: ReadonlyArray<DemoShopCustomer>, placedMillis: number): number {
  const [primary, duplicate] = buyer.shopCustomerIds as [number, number | undefined];
  if (duplicate === undefined || random.chance(0.6)) return primary;
  const openedAt = shopCustomers[duplicate - 1]?.createdAt;
  return openedAt !== undefined && Date.parse(openedAt) <= placedMillis ? duplicate : primary;
}

function buildOrders(random: Random, drafts: ReadonlyArray<OrderDraft>, products: ReadonlyArray<DemoProduct>, asOfMillis: number): Commerce {
  const byCategory = new Map<string, DemoProduct[]>();
  for (const product of products) {
    const list = byCategory.get(product.category) ?? [];
    list.push(product);
    byCategory.set(product.category, list);
  }
  const premium = [...products].sort((a, b) => b.price - a.price).slice(0, Math.ceil(products.length / 3));
  const orders: DemoOrder[] = new Array<DemoOrder>(drafts.length);
  const orderLines: DemoOrderLine[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as OrderDraft;
    const orderId = i + 1;
    const channel = random.chance(0.65) ? 'web' : 'store';
    const lineCount =
      random.weighted<number>([
        [1, 45],
        [2, 30],
        [3, 15],
        [4, 7],
        [5, 3],
      ]) + (draft.bigSpender ? 1 : 0);
    let totalCents = 0;
    for (let l = 0; l < lineCount; l++) {
      const pool = draft.bigSpender ? premium : random.chance(0.6) ? (byCategory.get(draft.favorite) ?? products) : products;
      const product = random.pick(pool);
      const quantity =
        random.weighted<number>([
          [1, 80],
          [2, 15],
          [3, 5],
        ]) + (draft.bigSpender && random.chance(0.3) ? 1 : 0);
      const priceCents = Math.round(product.price * 100);
      // Sales and loyalty discounts: 20 % off now and then.
      const unitCents = random.chance(0.15) ? Math.round(priceCents * 0.8) : priceCents;
      totalCents += unitCents * quantity;
      orderLines.push({ id: orderLines.length + 1, orderId, ...pricedLine(product, unitCents, quantity) });
    }
    orders[i] = {
      id: orderId,
      customerId: draft.customerId,
      channel,
      status: orderStatus(random, channel, asOfMillis - draft.placedMillis),
      placedAt: new Date(draft.placedMillis).toISOString(),
      total: totalCents / 100,
      currency: 'EUR',
      storeId: channel === 'store' ? random.pick(storesOf(draft.storeCode)).id : null,
    };
  }
  return { orders, orderLines };
}

function orderStatus(random: Random, channel: 'web' | 'store', ageMillis: number): DemoOrder['status'] {
  if (channel === 'store') return random.chance(0.95) ? 'paid' : 'returned';
  if (ageMillis < 2 * DAY_MILLIS) return random.chance(0.4) ? 'pending' : 'paid';
  if (ageMillis < 7 * DAY_MILLIS) return random.chance(0.3) ? 'paid' : 'shipped';
  return random.weighted<DemoOrder['status']>([
    ['delivered', 88],
    ['cancelled', 4],
    ['returned', 8],
  ]);
}
