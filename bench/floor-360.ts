/**
 * The floor of the load benchmark: the fetches Q1 and Q2 need, written by hand with the raw
 * drivers (pg for the CRM, mysql2 for the shop), each nesting level's statements sent in
 * parallel, no HTTP, no GraphQL, no JSON. Same pools (size and options) as the gateway's
 * connectors, same match semantics (emails compared lower-cased and trimmed, phones on
 * their digits, the same normalization helpers), so both sides return the same orders.
 *
 * bench/ may import the drivers directly; src/ goes through connectors/.
 */
import mysql from 'mysql2/promise';
import { createFloorPools, type FloorOptions } from './floor-pools.js';
import { emailsOf, phonesOf } from '../src/identity/link.js';
import { phoneDigitCandidates } from '../src/identity/phone.js';

type Record_ = Readonly<Record<string, unknown>>;

/** One customer as the floor assembled it: enough to compare with the gateway's answer. */
export interface FloorCustomer {
  readonly contactId: string;
  readonly shopCustomerIds: ReadonlyArray<string>;
  readonly orderIds: ReadonlyArray<string>;
  readonly lineCount: number;
}

export interface FloorResult {
  readonly statements: number;
  readonly customers: ReadonlyArray<FloorCustomer>;
}

export interface Floor {
  /** One customer's 360 view, anchored on a CRM contact id. */
  q1(contactId: string): Promise<FloorResult>;
  /** A page of `first` contacts after `afterKey`, with their last `orders` orders, lines and products. */
  q2(afterKey: string | null, first: number, orders: number): Promise<FloorResult>;
  close(): Promise<void>;
}

const CONTACT_COLUMNS =
  'id, kind, first_name, last_name, company_name, email, phone, mobile, street, postcode, city, country, birth_date, account_id, shop_customer_ref, created_at, updated_at';
const PAGE_CONTACT_COLUMNS = 'id, kind, first_name, last_name, company_name, email, phone, mobile, account_id, shop_customer_ref';
const SHOP_CUSTOMER_COLUMNS =
  'id, email, phone, first_name, last_name, company_name, siret, street, postcode, city, country, birth_date, created_at, updated_at';
const ORDER_COLUMNS = 'id, customer_id, channel, status, placed_at, total, currency, store_id';
const LINE_COLUMNS = 'id, order_id, product_id, sku, product_name, quantity, unit_price, line_total';
const PRODUCT_COLUMNS = 'id, sku, name, category, brand, price';
const EVENT_COLUMNS = 'id, customer_id, type, occurred_at, product_id, search_query, session_id, device';

export function createFloor(options: FloorOptions): Floor {
  const { crmPool, shopPool } = createFloorPools(options);
  const { settings } = options;

  /** A request's statement counter and its two query functions. */
  function session() {
    let statements = 0;
    return {
      count: () => statements,
      async crm(text: string, values: ReadonlyArray<unknown>): Promise<Record_[]> {
        statements++;
        return (await crmPool.query<Record<string, unknown>>(text, [...values])).rows;
      },
      async shop(text: string, values: ReadonlyArray<unknown>): Promise<Record_[]> {
        statements++;
        const [rows] = await shopPool.query<mysql.RowDataPacket[]>({ sql: text, values: [...values] });
        return rows;
      },
    };
  }
  type Session = ReturnType<typeof session>;

  /** Shop customers linked to each contact: one statement per identifier kind, in parallel. */
  async function linkShopCustomers(s: Session, contacts: ReadonlyArray<Record_>): Promise<Map<string, Set<string>>> {
    const refs = new Set<string>();
    const emails = new Set<string>();
    const digits = new Set<string>();
    const wanted = contacts.map((contact) => {
      const row = asRow(contact);
      const ref = text(contact.shop_customer_ref);
      if (ref !== null) refs.add(ref);
      const contactEmails = emailsOf(row, settings);
      for (const email of contactEmails) emails.add(email);
      // Each phone with its digit spellings (0612…, 33612…): one identifier.
      const phones = phonesOf('contact', row, settings).map((phone) => phoneDigitCandidates(phone, settings.defaultRegion));
      for (const candidate of phones.flat()) digits.add(candidate);
      return { id: String(contact.id), ref, emails: contactEmails, phones };
    });
    const [byId, byEmail, byPhone] = await Promise.all([
      refs.size === 0 ? [] : s.shop(`SELECT ${SHOP_CUSTOMER_COLUMNS} FROM customers WHERE id IN (?)`, [[...refs]]),
      emails.size === 0 ? [] : s.shop(`SELECT LOWER(TRIM(email)) AS k, ${SHOP_CUSTOMER_COLUMNS} FROM customers WHERE LOWER(TRIM(email)) IN (?)`, [[...emails]]),
      digits.size === 0
        ? []
        : s.shop(`SELECT REGEXP_REPLACE(phone, '[^0-9]', '') AS k, ${SHOP_CUSTOMER_COLUMNS} FROM customers WHERE REGEXP_REPLACE(phone, '[^0-9]', '') IN (?)`, [
            [...digits],
          ]),
    ]);
    const idsById = new Set(byId.map((row) => String(row.id)));
    const emailHolders = holdersByKey(byEmail);
    const phoneHolders = holdersByKey(byPhone);
    const linked = new Map<string, Set<string>>();
    for (const contact of wanted) {
      const ids = new Set<string>();
      if (contact.ref !== null && idsById.has(contact.ref)) ids.add(contact.ref);
      for (const email of contact.emails) addCapped(ids, emailHolders.get(email), settings.maxRecordsPerIdentifier);
      for (const candidates of contact.phones) {
        const phoneIds = new Set<string>();
        for (const candidate of candidates) for (const id of phoneHolders.get(candidate) ?? []) phoneIds.add(id);
        addCapped(ids, phoneIds, settings.maxRecordsPerIdentifier);
      }
      linked.set(contact.id, ids);
    }
    return linked;
  }

  /** The last `limit` orders of each shop customer (one window-function statement). */
  async function lastOrders(s: Session, customerIds: ReadonlyArray<string>, limit: number): Promise<Record_[]> {
    if (customerIds.length === 0) return [];
    return s.shop(
      `SELECT ${ORDER_COLUMNS} FROM (SELECT ${ORDER_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY placed_at DESC, id DESC) AS rn ` +
        'FROM orders WHERE customer_id IN (?)) ranked WHERE rn <= ?',
      [customerIds, limit],
    );
  }

  async function linesOf(s: Session, orderIds: ReadonlyArray<string>): Promise<Record_[]> {
    if (orderIds.length === 0) return [];
    return s.shop(`SELECT ${LINE_COLUMNS} FROM order_lines WHERE order_id IN (?) ORDER BY id`, [orderIds]);
  }

  async function productsOf(s: Session, productIds: ReadonlyArray<string>): Promise<Map<string, Record_>> {
    if (productIds.length === 0) return new Map();
    const rows = await s.shop(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id IN (?)`, [productIds]);
    return new Map(rows.map((row) => [String(row.id), row]));
  }

  /** Per contact, its shop customers' orders merged, most recent first, cut to `limit`. */
  function ordersPerContact(linked: Map<string, Set<string>>, orders: ReadonlyArray<Record_>, limit: number): Map<string, Record_[]> {
    const byCustomer = new Map<string, Record_[]>();
    for (const order of orders) push(byCustomer, String(order.customer_id), order);
    const result = new Map<string, Record_[]>();
    for (const [contactId, shopIds] of linked) {
      const merged = [...shopIds].flatMap((id) => byCustomer.get(id) ?? []);
      merged.sort((a, b) => compareDesc(String(a.placed_at), String(b.placed_at)) || Number(b.id) - Number(a.id));
      result.set(contactId, merged.slice(0, limit));
    }
    return result;
  }

  function customersOf(
    contactIds: ReadonlyArray<string>,
    linked: Map<string, Set<string>>,
    orders: Map<string, Record_[]>,
    lines: ReadonlyArray<Record_>,
  ): FloorCustomer[] {
    const linesPerOrder = new Map<string, number>();
    for (const line of lines) linesPerOrder.set(String(line.order_id), (linesPerOrder.get(String(line.order_id)) ?? 0) + 1);
    return contactIds.map((contactId) => {
      const orderIds = (orders.get(contactId) ?? []).map((order) => String(order.id));
      return {
        contactId,
        shopCustomerIds: [...(linked.get(contactId) ?? [])].sort((a, b) => Number(a) - Number(b)),
        orderIds,
        lineCount: orderIds.reduce((sum, id) => sum + (linesPerOrder.get(id) ?? 0), 0),
      };
    });
  }

  return {
    async q1(contactId) {
      const s = session();
      const contact = (await s.crm(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = $1`, [contactId]))[0];
      if (contact === undefined) return { statements: s.count(), customers: [] };
      const accountId = text(contact.account_id);
      const [, , , linked] = await Promise.all([
        accountId === null ? [] : s.crm('SELECT id, name, siren, siret, industry FROM accounts WHERE id = $1', [accountId]),
        s.crm('SELECT id, type, occurred_at, subject, agent, store_id FROM interactions WHERE contact_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 20', [
          contactId,
        ]),
        s.crm('SELECT id, purpose, channel, status, recorded_at FROM consents WHERE contact_id = $1 ORDER BY recorded_at DESC, id DESC', [contactId]),
        linkShopCustomers(s, [contact]),
      ]);
      const shopIds = [...(linked.get(contactId) ?? [])];
      const [orders, events] = await Promise.all([
        lastOrders(s, shopIds, 10),
        shopIds.length === 0
          ? []
          : s.shop(
              `SELECT ${EVENT_COLUMNS} FROM (SELECT ${EVENT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC, id DESC) AS rn ` +
                'FROM web_events WHERE customer_id IN (?)) ranked WHERE rn <= 20',
              [shopIds],
            ),
      ]);
      const kept = ordersPerContact(linked, orders, 10);
      const lines = await linesOf(
        s,
        (kept.get(contactId) ?? []).map((order) => String(order.id)),
      );
      await productsOf(s, distinct([...lines, ...events].map((row) => text(row.product_id))));
      return { statements: s.count(), customers: customersOf([contactId], linked, kept, lines) };
    },

    async q2(afterKey, first, orderCount) {
      const s = session();
      const rows =
        afterKey === null
          ? await s.crm(`SELECT ${PAGE_CONTACT_COLUMNS} FROM contacts ORDER BY id LIMIT $1`, [first + 1])
          : await s.crm(`SELECT ${PAGE_CONTACT_COLUMNS} FROM contacts WHERE id > $1 ORDER BY id LIMIT $2`, [afterKey, first + 1]);
      const contacts = rows.slice(0, first);
      const linked = await linkShopCustomers(s, contacts);
      const shopIds = distinct([...linked.values()].flatMap((ids) => [...ids]));
      const kept = ordersPerContact(linked, await lastOrders(s, shopIds, orderCount), orderCount);
      const lines = await linesOf(
        s,
        [...kept.values()].flatMap((orders) => orders.map((order) => String(order.id))),
      );
      await productsOf(s, distinct(lines.map((line) => text(line.product_id))));
      return {
        statements: s.count(),
        customers: customersOf(
          contacts.map((contact) => String(contact.id)),
          linked,
          kept,
          lines,
        ),
      };
    },

    async close() {
      await Promise.allSettled([crmPool.end(), shopPool.end()]);
    },
  };
}

/** A contacts row under the canonical names the link helpers read. */
function asRow(contact: Record_): { id: string; email: string | null; phone: string | null; mobile: string | null; externalId: string | null } {
  return {
    id: String(contact.id),
    email: text(contact.email),
    phone: text(contact.phone),
    mobile: text(contact.mobile),
    externalId: text(contact.shop_customer_ref),
  };
}

function holdersByKey(rows: ReadonlyArray<Record_>): Map<string, Set<string>> {
  const holders = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = String(row.k);
    const ids = holders.get(key) ?? new Set<string>();
    ids.add(String(row.id));
    holders.set(key, ids);
  }
  return holders;
}

function addCapped(into: Set<string>, ids: ReadonlySet<string> | undefined, cap: number): void {
  if (ids === undefined || ids.size > cap) return;
  for (const id of ids) into.add(id);
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function distinct(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}
