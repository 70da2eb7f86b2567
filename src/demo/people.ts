/**
 * The real customers of the demo and their records: CRM contacts and shop customers, with the
 * truth of who is who. A customer is a private person (b2c), a company buying as itself, or a
 * person buying for a company (b2b_person, filed under its account in the CRM).
 */
import type { DemoContact, DemoShopCustomer } from './world-types.js';
import { generateAccounts, type AccountSeed } from './accounts.js';
import { JUNK_EMAILS, JUNK_PHONES } from './data/french-people.js';
import { formatPhone, normalizeDemoEmail, normalizeDemoPhone, typeEmail } from './identifiers.js';
import {
  CRM_EMAIL_VARIANTS,
  CRM_PHONE_FORMATS,
  SHOP_EMAIL_VARIANTS,
  SHOP_PHONE_FORMATS,
  createIdentityPool,
  drawPerson,
  misspell,
  shopName,
  streetLine,
  typedEmail,
  typedPhone,
  type IdentityPool,
  type PersonIdentity,
} from './person-identity.js';
import { DAY_MILLIS, type Random } from './random.js';

export type Segment = 'b2c' | 'company' | 'b2b_person';

/** How a customer behaves in the shop; drives orders and web events. */
export type BuyerProfile = 'registered' | 'window_shopper' | 'first_time' | 'second_time' | 'occasional' | 'frequent' | 'big_spender' | 'loyal' | 'lapsed';

export interface RealCustomer {
  readonly segment: Segment;
  readonly contactIds: number[];
  readonly shopCustomerIds: number[];
  /** Canonical e-mail, as the customer would type it to the helpdesk. */
  readonly email: string;
  /** City code of the nearest stores, e.g. "PAR". */
  readonly storeCode: string;
  readonly buyer: BuyerProfile;
  /** When the customer's (first) shop account was opened. */
  readonly shopSinceMillis: number;
  /** The person behind the records (null for a company buying as itself). */
  readonly person: PersonIdentity | null;
}

export interface People {
  readonly accounts: ReadonlyArray<AccountSeed>;
  readonly contacts: DemoContact[];
  readonly shopCustomers: DemoShopCustomer[];
  readonly customers: RealCustomer[];
  /** The e-mails and number plan handed out, for people the other systems add (loyalty-only card holders). */
  readonly pool: IdentityPool;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Presence = 'crm' | 'shop' | 'both';

const B2C_BUYERS: ReadonlyArray<readonly [BuyerProfile, number]> = [
  ['registered', 10],
  ['window_shopper', 6],
  ['first_time', 12],
  ['second_time', 10],
  ['occasional', 30],
  ['frequent', 12],
  ['big_spender', 6],
  ['loyal', 10],
  ['lapsed', 4],
];
const B2B_BUYERS: ReadonlyArray<readonly [BuyerProfile, number]> = [
  ['occasional', 50],
  ['frequent', 25],
  ['big_spender', 25],
];
const JUNK = new Set<string>([...JUNK_EMAILS, ...JUNK_PHONES]);
/** The first account is the one whose switchboard many contacts share. */
const SWITCHBOARD_CONTACTS = 45;

export function generatePeople(random: Random, customerCount: number, asOfMillis: number): People {
  const pool = createIdentityPool(random);
  const accountCount = Math.max(1, Math.round(customerCount * 0.02));
  const accounts = generateAccounts(random, accountCount, asOfMillis, pool.phoneSalt);
  const bigAccountSize = customerCount >= 1000 ? SWITCHBOARD_CONTACTS : Math.floor(customerCount * 0.045);
  const b2bCount = Math.max(bigAccountSize, Math.round(customerCount * 0.05));
  const plan: Array<{ segment: Segment; account: AccountSeed | null }> = accounts.map((account) => ({ segment: 'company', account }));
  for (let i = 0; i < b2bCount; i++) plan.push({ segment: 'b2b_person', account: i < bigAccountSize ? (accounts[0] ?? null) : random.pick(accounts) });
  while (plan.length < customerCount) plan.push({ segment: 'b2c', account: null });
  random.shuffle(plan);

  const people: People = { accounts, contacts: [], shopCustomers: [], customers: [], pool };
  const duplicates: Array<{ person: PersonIdentity; customer: RealCustomer }> = [];
  for (const { segment, account } of plan) {
    if (segment === 'company' && account) addCompany(random, people, account, asOfMillis);
    else if (segment === 'b2b_person' && account) addB2bPerson(random, people, pool, account, account === accounts[0], asOfMillis);
    else {
      const { person, customer } = addB2cPerson(random, people, pool, asOfMillis);
      if (customer.shopCustomerIds.length > 0 && random.chance(0.015)) duplicates.push({ person, customer });
    }
  }
  // Duplicate shop accounts come last: they were opened after the first one.
  for (const { person, customer } of duplicates) addDuplicateShopAccount(random, people, person, customer, asOfMillis);
  return people;
}

function addB2cPerson(
  random: Random,
  people: People,
  pool: ReturnType<typeof createIdentityPool>,
  asOfMillis: number,
): { person: PersonIdentity; customer: RealCustomer } {
  const person = drawPerson(random, pool, asOfMillis);
  const presence = random.weighted<Presence>([
    ['crm', 18],
    ['shop', 32],
    ['both', 50],
  ]);
  const buyer = random.weighted(B2C_BUYERS);
  const shopSinceMillis = shopSince(random, buyer, asOfMillis);
  const customer = newCustomer('b2c', person.email, person.city.store, buyer, shopSinceMillis, person);
  const shop = presence === 'crm' ? null : shopCopy(random, people, person, shopSinceMillis, asOfMillis);
  const contact = presence === 'shop' ? null : crmCopy(random, people, person, asOfMillis);
  if (contact && shop) linkCopies(random, contact, shop, person.email);
  record(people, customer, contact, shop);
  return { person, customer };
}

function addB2bPerson(
  random: Random,
  people: People,
  pool: ReturnType<typeof createIdentityPool>,
  seed: AccountSeed,
  onSwitchboard: boolean,
  asOfMillis: number,
): void {
  const person = drawPerson(random, pool, asOfMillis, seed.domain);
  const buyer = random.weighted(B2B_BUYERS);
  const shopSinceMillis = shopSince(random, buyer, asOfMillis);
  const customer = newCustomer('b2b_person', person.email, seed.city.store, buyer, shopSinceMillis, person);
  const contact = crmCopy(random, people, person, asOfMillis);
  Object.assign(contact, {
    companyName: seed.account.name,
    accountId: seed.account.id,
    street: seed.street,
    postcode: seed.postcode,
    city: seed.city.name,
    // The big account's people all answer on the switchboard: the trap for phone linking.
    phone: onSwitchboard || random.chance(0.5) ? formatPhone(seed.switchboard, random.weighted(CRM_PHONE_FORMATS)) : null,
    mobile: random.chance(0.5) ? formatPhone(person.mobile, random.weighted(CRM_PHONE_FORMATS)) : null,
  });
  const shop = random.chance(0.3) ? shopCopy(random, people, person, shopSinceMillis, asOfMillis) : null;
  if (shop) {
    Object.assign(shop, { companyName: random.chance(0.5) ? seed.account.name : null, phone: typedPhone(random, person.mobile, SHOP_PHONE_FORMATS, 0.3, 0) });
    linkCopies(random, contact, shop, person.email);
  }
  record(people, customer, contact, shop);
}

function addCompany(random: Random, people: People, seed: AccountSeed, asOfMillis: number): void {
  const email = `contact@${seed.domain}`;
  const presence = random.weighted<Presence>([
    ['crm', 40],
    ['both', 50],
    ['shop', 10],
  ]);
  const buyer = random.weighted(B2B_BUYERS);
  const shopSinceMillis = Math.max(Date.parse(seed.account.createdAt), shopSince(random, buyer, asOfMillis));
  const customer = newCustomer('company', email, seed.city.store, buyer, shopSinceMillis, null);
  const shop: Mutable<DemoShopCustomer> | null =
    presence === 'crm'
      ? null
      : {
          id: people.shopCustomers.length + 1,
          email: typedEmail(random, email, SHOP_EMAIL_VARIANTS, 0.05, 0.02),
          phone: formatPhone(seed.switchboard, random.weighted(SHOP_PHONE_FORMATS)),
          firstName: null,
          lastName: null,
          companyName: random.chance(0.2) ? seed.account.name.toUpperCase() : seed.account.name,
          // Spaced the way it is printed on invoices, now and then.
          siret: random.chance(0.3) ? seed.account.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4') : seed.account.siret,
          street: seed.street,
          postcode: seed.postcode,
          city: seed.city.name,
          country: 'FR',
          birthDate: null,
          createdAt: new Date(shopSinceMillis).toISOString(),
          updatedAt: random.dateBetween(shopSinceMillis, asOfMillis),
        };
  const contact: Mutable<DemoContact> | null =
    presence === 'shop'
      ? null
      : {
          id: people.contacts.length + 1,
          kind: 'company',
          firstName: null,
          lastName: null,
          companyName: seed.account.name,
          email: typedEmail(random, email, CRM_EMAIL_VARIANTS, 0.05, 0.01),
          phone: formatPhone(seed.switchboard, random.weighted(CRM_PHONE_FORMATS)),
          mobile: null,
          street: seed.street,
          postcode: seed.postcode,
          city: seed.city.name,
          country: 'FR',
          birthDate: null,
          accountId: seed.account.id,
          shopCustomerRef: shop && random.chance(0.35) ? String(shop.id) : null,
          createdAt: seed.account.createdAt,
          updatedAt: seed.account.updatedAt,
        };
  record(people, customer, contact, shop);
}

function addDuplicateShopAccount(random: Random, people: People, person: PersonIdentity, customer: RealCustomer, asOfMillis: number): void {
  const withEmail = random.chance(0.6);
  const createdMillis = random.millisBetween(customer.shopSinceMillis + DAY_MILLIS, asOfMillis);
  const typoInFirstName = random.chance(0.5);
  const shop: DemoShopCustomer = {
    id: people.shopCustomers.length + 1,
    email: withEmail ? typeEmail(person.email, random.weighted(SHOP_EMAIL_VARIANTS)) : null,
    // Without an e-mail the phone is what still tells it is the same person.
    phone: !withEmail || random.chance(0.5) ? formatPhone(person.mobile, random.weighted(SHOP_PHONE_FORMATS)) : null,
    firstName: typoInFirstName ? misspell(random, person.firstName) : person.firstName,
    lastName: typoInFirstName ? person.lastName : misspell(random, person.lastName),
    companyName: null,
    siret: null,
    street: random.chance(0.5) ? streetLine(person, 1) : null,
    postcode: person.postcode,
    city: person.city.name,
    country: 'FR',
    birthDate: null,
    createdAt: new Date(createdMillis).toISOString(),
    updatedAt: random.dateBetween(createdMillis, asOfMillis),
  };
  people.shopCustomers.push(shop);
  customer.shopCustomerIds.push(shop.id);
}

function crmCopy(random: Random, people: People, person: PersonIdentity, asOfMillis: number): Mutable<DemoContact> {
  const createdMillis = random.millisBetween(asOfMillis - 6 * 365 * DAY_MILLIS, asOfMillis - 10 * DAY_MILLIS);
  return {
    id: people.contacts.length + 1,
    kind: 'person',
    firstName: person.firstName,
    lastName: person.lastName,
    companyName: null,
    email: typedEmail(random, person.email, CRM_EMAIL_VARIANTS, 0.04, 0.01),
    phone: typedPhone(random, person.landline, CRM_PHONE_FORMATS, 0.1, 0.02),
    mobile: typedPhone(random, person.mobile, CRM_PHONE_FORMATS, 0.12, 0.01),
    street: random.chance(0.03) ? null : streetLine(person, 0),
    postcode: random.chance(0.03) ? null : person.postcode,
    city: person.city.name,
    country: random.weighted<string | null>([
      ['FR', 90],
      ['France', 7],
      [null, 3],
    ]),
    birthDate: random.chance(0.6) ? person.birthDate : null,
    accountId: null,
    shopCustomerRef: null,
    createdAt: new Date(createdMillis).toISOString(),
    updatedAt: random.dateBetween(createdMillis, asOfMillis),
  };
}

function shopCopy(random: Random, people: People, person: PersonIdentity, sinceMillis: number, asOfMillis: number): Mutable<DemoShopCustomer> {
  const useLandline = person.landline !== null && random.chance(0.1);
  return {
    id: people.shopCustomers.length + 1,
    email: typedEmail(random, person.email, SHOP_EMAIL_VARIANTS, 0.03, 0.015),
    phone: typedPhone(random, useLandline ? person.landline : person.mobile, SHOP_PHONE_FORMATS, 0.08, 0.015),
    firstName: shopName(random, person.firstName),
    lastName: shopName(random, person.lastName),
    companyName: null,
    siret: null,
    street: random.chance(0.04) ? null : streetLine(person, random.chance(0.6) ? 1 : 0),
    postcode: random.chance(0.05) ? null : person.postcode,
    city: random.chance(0.15) ? person.city.name.toUpperCase() : person.city.name,
    country: random.chance(0.03) ? null : 'FR',
    birthDate: random.chance(0.4) ? person.birthDate : null,
    createdAt: new Date(sinceMillis).toISOString(),
    updatedAt: random.dateBetween(sinceMillis, asOfMillis),
  };
}

/** Some CRM users record the shop number; and a copy in both keeps one key that matches. */
function linkCopies(random: Random, contact: Mutable<DemoContact>, shop: Mutable<DemoShopCustomer>, email: string): void {
  if (random.chance(0.35)) contact.shopCustomerRef = String(shop.id);
  if (shareKey(contact, shop)) return;
  contact.email = email;
  shop.email = typeEmail(email, random.weighted(SHOP_EMAIL_VARIANTS));
}

/** True when a deterministic, non-junk key links the two copies. */
export function shareKey(contact: DemoContact, shop: DemoShopCustomer): boolean {
  if (contact.shopCustomerRef === String(shop.id)) return true;
  const email = normalizeDemoEmail(shop.email);
  if (email !== null && !JUNK.has(email) && email === normalizeDemoEmail(contact.email)) return true;
  const phone = normalizeDemoPhone(shop.phone);
  return phone !== null && !JUNK.has(phone) && (phone === normalizeDemoPhone(contact.phone) || phone === normalizeDemoPhone(contact.mobile));
}

function shopSince(random: Random, buyer: BuyerProfile, asOfMillis: number): number {
  const daysAgo = (min: number, max: number): number => asOfMillis - random.int(min, max) * DAY_MILLIS + random.int(0, DAY_MILLIS - 1);
  switch (buyer) {
    case 'first_time':
    case 'second_time':
    case 'window_shopper':
      return daysAgo(20, 300);
    case 'loyal':
      return daysAgo(800, 2200);
    case 'lapsed':
      return daysAgo(550, 1800);
    case 'registered':
    case 'occasional':
    case 'frequent':
    case 'big_spender':
      return daysAgo(180, 1800);
    default: {
      const unreachable: never = buyer;
      throw new Error(`unknown buyer profile ${String(unreachable)}`);
    }
  }
}

function newCustomer(
  segment: Segment,
  email: string,
  storeCode: string,
  buyer: BuyerProfile,
  shopSinceMillis: number,
  person: PersonIdentity | null,
): RealCustomer {
  return { segment, contactIds: [], shopCustomerIds: [], email, storeCode, buyer, shopSinceMillis, person };
}

function record(people: People, customer: RealCustomer, contact: DemoContact | null, shop: DemoShopCustomer | null): void {
  if (contact) {
    people.contacts.push(contact);
    customer.contactIds.push(contact.id);
  }
  if (shop) {
    people.shopCustomers.push(shop);
    customer.shopCustomerIds.push(shop.id);
  }
  people.customers.push(customer);
}
