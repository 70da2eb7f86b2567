/**
 * Issue 15: partner audienceCounts and overlap from whole-base statements in parallel
 * (src/privacy/partner/bulk-audience.ts), never by paging customers through the canonical
 * query. On the demo world with its three silos (CRM, web shop, the stores' loyalty system
 * as a second source of shop customers and orders): the same counts as the paged path (every
 * consented customer read through the canonical schema, generalized), a fixed set of
 * statements per source whatever the size of the base, and the minimum group size at k-1 / k
 * unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SourceCall } from '../../connectors/contract.js';
import { createSchema } from '../../src/gateway/server.js';
import type { Runtime } from '../../src/gateway/runtime.js';
import { generalize, partnerResolvers, type AudienceDimension, type PartnerContext } from '../../src/privacy/partner/resolvers.js';
import { PartnerBudget, type ReleasePolicy } from '../../src/privacy/partner/release-policy.js';
import { allCandidates, type PartnerCandidate } from '../../src/privacy/partner/source.js';
import { linkMapCacheOf } from '../../src/identity/link-map-cache.js';
import { normalizeEmailForMatching, sha256HexOf } from '../../src/privacy/partner/email-hash.js';
import { boundariesOf, boundariesOfMeasures, type RawMeasures } from '../../src/insights/statistics.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { privacyTestConfig } from './privacy-support.js';

let seeded: SeededWorld;
let gateway: TestGateway;
let runtime: Runtime;
let paged: PartnerCandidate[];
const ASOF = new Date();
const EXACT: ReleasePolicy = {
  minGroupSize: 1,
  roundTo: 1,
  minOverlapHashes: 1,
  epsilonPerQuery: undefined,
  epsilonPerPeriod: undefined,
  queriesPerPeriod: 1_000_000,
  periodMillis: 3_600_000,
};

function contextFor(calls: SourceCall[], policy: ReleasePolicy = EXACT): PartnerContext {
  return {
    partner: 'bulk-test',
    partnerConfig: { pseudonymKey: 'bulk-test-key-0123456789abcdef', keyVersion: 1 } as unknown as PartnerContext['partnerConfig'],
    minGroupSize: policy.minGroupSize,
    runtime,
    canonicalSchema: createSchema(runtime.config),
    signal: AbortSignal.timeout(60_000),
    disclosed: new Set(),
    asOf: ASOF,
    policy,
    budget: new PartnerBudget(),
    onCall: (call) => calls.push(call),
  };
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 200, loyalty: true });
  gateway = await startTestGateway(privacyTestConfig(seeded.config()));
  runtime = gateway.runtime;
  // The reference: every customer through the canonical schema, page after page (the path the bulk pass replaces).
  paged = [];
  for await (const candidate of allCandidates(createSchema(runtime.config), runtime, AbortSignal.timeout(60_000)))
    if (candidate.consented) paged.push(candidate);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const countsOf = (groups: ReadonlyArray<{ value: string; count: number }>) => Object.fromEntries(groups.map((group) => [group.value, group.count]));
/** Statements per source and entity: the world has three silos, the stores' loyalty system holding card holders and receipts. */
const byEntity = (calls: ReadonlyArray<SourceCall>) =>
  calls.reduce<Record<string, number>>(
    (counts, call) => ({ ...counts, [`${call.source}.${call.entity}`]: (counts[`${call.source}.${call.entity}`] ?? 0) + 1 }),
    {},
  );
const EVERY_SOURCE = { 'crm.contact': 1, 'shop.shopCustomer': 1, 'loyalty.shopCustomer': 1, 'crm.consent': 1, 'shop.order': 1, 'loyalty.order': 1 };

function expectedCounts(by: AudienceDimension): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const candidate of paged) {
    const member = generalize(candidate, {
      partnerConfig: { pseudonymKey: 'k'.repeat(32), keyVersion: 1 } as unknown as PartnerContext['partnerConfig'],
      asOf: ASOF,
    });
    const value = { SEGMENT: member.segment, AGE_BAND: member.ageBand, DEPARTEMENT: member.departement, REGION: member.region }[by as 'SEGMENT'] ?? 'unknown';
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

describe('partner audienceCounts in bulk', () => {
  it('has a world to count: consented customers in several segments', () => {
    expect(paged.length).toBeGreaterThan(20);
    expect(new Set(paged.map((c) => c.segment)).size).toBeGreaterThan(3);
  });

  it.each(['SEGMENT', 'AGE_BAND', 'DEPARTEMENT', 'REGION'] as const)('counts by %s as the paged path does', async (by) => {
    const calls: SourceCall[] = [];
    const answer = await partnerResolvers.Query.audienceCounts(undefined, { by }, contextFor(calls));
    expect(countsOf(answer.groups)).toEqual(expectedCounts(by));
    expect(answer.total).toBe(paged.length);
  });

  it('reads each source once per need, in a fixed number of statements (no page, no per-customer lookup)', async () => {
    // With no link map cached (the earlier calls built one: drop it).
    const cache = linkMapCacheOf(runtime);
    cache.clear();
    const builds = cache.builds;
    const calls: SourceCall[] = [];
    const cold = await partnerResolvers.Query.audienceCounts(undefined, { by: 'SEGMENT' }, contextFor(calls));
    // Identifiers of each source (one scan each at this size), the partner-sharing consents,
    // each order source's measures in one GROUP BY; the boundaries are cached by the earlier counts.
    expect(byEntity(calls)).toEqual(EVERY_SOURCE);
    expect(calls.find((call) => call.entity === 'order')!.statement).toMatch(/GROUP BY/i);
    expect(calls.find((call) => call.entity === 'order')!.statement).not.toMatch(/RANK|ROW_NUMBER/i);
    expect(cache.builds).toBe(builds + 1);
    // The link map is now cached: the same counts without scanning an identifier.
    const warm: SourceCall[] = [];
    expect(countsOf((await partnerResolvers.Query.audienceCounts(undefined, { by: 'SEGMENT' }, contextFor(warm))).groups)).toEqual(countsOf(cold.groups));
    expect(byEntity(warm)).toEqual({ 'crm.consent': 1, 'shop.order': 1, 'loyalty.order': 1 });
    expect(cache.builds).toBe(builds + 1);
    const ages: SourceCall[] = [];
    await partnerResolvers.Query.audienceCounts(undefined, { by: 'AGE_BAND' }, contextFor(ages));
    // No scoring for age bands; one scan per source for the birth dates, the links cached.
    expect(byEntity(ages)).toEqual({ 'crm.contact': 1, 'shop.shopCustomer': 1, 'loyalty.shopCustomer': 1, 'crm.consent': 1 });
  });

  it('keeps the minimum group size: a group of exactly k shows at k and is suppressed at k+1', async () => {
    const counts = expectedCounts('SEGMENT');
    const [segment, size] = Object.entries(counts)
      .filter(([, n]) => n >= 2)
      .sort(([, a], [, b]) => a - b)[0]!;
    const atK = await partnerResolvers.Query.audienceCounts(undefined, { by: 'SEGMENT' }, contextFor([], { ...EXACT, minGroupSize: size }));
    expect(atK.groups.find((group) => group.value === segment)?.count).toBe(size);
    const aboveK = await partnerResolvers.Query.audienceCounts(undefined, { by: 'SEGMENT' }, contextFor([], { ...EXACT, minGroupSize: size + 1 }));
    expect(aboveK.groups.find((group) => group.value === segment)).toBeUndefined();
  });
});

describe("boundaries from the whole base's measures", () => {
  it("are the rfmBoundaries statement's, exactly", async () => {
    const shop = runtime.connectors.get(runtime.config.entities.order!.source)!;
    const asOf = ASOF.toISOString();
    const windowDays = runtime.config.insights?.rfm.windowDays ?? 365;
    const options = { signal: AbortSignal.timeout(60_000) };
    const measures = await shop.analytics!({ kind: 'rfmMeasures', asOf, windowDays }, options);
    expect(measures.length).toBeGreaterThan(50);
    const fromStatement = boundariesOf((await shop.analytics!({ kind: 'rfmBoundaries', asOf, windowDays }, options))[0]!);
    expect(boundariesOfMeasures(measures as unknown as RawMeasures[])).toEqual(fromStatement);
    // And on a handful, by hand: 7 customers' frequencies 1..7, worst first, positions ceil(7(s-1)/5) = 2, 3, 5, 6.
    const seven = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ recencyDays: 10 * n, frequency: n, monetary: n * 1.5 }));
    expect(boundariesOfMeasures(seven)).toEqual({ customers: 7, recencyDays: [60, 50, 30, 20], frequency: [2, 3, 5, 6], monetary: [3, 4.5, 7.5, 9] });
  });
});

describe('partner overlap in bulk', () => {
  const hashOf = (email: string) => sha256HexOf(normalizeEmailForMatching(email));

  it('counts the consented customers holding one of the hashes, per segment, as the paged path does', async () => {
    // Every other consented customer's emails, and every email of the world (consented or not).
    const chosen = paged.filter((_, index) => index % 2 === 0);
    const hashes = [
      ...chosen.flatMap((c) => c.emails.map(hashOf)),
      ...seeded.world.contacts
        .filter((c) => c.email !== null)
        .map((c) => hashOf(c.email!))
        .slice(0, 20),
    ];
    const wanted = new Set(hashes);
    const expected: Record<string, number> = {};
    for (const candidate of paged)
      if (candidate.emails.some((email) => wanted.has(hashOf(email)) || wanted.has(sha256HexOf(normalizeEmailForMatching(email, 'meta')))))
        expected[candidate.segment ?? 'unknown'] = (expected[candidate.segment ?? 'unknown'] ?? 0) + 1;
    const calls: SourceCall[] = [];
    const answer = await partnerResolvers.Query.overlap(undefined, { emailSha256: hashes }, contextFor(calls));
    expect(countsOf(answer.groups)).toEqual(expected);
    expect(answer.total).toBeGreaterThanOrEqual(chosen.length);
    // The emails of each source; the identifiers come from the link map the earlier calls cached.
    expect(byEntity(calls)).toEqual(EVERY_SOURCE);
    expect(calls.filter((call) => call.entity === 'contact')[0]!.statement).not.toMatch(/phone/i);
  });
});
