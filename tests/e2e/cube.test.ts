/**
 * The cube explorer (/ui/cube) in Debian's chromium: only the mapped measures and
 * dimensions are offered, a pick gives the chart and the table of Query.analytics, the
 * table exports as CSV, and the labels switch to English.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAnalyticsWorld, type AnalyticsWorld } from '../support/analytics-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { launchBrowser, screenshot, type TestBrowser } from './browser.js';

let world: AnalyticsWorld;
let gateway: TestGateway;
let browser: TestBrowser;
let origin: string;

beforeAll(async () => {
  world = await createAnalyticsWorld();
  gateway = await startTestGateway(world.config({}, { withoutChannel: true }));
  origin = new URL(gateway.url).origin;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await world?.drop();
});

describe('the cube explorer', () => {
  it('offers the mapped choices only, draws the chart and the table of the answer, and exports the table as CSV', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/ui/cube`);
    await page.locator('#cube[aria-busy="false"] form').waitFor({ timeout: 15_000 });
    const dimensions = await page.$$eval('select[name="dimension1"] option', (options) => options.map((option) => option.getAttribute('value') ?? ''));
    expect(dimensions).not.toContain('CHANNEL');
    expect(dimensions).toEqual(expect.arrayContaining(['CITY', 'SEGMENT', 'ACQUISITION_MONTH']));

    await page.getByLabel('Dimension 1', { exact: true }).selectOption('CUSTOMER_KIND');
    await page.getByLabel('Granularité', { exact: true }).selectOption('QUARTER');
    await page.getByLabel('Du', { exact: true }).fill('2024-01-01');
    await page.getByLabel('Au (exclu)', { exact: true }).fill('2025-01-01');
    await page.getByRole('button', { name: 'Calculer' }).click();
    await page.locator('[data-cube="table"] tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('canvas[role="img"]').count()).toBe(1);

    const shown = await page.$$eval('[data-cube="table"] tbody tr', (rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.getAttribute('data-raw'))),
    );
    const answer = await gateway.query(
      '{ analytics(measures: [REVENUE, ORDERS], dimensions: [CUSTOMER_KIND], timeDimension: { granularity: QUARTER, dateRange: { from: "2024-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" } }) { rows { period dimensions { value } revenue orders } } }',
    );
    const rows = (answer.data!.analytics as { rows: Array<{ period: string; dimensions: Array<{ value: string | null }>; revenue: number; orders: number }> })
      .rows;
    // Measures in the schema's order: orders, then revenue.
    expect(shown).toEqual(rows.map((row) => [row.period, row.dimensions[0]!.value ?? '', String(row.orders), String(row.revenue)]));
    await screenshot(page, 'cube-explorer', [join(process.cwd(), 'docs', 'screenshots', 'cube-explorer.png')]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter le tableau (CSV)' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('"Période","Type de client","Commandes","Chiffre d\'affaires"');
    expect(csv.slice(1)).toEqual(rows.map((row) => `"${row.period}","${row.dimensions[0]!.value ?? ''}","${row.orders}","${row.revenue}"`));
    expect(browser.foreignRequests).toEqual([]);
  });

  it('switches its labels to English and shows a refused query with its code', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/ui/cube?lang=en`);
    await page.locator('#cube[aria-busy="false"] form').waitFor({ timeout: 15_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel('Granularity', { exact: true }).selectOption('DAY');
    await page.getByLabel('Dimension 1', { exact: true }).selectOption('RFM_CELL');
    await page.getByLabel('Dimension 2', { exact: true }).selectOption('CUSTOMER_KIND');
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To (exclusive)', { exact: true }).fill('2025-01-01');
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.locator('[role="alert"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[role="alert"]').textContent()).toMatch(/^Error ANALYTICS_TOO_COSTLY: /);
    expect(pageErrors).toEqual([]);
  });

  it('shows INSEE headcount bands in words, in English and in French', async () => {
    const page = await browser.newPage();
    for (const [lang, compute, words] of [
      ['en', 'Compute', { '01': '1 or 2 employees', '12': '20 to 49 employees' }],
      ['fr', 'Calculer', { '01': '1 ou 2 salariés', '12': '20 à 49 salariés' }],
    ] as const) {
      await page.goto(`${origin}/ui/cube?lang=${lang}`);
      await page.locator('#cube[aria-busy="false"] form').waitFor({ timeout: 15_000 });
      await page.locator('select[name="granularity"]').selectOption('');
      await page.locator('select[name="dimension1"]').selectOption('HEADCOUNT_BAND');
      await page.getByRole('button', { name: compute }).click();
      await page.locator('[data-cube="table"] td[data-column="HEADCOUNT_BAND"][data-raw="01"]').waitFor({ timeout: 15_000 });
      for (const [band, text] of Object.entries(words))
        await expect(page.locator(`[data-cube="table"] td[data-column="HEADCOUNT_BAND"][data-raw="${band}"]`).textContent()).resolves.toBe(text);
    }
    await page.close();
  });
});
