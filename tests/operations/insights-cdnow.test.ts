/**
 * RFM on public data: the CDNOW purchases (23,570 customers, 69,659 purchases) loaded into
 * MariaDB and PostgreSQL, scored by c360 in the source, and checked customer by customer
 * against a plain TypeScript computation over the file's rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlKind } from '../../connectors/admin.js';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { boundariesOf, rfmCellOf, type RawMeasures } from '../../src/insights/statistics.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, timeValue, type InsightsShop } from '../support/insights-shop.js';

const AS_OF = '1998-07-01T00:00:00.000Z';
const DAY = 86_400_000;

interface Purchase {
  readonly customerId: number;
  readonly at: string;
  readonly cents: number;
}

/** shared/ lies beside the clone (CI lays a copy there); C360_SHARED_DIR overrides. */
const CDNOW_FILE = join(process.env.C360_SHARED_DIR ?? fileURLToPath(new URL('../../../shared', import.meta.url)), 'data/cdnow/CDNOW_master.txt');

function readPurchases(): Purchase[] {
  const lines = readFileSync(CDNOW_FILE, 'utf8').split(/\r?\n/).slice(1);
  return lines
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 4)
    .map(([id, date, , dollars]) => ({
      customerId: Number(id),
      at: `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}T00:00:00.000Z`,
      cents: Math.round(Number(dollars) * 100),
    }));
}

interface Expected {
  recencyDays: number;
  frequency: number;
  cents: number;
  r: number;
  f: number;
  m: number;
}

/** Scores by counting, per customer, how many customers are strictly worse (binary search over sorted values). */
function expectedScores(purchases: ReadonlyArray<Purchase>): Map<number, Expected> {
  const byCustomer = new Map<number, { last: number; frequency: number; cents: number }>();
  for (const purchase of purchases) {
    const seen = byCustomer.get(purchase.customerId) ?? { last: 0, frequency: 0, cents: 0 };
    seen.last = Math.max(seen.last, Date.parse(purchase.at));
    seen.frequency += 1;
    seen.cents += purchase.cents;
    byCustomer.set(purchase.customerId, seen);
  }
  const total = byCustomer.size;
  const measures = [...byCustomer.entries()].map(([id, seen]) => ({
    id,
    recencyDays: Math.floor((Date.parse(AS_OF) - seen.last) / DAY),
    frequency: seen.frequency,
    cents: seen.cents,
  }));
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  const countBelow = (values: number[], value: number): number => {
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  // A larger recency is worse: negate it so that "strictly below" means "strictly worse".
  const recencies = sorted(measures.map((m) => -m.recencyDays));
  const frequencies = sorted(measures.map((m) => m.frequency));
  const money = sorted(measures.map((m) => m.cents));
  const score = (below: number): number => 1 + Math.floor((5 * below) / total);
  return new Map(
    measures.map((m) => [
      m.id,
      { ...m, r: score(countBelow(recencies, -m.recencyDays)), f: score(countBelow(frequencies, m.frequency)), m: score(countBelow(money, m.cents)) },
    ]),
  );
}

/** The grid as a lookup table over (R, F), written out cell by cell. */
const GRID_CELLS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ['lost', ['11', '12']],
    ['hibernating', ['21', '22']],
    ['at_risk', ['13', '14', '23', '24']],
    ['cant_lose_them', ['15', '25']],
    ['about_to_sleep', ['31', '32']],
    ['need_attention', ['33']],
    ['loyal', ['34', '35', '44', '45']],
    ['promising', ['41']],
    ['new', ['51']],
    ['potential_loyalists', ['42', '43', '52', '53']],
    ['champions', ['54', '55']],
  ].flatMap(([segment, cells]) => (cells as string[]).map((cell) => [cell, segment as string])),
);

const purchases = readPurchases();
const expected = expectedScores(purchases);

describe.each<SqlKind>(['mysql', 'postgres'])('RFM over CDNOW on %s', (kind) => {
  let shop: InsightsShop;
  let gateway: TestGateway;

  beforeAll(async () => {
    shop = await createInsightsShop(kind);
    await shop.admin.insert(
      'shop_customer',
      ['id', 'email'],
      [...expected.keys()].map((id) => [id, null]),
    );
    await shop.admin.insert(
      'shop_order',
      ['id', 'customer_id', 'placed_at', 'total', 'state'],
      purchases.map((p, index) => [index + 1, p.customerId, timeValue(kind, p.at), (p.cents / 100).toFixed(2), 'paid']),
    );
    gateway = await startTestGateway(shop.config({ rfm: { windowDays: 730 } }));
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await shop?.drop();
  });

  it('has the 23,570 customers of the data set', () => {
    expect(expected.size).toBe(23_570);
    expect(purchases).toHaveLength(69_659);
  });

  it('scores every customer as the independent computation does, in one statement', async () => {
    const connector = gateway.runtime.connectors.get('shop')!;
    const statements: string[] = [];
    const rows = await connector.analytics!(
      { kind: 'rfm', asOf: AS_OF, windowDays: 730 },
      { signal: AbortSignal.timeout(60_000), onCall: (call) => statements.push(call.statement) },
    );
    expect(statements).toHaveLength(1);
    expect(rows).toHaveLength(23_570);
    const mismatches = rows.filter((row) => {
      const want = expected.get(Number(row.customerId));
      return (
        want === undefined ||
        row.recencyDays !== want.recencyDays ||
        row.frequency !== want.frequency ||
        Math.round(Number(row.monetary) * 100) !== want.cents ||
        row.r !== want.r ||
        row.f !== want.f ||
        row.m !== want.m
      );
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('counts each grid segment as the independent grid does, summing to every customer', async () => {
    const result = await gateway.query(
      `query($asOf: DateTime) { segments(asOf: $asOf) { segment { id family } customers revenue shareOfRevenue averageBasket } }`,
      { asOf: AS_OF },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const summaries = result.data!.segments as Array<{ segment: { id: string; family: string }; customers: number; revenue: number }>;
    const counts = new Map<string, number>();
    for (const scores of expected.values()) {
      const segment = GRID_CELLS[`${scores.r}${scores.f}`]!;
      counts.set(segment, (counts.get(segment) ?? 0) + 1);
    }
    const grid = summaries.filter((summary) => summary.segment.family === 'GRID');
    expect(Object.fromEntries(grid.map((s) => [s.segment.id, s.customers]))).toEqual(
      Object.fromEntries(grid.map((s) => [s.segment.id, counts.get(s.segment.id) ?? 0])),
    );
    expect(grid.reduce((sum, s) => sum + s.customers, 0)).toBe(23_570);
    const byId = new Map(summaries.map((s) => [s.segment.id, s]));
    const all = [...expected.values()];
    expect(byId.get('first_time_buyers')!.customers).toBe(all.filter((e) => e.frequency === 1).length);
    expect(byId.get('second_time_buyers')!.customers).toBe(all.filter((e) => e.frequency === 2).length);
    const bigSpenders = all.filter((e) => e.m === 5);
    expect(byId.get('big_spenders')!.customers).toBe(bigSpenders.length);
    expect(Math.round(byId.get('big_spenders')!.revenue * 100)).toBe(bigSpenders.reduce((sum, e) => sum + e.cents, 0));
    // Cold: the quintile boundaries (ranked once), then the RFM segments and the window-shoppers in parallel.
    const cold = result.extensions?.trace ?? [];
    expect(cold.map((call) => call.entity).sort()).toEqual(['event', 'order', 'order']);
    expect(cold.filter((call) => call.statement.includes('ROW_NUMBER()'))).toHaveLength(1);
    // Warm: the boundaries are a cached statistic, so a second read ranks nothing.
    const again = await gateway.query(`query($asOf: DateTime) { segments(asOf: $asOf) { segment { id } customers } }`, { asOf: AS_OF }, { trace: true });
    const warm = again.extensions?.trace ?? [];
    expect(warm.map((call) => call.entity).sort()).toEqual(['event', 'order']);
    expect(warm.filter((call) => call.statement.includes('ROW_NUMBER()') || call.statement.includes('RANK()'))).toEqual([]);
    expect(again.data!.segments).toEqual(summaries.map((s) => ({ segment: { id: s.segment.id }, customers: s.customers })));
  }, 60_000);

  it('scores every customer from the cached boundaries and its own orders as the independent computation does', async () => {
    const connector = gateway.runtime.connectors.get('shop')!;
    const options = { signal: AbortSignal.timeout(60_000) };
    const boundaries = boundariesOf((await connector.analytics!({ kind: 'rfmBoundaries', asOf: AS_OF, windowDays: 730 }, options))[0]!);
    expect(boundaries.customers).toBe(23_570);
    const rows = await connector.analytics!({ kind: 'rfmMeasures', asOf: AS_OF, windowDays: 730, customerIds: [...expected.keys()].map(String) }, options);
    expect(rows).toHaveLength(23_570);
    const mismatches = rows.filter((row) => {
      const want = expected.get(Number(row.customerId));
      const cell = rfmCellOf(row as unknown as RawMeasures, boundaries);
      return want === undefined || cell.r !== want.r || cell.f !== want.f || cell.m !== want.m || row.recencyDays !== want.recencyDays;
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('answers a whole-base read past its deadline with SOURCE_TIMEOUT, the statement in the trace', async () => {
    // A fresh gateway: nothing cached, so segments must compute the boundaries within 5 ms.
    const hurried = await startTestGateway(shop.config({ rfm: { windowDays: 730 } }, { limits: { requestDeadlineMillis: 5 } }));
    try {
      // The first call also opens the pool and reads the server's version: past 5 ms it may never send its statement.
      await hurried.query(`query($asOf: DateTime) { segments(asOf: $asOf) { customers } }`, { asOf: AS_OF });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const result = await hurried.query(`query($asOf: DateTime) { segments(asOf: $asOf) { customers } }`, { asOf: AS_OF }, { trace: true });
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['SOURCE_TIMEOUT']);
      expect((result.extensions?.trace ?? []).some((call) => call.statement.includes('ROW_NUMBER()'))).toBe(true);
    } finally {
      await hurried.stop();
    }
  }, 60_000);

  it('gives one customer their scores and segments through the schema', async () => {
    const [id, want] = [...expected.entries()].find(([, e]) => e.frequency > 3)!;
    const result = await gateway.query(
      `query($id: ID!, $asOf: DateTime) { customer(id: $id) { rfm(asOf: $asOf) { recencyDays frequency monetary r f m code } segments(asOf: $asOf) { id family } } }`,
      { id: encodeCustomerId({ entity: 'shopCustomer', key: String(id) }), asOf: AS_OF },
    );
    expect(result.errors).toBeUndefined();
    const customer = result.data!.customer as { rfm: Record<string, number>; segments: Array<{ id: string; family: string }> };
    expect(customer.rfm).toMatchObject({ recencyDays: want.recencyDays, frequency: want.frequency, r: want.r, f: want.f, m: want.m });
    expect(customer.segments.filter((s) => s.family === 'GRID').map((s) => s.id)).toEqual([GRID_CELLS[`${want.r}${want.f}`]]);
  }, 60_000);
});
