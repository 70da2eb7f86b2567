/**
 * Query.analytics against the real MariaDB and the demo helpdesk and registry: each answer
 * equals a hand-written SQL statement over the same data (the CRM and shop tables share
 * one database, mapped as two sources, so the SQL can join what c360 federates).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAnalyticsWorld, type AnalyticsWorld } from '../support/analytics-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { DEPARTEMENTS } from '../../src/privacy/partner/generalize.js';

let world: AnalyticsWorld;
let gateway: TestGateway;

beforeAll(async () => {
  world = await createAnalyticsWorld();
  gateway = await startTestGateway(world.config());
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await world?.drop();
});

const CUBE = `query($measures: [AnalyticsMeasure!]!, $dimensions: [AnalyticsDimension!], $time: AnalyticsTimeDimension, $filter: AnalyticsFilter, $limit: Int) {
  analytics(measures: $measures, dimensions: $dimensions, timeDimension: $time, filter: $filter, limit: $limit) {
    rows { period dimensions { dimension value } customers orders revenue averageBasket units repeatRate tickets openTickets }
    totalGroups sources plan
  }
}`;

const YEAR_2024 = { dateRange: { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } };
const COUNTED = "state NOT IN ('cancelled', 'returned')";
const IN_2024 = "placed_at >= '2024-01-01 00:00:00' AND placed_at < '2025-01-01 00:00:00'";

interface CubeRow {
  readonly period: string | null;
  readonly dimensions: ReadonlyArray<{ readonly value: string | null }>;
  readonly [measure: string]: unknown;
}

async function cube(variables: Record<string, unknown>, on: TestGateway = gateway) {
  const result = await on.query(CUBE, variables, { trace: true });
  expect(result.errors).toBeUndefined();
  const answer = result.data!.analytics as { rows: CubeRow[]; totalGroups: number; sources: string[]; plan: string };
  return { ...answer, trace: result.extensions?.trace };
}

/** Rows keyed by period and dimension values, each measure as a number rounded to cents. */
function keyed(rows: ReadonlyArray<CubeRow>, measures: ReadonlyArray<string>): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const row of rows) {
    const key = JSON.stringify([row.period, ...row.dimensions.map((d) => d.value)]);
    out[key] = Object.fromEntries(measures.map((m) => [m, row[m] === null || row[m] === undefined ? null : Math.round(Number(row[m]) * 10_000) / 10_000]));
  }
  return out;
}

/** The same shape from SQL rows: `keys` name the group columns, `measures` the measure columns. */
function keyedSql(
  rows: ReadonlyArray<Record<string, unknown>>,
  keys: ReadonlyArray<string>,
  measures: ReadonlyArray<string>,
): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const row of rows) {
    const key = JSON.stringify(keys.map((k) => (k === '' ? null : row[k] === null || row[k] === undefined ? null : String(row[k]))));
    out[key] = Object.fromEntries(measures.map((m) => [m, row[m] === null || row[m] === undefined ? null : Math.round(Number(row[m]) * 10_000) / 10_000]));
  }
  return out;
}

describe('measures by dimensions of the shop are one GROUP BY in the shop', () => {
  it('gives customers, orders, revenue, average basket and repeat rate by month and channel as the SQL does', async () => {
    const answer = await cube({
      measures: ['CUSTOMERS', 'ORDERS', 'REVENUE', 'AVERAGE_BASKET', 'REPEAT_RATE'],
      dimensions: ['CHANNEL'],
      time: { granularity: 'MONTH', ...YEAR_2024 },
    });
    const expected = await world.admin.query(
      `SELECT period, ch, COUNT(*) AS customers, SUM(n) AS orders, SUM(revenue) AS revenue, SUM(revenue) / SUM(n) AS averageBasket, SUM(n >= 2) / COUNT(*) AS repeatRate
       FROM (SELECT DATE_FORMAT(placed_at, '%Y-%m-01') AS period, UPPER(channel) AS ch, customer_id, COUNT(*) AS n, SUM(total) AS revenue
             FROM shop_order WHERE ${COUNTED} AND ${IN_2024} GROUP BY 1, 2, 3) g GROUP BY 1, 2`,
    );
    const measures = ['customers', 'orders', 'revenue', 'averageBasket', 'repeatRate'];
    expect(expected.length).toBeGreaterThan(20);
    expect(keyed(answer.rows, measures)).toEqual(keyedSql(expected, ['period', 'ch'], measures));
    expect(answer.plan).toBe('SINGLE_SOURCE');
    expect(statementsByEntity(answer.trace)).toEqual({ 'shop.order': 1 });
  });

  it('groups an enum as stored, and asks again on canonical values when two stored values share one', async () => {
    const answer = await cube({ measures: ['CUSTOMERS', 'ORDERS'], dimensions: ['CHANNEL'] });
    expect(statementsByEntity(answer.trace)).toEqual({ 'shop.order': 1 });
    expect(answer.trace![0]!.statement).not.toMatch(/CASE/);
    const merged = await startTestGateway(world.config({}, { channelValues: { web: 'WEB', store: 'WEB' } }));
    try {
      const one = await cube({ measures: ['CUSTOMERS', 'ORDERS'], dimensions: ['CHANNEL'] }, merged);
      const [all] = await world.admin.query(`SELECT COUNT(DISTINCT customer_id) AS customers, COUNT(*) AS orders FROM shop_order WHERE ${COUNTED}`);
      expect(one.rows.map((row) => [row.dimensions[0]!.value, row.customers, row.orders])).toEqual([['WEB', Number(all!.customers), Number(all!.orders)]]);
      expect(statementsByEntity(one.trace)).toEqual({ 'shop.order': 2 });
    } finally {
      await merged.stop();
    }
  });

  it('gives units and line revenue by product category and order status, with a status filter', async () => {
    const answer = await cube({
      measures: ['UNITS', 'REVENUE', 'ORDERS'],
      dimensions: ['PRODUCT_CATEGORY', 'ORDER_STATUS'],
      filter: { orderStatus: ['PAID', 'CANCELLED'] },
    });
    const expected = await world.admin.query(
      `SELECT p.category, UPPER(o.state) AS status, SUM(l.qty) AS units, SUM(l.line_total) AS revenue, COUNT(DISTINCT o.id) AS orders
       FROM shop_order o JOIN order_line l ON l.order_id = o.id LEFT JOIN product p ON p.id = l.product_id
       WHERE o.state IN ('paid', 'cancelled') GROUP BY 1, 2`,
    );
    expect(keyed(answer.rows, ['units', 'revenue', 'orders'])).toEqual(keyedSql(expected, ['', 'category', 'status'], ['units', 'revenue', 'orders']));
    expect(statementsByEntity(answer.trace)).toEqual({ 'shop.order': 1 });
  });

  it('gives units and orders by store per quarter', async () => {
    const answer = await cube({ measures: ['UNITS', 'ORDERS'], dimensions: ['STORE'], time: { granularity: 'QUARTER', ...YEAR_2024 } });
    const expected = await world.admin.query(
      `SELECT CONCAT(YEAR(o.placed_at), '-', LPAD((QUARTER(o.placed_at) - 1) * 3 + 1, 2, '0'), '-01') AS period, o.store_id, SUM(u.units) AS units, COUNT(*) AS orders
       FROM shop_order o JOIN (SELECT order_id, SUM(qty) AS units FROM order_line GROUP BY order_id) u ON u.order_id = o.id
       WHERE ${COUNTED} AND ${IN_2024.replaceAll('placed_at', 'o.placed_at')} GROUP BY 1, 2`,
    );
    expect(keyed(answer.rows, ['units', 'orders'])).toEqual(keyedSql(expected, ['period', 'store_id'], ['units', 'orders']));
  });

  it('gives revenue by RFM cell and segment as of the end of the period, from the same quintiles as the insights', async () => {
    const answer = await cube({ measures: ['REVENUE', 'CUSTOMERS'], dimensions: ['RFM_CELL', 'SEGMENT'], time: YEAR_2024 });
    const cells = await world.admin.query(
      `WITH b AS (SELECT customer_id AS cid, COUNT(*) AS f, SUM(total) AS m, TIMESTAMPDIFF(SECOND, MAX(placed_at), '2025-01-01 00:00:00') DIV 86400 AS rd
                  FROM shop_order WHERE ${COUNTED} AND placed_at > '2024-01-02 00:00:00' AND placed_at <= '2025-01-01 00:00:00' GROUP BY customer_id),
            s AS (SELECT cid, 1 + (5 * (RANK() OVER (ORDER BY rd DESC) - 1)) DIV COUNT(*) OVER () AS r,
                              1 + (5 * (RANK() OVER (ORDER BY f) - 1)) DIV COUNT(*) OVER () AS fs,
                              1 + (5 * (RANK() OVER (ORDER BY m) - 1)) DIV COUNT(*) OVER () AS ms FROM b)
       SELECT CONCAT(s.r, s.fs, s.ms) AS cell, s.r, s.fs, SUM(o.total) AS revenue, COUNT(DISTINCT o.customer_id) AS customers
       FROM shop_order o LEFT JOIN s ON s.cid = o.customer_id WHERE ${COUNTED.replace('state', 'o.state')} AND ${IN_2024.replaceAll('placed_at', 'o.placed_at')} GROUP BY 1, 2, 3`,
    );
    // The default grid of docs/insights.md, on R and F.
    const grid = (r: number, f: number): string =>
      r === 5 && f >= 4
        ? 'champions'
        : r >= 3 && r <= 4 && f >= 4
          ? 'loyal'
          : r >= 4 && f >= 2 && f <= 3
            ? 'potential_loyalists'
            : r === 5 && f === 1
              ? 'new'
              : r === 4 && f === 1
                ? 'promising'
                : r === 3 && f === 3
                  ? 'need_attention'
                  : r === 3 && f <= 2
                    ? 'about_to_sleep'
                    : r <= 2 && f >= 3 && f <= 4
                      ? 'at_risk'
                      : r <= 2 && f === 5
                        ? 'cant_lose_them'
                        : r === 2
                          ? 'hibernating'
                          : 'lost';
    const expected = cells.map((row) => ({ ...row, segment: row.r === null ? null : grid(Number(row.r), Number(row.fs)) }));
    expect(new Set(expected.map((row) => row.segment)).size).toBeGreaterThan(4);
    expect(keyed(answer.rows, ['revenue', 'customers'])).toEqual(keyedSql(expected, ['', 'cell', 'segment'], ['revenue', 'customers']));
    expect(statementsByEntity(answer.trace)).toEqual({ 'shop.order': 1 });
  });

  it('gives customers and repeat rate by acquisition month (cohorts)', async () => {
    const answer = await cube({ measures: ['CUSTOMERS', 'REPEAT_RATE', 'ORDERS'], dimensions: ['ACQUISITION_MONTH'] });
    const expected = await world.admin.query(
      `SELECT a.cohort, COUNT(*) AS customers, SUM(g.n >= 2) / COUNT(*) AS repeatRate, SUM(g.n) AS orders
       FROM (SELECT customer_id, COUNT(*) AS n FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) g
       JOIN (SELECT customer_id, DATE_FORMAT(MIN(placed_at), '%Y-%m') AS cohort FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) a ON a.customer_id = g.customer_id
       GROUP BY 1`,
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(keyed(answer.rows, ['customers', 'repeatRate', 'orders'])).toEqual(keyedSql(expected, ['', 'cohort'], ['customers', 'repeatRate', 'orders']));
  });

  it('gives the cohorts of 2024 orders by channel, the cohort still the month of the first order ever', async () => {
    const answer = await cube({
      measures: ['ORDERS', 'CUSTOMERS'],
      dimensions: ['ACQUISITION_MONTH', 'CHANNEL'],
      time: { dateRange: { from: '2024-03-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } },
    });
    const expected = await world.admin.query(
      `SELECT a.cohort, UPPER(o.channel) AS ch, COUNT(*) AS orders, COUNT(DISTINCT o.customer_id) AS customers FROM shop_order o
       JOIN (SELECT customer_id, DATE_FORMAT(MIN(placed_at), '%Y-%m') AS cohort FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) a ON a.customer_id = o.customer_id
       WHERE o.${COUNTED} AND o.placed_at >= '2024-03-01 00:00:00' AND o.placed_at < '2025-01-01 00:00:00' GROUP BY 1, 2`,
    );
    expect(expected.some((row) => row.cohort === '2024-01')).toBe(true);
    expect(keyed(answer.rows, ['orders', 'customers'])).toEqual(keyedSql(expected, ['', 'cohort', 'ch'], ['orders', 'customers']));
  });

  it('gives orders by intent level computed in the shop from the decayed web events', async () => {
    const answer = await cube({ measures: ['ORDERS'], dimensions: ['INTENT_LEVEL'], time: YEAR_2024 });
    const expected = await world.admin.query(
      `SELECT CASE WHEN COALESCE(i.score, 0) >= 12 THEN 'HIGH' WHEN COALESCE(i.score, 0) >= 5 THEN 'MEDIUM' WHEN COALESCE(i.score, 0) >= 1 THEN 'LOW' ELSE 'NONE' END AS level, COUNT(*) AS orders
       FROM shop_order o LEFT JOIN (
         SELECT customer_id, SUM(CASE kind WHEN 'view' THEN 1 WHEN 'search' THEN 0.5 WHEN 'cart' THEN 3 WHEN 'checkout' THEN 5 ELSE 0 END * POWER(0.5, TIMESTAMPDIFF(SECOND, occurred_at, '2025-01-01 00:00:00') / 86400.0 / 7)) AS score
         FROM web_event WHERE occurred_at > '2024-12-02 00:00:00' AND occurred_at <= '2025-01-01 00:00:00' GROUP BY customer_id) i ON i.customer_id = o.customer_id
       WHERE ${COUNTED.replace('state', 'o.state')} AND ${IN_2024.replaceAll('placed_at', 'o.placed_at')} GROUP BY 1`,
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(keyed(answer.rows, ['orders'])).toEqual(keyedSql(expected, ['', 'level'], ['orders']));
  });
});

describe('a measure by another source dimension is computed by bulk linking', () => {
  const LINKED = `FROM shop_order o JOIN shop_customer sc ON sc.id = o.customer_id
    LEFT JOIN crm_contact c ON c.email IS NOT NULL AND LOWER(TRIM(c.email)) = LOWER(TRIM(sc.email))`;

  it('gives a shop measure by CRM city and customer kind as the SQL over the joined data does, reading each source once', async () => {
    const answer = await cube({ measures: ['REVENUE', 'ORDERS', 'CUSTOMERS', 'REPEAT_RATE'], dimensions: ['CITY', 'CUSTOMER_KIND'], time: YEAR_2024 });
    const expected = await world.admin.query(
      `SELECT city, kind, SUM(revenue) AS revenue, SUM(n) AS orders, COUNT(*) AS customers, SUM(n >= 2) / COUNT(*) AS repeatRate
       FROM (SELECT c.city, CASE c.is_company WHEN 1 THEN 'COMPANY' WHEN 0 THEN 'PERSON' END AS kind, o.customer_id, COUNT(*) AS n, SUM(o.total) AS revenue
             ${LINKED} WHERE ${COUNTED.replace('state', 'o.state')} AND ${IN_2024.replaceAll('placed_at', 'o.placed_at')} GROUP BY 1, 2, 3) g GROUP BY 1, 2`,
    );
    expect(expected.some((row) => row.city === null && row.kind === null)).toBe(true);
    expect(keyed(answer.rows, ['revenue', 'orders', 'customers', 'repeatRate'])).toEqual(
      keyedSql(expected, ['', 'city', 'kind'], ['revenue', 'orders', 'customers', 'repeatRate']),
    );
    expect(answer.plan).toBe('LINKED');
    expect(answer.sources).toEqual(['crm', 'shop']);
    // One GROUP BY in the shop, one read of each side's identifiers: never a page of customers.
    expect(statementsByEntity(answer.trace)).toEqual({ 'shop.order': 1, 'crm.contact': 1, 'shop.shopCustomer': 1 });
    // The linking reads identifiers and the asked dimensions, nothing else.
    const contactScan = answer.trace!.find((call) => call.entity === 'contact')!.statement;
    expect(contactScan).toMatch(/`city`/);
    expect(contactScan).toMatch(/`is_company`/);
    expect(contactScan).not.toMatch(/`postcode`|`account_id`/);
  });

  it('gives the same answer when the shop customer ids are sent in slices, one statement per slice', async () => {
    const sliced = await startTestGateway(world.config({ analytics: { sliceIds: 7 } }));
    try {
      const variables = { measures: ['REVENUE', 'CUSTOMERS', 'REPEAT_RATE'], dimensions: ['CITY', 'CHANNEL'], time: YEAR_2024 };
      const whole = await cube(variables);
      const parts = await cube(variables, sliced);
      expect(keyed(parts.rows, ['revenue', 'customers', 'repeatRate'])).toEqual(keyed(whole.rows, ['revenue', 'customers', 'repeatRate']));
      expect(statementsByEntity(parts.trace)).toEqual({ 'shop.order': 12, 'crm.contact': 1, 'shop.shopCustomer': 1 });
    } finally {
      await sliced.stop();
    }
  });

  it('gives revenue by département and channel for company customers only', async () => {
    const answer = await cube({ measures: ['REVENUE'], dimensions: ['DEPARTEMENT', 'CHANNEL'], filter: { customerKind: ['COMPANY'] } });
    const expected = await world.admin.query(
      `SELECT CASE WHEN c.postcode LIKE '20%' THEN IF(SUBSTR(c.postcode, 3, 1) <= '1', '2A', '2B') ELSE LEFT(c.postcode, 2) END AS dep, UPPER(o.channel) AS ch, SUM(o.total) AS revenue
       ${LINKED} WHERE ${COUNTED.replace('state', 'o.state')} AND c.is_company = 1 GROUP BY 1, 2`,
    );
    expect(keyed(answer.rows, ['revenue'])).toEqual(keyedSql(expected, ['', 'dep', 'ch'], ['revenue']));
  });

  it('gives orders by the registry headcount band of the contact account', async () => {
    const answer = await cube({ measures: ['ORDERS'], dimensions: ['HEADCOUNT_BAND'] });
    const bands = ['01', '12', '22', '32'];
    const expected = (
      await world.admin.query(`SELECT c.account_id, COUNT(*) AS orders ${LINKED} WHERE ${COUNTED.replace('state', 'o.state')} GROUP BY 1`)
    ).reduce<Record<string, number>>((acc, row) => {
      const band = row.account_id === null ? 'null' : bands[Number(row.account_id) - 1]!;
      acc[band] = (acc[band] ?? 0) + Number(row.orders);
      return acc;
    }, {});
    const got = Object.fromEntries(answer.rows.map((row) => [row.dimensions[0]!.value ?? 'null', row.orders]));
    expect(Object.keys(expected).length).toBeGreaterThan(2);
    expect(got).toEqual(expected);
    expect(answer.sources).toEqual(['crm', 'registry', 'shop']);
  });

  it('gives helpdesk tickets by the shop acquisition month, each ticket owned by the customer holding its email', async () => {
    const answer = await cube({ measures: ['TICKETS', 'OPEN_TICKETS'], dimensions: ['ACQUISITION_MONTH'] });
    const expected = await world.admin.query(
      `SELECT COALESCE(a.cohort, a2.cohort) AS cohort, COUNT(*) AS tickets, SUM(t.status IN ('open', 'pending')) AS openTickets
       FROM ticket_copy t
       LEFT JOIN shop_customer sc ON LOWER(TRIM(sc.email)) = LOWER(TRIM(t.requester_email))
       LEFT JOIN (SELECT customer_id, DATE_FORMAT(MIN(placed_at), '%Y-%m') AS cohort FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) a ON a.customer_id = sc.id
       LEFT JOIN crm_contact c ON sc.id IS NULL AND LOWER(TRIM(c.email)) = LOWER(TRIM(t.requester_email))
       LEFT JOIN shop_customer sc2 ON LOWER(TRIM(sc2.email)) = LOWER(TRIM(c.email))
       LEFT JOIN (SELECT customer_id, DATE_FORMAT(MIN(placed_at), '%Y-%m') AS cohort FROM shop_order WHERE ${COUNTED} GROUP BY customer_id) a2 ON a2.customer_id = sc2.id
       GROUP BY 1`,
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(keyed(answer.rows, ['tickets', 'openTickets'])).toEqual(keyedSql(expected, ['', 'cohort'], ['tickets', 'openTickets']));
    expect(answer.sources).toEqual(['helpdesk', 'shop']);
  });

  it('gives tickets by CRM city per month of creation', async () => {
    const answer = await cube({ measures: ['TICKETS'], dimensions: ['CITY'], time: { granularity: 'MONTH' } });
    const expected = await world.admin.query(
      `SELECT DATE_FORMAT(t.created_at, '%Y-%m-01') AS period, c.city, COUNT(*) AS tickets FROM ticket_copy t
       LEFT JOIN crm_contact c ON LOWER(TRIM(c.email)) = LOWER(TRIM(t.requester_email)) GROUP BY 1, 2`,
    );
    expect(keyed(answer.rows, ['tickets'])).toEqual(keyedSql(expected, ['period', 'city'], ['tickets']));
  });
});

describe('the cube is typed and bounded', () => {
  it('offers as enums only the dimensions and measures the config maps', async () => {
    const bare = await startTestGateway(world.config({}, { withoutChannel: true }));
    try {
      const result = await bare.query('{ __type(name: "AnalyticsDimension") { enumValues { name } } }');
      const names = (result.data!.__type as { enumValues: Array<{ name: string }> }).enumValues.map((v) => v.name);
      expect(names).not.toContain('CHANNEL');
      expect(names).toEqual(expect.arrayContaining(['CITY', 'SEGMENT', 'HEADCOUNT_BAND', 'ACQUISITION_MONTH']));
      const refused = await bare.query(CUBE, { measures: ['ORDERS'], dimensions: ['CHANNEL'] });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await bare.stop();
    }
  });

  it('refuses a query whose known groups times sources exceed analytics.maxCost before calling any source', async () => {
    const small = await startTestGateway(world.config({ analytics: { maxCost: 500 } }));
    try {
      const result = await small.query(CUBE, { measures: ['ORDERS'], dimensions: ['CHANNEL'], time: { granularity: 'DAY', ...YEAR_2024 } }, { trace: true });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'ANALYTICS_TOO_COSTLY', limit: 'maxCost', max: 500 });
      expect(result.extensions?.trace ?? []).toEqual([]);
    } finally {
      await small.stop();
    }
  });

  it('refuses a query with more groups than analytics.maxGroups, reading no more than that from the source', async () => {
    const small = await startTestGateway(world.config({ analytics: { maxGroups: 5 } }));
    try {
      const result = await small.query(CUBE, { measures: ['ORDERS'], dimensions: ['PRODUCT_CATEGORY'], time: { granularity: 'MONTH' } }, { trace: true });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'ANALYTICS_TOO_COSTLY', limit: 'maxGroups', max: 5 });
      expect(result.extensions?.trace?.map((call) => call.rows)).toEqual([6]);
      const tooLong = await small.query(CUBE, { measures: ['ORDERS'], limit: 6 });
      expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'limit' });
    } finally {
      await small.stop();
    }
  });

  it('refuses tickets grouped by an order dimension with a named argument', async () => {
    const result = await gateway.query(CUBE, { measures: ['TICKETS'], dimensions: ['CHANNEL'] });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'dimensions' });
  });
});

describe("a partner's cube", () => {
  const PARTNER_KEY = 'acme-cube-key-0001';
  const CUBE_OPERATION =
    'query Cube($m: [PartnerMeasure!]!, $d: [PartnerDimension!]) { analytics(measures: $m, dimensions: $d) { rows { dimensions customers orders revenue } suppressedGroups minGroupSize } }';

  const partnerConfig = (release: Record<string, unknown> = {}) =>
    world.config({
      privacy: {
        auth: { apiKeys: [{ id: 'acme-1', sha256: sha256Hex(PARTNER_KEY), role: 'partner', partner: 'acme' }] },
        partners: { acme: { pseudonymKey: 'acme-pseudonym-key-0123456789abcdef', operations: { 'acme.cube.v1': CUBE_OPERATION } } },
        minGroupSize: 7,
        release,
        auditKey: 'audit-key-0123456789abcdef0123456789',
        audit: { store: 'memory' },
      },
    });
  type PartnerBody = {
    data?: {
      analytics: {
        rows: Array<{ dimensions: Array<string | null>; customers: number; orders: number; revenue: number }>;
        suppressedGroups: number;
        minGroupSize: number;
      };
    };
    errors?: Array<{ extensions?: Record<string, unknown> }>;
  };
  const askPartner = async (on: TestGateway, variables: Record<string, unknown>): Promise<PartnerBody> => {
    const response = await fetch(on.url.replace(/\/graphql$/, '/partner/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': PARTNER_KEY },
      body: JSON.stringify({ id: 'acme.cube.v1', variables }),
    });
    return (await response.json()) as PartnerBody;
  };

  it('counts consented customers only, releases every number through the partner release policy (k, rounding, suppressed groups of the known domain)', async () => {
    const partnerGateway = await startTestGateway(partnerConfig());
    try {
      const body = await askPartner(partnerGateway, { m: ['ORDERS', 'REVENUE'], d: ['DEPARTEMENT', 'CHANNEL'] });
      expect(body.errors).toBeUndefined();
      const cubeAnswer = body.data!.analytics;
      const groups = await world.admin.query(
        `SELECT CASE WHEN c.postcode LIKE '20%' THEN IF(SUBSTR(c.postcode, 3, 1) <= '1', '2A', '2B') ELSE LEFT(c.postcode, 2) END AS dep, UPPER(o.channel) AS ch,
                COUNT(DISTINCT o.customer_id) AS customers, COUNT(*) AS orders, SUM(o.total) AS revenue
         FROM shop_order o JOIN shop_customer sc ON sc.id = o.customer_id
         JOIN crm_contact c ON c.email IS NOT NULL AND LOWER(TRIM(c.email)) = LOWER(TRIM(sc.email))
         JOIN crm_consent k ON k.contact_id = c.id AND k.purpose = 'partner_sharing'
           AND k.recorded_at = (SELECT MAX(recorded_at) FROM crm_consent WHERE contact_id = c.id AND purpose = 'partner_sharing') AND k.status = 'granted'
         WHERE o.state NOT IN ('cancelled', 'returned') GROUP BY 1, 2`,
      );
      const shown = groups.filter((row) => Number(row.customers) >= 7);
      expect(shown.length).toBeGreaterThan(0);
      expect(groups.length - shown.length).toBeGreaterThan(0);
      // The known domain: every département and null, by WEB, STORE and null; suppressed is what is not shown.
      expect(cubeAnswer.suppressedGroups).toBe((DEPARTEMENTS.length + 1) * 3 - shown.length);
      expect(cubeAnswer.minGroupSize).toBe(7);
      // Counts rounded down to a multiple of roundTo (default 5), never below k; revenue as summed.
      const down = (n: number) => Math.floor(n / 5) * 5;
      const asKeyed = (rows: ReadonlyArray<{ key: string; customers: unknown; orders: unknown; revenue: unknown }>) =>
        Object.fromEntries(rows.map((row) => [row.key, [Number(row.customers), Number(row.orders), Math.round(Number(row.revenue) * 100) / 100]]));
      expect(asKeyed(cubeAnswer.rows.map((row) => ({ key: JSON.stringify(row.dimensions), ...row })))).toEqual(
        asKeyed(
          shown.map((row) => ({
            key: JSON.stringify([row.dep, row.ch]),
            customers: Math.max(7, down(Number(row.customers))),
            orders: down(Number(row.orders)),
            revenue: row.revenue,
          })),
        ),
      );
      for (const row of cubeAnswer.rows) expect(row.customers % 5 === 0 || row.customers === 7).toBe(true);
    } finally {
      await partnerGateway.stop();
    }
  });

  it("spends the partner's query budget, and with differential privacy releases the customer count only, noised", async () => {
    const budgeted = await startTestGateway(partnerConfig({ queriesPerPeriod: 2 }));
    try {
      for (let i = 0; i < 2; i++) expect((await askPartner(budgeted, { m: ['ORDERS'], d: ['CHANNEL'] })).errors).toBeUndefined();
      expect((await askPartner(budgeted, { m: ['ORDERS'], d: ['CHANNEL'] })).errors?.[0]?.extensions).toMatchObject({ code: 'PRIVACY_BUDGET_EXHAUSTED' });
    } finally {
      await budgeted.stop();
    }
    const noisy = await startTestGateway(partnerConfig({ roundTo: 1, differentialPrivacy: { epsilonPerQuery: 0.5, epsilonPerPeriod: 1 } }));
    try {
      expect((await askPartner(noisy, { m: ['ORDERS'], d: ['CHANNEL'] })).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'measures',
      });
      const first = await askPartner(noisy, { m: ['CUSTOMERS'], d: ['CUSTOMER_KIND'] });
      expect(first.errors).toBeUndefined();
      for (const row of first.data!.analytics.rows) expect(row.customers).toBeGreaterThanOrEqual(7);
      // ε 0.5 of 1 per query: the third answer is refused (the refused ORDERS query spent nothing).
      expect((await askPartner(noisy, { m: ['CUSTOMERS'], d: ['CUSTOMER_KIND'] })).errors).toBeUndefined();
      expect((await askPartner(noisy, { m: ['CUSTOMERS'], d: ['CUSTOMER_KIND'] })).errors?.[0]?.extensions).toMatchObject({ code: 'PRIVACY_BUDGET_EXHAUSTED' });
    } finally {
      await noisy.stop();
    }
  });
});

describe('the README section "BI through GraphQL"', () => {
  it('has three analyst queries that run on real data, each giving rows', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## BI through GraphQL'), readme.indexOf('## Who sees what'));
    const queries = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(queries).toHaveLength(3);
    for (const query of queries) {
      const result = await gateway.query(query);
      expect(result.errors).toBeUndefined();
      for (const answer of Object.values(result.data!)) expect((answer as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    }
  });
});
