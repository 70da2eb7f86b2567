/**
 * The stores' loyalty system in the demo world: drawn on its own stream, it leaves every other
 * record of the world as it was (hashes taken before it existed), and its cards, receipts and
 * lines hold together: totals, catalogue products, holders, and who is who in the truth.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateDemoWorld } from '../../src/demo/generator.js';
import { normalizeDemoEmail, normalizeDemoPhone } from '../../src/demo/identifiers.js';
import type { DemoWorld, DemoWorldOptions } from '../../src/demo/world-types.js';

/** sha256 of the world's records other than the loyalty system's, as generated before it was added. */
const WORLD_BEFORE_LOYALTY: ReadonlyArray<readonly [DemoWorldOptions, string]> = [
  [{ seed: 42, customers: 2_000 }, '8f371f0207e6b5100389a86af7891ee936e620ac6c47c98b6d76e045226868f4'],
  [{ seed: 7, customers: 300 }, '0888f099be59a7d390140fc5a288012b8f371fefd8dddcfc75138a743dffd492'],
  [{ seed: 360, customers: 500, asOf: '2025-03-15T12:00:00.000Z' }, 'b2c7c16f80f6bb118d1ffa2544f8a8d9e8894aeea0d89395f07206807f976891'],
];

function withoutLoyalty(w: DemoWorld): unknown {
  const { loyaltyCards, receipts, receiptLines, truth, ...rest } = w;
  return { ...rest, truth: { people: truth.people } };
}

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const world = generateDemoWorld({ seed: 42, customers: 2_000 });
const cards = new Map(world.loyaltyCards.map((card) => [card.cardNumber, card]));
const holderOf = new Map(world.truth.loyaltyCards.map((holder) => [holder.cardNumber, holder.person]));

describe('the loyalty system of the demo world', () => {
  it.each(WORLD_BEFORE_LOYALTY)('leaves every other record of the world unchanged (%j)', (options, before) => {
    expect(hash(withoutLoyalty(generateDemoWorld(options)))).toBe(before);
  });

  it('is the same from the same seed, another from another, and can be left out', () => {
    const again = generateDemoWorld({ seed: 42, customers: 2_000 });
    expect(hash([again.loyaltyCards, again.receipts, again.receiptLines, again.truth.loyaltyCards])).toBe(
      hash([world.loyaltyCards, world.receipts, world.receiptLines, world.truth.loyaltyCards]),
    );
    const other = generateDemoWorld({ seed: 43, customers: 2_000 });
    expect(hash(other.loyaltyCards)).not.toBe(hash(world.loyaltyCards));
    const without = generateDemoWorld({ seed: 42, customers: 2_000, includeLoyalty: false });
    expect([without.loyaltyCards, without.receipts, without.receiptLines, without.truth.loyaltyCards]).toEqual([[], [], [], []]);
    expect(hash(withoutLoyalty(without))).toBe(hash(withoutLoyalty(world)));
  });

  it('gives a card to a fifth to a third of the customers, about three receipts each, one to four lines each', () => {
    const share = world.loyaltyCards.length / world.truth.people.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    const perCard = world.receipts.length / world.loyaltyCards.length;
    expect(perCard).toBeGreaterThan(2.5);
    expect(perCard).toBeLessThan(3.5);
    const lines = new Map<number, number>();
    for (const line of world.receiptLines) lines.set(line.receiptId, (lines.get(line.receiptId) ?? 0) + 1);
    expect(
      world.receipts.every((receipt) => {
        const count = lines.get(receipt.id) ?? 0;
        return count >= 1 && count <= 4;
      }),
    ).toBe(true);
  });

  it('numbers cards and receipts in issue order, with sequential ids', () => {
    expect(world.loyaltyCards.map((card) => card.cardNumber)).toEqual(world.loyaltyCards.map((_, i) => `LC${String(i + 1).padStart(6, '0')}`));
    expect(world.receipts.every((receipt, i) => receipt.id === i + 1)).toBe(true);
    expect(world.receiptLines.every((line, i) => line.id === i + 1)).toBe(true);
    const placed = world.receipts.map((receipt) => Date.parse(receipt.placedAt));
    expect(placed.every((millis, i) => i === 0 || millis >= (placed[i - 1] as number))).toBe(true);
  });

  it('holds receipts on existing cards, within the card life and before asOf, totalling their lines to the cent', () => {
    const asOf = Date.parse(world.asOf);
    const totals = new Map<number, number>();
    for (const line of world.receiptLines) totals.set(line.receiptId, (totals.get(line.receiptId) ?? 0) + Math.round(line.lineTotal * 100));
    for (const receipt of world.receipts) {
      const card = cards.get(receipt.cardNumber);
      expect(card).toBeDefined();
      const placed = Date.parse(receipt.placedAt);
      expect(placed).toBeGreaterThanOrEqual(Date.parse(card?.createdAt ?? ''));
      expect(placed).toBeLessThan(asOf);
      expect(Math.round(receipt.total * 100)).toBe(totals.get(receipt.id));
      expect(receipt.storeId).toMatch(/^[A-Z]{3}-\d\d$/);
    }
  });

  it('sells products of the shop catalogue, at their price', () => {
    const products = new Map(world.products.map((product) => [product.id, product]));
    const receiptIds = new Set(world.receipts.map((receipt) => receipt.id));
    for (const line of world.receiptLines) {
      const product = products.get(line.productId);
      expect(product).toBeDefined();
      expect([line.sku, line.productName, line.unitPrice]).toEqual([product?.sku, product?.name, product?.price]);
      expect(Math.round(line.lineTotal * 100)).toBe(Math.round(line.unitPrice * 100) * line.quantity);
      expect(receiptIds.has(line.receiptId)).toBe(true);
    }
  });

  it('says whose each card is: a person of the truth, holding one card at most, or a loyalty-only person (null)', () => {
    expect(world.truth.loyaltyCards.map((holder) => holder.cardNumber)).toEqual(world.loyaltyCards.map((card) => card.cardNumber));
    const persons = world.truth.loyaltyCards.flatMap((holder) => (holder.person === null ? [] : [holder.person]));
    expect(new Set(persons).size).toBe(persons.length);
    for (const person of persons) expect(world.truth.people[person]).toBeDefined();
  });

  it('types the phone at the till in another format than the person’s other records, and seldom has the e-mail', () => {
    let reformatted = 0;
    let compared = 0;
    for (const card of world.loyaltyCards) {
      const person = holderOf.get(card.cardNumber);
      expect(normalizeDemoPhone(card.phone)).not.toBeNull();
      if (person === null || person === undefined) continue;
      const records = recordPhones(world, person);
      const same = records.filter((phone) => normalizeDemoPhone(phone) === normalizeDemoPhone(card.phone));
      if (same.length === 0) continue;
      compared += 1;
      if (same.every((phone) => phone !== card.phone)) reformatted += 1;
    }
    expect(compared).toBeGreaterThan(world.loyaltyCards.length / 2);
    expect(reformatted / compared).toBeGreaterThan(0.95);
    const withEmail = world.loyaltyCards.filter((card) => card.email !== null).length / world.loyaltyCards.length;
    expect(withEmail).toBeGreaterThan(0.3);
    expect(withEmail).toBeLessThan(0.5);
    expect(world.loyaltyCards.some((card) => card.firstName !== null && /^.\.$/.test(card.firstName))).toBe(true);
  });

  it('has store-only customers: a CRM contact, no shop account, receipts linked to the contact by phone alone', () => {
    const linked = world.truth.loyaltyCards.filter(({ cardNumber, person }) => {
      if (person === null) return false;
      const truth = world.truth.people[person];
      const card = cards.get(cardNumber);
      if (truth === undefined || card === undefined || truth.shopCustomerIds.length > 0 || truth.contactIds.length === 0) return false;
      return recordPhones(world, person).some((phone) => normalizeDemoPhone(phone) === normalizeDemoPhone(card.phone));
    });
    expect(linked.length).toBeGreaterThan(20);
    expect(world.receipts.filter((receipt) => linked.some((holder) => holder.cardNumber === receipt.cardNumber)).length).toBeGreaterThan(linked.length);
  });

  it('has loyalty-only people, whose phone and e-mail no other record holds', () => {
    const only = world.truth.loyaltyCards.filter((holder) => holder.person === null).map((holder) => cards.get(holder.cardNumber));
    expect(only.length).toBeGreaterThan(10);
    const phones = new Set([...world.contacts.flatMap((c) => [c.phone, c.mobile]), ...world.shopCustomers.map((c) => c.phone)].map(normalizeDemoPhone));
    const emails = new Set([...world.contacts, ...world.shopCustomers].map((c) => normalizeDemoEmail(c.email)));
    for (const card of only) {
      expect(phones.has(normalizeDemoPhone(card?.phone ?? null))).toBe(false);
      if (card?.email != null) expect(emails.has(normalizeDemoEmail(card.email))).toBe(false);
    }
  });
});

function recordPhones(w: DemoWorld, person: number): Array<string | null> {
  const truth = w.truth.people[person];
  if (truth === undefined) return [];
  return [
    ...truth.contactIds.flatMap((id) => [w.contacts[id - 1]?.phone ?? null, w.contacts[id - 1]?.mobile ?? null]),
    ...truth.shopCustomerIds.map((id) => w.shopCustomers[id - 1]?.phone ?? null),
  ];
}
