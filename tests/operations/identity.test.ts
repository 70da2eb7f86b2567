/**
 * Identity resolution on the demo world, whose truth says who is who: every injected
 * duplicate is found, nothing merges two people (junk values, the switchboard), and
 * probabilistic matching costs the same statements for a page of 10 as for a page of 50.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { matchesLeaf } from '../../connectors/sql/filter.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { junkEmailFilter } from '../../src/identity/quality-report.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

/** The demo mapping with probabilistic matching on. */
function identityConfig(world: SeededWorld, identity: Record<string, unknown>): C360Config {
  const raw = demoRawConfig({ crmUrl: world.crmUrl, shopUrl: world.shopUrl, shopKind: 'mysql', port: 0 });
  return parseConfig({ ...raw, identity: { ...raw.identity, ...identity } });
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 1500 });
  gateway = await startTestGateway(identityConfig(seeded, { probabilistic: { enabled: true } }));
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

interface IdentityOut {
  readonly entity: string;
  readonly key: string;
  readonly matchedBy: string;
  readonly score: number;
  readonly explanation: string;
}

interface CustomerOut {
  readonly id: string;
  readonly identities: ReadonlyArray<IdentityOut>;
}

const PAGE = `query ($after: String, $first: Int) {
  customers(first: $first, after: $after) {
    edges { node { id identities { entity key matchedBy score explanation } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function everyCustomer(): Promise<CustomerOut[]> {
  const all: CustomerOut[] = [];
  let after: string | null = null;
  for (;;) {
    const result = await gateway.query(PAGE, { after, first: 100 });
    expect(result.errors).toBeUndefined();
    const page = (result.data as { customers: { edges: Array<{ node: CustomerOut }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } })
      .customers;
    all.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}

/** "contact:12" / "shopCustomer:7" -> index of the real person in the truth. */
function truthIndex(world: SeededWorld): Map<string, number> {
  const index = new Map<string, number>();
  world.world.truth.people.forEach((person, i) => {
    for (const id of person.contactIds) index.set(`contact:${id}`, i);
    for (const id of person.shopCustomerIds) index.set(`shopCustomer:${id}`, i);
  });
  return index;
}

describe('identity resolution on the demo world', () => {
  let customers: CustomerOut[];
  beforeAll(async () => {
    customers = await everyCustomer();
  }, 120_000);

  it('never puts records of two real people in one customer (junk values and the switchboard included)', () => {
    const truth = truthIndex(seeded);
    const merged = customers.filter((customer) => new Set(customer.identities.map((identity) => truth.get(`${identity.entity}:${identity.key}`))).size > 1);
    expect(merged.map((customer) => customer.identities)).toEqual([]);
  });

  it('finds every injected duplicate: each real person with two shop accounts has a customer holding all its records', () => {
    const truth = seeded.world.truth.people.filter((person) => person.shopCustomerIds.length > 1);
    expect(truth.length).toBeGreaterThan(5);
    const holding = new Map<string, Set<string>>();
    for (const customer of customers) {
      const keys = new Set(customer.identities.map((identity) => `${identity.entity}:${identity.key}`));
      for (const key of keys) holding.set(key, new Set([...(holding.get(key) ?? []), ...keys]));
    }
    const missed = truth.filter((person) => {
      const records = [...person.contactIds.map((id) => `contact:${id}`), ...person.shopCustomerIds.map((id) => `shopCustomer:${id}`)];
      const together = holding.get(records[0]!) ?? new Set<string>();
      return !records.every((record) => together.has(record));
    });
    expect(missed).toEqual([]);
  });

  it('links shop-only duplicates by the identifier they share under another spelling (a same-source link)', () => {
    const duplicates = seeded.world.truth.people.filter((person) => person.contactIds.length === 0 && person.shopCustomerIds.length > 1);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const person of duplicates) {
      const customer = customers.find((c) =>
        c.identities.some((identity) => identity.entity === 'shopCustomer' && identity.key === String(person.shopCustomerIds[0])),
      );
      const rules = customer?.identities.filter((identity) => identity.key !== String(person.shopCustomerIds[0])).map((identity) => identity.matchedBy);
      expect(rules?.length).toBeGreaterThan(0);
      for (const rule of rules ?? []) expect(['EMAIL', 'PHONE', 'PROBABILISTIC']).toContain(rule);
    }
  });

  it('links shop-only duplicates by score when no identifier rule is used, and explains it field by field', async () => {
    const scoredOnly = await startTestGateway(identityConfig(seeded, { rules: [], probabilistic: { enabled: true } }));
    try {
      const result = await scoredOnly.query(`{ customers(first: 100) { edges { node { identities { matchedBy score explanation } } } } }`);
      expect(result.errors).toBeUndefined();
      const identities = (result.data as { customers: { edges: Array<{ node: { identities: IdentityOut[] } }> } }).customers.edges.flatMap(
        (edge) => edge.node.identities,
      );
      const probabilistic = identities.filter((identity) => identity.matchedBy === 'PROBABILISTIC');
      expect(probabilistic.length).toBeGreaterThan(0);
      for (const identity of probabilistic) {
        expect(identity.score).toBeGreaterThan(0.95);
        expect(identity.explanation).toMatch(/^PROBABILISTIC p=[01]\.\d{4}: .*surname/);
      }
    } finally {
      await scoredOnly.stop();
    }
  });

  it('does not merge the 45 contacts who share the company switchboard', async () => {
    const onSwitchboard = seeded.world.contacts.filter((contact) => contact.accountId === seeded.world.accounts[0]!.id && contact.kind === 'person');
    expect(onSwitchboard.length).toBeGreaterThanOrEqual(40);
    const ids = new Set(
      customers
        .filter((customer) =>
          customer.identities.some((identity) => identity.entity === 'contact' && onSwitchboard.some((contact) => String(contact.id) === identity.key)),
        )
        .map((customer) => customer.id),
    );
    expect(ids.size).toBe(onSwitchboard.length);
  });

  it('reads the same number of statements for a page of 10 customers as for a page of 50', async () => {
    const small = await gateway.query(PAGE, { after: null, first: 10 }, { trace: true });
    const large = await gateway.query(PAGE, { after: null, first: 50 }, { trace: true });
    expect(statementsByEntity(large.extensions?.trace)).toEqual(statementsByEntity(small.extensions?.trace));
  });

  it('reads all blocking keys of a page in one statement per source (UNION ALL), each part on its own key', async () => {
    const page = await gateway.query(PAGE, { after: null, first: 10 }, { trace: true });
    const blocking = (page.extensions?.trace ?? []).filter((call) => /ROW_NUMBER\(\) OVER/.test(call.statement) && /"?__part"?|`__part`/.test(call.statement));
    // The default blocking fields (birth date, surname, postcode) against each source: one union each.
    expect(statementsByEntity(blocking)).toEqual({ 'crm.contact': 1, 'shop.shopCustomer': 1 });
    // Three parts (one per blocking field); each of a page's keys is its own `… ORDER BY … LIMIT ?` subquery.
    for (const call of blocking) {
      expect(call.statement.match(/ AS ["`]__part["`]/g)?.length).toBe(3);
      expect(call.statement.match(/ LIMIT /g)?.length).toBeGreaterThan(3);
      expect(call.statement).not.toMatch(/PARTITION BY (LOWER|"birth_date"|`birth_date`|"postcode"|`postcode`)/);
    }
  });
});

describe('one customer', () => {
  it('lists a possible duplicate with its reasons, and no link, between the two thresholds', async () => {
    // Raise the link threshold above any score: every probable match becomes a candidate.
    const strict = await startTestGateway(identityConfig(seeded, { probabilistic: { enabled: true, linkAbove: 1, reviewAbove: 0.5 } }));
    try {
      const person = seeded.world.truth.people.find((p) => p.contactIds.length === 0 && p.shopCustomerIds.length > 1)!;
      const id = encodeCustomerId({ entity: 'shopCustomer', key: String(person.shopCustomerIds[0]) });
      const result = await strict.query(
        `query ($id: ID!) { customer(id: $id) { identities { key matchedBy } duplicateCandidates { entity key score reasons { field level weight value otherValue } } } }`,
        { id },
      );
      expect(result.errors).toBeUndefined();
      const customer = (
        result.data as {
          customer: {
            identities: Array<{ key: string; matchedBy: string }>;
            duplicateCandidates: Array<{ entity: string; key: string; score: number; reasons: Array<{ field: string; weight: number }> }>;
          };
        }
      ).customer;
      expect(customer.identities.map((identity) => identity.matchedBy)).not.toContain('PROBABILISTIC');
      const candidate = customer.duplicateCandidates.find((c) => c.key === String(person.shopCustomerIds[1]));
      expect(candidate).toBeDefined();
      expect(candidate!.score).toBeGreaterThan(0.5);
      expect(candidate!.reasons.find((reason) => reason.field === 'postcode')?.weight).toBeGreaterThan(0);
    } finally {
      await strict.stop();
    }
  });

  it('uses only the configured rules: without EMAIL and PHONE, a contact links by external id alone', async () => {
    const narrow = await startTestGateway(identityConfig(seeded, { rules: ['EXTERNAL_ID'] }));
    try {
      const result = await narrow.query(`{ customers(first: 100) { edges { node { identities { matchedBy } } } } }`);
      expect(result.errors).toBeUndefined();
      const rules = new Set(
        (result.data as { customers: { edges: Array<{ node: { identities: Array<{ matchedBy: string }> } }> } }).customers.edges.flatMap((edge) =>
          edge.node.identities.map((identity) => identity.matchedBy),
        ),
      );
      expect([...rules].sort()).toEqual(['ANCHOR', 'EXTERNAL_ID']);
    } finally {
      await narrow.stop();
    }
  });

  it('shows data quality with its conflicts, and a base-wide report computed by aggregate statements', async () => {
    const result = await gateway.query(
      `{ customers(first: 30) { edges { node { dataQuality { score completeness emailValid phoneValid postcodeValid stale conflicts { field values { source key value } } } } } }
         dataQualityReport { records { source entity count } issues { source entity kind count } } }`,
      undefined,
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const data = result.data as {
      customers: {
        edges: Array<{
          node: { dataQuality: { score: number; completeness: number; conflicts: Array<{ field: string; values: Array<{ source: string }> }> } };
        }>;
      };
      dataQualityReport: { records: Array<{ entity: string; count: number }>; issues: Array<{ entity: string; kind: string; count: number }> };
    };
    for (const edge of data.customers.edges) {
      expect(edge.node.dataQuality.score).toBeGreaterThanOrEqual(0);
      expect(edge.node.dataQuality.score).toBeLessThanOrEqual(1);
      for (const conflict of edge.node.dataQuality.conflicts) expect(conflict.values.length).toBeGreaterThan(1);
    }
    expect(data.dataQualityReport.records).toEqual(
      expect.arrayContaining([
        { source: 'crm', entity: 'contact', count: seeded.world.contacts.length },
        { source: 'shop', entity: 'shopCustomer', count: seeded.world.shopCustomers.length },
      ]),
    );
    const missingEmail = seeded.world.contacts.filter((contact) => contact.email === null).length;
    expect(data.dataQualityReport.issues).toContainEqual({ source: 'crm', entity: 'contact', kind: 'MISSING_EMAIL', count: missingEmail });
    // Placeholder emails, counted by each source with one OR of prefixes, as the gateway's own
    // test of those prefixes (matchesLeaf: trimmed, case and accents folded) counts them.
    const junk = junkEmailFilter(identityConfig(seeded, {}).identity);
    const isJunk = (email: string | null): boolean =>
      email !== null && junk.op === 'or' && junk.filters.some((prefix) => prefix.op === 'prefix' && matchesLeaf(prefix, email));
    const junkContacts = seeded.world.contacts.filter((contact) => isJunk(contact.email)).length;
    const junkShop = seeded.world.shopCustomers.filter((customer) => isJunk(customer.email)).length;
    expect(junkContacts).toBeGreaterThan(0);
    expect(junkShop).toBeGreaterThan(0);
    expect(data.dataQualityReport.issues).toContainEqual({ source: 'crm', entity: 'contact', kind: 'JUNK_EMAIL', count: junkContacts });
    expect(data.dataQualityReport.issues).toContainEqual({ source: 'shop', entity: 'shopCustomer', kind: 'JUNK_EMAIL', count: junkShop });
    // Aggregates, not reads of every record: no statement returned more than one row per contact page.
    const report = (result.extensions?.trace ?? []).filter((call) => /COUNT\(/i.test(call.statement));
    expect(report.length).toBeGreaterThan(0);
    for (const call of report) expect(call.rows).toBe(1);
  });
});
