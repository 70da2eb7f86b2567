/**
 * customerSearch on the demo world, whose truth says who is who: full names in either order,
 * accents and case ignored in both sources, typos, identifiers ranked first, pages.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { foundWithin, searchCases, NAME_FORMS } from '../../bench/search-cases.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 400 });
  gateway = await startTestGateway(seeded.config());
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const SEARCH = `query Search($text: String!, $first: Int, $after: String) {
  customerSearch(text: $text, first: $first, after: $after) {
    edges { cursor matchedOn node { id kind displayName address { city } sources { source key } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Hit {
  readonly cursor: string;
  readonly matchedOn: string[];
  readonly node: {
    id: string;
    kind: string;
    displayName: string | null;
    address: { city: string | null } | null;
    sources: Array<{ source: string; key: string }>;
  };
}

async function search(text: string, first = 10, after?: string): Promise<{ hits: Hit[]; hasNextPage: boolean; endCursor: string | null }> {
  const result = await gateway.query(SEARCH, { text, first, after });
  expect(result.errors).toBeUndefined();
  const connection = (result.data as { customerSearch: { edges: Hit[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).customerSearch;
  return { hits: connection.edges, hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor };
}

describe('customerSearch', () => {
  it('finds the right person in the first 3 hits for at least 95% of people, in each way a name is typed', async () => {
    // Every 8th customer: the whole demo world is bench/search.ts's (README-search.md); this keeps the test short.
    const cases = searchCases(seeded.world).filter((_, index) => Math.floor(index / 3) % 8 === 0);
    const found = new Map<string, { hits: number; of: number }>();
    for (const wanted of cases) {
      const { hits } = await search(wanted.text, 3);
      const key = `${wanted.form} / ${wanted.silo}`;
      const tally = found.get(key) ?? { hits: 0, of: 0 };
      found.set(key, {
        hits:
          tally.hits +
          (foundWithin(
            hits.map((hit) => hit.node),
            wanted,
            3,
          )
            ? 1
            : 0),
        of: tally.of + 1,
      });
    }
    for (const form of NAME_FORMS) {
      const both = ['crm', 'shop-only'].map((silo) => found.get(`${form} / ${silo}`)!);
      const share = (both[0]!.hits + both[1]!.hits) / (both[0]!.of + both[1]!.of);
      expect({ form, share: share >= 0.95 }).toEqual({ form, share: true });
      // Each silo on its own too; a sample of a few dozen allows one miss.
      for (const [index, silo] of ['crm', 'shop-only'].entries())
        expect({ form, silo, share: both[index]!.hits / both[index]!.of >= 0.9 }).toEqual({ form, silo, share: true });
    }
  }, 180_000);

  it('ignores accents and case in both sources: a name typed with or without its accents finds the same people', async () => {
    const accented = seeded.world.contacts.find((contact) => contact.firstName !== null && /[éèêëï]/.test(contact.firstName))!;
    const withAccents = await search(`${accented.firstName} ${accented.lastName}`, 50);
    const plain = `${accented.firstName} ${accented.lastName}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const without = await search(plain, 50);
    expect(without.hits.map((hit) => hit.node.id)).toEqual(withAccents.hits.map((hit) => hit.node.id));
    expect(withAccents.hits[0]!.node.sources).toContainEqual({ source: 'crm', key: String(accented.id) });
  });

  it('finds a misspelt name by its first letters and ranks it by similarity', async () => {
    const contact = seeded.world.contacts.find(
      (candidate) => candidate.lastName !== null && candidate.lastName.length >= 7 && /^[A-Za-z]+$/.test(candidate.lastName),
    )!;
    const typo = `${contact.firstName} ${contact.lastName!.slice(0, 4)}${contact.lastName!.slice(5)}`;
    const { hits } = await search(typo, 10);
    expect(hits.slice(0, 3).some((hit) => hit.node.sources.some((record) => record.source === 'crm' && record.key === String(contact.id)))).toBe(true);
    expect(hits[0]!.matchedOn).toEqual(['NAME_SIMILAR']);
  });

  it('puts the holder of an exact SIRET, email or phone first', async () => {
    const company = seeded.world.contacts.find((contact) => contact.kind === 'company' && contact.accountId !== null)!;
    const account = seeded.world.accounts.find((candidate) => candidate.id === company.accountId)!;
    const bySiret = await search(account.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4'));
    expect(bySiret.hits[0]!.node.sources).toContainEqual({ source: 'crm', key: String(company.id) });
    expect(bySiret.hits[0]!.matchedOn).toContain('SIRET');

    const person = seeded.world.contacts.find((contact) => contact.kind === 'person' && contact.mobile !== null && contact.email !== null)!;
    const digits = person.mobile!.replace(/\D/g, '').replace(/^33/, '0');
    const byPhone = await search(digits.replace(/(\d\d)(?=\d)/g, '$1.'));
    expect(byPhone.hits[0]!.node.sources).toContainEqual({ source: 'crm', key: String(person.id) });
    const byEmail = await search(person.email!.toUpperCase());
    expect(byEmail.hits[0]!.matchedOn).toEqual(['EMAIL']);
  });

  it('pages through every hit of a common last name, each customer once', async () => {
    const counts = new Map<string, number>();
    for (const contact of seeded.world.contacts) if (contact.lastName !== null) counts.set(contact.lastName, (counts.get(contact.lastName) ?? 0) + 1);
    const [lastName] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await search(lastName, 5, after);
      ids.push(...answer.hits.map((hit) => hit.node.id));
      if (!answer.hasNextPage) break;
      after = answer.endCursor!;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(counts.get(lastName)!);
  });

  it('asks each source twice a search: its candidates, then one statement linking them all', async () => {
    const counts = new Map<string, number>();
    for (const contact of seeded.world.contacts) if (contact.lastName !== null) counts.set(contact.lastName, (counts.get(contact.lastName) ?? 0) + 1);
    const [lastName] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const result = await gateway.query(SEARCH, { text: lastName, first: 5 }, { trace: true });
    expect(result.errors).toBeUndefined();
    expect((result.data as { customerSearch: { edges: Hit[] } }).customerSearch.edges).toHaveLength(5);
    // Two waves: the candidate scans (both sources at once), then every identity lookup of
    // every candidate linked as one UNION ALL per source: the CRM by mailbox, mobile, phone and
    // shop reference; the shop by id, mailbox and phone.
    expect(statementsByEntity(result.extensions?.trace)).toEqual({ 'crm.contact': 2, 'shop.shopCustomer': 2 });
    const lookups = (result.extensions?.trace ?? []).filter((call) => !/ LIMIT /.test(call.statement));
    expect(lookups.map((call) => `${call.source}.${call.entity}: ${(call.statement.match(/ UNION ALL /g) ?? []).length + 1} parts`).sort()).toEqual([
      'crm.contact: 4 parts',
      'shop.shopCustomer: 3 parts',
    ]);
  });

  it('sends the typo pass beside the linking when the exact pass found too few rows: one wave more, not two', async () => {
    const contact = seeded.world.contacts.find(
      (candidate) => candidate.lastName !== null && candidate.lastName.length >= 7 && /^[A-Za-z]+$/.test(candidate.lastName),
    )!;
    const typo = `${contact.firstName} ${contact.lastName!.slice(0, 4)}${contact.lastName!.slice(5)}`;
    const result = await gateway.query(SEARCH, { text: typo, first: 10 }, { trace: true });
    expect(result.errors).toBeUndefined();
    const trace = result.extensions?.trace ?? [];
    // Exact and typo candidate scans, then the links of both: never more than two lookup statements per source.
    const scans = trace.filter((call) => / LIMIT /.test(call.statement));
    expect(scans).toHaveLength(4);
    expect(trace.length - scans.length).toBeLessThanOrEqual(4);
  });

  it('finds a city and says so', async () => {
    const city = seeded.world.contacts[0]!.city!;
    const { hits } = await search(city.toLowerCase(), 5);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.matchedOn.includes('CITY') || hit.matchedOn.includes('NAME') || hit.matchedOn.includes('COMPANY'))).toBe(true);
  });
});
