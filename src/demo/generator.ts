/**
 * The demo world, deterministically from a seed. Each domain draws from its own random stream,
 * so that leaving events, tickets or the loyalty system out leaves the rest of the world unchanged.
 */
import type { DemoWorld, DemoWorldOptions } from './world-types.js';
import { generateOrders, generateProducts } from './commerce.js';
import { generateCrmActivity } from './crm.js';
import { generateEvents } from './events.js';
import { generateTickets } from './helpdesk.js';
import { generateLoyalty, type Loyalty } from './loyalty.js';
import { generatePeople } from './people.js';
import { createRandom } from './random.js';
import { generateCompanies } from './registry.js';

export const DEFAULT_AS_OF = '2026-11-01T00:00:00.000Z';
export const DEFAULT_CUSTOMERS = 2_000;
export const DEFAULT_ORDERS_PER_CUSTOMER = 4;

/**
 * The demo world as `npm start` serves it: generated as of the moment it starts, so orders,
 * events, consents and tickets run up to now and intent, window-shoppers, about-to-buy and
 * recency (all computed at "now" by default) mean something on the day it is started.
 */
export function generateLiveDemoWorld(options: Omit<DemoWorldOptions, 'asOf'>, nowMillis: number = Date.now()): DemoWorld {
  return generateDemoWorld({ ...options, asOf: new Date(nowMillis).toISOString() });
}

export function generateDemoWorld(options: DemoWorldOptions): DemoWorld {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfMillis = Date.parse(asOf);
  if (Number.isNaN(asOfMillis)) throw new RangeError(`asOf is not an ISO 8601 date: ${asOf}`);
  if (!Number.isInteger(options.customers) || options.customers < 1) throw new RangeError(`customers must be a positive integer, got ${options.customers}`);
  const stream = (name: string) => createRandom(options.seed, name);

  const people = generatePeople(stream('people'), options.customers, asOfMillis);
  const products = generateProducts(stream('products'));
  const { orders, orderLines } = generateOrders(stream('orders'), people.customers, people.shopCustomers, products, {
    asOfMillis,
    ordersPerCustomer: options.ordersPerCustomer ?? DEFAULT_ORDERS_PER_CUSTOMER,
    ...(options.totalOrders === undefined ? {} : { totalOrders: options.totalOrders }),
  });
  const { interactions, consents } = generateCrmActivity(stream('crm'), people.customers, people.contacts, asOfMillis);
  // Last, and on its own stream: the loyalty system reads the world and changes none of it.
  const loyalty: Loyalty =
    options.includeLoyalty === false
      ? { cards: [], receipts: [], receiptLines: [], holders: [] }
      : generateLoyalty(stream('loyalty'), {
          people,
          contacts: people.contacts,
          shopCustomers: people.shopCustomers,
          orders,
          storeVisitors: new Set(interactions.filter((i) => i.type === 'store_visit').map((i) => i.contactId)),
          products,
          asOfMillis,
        });
  return {
    asOf: new Date(asOfMillis).toISOString(),
    accounts: people.accounts.map((seed) => seed.account),
    contacts: people.contacts,
    interactions,
    consents,
    shopCustomers: people.shopCustomers,
    products,
    orders,
    orderLines,
    events: options.includeEvents === false ? [] : generateEvents(stream('events'), people.customers, products, asOfMillis),
    tickets: options.includeTickets === false ? [] : generateTickets(stream('helpdesk'), people.customers, asOfMillis),
    companies: generateCompanies(stream('registry'), people.accounts, asOfMillis),
    truth: {
      people: people.customers.map((customer) => ({ contactIds: customer.contactIds, shopCustomerIds: customer.shopCustomerIds })),
      loyaltyCards: loyalty.holders,
    },
    loyaltyCards: loyalty.cards,
    receipts: loyalty.receipts,
    receiptLines: loyalty.receiptLines,
  };
}
