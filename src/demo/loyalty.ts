/**
 * The stores' loyalty (point-of-sale) system, the demo's third silo: card holders identified
 * by their card number, with the phone the cashier typed at the till (in a format of its own)
 * and an e-mail only when the customer gave one; store receipts with lines from the shop's
 * catalogue. Cards go to customers who buy in stores: shop customers with store orders, and
 * CRM-only customers (store visits, no shop account), whose receipts are then only here,
 * linked to the CRM by phone; and to a few people no other system knows.
 *
 * Drawn from its own random stream after the rest of the world, it changes nothing else.
 */
import type { DemoContact, DemoLoyaltyCard, DemoOrder, DemoProduct, DemoReceipt, DemoReceiptLine, DemoShopCustomer } from './world-types.js';
import { pricedLine } from './commerce.js';
import { storesOf } from './data/catalog.js';
import { JUNK_PHONES } from './data/french-people.js';
import { PHONE_FORMATS, formatPhone, normalizeDemoPhone, typeEmail, type PhoneFormat } from './identifiers.js';
import type { People, RealCustomer } from './people.js';
import { SHOP_EMAIL_VARIANTS, drawPerson, type PersonIdentity } from './person-identity.js';
import { DAY_MILLIS, type Random } from './random.js';

export interface Loyalty {
  readonly cards: DemoLoyaltyCard[];
  readonly receipts: DemoReceipt[];
  readonly receiptLines: DemoReceiptLine[];
  /** Card number -> index of its holder in people.customers, null for a loyalty-only person. */
  readonly holders: Array<{ readonly cardNumber: string; readonly person: number | null }>;
}

export interface LoyaltyInput {
  readonly people: People;
  readonly contacts: ReadonlyArray<DemoContact>;
  readonly shopCustomers: ReadonlyArray<DemoShopCustomer>;
  readonly orders: ReadonlyArray<DemoOrder>;
  /** Contact ids with at least one store visit in the CRM. */
  readonly storeVisitors: ReadonlySet<number>;
  readonly products: ReadonlyArray<DemoProduct>;
  readonly asOfMillis: number;
}

/** Share of the shop customers with store orders who hold a card. */
const SHOP_STORE_BUYER_SHARE = 0.35;
/** Share of the CRM-only customers (no shop account) who hold a card; more of those who visit stores. */
const CRM_ONLY_SHARE = 0.25;
const CRM_ONLY_VISITOR_SHARE = 0.55;
/** People known to the loyalty system alone, relative to the number of customers. */
const LOYALTY_ONLY_SHARE = 0.03;
const EMAIL_GIVEN = 0.4;

interface CardDraft {
  readonly person: PersonIdentity;
  readonly customer: number | null;
  readonly storeCode: string;
  readonly phone: string;
  /** Formats the person's other records hold the number in; the till types it another way. */
  readonly otherFormats: ReadonlyArray<PhoneFormat>;
  readonly issuedMillis: number;
}

const JUNK = new Set<string>(JUNK_PHONES);

export function generateLoyalty(random: Random, input: LoyaltyInput): Loyalty {
  const { people, contacts, shopCustomers, orders, storeVisitors, products, asOfMillis } = input;
  const owner = new Map<number, number>();
  people.customers.forEach((customer, index) => customer.shopCustomerIds.forEach((id) => owner.set(id, index)));
  const storeBuyers = new Set<number>();
  for (const order of orders) {
    if (order.channel !== 'store') continue;
    const index = owner.get(order.customerId);
    if (index !== undefined) storeBuyers.add(index);
  }

  const drafts: CardDraft[] = [];
  const issued = () => duringOpeningHours(random, random.millisBetween(asOfMillis - 3 * 365 * DAY_MILLIS, asOfMillis - 7 * DAY_MILLIS));
  people.customers.forEach((customer, index) => {
    const person = customer.person;
    // Cards are personal: b2c people only, not buyers for a company.
    if (person === null || customer.segment !== 'b2c') return;
    const records = recordsOf(customer, contacts, shopCustomers);
    if (customer.shopCustomerIds.length > 0) {
      if (!storeBuyers.has(index) || !random.chance(SHOP_STORE_BUYER_SHARE)) return;
      drafts.push({
        person,
        customer: index,
        storeCode: customer.storeCode,
        phone: person.mobile,
        otherFormats: formatsOf(person.mobile, records),
        issuedMillis: issued(),
      });
      return;
    }
    const visitor = customer.contactIds.some((id) => storeVisitors.has(id));
    if (!random.chance(visitor ? CRM_ONLY_VISITOR_SHARE : CRM_ONLY_SHARE)) return;
    // The number the CRM holds for the person, so that the card links to the contact by phone.
    const phone = crmNumber(person, records) ?? person.mobile;
    drafts.push({ person, customer: index, storeCode: customer.storeCode, phone, otherFormats: formatsOf(phone, records), issuedMillis: issued() });
  });
  const pool = { emails: new Set(people.pool.emails), phoneSalt: people.pool.phoneSalt, next: people.pool.next };
  const loyaltyOnly = Math.max(1, Math.round(people.customers.length * LOYALTY_ONLY_SHARE));
  for (let n = 0; n < loyaltyOnly; n++) {
    const person = drawPerson(random, pool, asOfMillis);
    drafts.push({ person, customer: null, storeCode: person.city.store, phone: person.mobile, otherFormats: [], issuedMillis: issued() });
  }
  // Card numbers follow the issue date, as the system hands them out.
  drafts.sort((a, b) => a.issuedMillis - b.issuedMillis);

  const cards: DemoLoyaltyCard[] = [];
  const holders: Loyalty['holders'] = [];
  const receiptDrafts: Array<{ cardNumber: string; storeCode: string; placedMillis: number }> = [];
  drafts.forEach((draft, i) => {
    const cardNumber = `LC${String(i + 1).padStart(6, '0')}`;
    cards.push(cardOf(random, draft, cardNumber, asOfMillis));
    holders.push({ cardNumber, person: draft.customer });
    const count = random.weighted<number>([
      [1, 22],
      [2, 24],
      [3, 22],
      [4, 14],
      [5, 10],
      [6, 8],
    ]);
    for (let r = 0; r < count; r++) {
      // The card is handed over at the till, with the first receipt.
      const placedMillis =
        r === 0 ? draft.issuedMillis + random.int(0, 600_000) : duringOpeningHours(random, random.millisBetween(draft.issuedMillis, asOfMillis));
      receiptDrafts.push({ cardNumber, storeCode: draft.storeCode, placedMillis: Math.min(Math.max(placedMillis, draft.issuedMillis), asOfMillis - 1) });
    }
  });
  // Receipt ids follow time, as a till's sequence does.
  receiptDrafts.sort((a, b) => a.placedMillis - b.placedMillis);

  const receipts: DemoReceipt[] = [];
  const receiptLines: DemoReceiptLine[] = [];
  receiptDrafts.forEach((draft, i) => {
    const receiptId = i + 1;
    const lineCount = random.weighted<number>([
      [1, 40],
      [2, 30],
      [3, 20],
      [4, 10],
    ]);
    let totalCents = 0;
    for (let l = 0; l < lineCount; l++) {
      const product = random.pick(products);
      const quantity = random.weighted<number>([
        [1, 85],
        [2, 12],
        [3, 3],
      ]);
      const unitCents = Math.round(product.price * 100);
      totalCents += unitCents * quantity;
      receiptLines.push({ id: receiptLines.length + 1, receiptId, ...pricedLine(product, unitCents, quantity) });
    }
    receipts.push({
      id: receiptId,
      cardNumber: draft.cardNumber,
      storeId: random.pick(storesOf(draft.storeCode)).id,
      placedAt: new Date(draft.placedMillis).toISOString(),
      total: totalCents / 100,
      currency: 'EUR',
    });
  });
  return { cards, receipts, receiptLines, holders };
}

function cardOf(random: Random, draft: CardDraft, cardNumber: string, asOfMillis: number): DemoLoyaltyCard {
  const { person } = draft;
  const fresh = PHONE_FORMATS.filter((format) => !draft.otherFormats.includes(format));
  const format = random.pick(fresh.length > 0 ? fresh : PHONE_FORMATS);
  const firstNameRoll = random.next();
  const lastNameRoll = random.next();
  return {
    cardNumber,
    phone: formatPhone(draft.phone, format),
    email: random.chance(EMAIL_GIVEN) ? typeEmail(person.email, random.weighted(SHOP_EMAIL_VARIANTS)) : null,
    // Cashiers abbreviate: an initial, or nothing, for the first name; capitals for the last.
    firstName: firstNameRoll < 0.1 ? null : firstNameRoll < 0.3 ? `${person.firstName.charAt(0)}.` : person.firstName,
    lastName: lastNameRoll < 0.35 ? person.lastName.toUpperCase() : lastNameRoll < 0.45 ? stripAccents(person.lastName) : person.lastName,
    postcode: random.chance(0.1) ? null : person.postcode,
    createdAt: new Date(draft.issuedMillis).toISOString(),
    updatedAt: random.dateBetween(draft.issuedMillis, asOfMillis),
  };
}

function recordsOf(customer: RealCustomer, contacts: ReadonlyArray<DemoContact>, shopCustomers: ReadonlyArray<DemoShopCustomer>): Array<string | null> {
  const phones: Array<string | null> = [];
  for (const id of customer.contactIds) {
    const contact = contacts[id - 1];
    if (contact !== undefined) phones.push(contact.mobile, contact.phone);
  }
  for (const id of customer.shopCustomerIds) phones.push(shopCustomers[id - 1]?.phone ?? null);
  return phones;
}

/** The person's own number as the CRM holds it (mobile first), skipping junk and missing values. */
function crmNumber(person: PersonIdentity, phones: ReadonlyArray<string | null>): string | null {
  for (const number of [person.mobile, person.landline]) {
    if (number !== null && phones.some((phone) => normalizeDemoPhone(phone) === number && !JUNK.has(number))) return number;
  }
  return null;
}

function formatsOf(national: string, phones: ReadonlyArray<string | null>): PhoneFormat[] {
  return PHONE_FORMATS.filter((format) => phones.includes(formatPhone(national, format)));
}

/** The same day, between 09:00 and 19:00 UTC (the stores open from 10:00 to 20:00, Paris time). */
function duringOpeningHours(random: Random, millis: number): number {
  const day = millis - (millis % DAY_MILLIS);
  return day + 9 * 3_600_000 + random.int(0, 10 * 3_600_000 - 1);
}

function stripAccents(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}
