/**
 * One definition of "conflict": dataQuality.conflicts and provenance.conflict agree on email
 * and phone for every customer of a demo page, including a CRM landline beside a mobile that
 * equals the shop's (one phone per record: the mobile, as the golden record reads it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 300 });
  gateway = await startTestGateway(seeded.config());
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

interface Node {
  readonly id: string;
  readonly contact: { readonly phone: string | null; readonly mobile: string | null } | null;
  readonly dataQuality: { readonly conflicts: ReadonlyArray<{ readonly field: string }> };
  readonly provenance: ReadonlyArray<{ readonly field: string; readonly conflict: boolean }>;
}

describe('conflicts between sources', () => {
  it('are the same in dataQuality.conflicts and provenance for email and phone, on every customer', async () => {
    const nodes: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 6; page++) {
      const answer = await gateway.query(
        'query($after: String) { customers(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id contact { phone mobile } dataQuality { conflicts { field } } provenance { field conflict } } } } }',
        { after },
      );
      expect(answer.errors).toBeUndefined();
      const connection = answer.data!.customers as { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Node }> };
      nodes.push(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const disagreements = nodes.flatMap((node) =>
      ['email', 'phone'].flatMap((field) => {
        const quality = node.dataQuality.conflicts.some((conflict) => conflict.field === field);
        const provenance = node.provenance.find((entry) => entry.field === field)?.conflict ?? false;
        return quality === provenance ? [] : [{ id: node.id, field, quality, provenance }];
      }),
    );
    expect(disagreements).toEqual([]);
    // The case the definition is about is in this world: contacts with a landline and a mobile.
    expect(nodes.filter((node) => node.contact?.phone != null && node.contact.mobile != null).length).toBeGreaterThan(10);
  });
});
