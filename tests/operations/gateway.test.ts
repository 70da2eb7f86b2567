/**
 * The gateway over the demo world on the real PostgreSQL (CRM) and MariaDB (shop):
 * round trips, projection, identity, paging and argument errors, seen through the trace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { encodeCursor } from '../../src/resolvers/rows.js';
import { normalizePhone } from '../../src/identity/phone.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 900 });
  gateway = await startTestGateway(seeded.config());
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const PAGE_WITH_ORDERS = `query($first: Int!, $after: String) {
  customers(first: $first, after: $after) {
    edges { node { id displayName email phone contact { firstName lastName } account { name }
      orders(first: 10) { nodes { id total lines { quantity product { name category } } } } } }
  }
}`;

function customerIdOfContact(id: number): string {
  return encodeCustomerId({ entity: 'contact', key: String(id) });
}

describe('round trips', () => {
  it('issues the same statements for a page of 1, 10, 50 and 100 customers with their last 10 orders and lines', async () => {
    // Start every page at a customer who has every kind of identifier and orders, so that
    // the page of 1 needs every lookup the larger pages need.
    const buyers = new Set(seeded.world.orders.map((order) => order.customerId));
    const rich = seeded.world.contacts.find(
      (c) => c.email !== null && (c.phone ?? c.mobile) !== null && c.shopCustomerRef !== null && buyers.has(Number(c.shopCustomerRef)) && c.accountId !== null,
    )!;
    const after = encodeCursor([0, String(rich.id - 1)]);
    const counts: Array<Record<string, number>> = [];
    for (const first of [1, 10, 50, 100]) {
      const result = await gateway.query(PAGE_WITH_ORDERS, { first, after }, { trace: true });
      expect(result.errors).toBeUndefined();
      expect((result.data?.customers as { edges: unknown[] }).edges).toHaveLength(first);
      counts.push(statementsByEntity(result.extensions?.trace));
    }
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    expect(counts[3]).toEqual(counts[0]);
    // Orders, lines and products are read with the shop customers the links find (issue 12):
    // no statement of their own, whatever the page size.
    expect(Object.keys(counts[3]!).filter((entity) => ['shop.order', 'shop.orderLine', 'shop.product'].includes(entity))).toEqual([]);
  });

  it('answers the last 10 orders of 50 customers inside the shop-customer lookups, ranked by a window function', async () => {
    const result = await gateway.query(PAGE_WITH_ORDERS, { first: 50 }, { trace: true });
    expect(result.extensions?.trace?.filter((call) => call.entity === 'order') ?? []).toHaveLength(0);
    const withOrders =
      result.extensions?.trace?.filter((call) => call.entity === 'shopCustomer' && /ROW_NUMBER\(\) OVER \(PARTITION BY/i.test(call.statement)) ?? [];
    expect(withOrders.length).toBeGreaterThanOrEqual(1);
  });
});

describe('projection', () => {
  it('reads only the identifier columns of the CRM, and what the shared-identifier guard compares, when the query asks for the email alone', async () => {
    const contact = seeded.world.contacts.find((c) => c.email !== null)!;
    const result = await gateway.query(`query($id: ID!) { customer(id: $id) { email } }`, { id: customerIdOfContact(contact.id) }, { trace: true });
    expect(result.errors).toBeUndefined();
    const statement = result.extensions!.trace!.find((call) => call.entity === 'contact')!.statement;
    const selectList = statement.slice(0, statement.search(/\bFROM\b/i));
    for (const column of ['"email"', '"phone"', '"mobile"']) expect(selectList).toContain(column);
    // Names, birth date and kind tell a household's members apart (src/identity/shared-identifier-guard.ts).
    for (const column of ['"first_name"', '"last_name"', '"birth_date"', '"kind"']) expect(selectList).toContain(column);
    for (const column of ['street', 'postcode', 'city', 'account_id', 'created_at']) expect(selectList).not.toContain(column);
  });

  it('adds the columns of the fields the query selects, and nothing from unselected entities', async () => {
    const contact = seeded.world.contacts.find((c) => c.firstName !== null)!;
    const result = await gateway.query(
      `query($id: ID!) { customer(id: $id) { name { first last } } }`,
      { id: customerIdOfContact(contact.id) },
      { trace: true },
    );
    const entities = new Set(result.extensions!.trace!.map((call) => call.entity));
    expect(entities.has('order')).toBe(false);
    const statement = result.extensions!.trace!.find((call) => call.entity === 'contact')!.statement;
    expect(statement).toContain('first_name');
    expect(statement).not.toContain('street');
  });
});

describe('identity at query time', () => {
  const personWithMobile = () =>
    seeded.world.contacts.find((c) => c.kind === 'person' && c.mobile !== null && normalizePhone(c.mobile) !== null && c.email !== null)!;

  it('finds the same customer from each French phone format', async () => {
    const contact = personWithMobile();
    const e164 = normalizePhone(contact.mobile)!;
    const national = `0${e164.slice(3)}`;
    const formats = [
      national.replace(/(\d{2})(?=\d)/g, '$1 '),
      `+33 ${e164.slice(3, 4)} ${e164.slice(4).replace(/(\d{2})(?=\d)/g, '$1 ')}`,
      `0033${e164.slice(3)}`,
      national.replace(/(\d{2})(?=\d)/g, '$1.'),
      e164,
    ];
    const expected = await gateway.query(`query($id: ID!) { customer(id: $id) { id } }`, { id: customerIdOfContact(contact.id) });
    for (const phone of formats) {
      const result = await gateway.query(`query($phone: String!) { customerBy(phone: $phone) { id } }`, { phone });
      expect({ phone, result: result.data?.customerBy }).toEqual({ phone, result: expected.data?.customer });
    }
  });

  it('finds the same customer whatever the case and spaces of the email', async () => {
    const contact = personWithMobile();
    const result = await gateway.query(`query($email: String!) { customerBy(email: $email) { id email } }`, {
      email: `  ${contact.email!.trim().toUpperCase()} `,
    });
    expect(result.data?.customerBy).toEqual({ id: customerIdOfContact(contact.id), email: contact.email!.trim().toLowerCase() });
  });

  it('serves a person who exists only in the shop, with an id that is stable and opaque', async () => {
    const only = seeded.world.truth.people.find((p) => p.contactIds.length === 0 && p.shopCustomerIds.length === 1)!;
    const key = String(only.shopCustomerIds[0]);
    const query = `{ customerBy(externalId: { source: "shop", key: "${key}" }) { id sources { source entity key matchedBy } } }`;
    const first = await gateway.query(query);
    const again = await gateway.query(query);
    expect(first.data?.customerBy).toEqual({
      id: encodeCustomerId({ entity: 'shopCustomer', key }),
      sources: [{ source: 'shop', entity: 'shopCustomer', key, matchedBy: 'ANCHOR' }],
    });
    expect(again.data).toEqual(first.data);
    expect((first.data?.customerBy as { id: string }).id).not.toContain(key);
  });

  it('never links two records through a junk value or a switchboard shared by dozens of contacts', async () => {
    const byPhone = new Map<string, number[]>();
    for (const contact of seeded.world.contacts) {
      const phone = normalizePhone(contact.phone);
      if (phone !== null) byPhone.set(phone, [...(byPhone.get(phone) ?? []), contact.id]);
    }
    const [switchboard, holders] = [...byPhone.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(holders.length).toBeGreaterThanOrEqual(40);
    const ids = holders.slice(0, 40).map(customerIdOfContact);
    const linked = await Promise.all(ids.map((id) => gateway.query(`query($id: ID!) { customer(id: $id) { sources { matchedBy key } } }`, { id })));
    for (const answer of linked) {
      const sources = (answer.data?.customer as { sources: Array<{ matchedBy: string }> }).sources;
      expect(sources.filter((s) => s.matchedBy === 'PHONE')).toEqual([]);
    }
    const found = await gateway.query(`query($phone: String!) { customerBy(phone: $phone) { sources { matchedBy } } }`, { phone: switchboard });
    expect((found.data?.customerBy as { sources: Array<{ matchedBy: string }> }).sources.filter((s) => s.matchedBy === 'PHONE')).toEqual([]);
    const junk = seeded.world.contacts.filter((c) => c.email !== null && ['noemail@noemail.com', 'test@test.com'].includes(c.email.trim().toLowerCase()));
    for (const contact of junk.slice(0, 5)) {
      const answer = await gateway.query(`query($id: ID!) { customer(id: $id) { email sources { matchedBy } } }`, { id: customerIdOfContact(contact.id) });
      const customer = answer.data?.customer as { email: string | null; sources: Array<{ matchedBy: string }> };
      expect(customer.email ?? '').not.toMatch(/noemail|test@test/);
      expect(customer.sources.filter((s) => s.matchedBy === 'EMAIL')).toEqual([]);
    }
  });
});

describe('paging', () => {
  it('lists every customer exactly once across pages: CRM contacts (one per customer), then unlinked shop customers', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const result: Awaited<ReturnType<TestGateway['query']>> = await gateway.query(
        `query($after: String) { customers(first: 100, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const connection = result.data?.customers as { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      seen.push(...connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    // Two contacts of one person (one mailbox, compatible names) are one customer, listed once under the lower key.
    const contactIds = seeded.world.contacts.map((c) => customerIdOfContact(c.id));
    const listedContacts = seen.filter((id) => contactIds.includes(id));
    expect(listedContacts).toEqual([...listedContacts].sort((a, b) => contactIds.indexOf(a) - contactIds.indexOf(b)));
    expect(listedContacts.length).toBeGreaterThan(contactIds.length * 0.95);
    expect(seen.slice(0, listedContacts.length)).toEqual(listedContacts);
    expect(seen.length).toBeGreaterThan(listedContacts.length);
  });
});

describe('arguments', () => {
  it.each([
    ['a page larger than the maximum', `{ customers(first: 1000) { edges { cursor } } }`, 'first'],
    ['an id that c360 did not make', `{ customer(id: "42") { id } }`, 'id'],
    ['a cursor that c360 did not make', `{ customers(first: 1, after: "nope") { edges { cursor } } }`, 'after'],
    ['two identifiers at once', `{ customerBy(email: "a@b.fr", phone: "0612345678") { id } }`, undefined],
    ['an invalid phone', `{ customerBy(phone: "12") { id } }`, 'phone'],
  ])('refuses %s with BAD_USER_INPUT and the argument', async (_name, query, argument) => {
    const result = await gateway.query(query);
    expect(result.errors?.[0]?.extensions).toEqual(argument === undefined ? { code: 'BAD_USER_INPUT' } : { code: 'BAD_USER_INPUT', argument });
  });

  it('returns null, not an error, for a customer that no source holds', async () => {
    const result = await gateway.query(`{ customer(id: "${customerIdOfContact(99_999_999)}") { id } }`);
    expect(result).toMatchObject({ data: { customer: null } });
    expect(result.errors).toBeUndefined();
  });
});
