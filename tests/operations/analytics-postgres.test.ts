/**
 * The cube's shop statement on PostgreSQL (the demo's embedded shop when no MariaDB
 * answers): periods, cohorts, RFM cells and repeat rate equal the hand-written SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Scalar } from '../../connectors/contract.js';
import { createInsightsShop, timeValue, type InsightsShop } from '../support/insights-shop.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let shop: InsightsShop;
let gateway: TestGateway;

beforeAll(async () => {
  shop = await createInsightsShop('postgres');
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email'],
    Array.from({ length: 40 }, (_, i): Scalar[] => [i + 1, `acheteur${i + 1}@boutique-lumiere.fr`]),
  );
  await shop.admin.insert(
    'shop_order',
    ['id', 'customer_id', 'placed_at', 'total', 'state'],
    Array.from({ length: 300 }, (_, i): Scalar[] => [
      i + 1,
      1 + Math.floor(40 * next() ** 1.5),
      timeValue('postgres', new Date(Date.parse('2024-01-01T00:00:00Z') + Math.floor(next() * 365 * 86_400_000)).toISOString()),
      (5 + next() * 100).toFixed(2),
      next() < 0.1 ? 'cancelled' : 'paid',
    ]),
  );
  gateway = await startTestGateway(shop.config());
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await shop?.drop();
});

const CUBE = `query($measures: [AnalyticsMeasure!]!, $dimensions: [AnalyticsDimension!], $time: AnalyticsTimeDimension) {
  analytics(measures: $measures, dimensions: $dimensions, timeDimension: $time) { rows { period dimensions { value } customers orders revenue repeatRate } }
}`;

function keyed(
  rows: ReadonlyArray<Record<string, unknown>>,
  key: (row: Record<string, unknown>) => unknown[],
  measures: ReadonlyArray<string>,
): Record<string, Array<number | null>> {
  return Object.fromEntries(
    rows.map((row) => [
      JSON.stringify(key(row)),
      measures.map((m) => (row[m] === null || row[m] === undefined ? null : Math.round(Number(row[m]) * 10_000) / 10_000)),
    ]),
  );
}

describe('the cube on a PostgreSQL shop', () => {
  it('gives orders, revenue and repeat rate by week and RFM cell as the SQL does, in one statement', async () => {
    const result = await gateway.query(
      CUBE,
      {
        measures: ['ORDERS', 'REVENUE', 'REPEAT_RATE'],
        dimensions: ['RFM_CELL'],
        time: { granularity: 'WEEK', dateRange: { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } },
      },
      { trace: true },
    );
    expect(result.errors).toBeUndefined();
    const expected = await shop.admin.query(
      `WITH b AS (SELECT customer_id AS cid, COUNT(*) AS f, SUM(total) AS m, FLOOR(EXTRACT(EPOCH FROM (TIMESTAMPTZ '2025-01-01T00:00:00Z' - MAX(placed_at))) / 86400) AS rd
                  FROM shop_order WHERE state <> 'cancelled' AND placed_at > TIMESTAMPTZ '2024-01-02T00:00:00Z' AND placed_at <= TIMESTAMPTZ '2025-01-01T00:00:00Z' GROUP BY customer_id),
            s AS (SELECT cid, 1 + FLOOR(5 * (RANK() OVER (ORDER BY rd DESC) - 1) / COUNT(*) OVER ()) AS r, 1 + FLOOR(5 * (RANK() OVER (ORDER BY f) - 1) / COUNT(*) OVER ()) AS fs,
                              1 + FLOOR(5 * (RANK() OVER (ORDER BY m) - 1) / COUNT(*) OVER ()) AS ms FROM b)
       SELECT period, cell, SUM(n) AS orders, SUM(revenue) AS revenue, AVG(CASE WHEN n >= 2 THEN 1.0 ELSE 0.0 END) AS "repeatRate"
       FROM (SELECT TO_CHAR(DATE_TRUNC('week', o.placed_at), 'YYYY-MM-DD') AS period, CONCAT(s.r, s.fs, s.ms) AS cell, o.customer_id, COUNT(*) AS n, SUM(o.total) AS revenue
             FROM shop_order o LEFT JOIN s ON s.cid = o.customer_id
             WHERE o.state <> 'cancelled' AND o.placed_at >= TIMESTAMPTZ '2024-01-01T00:00:00Z' AND o.placed_at < TIMESTAMPTZ '2025-01-01T00:00:00Z' GROUP BY 1, 2, 3) g GROUP BY 1, 2`,
    );
    const rows = (result.data!.analytics as { rows: Array<Record<string, unknown> & { dimensions: Array<{ value: string | null }> }> }).rows;
    expect(expected.length).toBeGreaterThan(40);
    expect(keyed(rows, (row) => [row.period, (row.dimensions as Array<{ value: string | null }>)[0]!.value], ['orders', 'revenue', 'repeatRate'])).toEqual(
      keyed(expected, (row) => [row.period, row.cell === '' ? null : row.cell], ['orders', 'revenue', 'repeatRate']),
    );
    expect(statementsByEntity(result.extensions?.trace)).toEqual({ 'shop.order': 1 });
  });

  it('gives customers by acquisition month', async () => {
    const result = await gateway.query(CUBE, { measures: ['CUSTOMERS'], dimensions: ['ACQUISITION_MONTH'] }, { trace: true });
    expect(result.errors).toBeUndefined();
    const expected = await shop.admin.query(
      `SELECT TO_CHAR(MIN(placed_at), 'YYYY-MM') AS cohort, customer_id FROM shop_order WHERE state <> 'cancelled' GROUP BY customer_id`,
    );
    const counts: Record<string, number> = {};
    for (const row of expected) counts[String(row.cohort)] = (counts[String(row.cohort)] ?? 0) + 1;
    const rows = (result.data!.analytics as { rows: Array<{ dimensions: Array<{ value: string }>; customers: number }> }).rows;
    expect(Object.fromEntries(rows.map((row) => [row.dimensions[0]!.value, row.customers]))).toEqual(counts);
  });

  it('groups by segment and intent level with every counted order in some group', async () => {
    const result = await gateway.query(CUBE, {
      measures: ['ORDERS'],
      dimensions: ['SEGMENT', 'INTENT_LEVEL'],
      time: { dateRange: { to: '2025-01-01T00:00:00Z' } },
    });
    expect(result.errors).toBeUndefined();
    const rows = (result.data!.analytics as { rows: Array<{ dimensions: Array<{ value: string | null }>; orders: number }> }).rows;
    const [counted] = await shop.admin.query(
      `SELECT COUNT(*) AS n FROM shop_order WHERE state <> 'cancelled' AND placed_at < TIMESTAMPTZ '2025-01-01T00:00:00Z'`,
    );
    expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(Number(counted!.n));
    expect(new Set(rows.map((row) => row.dimensions[0]!.value)).size).toBeGreaterThan(3);
    expect(rows.every((row) => row.dimensions[1]!.value === 'NONE')).toBe(true);
  });
});
