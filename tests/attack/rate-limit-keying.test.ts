/**
 * Issue 13, items 1 and 8: the rate limiter finds its caller wherever an operation runs
 * (Apollo clones the context), so a CSV export spends one operation and runs to its last
 * row, and three open-mode clients on three addresses keep three buckets. Exported cells
 * that a spreadsheet would run as formulas come out neutralized.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { neutralizeCsvCell } from '../../src/gateway/csv-cell.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, type InsightsShop } from '../support/insights-shop.js';

const CUSTOMERS = 505;
const FORMULAS = ['=HYPERLINK("http://x.test","click")', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\tTab', '\rCR', 'Plain'];
const QUERY = `query($first: Int, $after: String) {
  customers(first: $first, after: $after) { edges { node { id name { last } } } pageInfo { hasNextPage endCursor } }
}`;
const BURST = 3;

let shop: InsightsShop;
let gateway: TestGateway;

beforeAll(async () => {
  shop = await createInsightsShop('mysql');
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email', 'last_name'],
    Array.from({ length: CUSTOMERS }, (_, index) => [index + 1, null, FORMULAS[index % FORMULAS.length]!]),
  );
  // Three operations at once, then one a second: far fewer than the export's six pages.
  gateway = await startTestGateway(shop.config(undefined, { limits: { roles: { admin: { rateLimit: { operationsPerMinute: 60, burst: BURST } } } } }));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await shop?.drop();
});

/** A POST to /graphql from a chosen loopback address (127.0.0.x all reach a 127.0.0.1 listener on Linux). */
function postFrom(localAddress: string, body: unknown): Promise<number> {
  const url = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the rate limit keyed on the caller', () => {
  it('charges a six-page CSV export one operation, so it delivers every row with a burst of three', async () => {
    const response = await fetch(gateway.url.replace(/\/graphql$/, '/export/csv'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { first: 100 }, path: 'customers' }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain('export stopped');
    expect(text.split('\r\n').filter((line) => line !== '')).toHaveLength(CUSTOMERS + 1);
  }, 60_000);

  it('gives three open-mode clients on three addresses a bucket each', async () => {
    // Earlier tests spent from 127.0.0.1's bucket; these three addresses are fresh.
    const statuses = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map(async (address) => {
        const mine: number[] = [];
        for (let n = 0; n < BURST + 1; n++) mine.push(await postFrom(address, { query: '{ __typename }' }));
        return mine;
      }),
    );
    // Each client gets its own burst, then is refused on its own: not 78/76/74 of one shared bucket.
    for (const mine of statuses) expect(mine).toEqual([200, 200, 200, 429]);
  });
});

describe('CSV injection', () => {
  it('neutralizes cells beginning with =, +, -, @, tab or CR, and leaves plain numbers and text alone', () => {
    expect(FORMULAS.map(neutralizeCsvCell)).toEqual([
      '\'=HYPERLINK("http://x.test","click")',
      "'+1+cmd|calc",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTab",
      "'\rCR",
      'Plain',
    ]);
    expect(['-12.5', '+33612345678', '1e-3', '', 'a=b'].map(neutralizeCsvCell)).toEqual(['-12.5', '+33612345678', '1e-3', '', 'a=b']);
  });

  it('exports source values that look like formulas as text', async () => {
    const response = await fetch(
      `${gateway.url.replace(/\/graphql$/, '/export/csv')}?${new URLSearchParams({ query: QUERY, variables: JSON.stringify({ first: 7 }), path: 'customers' })}`,
    );
    const text = await response.text();
    const lastNames = text
      .split('\r\n')
      .slice(1, 8)
      .map((line) => line.slice(line.indexOf(',') + 1));
    expect(lastNames[0]).toBe(`"'=HYPERLINK(""http://x.test"",""click"")"`);
    expect(lastNames.slice(1, 4)).toEqual(["'+1+cmd|calc", "'-2+3", "'@SUM(A1)"]);
    expect(lastNames[6]).toBe('Plain');
  }, 60_000);
});
