/**
 * The demo's three silos end to end: the CRM, the web shop and the stores' loyalty system
 * (card holders by card number, phone and sometimes email; receipts with lines: src/demo/loyalty.ts).
 * A customer whose store receipts are only in the loyalty system, linked by phone, shows
 * them in orders, RFM and the timeline; a card holder no other source knows is a customer
 * of its own, in the pages too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_IDENTITY_BLOCKLIST } from '../../src/demo/config.js';
import type { DemoContact, DemoLoyaltyCard } from '../../src/demo/world-types.js';
import { isJunkIdentifier } from '../../src/identity/blocklist.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { normalizePhone } from '../../src/identity/phone.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 300, loyalty: true });
  gateway = await startTestGateway(seeded.config());
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

interface CustomerJson {
  readonly id: string;
  readonly displayName: string | null;
  readonly sources: ReadonlyArray<{ readonly source: string; readonly entity: string; readonly key: string; readonly matchedBy: string }>;
  readonly household: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
  readonly orders: {
    readonly nodes: ReadonlyArray<{
      readonly id: string;
      readonly channel: string;
      readonly total: number;
      readonly lines: ReadonlyArray<{ readonly product: { readonly id: string } | null }>;
    }>;
  };
  readonly rfm: { readonly frequency: number; readonly monetary: number } | null;
  readonly timeline: ReadonlyArray<{ readonly kind: string; readonly source: string }>;
}

const CUSTOMER = `id displayName
  sources { source entity key matchedBy }
  household { key reason }
  orders(first: 50) { nodes { id channel total lines { product { id } } } }
  rfm { frequency monetary }
  timeline(first: 50, kinds: [ORDER]) { kind source }`;

const phoneOf = (value: string | null) => {
  const phone = normalizePhone(value, 'FR');
  return phone === null || isJunkIdentifier('phone', phone, DEMO_IDENTITY_BLOCKLIST) ? null : phone;
};
const fold = (name: string | null) =>
  (name ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
/** The card and its holder's contact share a valid phone, and the card's given name is the contact's (not an initial, not missing). */
const linkable = (card: DemoLoyaltyCard, contact: DemoContact) =>
  phoneOf(card.phone) !== null &&
  [contact.phone, contact.mobile].some((phone) => phoneOf(phone) === phoneOf(card.phone)) &&
  fold(card.firstName) === fold(contact.firstName);

/** Receipts of a card in the RFM window (365 days to the world's asOf), as RFM counts them. */
function receiptsOf(cardNumber: string) {
  const all = seeded.world.receipts.filter((receipt) => receipt.cardNumber === cardNumber);
  const asOf = Date.parse(seeded.world.asOf);
  const inWindow = all.filter((receipt) => Date.parse(receipt.placedAt) > asOf - 365 * 86_400_000 && Date.parse(receipt.placedAt) <= asOf);
  return { all, inWindow };
}

async function customer(id: string): Promise<CustomerJson> {
  const result = await gateway.query(`query($id: ID!, $asOf: DateTime) { customer(id: $id) { ${CUSTOMER.replace('rfm {', 'rfm(asOf: $asOf) {')} } }`, {
    id,
    asOf: seeded.world.asOf,
  });
  expect(result.errors).toBeUndefined();
  return result.data!.customer as unknown as CustomerJson;
}

describe('the demo with the stores’ loyalty system', () => {
  it('links a CRM contact with no shop account to the receipts of its card by phone: orders, RFM, timeline', async () => {
    const { world } = seeded;
    const storeOnly = world.truth.loyaltyCards.flatMap((owner) => {
      const person = owner.person === null ? undefined : world.truth.people[owner.person];
      if (person === undefined || person.shopCustomerIds.length > 0 || person.contactIds.length !== 1) return [];
      const card = world.loyaltyCards.find((candidate) => candidate.cardNumber === owner.cardNumber)!;
      const contact = world.contacts.find((candidate) => candidate.id === person.contactIds[0])!;
      return [{ card, contact }];
    });
    const linkables = storeOnly.filter(({ card, contact }) => linkable(card, contact));
    expect(linkables.filter(({ card }) => card.email === null).length).toBeGreaterThanOrEqual(2);
    for (const { card, contact } of linkables) {
      const found = await customer(encodeCustomerId({ entity: 'contact', key: String(contact.id) }));
      expect(found.sources).toEqual([
        { source: 'crm', entity: 'contact', key: String(contact.id), matchedBy: 'ANCHOR' },
        {
          source: 'loyalty',
          entity: 'shopCustomer',
          key: `loyalty:${card.cardNumber}`,
          // A card without an email links by its phone alone; one with the contact's email by the stronger rule.
          matchedBy: card.email === null ? 'PHONE' : expect.stringMatching(/^(EMAIL|PHONE)$/),
        },
      ]);
      const { all, inWindow } = receiptsOf(card.cardNumber);
      expect(found.orders.nodes.map((order) => order.id).sort()).toEqual(all.map((receipt) => `loyalty:${receipt.id}`).sort());
      expect(
        found.orders.nodes.every((order) => order.channel === 'STORE' && order.lines.length > 0 && order.lines.every((line) => line.product !== null)),
      ).toBe(true);
      expect(found.timeline).toEqual(all.slice(0, 50).map(() => ({ kind: 'ORDER', source: 'loyalty' })));
      if (inWindow.length === 0) expect(found.rfm).toBeNull();
      else
        expect(found.rfm).toEqual({
          frequency: inWindow.length,
          monetary: expect.closeTo(
            inWindow.reduce((sum, receipt) => sum + receipt.total, 0),
            2,
          ) as unknown as number,
        });
    }
    // A card under an initial ("N. Sanchez") sharing the contact's phone is shown beside the
    // customer, never merged: the guard cannot tell Nathalie from Nicolas by an initial.
    const initials = storeOnly.filter(
      ({ card, contact }) =>
        phoneOf(card.phone) !== null &&
        [contact.phone, contact.mobile].some((phone) => phoneOf(phone) === phoneOf(card.phone)) &&
        /^\p{L}\.?$/u.test(card.firstName ?? ''),
    );
    expect(initials.length).toBeGreaterThan(0);
    for (const { card, contact } of initials) {
      const found = await customer(encodeCustomerId({ entity: 'contact', key: String(contact.id) }));
      expect(found.sources.map((record) => record.key)).toEqual([String(contact.id)]);
      expect(found.household).toContainEqual({ key: `loyalty:${card.cardNumber}`, reason: 'GIVEN_NAMES_DIFFER' });
    }
  });

  it('makes a web shopper with a card and no CRM contact one customer: web orders and receipts together', async () => {
    const { world } = seeded;
    const pairs = world.truth.loyaltyCards.flatMap((owner) => {
      const person = owner.person === null ? undefined : world.truth.people[owner.person];
      if (person === undefined || person.contactIds.length > 0 || person.shopCustomerIds.length !== 1) return [];
      const card = world.loyaltyCards.find((candidate) => candidate.cardNumber === owner.cardNumber)!;
      const account = world.shopCustomers.find((candidate) => candidate.id === person.shopCustomerIds[0])!;
      return [{ card, account }];
    });
    // Linkable: a valid phone or the same email, and the same given name (the guard holds an initial apart).
    const linkables = pairs.filter(
      ({ card, account }) =>
        fold(card.firstName) === fold(account.firstName) &&
        ((phoneOf(card.phone) !== null && phoneOf(card.phone) === phoneOf(account.phone)) ||
          (card.email !== null && account.email !== null && card.email.trim().toLowerCase() === account.email.trim().toLowerCase())),
    );
    expect(linkables.length).toBeGreaterThanOrEqual(3);
    for (const { card, account } of linkables) {
      const id = encodeCustomerId({ entity: 'shopCustomer', key: String(account.id) });
      const found = await customer(id);
      expect(found.sources.map((record) => record.key).sort()).toEqual([String(account.id), `loyalty:${card.cardNumber}`].sort());
      const expected = [
        ...world.orders.filter((order) => order.customerId === account.id).map((order) => String(order.id)),
        ...receiptsOf(card.cardNumber).all.map((receipt) => `loyalty:${receipt.id}`),
      ];
      expect(found.orders.nodes.map((order) => order.id).sort()).toEqual(expected.slice(0, 50).sort());
      // Asked from the card, the same customer.
      const fromCard = await customer(encodeCustomerId({ entity: 'shopCustomer', key: `loyalty:${card.cardNumber}` }));
      expect(fromCard.id).toBe(found.id);
    }
  });

  it('refuses to group the cube by product category when the receipts have no products of their own, naming the source', async () => {
    const result = await gateway.query(`{ analytics(measures: [REVENUE], dimensions: [PRODUCT_CATEGORY]) { rows { revenue } } }`);
    expect(result.data?.analytics ?? null).toBeNull();
    expect(result.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'orders of source "loyalty" have no product table in that source to group by category'],
    ]);
    // By channel the same cube answers over both sources.
    const byChannel = await gateway.query(`{ analytics(measures: [REVENUE], dimensions: [CHANNEL]) { rows { dimensions { value } revenue } } }`);
    expect(byChannel.errors).toBeUndefined();
  });

  it('makes every card holder no other source knows a customer: by phone, and once in the pages', async () => {
    const { world } = seeded;
    const alone = world.truth.loyaltyCards
      .filter((owner) => owner.person === null)
      .map((owner) => world.loyaltyCards.find((card) => card.cardNumber === owner.cardNumber)!);
    expect(alone.length).toBeGreaterThan(0);
    const card = alone.find((candidate) => phoneOf(candidate.phone) !== null)!;
    const result = await gateway.query(`query($phone: String) { customerBy(phone: $phone) { ${CUSTOMER} } }`, { phone: card.phone });
    expect(result.errors).toBeUndefined();
    const found = result.data!.customerBy as unknown as CustomerJson;
    expect(found.sources).toEqual([{ source: 'loyalty', entity: 'shopCustomer', key: `loyalty:${card.cardNumber}`, matchedBy: 'ANCHOR' }]);
    expect(found.orders.nodes.map((order) => order.id).sort()).toEqual(
      receiptsOf(card.cardNumber)
        .all.map((receipt) => `loyalty:${receipt.id}`)
        .sort(),
    );

    // The whole base, paged: each loyalty-only card is one customer built on it alone.
    const seen = new Map<string, number>();
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const step = await gateway.query(
        `query($after: String) { customers(first: 100, after: $after) { edges { node { sources { key } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(step.errors).toBeUndefined();
      const connection = step.data!.customers as {
        edges: Array<{ node: { sources: Array<{ key: string }> } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      for (const edge of connection.edges) {
        const keys = edge.node.sources.map((record) => record.key);
        if (keys.length === 1 && keys[0]!.startsWith('loyalty:')) seen.set(keys[0]!, (seen.get(keys[0]!) ?? 0) + 1);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    for (const holder of alone) expect([holder.cardNumber, seen.get(`loyalty:${holder.cardNumber}`)]).toEqual([holder.cardNumber, 1]);
  });
});
