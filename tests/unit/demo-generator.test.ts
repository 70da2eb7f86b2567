import { describe, expect, it } from '@jest/globals';
import { generateDemoWorld } from '../../src/demo/generator.js';
import { normalizeDemoEmail, normalizeDemoPhone, passesLuhn } from '../../src/demo/identifiers.js';
import { shareKey } from '../../src/demo/people.js';
import { DEMO_IDENTITY_BLOCKLIST } from '../../src/demo/config.js';
import type { DemoWorld } from '../../src/demo/world-types.js';

const world = generateDemoWorld({ seed: 42, customers: 2_000 });
const blocked = new Set(DEMO_IDENTITY_BLOCKLIST);

function sequential(rows: ReadonlyArray<{ readonly id: number }>): boolean {
  return rows.every((row, index) => row.id === index + 1);
}

describe('generateDemoWorld', () => {
  it('makes the identical world from the same seed', () => {
    expect(JSON.stringify(generateDemoWorld({ seed: 42, customers: 2_000 }))).toBe(JSON.stringify(world));
  });

  it('makes another world from another seed', () => {
    const other = generateDemoWorld({ seed: 43, customers: 2_000 });
    expect(other.contacts[0]).not.toEqual(world.contacts[0]);
    expect(JSON.stringify(other.orders)).not.toBe(JSON.stringify(world.orders));
  });

  it('keeps ids sequential integers per table', () => {
    const tables: ReadonlyArray<ReadonlyArray<{ readonly id: number }>> = [
      world.accounts,
      world.contacts,
      world.interactions,
      world.consents,
      world.shopCustomers,
      world.products,
      world.orders,
      world.orderLines,
      world.events,
      world.tickets,
    ];
    for (const table of tables) {
      expect(table.length).toBeGreaterThan(0);
      expect(sequential(table)).toBe(true);
    }
  });

  it('gives every account and registry company a SIREN and SIRET that pass Luhn', () => {
    for (const company of [...world.accounts, ...world.companies]) {
      expect(company.siren).toMatch(/^\d{9}$/);
      expect(company.siret).toMatch(/^\d{14}$/);
      expect(passesLuhn(company.siren)).toBe(true);
      expect(passesLuhn(company.siret)).toBe(true);
      expect(company.siret.startsWith(company.siren)).toBe(true);
    }
    expect(world.companies.some((company) => company.state === 'C' && company.closedDate !== null)).toBe(true);
    expect(world.companies.every((company) => (company.state === 'A') === (company.closedDate === null))).toBe(true);
  });

  it('has a truth that covers every record exactly once', () => {
    expect(world.truth.people).toHaveLength(2_000);
    const contactIds = world.truth.people.flatMap((person) => person.contactIds).sort((a, b) => a - b);
    const shopIds = world.truth.people.flatMap((person) => person.shopCustomerIds).sort((a, b) => a - b);
    expect(contactIds).toEqual(world.contacts.map((contact) => contact.id));
    expect(shopIds).toEqual(world.shopCustomers.map((customer) => customer.id));
    expect(world.truth.people.every((person) => person.contactIds.length + person.shopCustomerIds.length > 0)).toBe(true);
  });

  it('puts people in the CRM only, the shop only, and both, with a deterministic key linking the copies', () => {
    const both = world.truth.people.filter((p) => p.contactIds.length > 0 && p.shopCustomerIds.length > 0);
    expect(world.truth.people.some((p) => p.shopCustomerIds.length === 0)).toBe(true);
    expect(world.truth.people.some((p) => p.contactIds.length === 0)).toBe(true);
    expect(both.length).toBeGreaterThan(500);
    for (const person of both) {
      const contact = world.contacts[(person.contactIds[0] ?? 0) - 1];
      const shop = world.shopCustomers[(person.shopCustomerIds[0] ?? 0) - 1];
      if (contact === undefined || shop === undefined) throw new Error('truth names a missing record');
      expect(shareKey(contact, shop)).toBe(true);
    }
  });

  it('records the shop id on some CRM contacts, always pointing at the same person', () => {
    const shopOwner = ownerOfShopIds(world);
    const withRef = world.contacts.filter((contact) => contact.shopCustomerRef !== null);
    expect(withRef.length).toBeGreaterThan(50);
    for (const contact of withRef) {
      expect(shopOwner.get(Number(contact.shopCustomerRef))).toBe(ownerOfContact(world, contact.id));
    }
  });

  it('never lets two different people share a non-junk e-mail', () => {
    const ownerByEmail = new Map<string, number>();
    world.truth.people.forEach((person, owner) => {
      const emails = [
        ...person.contactIds.map((id) => world.contacts[id - 1]?.email ?? null),
        ...person.shopCustomerIds.map((id) => world.shopCustomers[id - 1]?.email ?? null),
      ];
      for (const email of emails.map(normalizeDemoEmail)) {
        if (email === null || blocked.has(email)) continue;
        expect(ownerByEmail.get(email) ?? owner).toBe(owner);
        ownerByEmail.set(email, owner);
      }
    });
  });

  it('has the mess of real data: e-mail case and spaces, every phone format, junk, missing values', () => {
    const shopEmails = world.shopCustomers.map((c) => c.email).filter((e): e is string => e !== null);
    expect(shopEmails.some((e) => e !== e.trim())).toBe(true);
    expect(shopEmails.some((e) => e.trim() !== e.trim().toLowerCase())).toBe(true);
    expect(shopEmails.some((e) => /^ [A-Z].*@[A-Z].* $/.test(e))).toBe(true);
    const phones = [...world.shopCustomers.map((c) => c.phone), ...world.contacts.flatMap((c) => [c.phone, c.mobile])].filter((p): p is string => p !== null);
    expect(phones.some((p) => /^0\d( \d\d){4}$/.test(p))).toBe(true); // 06 12 34 56 78
    expect(phones.some((p) => /^\+33 \d( \d\d){4}$/.test(p))).toBe(true); // +33 6 12 34 56 78
    expect(phones.some((p) => /^0033\d{9}$/.test(p))).toBe(true); // 0033612345678
    expect(phones.some((p) => /^0\d(\.\d\d){4}$/.test(p))).toBe(true); // 06.12.34.56.78
    expect(phones.some((p) => /^\+33\d{9}$/.test(p))).toBe(true);
    expect(phones.filter((p) => !blocked.has(p)).every((p) => normalizeDemoPhone(p) !== null)).toBe(true);
    const allEmails = [...shopEmails, ...world.contacts.map((c) => c.email)];
    expect(allEmails.filter((e) => e === 'noemail@noemail.com' || e === 'test@test.com').length).toBeGreaterThan(1);
    expect(phones.filter((p) => p === '0000000000').length).toBeGreaterThan(1);
    expect(world.contacts.some((c) => c.email === null)).toBe(true);
    expect(world.shopCustomers.some((c) => c.phone === null)).toBe(true);
    expect(world.shopCustomers.some((c) => c.postcode === null)).toBe(true);
  });

  it('has a switchboard phone shared by at least 40 CRM contacts of one account', () => {
    const byPhone = new Map<string, Set<number>>();
    for (const contact of world.contacts) {
      const phone = normalizeDemoPhone(contact.phone);
      if (phone === null || contact.accountId === null) continue;
      byPhone.set(phone, (byPhone.get(phone) ?? new Set()).add(contact.id));
    }
    const [phone, ids] = [...byPhone].sort((a, b) => b[1].size - a[1].size)[0] ?? ['', new Set<number>()];
    expect(ids.size).toBeGreaterThanOrEqual(40);
    const accounts = new Set([...ids].map((id) => world.contacts[id - 1]?.accountId));
    expect(accounts.size).toBe(1);
    expect(blocked.has(phone)).toBe(false);
  });

  it('has duplicate shop accounts of one person with a name typo', () => {
    const duplicated = world.truth.people.filter((p) => p.shopCustomerIds.length > 1);
    expect(duplicated.length).toBeGreaterThan(3);
    for (const person of duplicated) {
      const [first, second] = person.shopCustomerIds.map((id) => world.shopCustomers[id - 1]).map((c) => fold(`${c?.firstName} ${c?.lastName}`));
      expect(first).not.toBe(second);
    }
  });

  it('makes order totals the sum of their lines, within two years before asOf', () => {
    const sums = new Map<number, number>();
    for (const line of world.orderLines) {
      expect(Math.round(line.quantity * line.unitPrice * 100)).toBe(Math.round(line.lineTotal * 100));
      sums.set(line.orderId, (sums.get(line.orderId) ?? 0) + Math.round(line.lineTotal * 100));
    }
    const asOf = Date.parse(world.asOf);
    for (const order of world.orders) {
      expect(Math.round(order.total * 100)).toBe(sums.get(order.id));
      const placed = Date.parse(order.placedAt);
      expect(placed).toBeLessThanOrEqual(asOf);
      expect(placed).toBeGreaterThan(asOf - 731 * 86_400_000);
      expect(order.channel === 'store').toBe(order.storeId !== null);
    }
    expect(world.orders.some((o) => o.storeId?.match(/^[A-Z]{3}-\d\d$/))).toBe(true);
  });

  it('has window shoppers: recent checkouts started without any order', () => {
    const buyers = new Set(world.orders.map((o) => o.customerId));
    const recent = Date.parse(world.asOf) - 14 * 86_400_000;
    const shoppers = new Set(
      world.events.filter((e) => e.type === 'checkout_started' && Date.parse(e.occurredAt) > recent && !buyers.has(e.customerId)).map((e) => e.customerId),
    );
    expect(shoppers.size).toBeGreaterThan(10);
  });

  it('writes tickets mostly from known e-mails, some from unknown ones', () => {
    const known = new Set([...world.contacts.map((c) => normalizeDemoEmail(c.email)), ...world.shopCustomers.map((c) => normalizeDemoEmail(c.email))]);
    const matched = world.tickets.filter((t) => known.has(normalizeDemoEmail(t.requesterEmail))).length;
    expect(matched / world.tickets.length).toBeGreaterThan(0.8);
    expect(matched).toBeLessThan(world.tickets.length);
    expect(world.tickets.every((t) => t.satisfaction === null || (t.satisfaction >= 1 && t.satisfaction <= 5))).toBe(true);
    expect(world.tickets.every((t) => t.messages.length > 0)).toBe(true);
  });

  it('scales with the number of customers and can leave events and tickets out', () => {
    const small = generateDemoWorld({ seed: 7, customers: 200 });
    const large = generateDemoWorld({ seed: 7, customers: 8_000, includeEvents: false, includeTickets: false });
    expect(small.truth.people).toHaveLength(200);
    expect(large.truth.people).toHaveLength(8_000);
    expect(large.orders.length).toBeGreaterThan(small.orders.length * 20);
    expect(large.events).toHaveLength(0);
    expect(large.tickets).toHaveLength(0);
    const withAll = generateDemoWorld({ seed: 7, customers: 8_000 });
    expect(withAll.orders).toEqual(large.orders);
  });

  it('aims at a total number of orders when asked', () => {
    const sized = generateDemoWorld({ seed: 1, customers: 3_000, totalOrders: 30_000, includeEvents: false, includeTickets: false });
    expect(Math.abs(sized.orders.length - 30_000) / 30_000).toBeLessThan(0.1);
  });
});

function ownerOfShopIds(w: DemoWorld): Map<number, number> {
  const owners = new Map<number, number>();
  w.truth.people.forEach((person, owner) => person.shopCustomerIds.forEach((id) => owners.set(id, owner)));
  return owners;
}

function ownerOfContact(w: DemoWorld, contactId: number): number {
  return w.truth.people.findIndex((person) => person.contactIds.includes(contactId));
}

function fold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
