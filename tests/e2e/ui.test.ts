/**
 * The pages people use, in a real chromium: the offline explorer, the customer 360 page
 * (search, open, every panel, one source down) and the segments dashboard.
 * Screenshots go to artifacts/screenshots/ (and the README's one to docs/screenshots/).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { findRichCustomer, type RichCustomer } from './fixtures.js';

let seeded: SeededWorld;
let gateway: TestGateway;
let browser: TestBrowser;
let customer: RichCustomer;
let origin: string;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 200, seed: 8, restServices: true });
  gateway = await startTestGateway(seeded.config());
  origin = new URL(gateway.url).origin;
  customer = await findRichCustomer(gateway);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await seeded?.drop();
});

const PANELS = ['header', 'profile', 'segments', 'intent', 'orders', 'tickets', 'company', 'timeline', 'data-quality', 'consents'] as const;

async function panelStates(page: Page): Promise<Record<string, string>> {
  const allLoaded = `[...document.querySelectorAll('[data-panel]')].every((section) => section.getAttribute('aria-busy') === 'false') && document.querySelector('[data-panel]') !== null`;
  await page.waitForFunction(allLoaded, undefined, { timeout: 20_000 });
  return page.$$eval('[data-panel]', (sections) =>
    Object.fromEntries(sections.map((section) => [section.getAttribute('data-panel') ?? '', section.getAttribute('data-state') ?? ''])),
  );
}

async function openCustomerBySearch(page: Page, text: string): Promise<void> {
  await page.goto(`${origin}/ui/`);
  await page.getByLabel('Rechercher un client').fill(text);
  await page.keyboard.press('Enter');
  const hit = page.locator(`button[data-customer-id="${customer.id}"]`);
  await hit.waitFor({ timeout: 15_000 });
  // Keyboard only: focus the result and open it with Enter.
  await hit.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/#customer=/);
}

describe('the customer 360 page', () => {
  it('finds the customer by name, opens it from the keyboard and fills every panel with the demo data, in French', async () => {
    const page = await browser.newPage();
    await openCustomerBySearch(page, customer.lastName);
    const states = await panelStates(page);
    expect(states).toEqual(Object.fromEntries(PANELS.map((panel) => [panel, 'ok'])));

    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await expect(page.locator('#panel-orders-title').textContent()).resolves.toBe('Commandes');
    const profile = page.locator('#panel-profile');
    await expect(profile.locator('.display-name').textContent()).resolves.toBe(customer.displayName);
    await expect(profile.locator('[data-fact=email] .value').textContent()).resolves.toBe(customer.email);
    // The email's badge names the record it came from and that record's freshness.
    await expect(profile.locator('[data-fact=email] .badge').textContent()).resolves.toMatch(/^\w+ #\S+ · mis à jour le /);

    await expect(page.locator('#panel-orders li[data-order]').count()).resolves.toBe(customer.orders.length);
    const firstOrder = customer.orders[0]!;
    await expect(page.locator(`#panel-orders li[data-order="${firstOrder.id}"] tbody tr`).count()).resolves.toBe(firstOrder.lines.length);
    await expect(page.locator('#panel-tickets tbody tr').count()).resolves.toBe(customer.tickets.length);
    await expect(page.locator('#panel-consents tbody tr').count()).resolves.toBe(customer.consents.length);
    await expect(page.locator('#panel-company .company-card').textContent()).resolves.toContain(customer.legalName);
    // The activity in words: INSEE's label of the NAF code, and the headcount band in words.
    const { nafCode, headcountBand } = await companyCodes(customer.id);
    await expect(page.locator('#panel-company .company-card').textContent()).resolves.toContain(`${nafCode} — ${(await nafTables()).french.get(nafCode)}`);
    await expect(page.locator('#panel-company .company-card').textContent()).resolves.toMatch(
      headcountBand === 'NN' ? /Non employeuse/ : /salariés?( et plus)?/,
    );
    await expect(page.locator('#panel-timeline tbody tr').count()).resolves.toBeGreaterThan(0);

    const insights = await gateway.query(`query($id: ID!) { customer(id: $id) { segments { id } intent { level } dataQuality { score } } }`, {
      id: customer.id,
    });
    expect(insights.errors).toBeUndefined();
    const { segments, intent, dataQuality } = insights.data?.customer as {
      segments: Array<{ id: string }>;
      intent: { level: string } | null;
      dataQuality: { score: number };
    };
    await expect(
      page.locator('#panel-segments li[data-segment]').evaluateAll((items) => items.map((item) => item.getAttribute('data-segment'))),
    ).resolves.toEqual(segments.map((segment) => segment.id));
    const LEVEL_WORDS: Record<string, string> = { NONE: 'Aucune', LOW: 'Faible', MEDIUM: 'Moyenne', HIGH: 'Forte' };
    if (intent !== null) await expect(page.locator('#panel-intent [data-field=level]').textContent()).resolves.toBe(LEVEL_WORDS[intent.level]);
    await expect(page.locator('#panel-data-quality [data-field=score]').textContent()).resolves.toBe(`${Math.round(dataQuality.score * 100)} %`);
    await screenshot(page, 'customer-360', [join(process.cwd(), 'docs', 'screenshots', 'customer-360.png')]);
    await page.close();
  });

  it('finds the customer by email and by phone, and switches to English labels', async () => {
    const page = await browser.newPage();
    await openCustomerBySearch(page, customer.email);
    await openCustomerBySearch(page, customer.phone.replace(/^\+33/, '0'));
    await page.getByLabel('Langue').selectOption('en');
    await expect(page.locator('#panel-orders-title').textContent()).resolves.toBe('Orders');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // NAF code and headcount band in English words too: Eurostat's NACE label of the code's class.
    await panelStates(page);
    const { nafCode, headcountBand } = await companyCodes(customer.id);
    const card = await page.locator('#panel-company .company-card').textContent();
    expect(card).toContain(`${nafCode} — ${(await nafTables()).english[nafCode.slice(0, 5)]}`);
    expect(card).toMatch(headcountBand === 'NN' ? /No employees/ : /employees( or more)?/);
    await page.getByLabel('Language').selectOption('fr');
    await page.close();
  });
});

async function companyCodes(id: string): Promise<{ nafCode: string; headcountBand: string }> {
  const result = await gateway.query(`query($id: ID!) { customer(id: $id) { account { company { nafCode headcountBand } } } }`, { id });
  expect(result.errors).toBeUndefined();
  const company = (result.data?.customer as { account: { company: { nafCode: string; headcountBand: string } } }).account.company;
  expect(company.nafCode).toMatch(/^\d\d\.\d\d[A-Z]$/);
  return company;
}

/** INSEE's French NAF labels and Eurostat's English NACE ones, as the pages use them. */
async function nafTables(): Promise<{ french: Map<string, string>; english: Record<string, string> }> {
  const french = JSON.parse(await readFile(createRequire(import.meta.url).resolve('@socialgouv/codes-naf/index.json'), 'utf8')) as Array<{
    id: string;
    label: string;
  }>;
  const { NACE_EN } = (await import(new URL('../../src/ui/static/nace-en.js', import.meta.url).href)) as unknown as { NACE_EN: Record<string, string> };
  return { french: new Map(french.map((entry) => [entry.id, entry.label])), english: NACE_EN };
}

interface SegmentRow {
  readonly segment: { readonly id: string };
  readonly customers: number;
  readonly revenue: number;
  readonly averageBasket: number | null;
  readonly shareOfRevenue: number;
}

/** What a dashboard table cell holds, unformatted. */
function cell(page: Page, panel: string, row: string, column: string): Promise<string | null> {
  return page.locator(`#panel-${panel} tr[data-row="${row}"] td[data-column="${column}"]`).getAttribute('data-raw');
}

describe('the segments dashboard', () => {
  it('shows the numbers of the segments, intent and data-quality queries, as charts and as tables', async () => {
    const page = await browser.newPage();
    // Every GraphQL request the dashboard sends, by operation name: one aggregate per block, no page walk.
    const operations: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
        const body = JSON.parse(request.postData() ?? '{}') as { query?: string };
        operations.push(/^\s*query\s+(\w+)/.exec(body.query ?? '')?.[1] ?? body.query ?? '');
      }
    });
    await page.goto(`${origin}/ui/segments`);
    const states = await panelStates(page);
    expect(states).toEqual({ segments: 'ok', intent: 'ok', 'data-quality': 'ok' });
    expect(operations.sort()).toEqual(['DataQualitySummary', 'IntentDistribution', 'SegmentsDashboard']);
    await expect(page.locator('canvas').count()).resolves.toBeGreaterThanOrEqual(4);

    const segments = await gateway.query(`{ segments { segment { id } customers revenue averageBasket shareOfRevenue } }`);
    expect(segments.errors).toBeUndefined();
    const rows = segments.data?.segments as SegmentRow[];
    expect(rows.length).toBeGreaterThan(0);
    await expect(page.locator('#panel-segments tbody tr').count()).resolves.toBe(rows.length);
    for (const row of rows) {
      await expect(cell(page, 'segments', row.segment.id, 'customers')).resolves.toBe(String(row.customers));
      await expect(cell(page, 'segments', row.segment.id, 'revenue')).resolves.toBe(String(row.revenue));
      await expect(cell(page, 'segments', row.segment.id, 'shareOfRevenue')).resolves.toBe(String(row.shareOfRevenue));
    }

    const report = await gateway.query(`{ dataQualityReport { issues { source entity kind count } } }`);
    const issues = (report.data?.dataQualityReport as { issues: Array<{ source: string; entity: string; kind: string; count: number }> }).issues;
    for (const issue of issues)
      await expect(cell(page, 'data-quality', `${issue.source}.${issue.entity}.${issue.kind}`, 'count')).resolves.toBe(String(issue.count));

    const distribution = await gateway.query(`{ intentDistribution { levels { level shopAccounts } } }`);
    expect(distribution.errors).toBeUndefined();
    const levels = (distribution.data?.intentDistribution as { levels: Array<{ level: string; shopAccounts: number }> }).levels;
    expect(levels.map((row) => row.level)).toEqual(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
    for (const row of levels) await expect(cell(page, 'intent', row.level, 'shopAccounts')).resolves.toBe(String(row.shopAccounts));
    await screenshot(page, 'segments-dashboard');
    await page.close();
  });
});

describe('the routes', () => {
  it('serves the explorer to a browser at /graphql and leaves every GraphQL request to the endpoint', async () => {
    const page = await fetch(gateway.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    await expect(page.text()).resolves.toContain('/ui/vendor/graphiql.min.js');
    const asJson = await fetch(gateway.url, { headers: { accept: 'application/json' } });
    expect(asJson.headers.get('content-type')).not.toMatch(/text\/html/);
    const posted = await gateway.query('{ __typename }');
    expect(posted.data).toEqual({ __typename: 'Query' });
    // Apollo's CSRF prevention still refuses a simple GET query a foreign page could send.
    const simpleGet = await fetch(`${gateway.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html' } });
    expect(simpleGet.status).toBe(400);
    expect((await fetch(`${origin}/ui/vendor/package.json`)).status).toBe(404);
  });
});

describe('the GraphQL explorer', () => {
  it('loads from c360 alone and runs a query with the internet cut', async () => {
    // Every request to a host other than this machine is aborted as "internet disconnected"
    // (context.setOffline would also cut 127.0.0.1, where c360 itself is).
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${origin}/graphql`, { waitUntil: 'networkidle' });
    await page.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    // Every example tab runs as it is, within the server's limits.
    const tabs = page.locator('.graphiql-tab');
    const tabCount = await tabs.count();
    expect(tabCount).toBeGreaterThanOrEqual(3);
    for (let index = 0; index < tabCount; index++) {
      await tabs.nth(index).locator('button').first().click();
      await page.locator('.graphiql-execute-button').click();
      const result = page.locator('.result-window');
      await result
        .getByText('"data"')
        .waitFor({ timeout: 15_000 })
        .catch(async (error: unknown) => {
          await screenshot(page, `explorer-tab-${index}-failed`);
          throw error;
        });
      await expect(result.textContent()).resolves.not.toContain('"errors"');
      if (index === 0) await expect(result.textContent()).resolves.toContain('"displayName"');
    }
    expect(browser.foreignRequests).toEqual([]);
    expect(requested.every((url) => url.startsWith(origin))).toBe(true);
    // The page came from c360 itself: GraphiQL and React from node_modules, no CDN.
    expect(requested).toEqual(expect.arrayContaining([`${origin}/ui/vendor/graphiql.min.js`, `${origin}/ui/vendor/react.production.min.js`]));
    await screenshot(page, 'explorer');
    await page.close();
  });
});

describe('with the helpdesk down', () => {
  it('shows the outage in the tickets panel only, and every other panel renders', async () => {
    await seeded.rest!.helpdesk.stop();
    const page = await browser.newPage();
    await page.goto(`${origin}/ui/#customer=${encodeURIComponent(customer.id)}`);
    const states = await panelStates(page);
    expect(states.tickets).toBe('outage');
    await expect(page.locator('#panel-tickets .notice.outage').textContent()).resolves.toContain('Source indisponible : helpdesk');
    expect(states).toEqual(Object.fromEntries(PANELS.map((panel) => [panel, panel === 'tickets' ? 'outage' : 'ok'])));
    // The timeline is rebuilt from orders and interactions, and says the helpdesk is missing from it.
    await expect(page.locator('#panel-timeline .notice.partial').textContent()).resolves.toContain('helpdesk');
    await expect(page.locator('#panel-timeline tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#panel-timeline tbody td[data-column=kind]').allTextContents()).resolves.not.toContain('TICKET');
    await expect(page.locator('#panel-orders li[data-order]').count()).resolves.toBe(customer.orders.length);
    await screenshot(page, 'customer-360-helpdesk-down');
    await page.close();
  });
});
