/**
 * The helpdesk and the company registry end to end: real HTTP services, real databases,
 * the gateway queried over HTTP. Failure cases get their own gateway, so an opened
 * circuit breaker never leaks into the next test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSqlAdmin } from '../../connectors/admin.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import type { DemoRestServices } from '../../src/demo/rest-services.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let rest: DemoRestServices;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 120, seed: 11, restServices: true });
  rest = seeded.rest!;
  gateway = await startTestGateway(seeded.config());
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

interface PageNode {
  readonly id: string;
  readonly contact: { readonly email: string | null } | null;
  readonly shopAccounts: ReadonlyArray<{ readonly email: string | null }> | null;
  readonly tickets: ReadonlyArray<{ readonly id: string; readonly createdAt: string }> | null;
}

/** Rough, test-side: the emails the world's tickets could be filed under, lower-cased. */
function lower(email: string | null | undefined): string | null {
  return email === null || email === undefined ? null : email.trim().toLowerCase();
}

describe('Customer.tickets', () => {
  it('asks the helpdesk once for tickets, the service summary and the timeline of the same customers', async () => {
    const alone = await gateway.query(`{ customers(first: 20) { edges { node { tickets { id } } } } }`, undefined, { trace: true });
    const together = await gateway.query(
      `{ customers(first: 20) { edges { node { tickets(status: [OPEN]) { id } service { openTickets } timeline(first: 5) { kind } } } } }`,
      undefined,
      { trace: true },
    );
    expect(together.errors).toBeUndefined();
    const helpdeskCalls = (result: typeof alone) => (result.extensions?.trace ?? []).filter((call) => call.source === 'helpdesk').length;
    expect(helpdeskCalls(alone)).toBeGreaterThan(0);
    expect(helpdeskCalls(together)).toBe(helpdeskCalls(alone));
  });

  it('fetches the tickets of a page of 50 customers in batched calls, not one per customer', async () => {
    rest.helpdesk.reset();
    const result = await gateway.query(
      `{ customers(first: 50) { edges { node { id contact { email } shopAccounts { email } tickets(first: 100) { id createdAt } } } } }`,
      undefined,
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const nodes = (result.data?.customers as { edges: Array<{ node: PageNode }> }).edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(50);

    const emails = new Set<string>();
    for (const node of nodes) {
      for (const email of [node.contact?.email, ...(node.shopAccounts ?? []).map((account) => account.email)]) {
        const normalized = lower(email);
        if (normalized !== null && normalized.includes('@')) emails.add(normalized);
      }
    }
    const helpdeskCalls = (result.extensions?.trace ?? []).filter((call) => call.source === 'helpdesk');
    // batch.maxKeys is 50 and a page holds up to 100 tickets: a chunk of 50 emails is one
    // call, two if its tickets overflow one page.
    const batches = Math.ceil(emails.size / 50);
    expect(helpdeskCalls.length).toBeGreaterThanOrEqual(batches);
    expect(helpdeskCalls.length).toBeLessThanOrEqual(2 * batches);
    expect(helpdeskCalls.length).toBeLessThan(10);
    expect(rest.helpdesk.counters.total).toBe(helpdeskCalls.length);
    expect(helpdeskCalls.every((call) => call.entity === 'ticket')).toBe(true);

    // Every ticket the world filed under one of a customer's emails, newest first.
    const withTickets = nodes.filter((node) => (node.tickets ?? []).length > 0);
    expect(withTickets.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const own = new Set([node.contact?.email, ...(node.shopAccounts ?? []).map((a) => a.email)].map(lower).filter((e): e is string => e !== null));
      const expected = seeded.world.tickets
        .filter((ticket) => own.has(ticket.requesterEmail.trim().toLowerCase()))
        .map((ticket) => String(ticket.id))
        .sort();
      expect((node.tickets ?? []).map((ticket) => ticket.id).sort()).toEqual(expected);
      const dates = (node.tickets ?? []).map((ticket) => ticket.createdAt);
      expect(dates).toEqual([...dates].sort().reverse());
    }
  });

  it('filters by status, maps enums and messages, and summarizes the service', async () => {
    const ticket = seeded.world.tickets.find((t) => t.messages.length > 0 && seeded.world.contacts.some((c) => lower(c.email) === lower(t.requesterEmail)))!;
    const contact = seeded.world.contacts.find((c) => lower(c.email) === lower(ticket.requesterEmail))!;
    const result = await gateway.query(
      `query($id: ID!, $status: [TicketStatus!]) { customer(id: $id) {
        tickets(status: $status) { id status priority channel subject satisfaction messages { author body createdAt } }
        all: tickets(first: 100) { id status satisfaction }
        service { openTickets lastContactAt averageSatisfaction } } }`,
      { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }), status: [ticket.status.toUpperCase()] },
    );
    expect(result.errors).toBeUndefined();
    const customer = result.data?.customer as {
      tickets: Array<{ id: string; status: string; priority: string; messages: Array<{ author: string; body: string }> }>;
      all: Array<{ status: string; satisfaction: number | null }>;
      service: { openTickets: number; lastContactAt: string | null; averageSatisfaction: number | null };
    };
    expect(customer.tickets.every((t) => t.status === ticket.status.toUpperCase())).toBe(true);
    const found = customer.tickets.find((t) => t.id === String(ticket.id))!;
    expect(found.priority).toBe(ticket.priority.toUpperCase());
    expect(found.messages).toEqual(ticket.messages.map((m) => ({ author: m.author, body: m.body, createdAt: expect.any(String) })));
    expect(customer.service.openTickets).toBe(customer.all.filter((t) => t.status === 'OPEN' || t.status === 'PENDING').length);
    expect(customer.service.lastContactAt).not.toBeNull();
    const scores = customer.all.map((t) => t.satisfaction).filter((s): s is number => s !== null);
    expect(customer.service.averageSatisfaction).toBe(scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length);
  });
});

describe('Account.company', () => {
  const COMPANY_QUERY = `query($id: ID!) { customer(id: $id) { account { name siret company {
    siren siret legalName nafCode nafLabel headcountBand state creationDate closedDate
    executives { firstName lastName role } headOffice { street postcode city } latestFinances { year revenue netIncome } fetchedAt } } } }`;

  function contactWithCompany(skip = 0) {
    const sirens = new Set(seeded.world.companies.map((company) => company.siren));
    const accounts = seeded.world.accounts.filter((account) => sirens.has(account.siren));
    const account = accounts[skip]!;
    const contact = seeded.world.contacts.find((c) => c.accountId === account.id)!;
    return { account, contact, company: seeded.world.companies.find((c) => c.siren === account.siren)! };
  }

  it('returns the registry card of an account with a valid SIREN and SIRET', async () => {
    const { contact, company } = contactWithCompany();
    const result = await gateway.query(COMPANY_QUERY, { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) });
    expect(result.errors).toBeUndefined();
    const card = (result.data?.customer as { account: { company: Record<string, unknown> } }).account.company;
    const latest = [...company.finances].sort((a, b) => b.year - a.year)[0];
    expect(card).toMatchObject({
      siren: company.siren,
      siret: company.siret,
      legalName: company.legalName,
      nafCode: company.nafCode,
      headcountBand: company.headcountBand,
      state: company.state === 'A' ? 'ACTIVE' : 'CLOSED',
      creationDate: company.creationDate,
      headOffice: { postcode: company.address.postcode, city: company.address.city },
      executives: company.executives.map((e) => expect.objectContaining({ lastName: e.lastName })),
      latestFinances: latest === undefined ? null : { year: latest.year, revenue: latest.revenue, netIncome: latest.netIncome },
    });
    expect(Date.parse(String(card.fetchedAt))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses an invalid SIRET with BAD_USER_INPUT on the field, without calling the registry', async () => {
    const { account, contact } = contactWithCompany(1);
    const digits = account.siret.split('');
    digits[13] = String((Number(digits[13]) + 1) % 10); // breaks the Luhn check
    const crm = await openSqlAdmin('postgres', seeded.crmUrl);
    try {
      await crm.query('UPDATE accounts SET siret = $1 WHERE id = $2', [digits.join(''), account.id]);
    } finally {
      await crm.close();
    }
    rest.registry.reset();
    const result = await gateway.query(COMPANY_QUERY, { id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }) });
    expect((result.data?.customer as { account: unknown }).account).toEqual({ name: account.name, siret: digits.join(''), company: null });
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['customer.account.company', 'BAD_USER_INPUT']]);
    expect(rest.registry.counters.total).toBe(0);
  });
});

describe('with the helpdesk failing', () => {
  const PAGE = `{ customers(first: 20) { edges { node { id contact { id } orders(first: 1) { nodes { id } } tickets { id } } } } }`;

  it('down: customers come back with CRM and shop data, tickets null with SOURCE_UNAVAILABLE from helpdesk', async () => {
    const own = await startTestGateway(seeded.config());
    rest.helpdesk.reset();
    rest.helpdesk.knobs.down = true;
    try {
      const result = await own.query(PAGE);
      const nodes = (
        result.data?.customers as { edges: Array<{ node: { contact: unknown; orders: { nodes: unknown[] } | null; tickets: unknown } }> }
      ).edges.map((e) => e.node);
      expect(nodes).toHaveLength(20);
      for (const node of nodes) {
        expect(node.contact).not.toBeNull();
        expect(node.orders).not.toBeNull();
        expect(node.tickets).toBeNull();
      }
      expect(nodes.some((node) => (node.orders?.nodes.length ?? 0) > 0)).toBe(true);
      expect(result.errors).toHaveLength(20);
      for (const error of result.errors ?? []) {
        expect(error.path?.at(-1)).toBe('tickets');
        expect(error.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'helpdesk' });
      }
    } finally {
      rest.helpdesk.reset();
      await own.stop();
    }
  });

  it('slow beyond its timeout: SOURCE_TIMEOUT within the timeout and a margin', async () => {
    const config = seeded.config();
    const helpdesk = config.sources.helpdesk!;
    if (helpdesk.kind !== 'rest') throw new Error('expected the helpdesk to be a REST source');
    const own = await startTestGateway(config);
    rest.helpdesk.reset();
    rest.helpdesk.knobs.latencyMillis = helpdesk.timeoutMillis + 2_000;
    try {
      const startedAt = performance.now();
      const result = await own.query(PAGE);
      const elapsed = performance.now() - startedAt;
      expect(elapsed).toBeLessThan(helpdesk.timeoutMillis + 1_500);
      expect(elapsed).toBeGreaterThanOrEqual(helpdesk.timeoutMillis - 50);
      const nodes = (result.data?.customers as { edges: Array<{ node: { contact: unknown; tickets: unknown } }> }).edges.map((e) => e.node);
      expect(nodes.every((node) => node.contact !== null && node.tickets === null)).toBe(true);
      for (const error of result.errors ?? []) expect(error.extensions).toEqual({ code: 'SOURCE_TIMEOUT', source: 'helpdesk' });
      expect(result.errors).toHaveLength(20);
    } finally {
      rest.helpdesk.reset();
      await own.stop();
    }
  });
});

describe('Customer.timeline', () => {
  interface Entry {
    readonly at: string;
    readonly kind: string;
    readonly source: string;
    readonly order: { id: string } | null;
    readonly interaction: { id: string; type: string } | null;
    readonly ticket: { id: string } | null;
  }
  const TIMELINE = `query($id: ID!, $first: Int, $since: DateTime) { customer(id: $id) {
    timeline(first: $first, since: $since) { at kind source order { id } interaction { id type } ticket { id } } } }`;

  const keyOf = (entry: Entry) => `${entry.kind}:${entry.order?.id ?? entry.interaction?.id ?? entry.ticket?.id}`;

  it('merges orders, store visits, interactions and tickets oldest first, and pages with since', async () => {
    const page = await gateway.query(`{ customers(first: 100) { edges { node { id timeline(first: 100) { kind } } } } }`);
    expect(page.errors).toBeUndefined();
    const nodes = (page.data?.customers as { edges: Array<{ node: { id: string; timeline: Array<{ kind: string }> } }> }).edges.map((e) => e.node);
    const richest = [...nodes].sort(
      (a, b) => new Set(b.timeline.map((e) => e.kind)).size - new Set(a.timeline.map((e) => e.kind)).size || b.timeline.length - a.timeline.length,
    )[0]!;

    const full = await gateway.query(TIMELINE, { id: richest.id, first: 100 });
    expect(full.errors).toBeUndefined();
    const all = (full.data?.customer as { timeline: Entry[] }).timeline;
    expect(new Set(all.map((e) => e.kind)).size).toBeGreaterThanOrEqual(3);
    expect(all.map((e) => e.kind)).toEqual(expect.arrayContaining(['ORDER', 'TICKET']));
    expect(all.length).toBeLessThan(100); // the whole history fits: paging must give it all back
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const entry of all) {
      expect(entry.source).toBe({ ORDER: 'shop', STORE_VISIT: 'crm', INTERACTION: 'crm', TICKET: 'helpdesk' }[entry.kind]);
      expect(entry.kind === 'STORE_VISIT').toBe(entry.interaction?.type === 'STORE_VISIT');
    }
    // Paging by the last entry's date assumes no two entries share one instant.
    expect(new Set(times).size).toBe(times.length);

    const paged: Entry[] = [];
    let since: string | null = null;
    for (let round = 0; round < 100; round++) {
      const result = await gateway.query(TIMELINE, { id: richest.id, first: 3, since });
      expect(result.errors).toBeUndefined();
      const entries = (result.data?.customer as { timeline: Entry[] }).timeline;
      expect(entries.length).toBeLessThanOrEqual(3);
      if (entries.length === 0) break;
      if (since !== null) for (const entry of entries) expect(Date.parse(entry.at)).toBeGreaterThan(Date.parse(since));
      paged.push(...entries);
      since = entries.at(-1)!.at;
    }
    expect(paged.map(keyOf)).toEqual(all.map(keyOf));
  });
});
