/**
 * The pages as marketing and service staff use them, with authentication on, in Debian's
 * chromium: sign-in with an API key and through OpenID Connect (a local provider), search as
 * it is typed, the profile header against the API, the timeline newest first, a segment's
 * members downloaded as CSV, no horizontal scroll at 390 and 1440 px, no serious axe-core
 * violation, and the README's French and English screenshots.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider.js';
import { launchBrowser, screenshot, type TestBrowser } from './browser.js';

const KEY = 'agent-key-for-the-pages-0001';
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DOCS = join(process.cwd(), 'docs', 'screenshots');

let seeded: SeededWorld;
let provider: OidcProvider;
let gateway: TestGateway;
let browser: TestBrowser;
let origin: string;

function pagesConfig(base: C360Config, oidc: OidcProvider): C360Config {
  const extra = parseConfig({
    sources: {},
    entities: {},
    privacy: {
      auth: {
        apiKeys: [{ id: 'desk-1', sha256: sha256Hex(KEY), role: 'agent' }],
        jwt: { issuer: oidc.issuer, audience: oidc.clientId, jwksUrl: oidc.jwksUrl },
      },
      auditKey: 'audit-key-0123456789abcdef0123456789',
      audit: { store: 'memory' },
    },
    ui: { oidc: { issuer: oidc.issuer, clientId: oidc.clientId }, sourceLinks: { crm: { contact: 'https://crm.example.test/contacts/{key}' } } },
  });
  return { ...base, privacy: extra.privacy, ui: extra.ui };
}

const asAgent = { headers: { 'x-api-key': KEY } };
/** Browser-side conditions, as text: the tests compile without the DOM library. */
const ALL_PANELS_LOADED = `[...document.querySelectorAll('[data-panel]')].length > 0 && [...document.querySelectorAll('[data-panel]')].every((section) => section.getAttribute('aria-busy') === 'false')`;
const RESULTS_SETTLED = `document.querySelector('#search-results')?.getAttribute('aria-busy') === 'false'`;

beforeAll(async () => {
  // The demo's own world (c360 demo: 2,000 customers, seed 360, its three silos), so its Julie Gaillard is here.
  seeded = await seedDemoWorld({ customers: 2000, seed: 360, restServices: true, loyalty: true });
  provider = await startOidcProvider({ subject: 'agent.sso@example.test', role: 'agent' });
  gateway = await startTestGateway(pagesConfig(seeded.config(), provider));
  origin = new URL(gateway.url).origin;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await provider?.stop();
  await seeded?.drop();
});

async function signInWithKey(page: Page, path = '/ui/'): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.locator('#sign-in-form').waitFor();
  await page.getByLabel('Type').selectOption('key');
  await page.locator('#sign-in-secret').fill(KEY);
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.locator('#signed-in').waitFor();
}

async function searchFirstHit(page: Page, text: string): Promise<string> {
  const input = page.locator('#search-text');
  await input.fill('');
  // Typed key by key, as staff do: the page searches as it is typed, without Enter.
  await input.pressSequentially(text, { delay: 15 });
  await page.waitForFunction(
    `${RESULTS_SETTLED} && document.querySelector('#search-text').value === ${JSON.stringify(text)} && document.querySelector('#search-results .hit') !== null`,
    undefined,
    { timeout: 20_000 },
  );
  // Past the debounce: the answer shown is the one to the whole text.
  await page.waitForTimeout(400);
  await page.waitForFunction(RESULTS_SETTLED);
  return (await page.locator('#search-results .hit').first().getAttribute('data-customer-id')) ?? '';
}

async function apiFirstHit(text: string): Promise<{ id: string; displayName: string }> {
  const answer = await gateway.query(
    'query($text: String!) { customerSearch(text: $text, first: 1) { edges { node { id displayName } } } }',
    { text },
    asAgent,
  );
  return (answer.data as { customerSearch: { edges: Array<{ node: { id: string; displayName: string } }> } }).customerSearch.edges[0]!.node;
}

async function noHorizontalScroll(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: number }>>(
    'axe.run().then((result) => result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.length })))',
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.nodes})`);
}

/** People of the world (CRM and shop records of distinct people) with this first and last name, accents and case aside. */
function namesake(first: string | null, last: string | null): number {
  const fold = (text: string | null) => (text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const key = `${fold(first)} ${fold(last)}`;
  const contacts = new Map(seeded.world.contacts.map((contact) => [contact.id, contact]));
  const shops = new Map(seeded.world.shopCustomers.map((shop) => [shop.id, shop]));
  return seeded.world.truth.people.filter((person) =>
    [...person.contactIds.map((id) => contacts.get(id)), ...person.shopCustomerIds.map((id) => shops.get(id))].some(
      (record) => record !== undefined && `${fold(record.firstName)} ${fold(record.lastName)}` === key,
    ),
  ).length;
}

describe('sign-in', () => {
  it('asks for a sign-in, refuses a wrong key in words, and signs in with an API key', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/ui/`);
    await page.locator('#sign-in-form').waitFor();
    expect(await page.locator('#search-form').isHidden()).toBe(true);
    await page.locator('#sign-in-secret').fill('not-a-key');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    // The refusal is written once the check request answers.
    await page.locator('#sign-in-status', { hasText: /^Connexion refusée : / }).waitFor({ timeout: 20_000 });
    await page.locator('#sign-in-secret').fill(KEY);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.locator('#signed-in').waitFor();
    expect(await page.locator('#search-form').isVisible()).toBe(true);
    await page.close();
  });

  it('signs in through the OpenID Connect provider (authorization code + PKCE) and uses its ID token as the JWT', async () => {
    // A fresh page of the same profile: sessionStorage is per tab, so nothing is signed in yet.
    const page = await browser.newPage();
    await page.goto(`${origin}/ui/`);
    await page.locator('#sign-in-oidc').click();
    await page.locator('#signed-in').waitFor({ timeout: 20_000 });
    await expect(page.locator('#signed-in').textContent()).resolves.toBe('Connecté : agent.sso@example.test');
    expect(page.url()).toBe(`${origin}/ui/`);
    expect(provider.refused).toEqual([]);
    const held = await page.evaluate<{ kind: string; value: string }>("JSON.parse(sessionStorage.getItem('c360.credential') ?? 'null')");
    expect(held.kind).toBe('jwt');
    expect(held.value.split('.')).toHaveLength(3);
    const hit = await searchFirstHit(page, 'julie gaillard');
    expect(hit).not.toBe('');
    await page.close();
  });
});

describe('search as staff type it', () => {
  it('finds the right customer first for "julie gaillard", "GAILLARD Julie", Hélène and helene, a SIRET and a phone typed 06.12…', async () => {
    const page = await browser.newPage();
    await signInWithKey(page);
    // Julie Gaillard has a shop account only, on the demo.
    const julie = seeded.world.shopCustomers.find((shop) => shop.firstName === 'Julie' && shop.lastName === 'Gaillard')!;
    expect(julie).toBeDefined();
    const helene = seeded.world.contacts.find(
      (contact) =>
        contact.kind === 'person' &&
        contact.firstName === 'Hélène' &&
        contact.lastName !== null &&
        !/[^A-Za-z]/.test(contact.lastName) &&
        namesake(contact.firstName, contact.lastName) === 1,
    )!;
    const company = seeded.world.contacts.find((contact) => contact.kind === 'company' && contact.accountId !== null)!;
    const siret = seeded.world.accounts.find((account) => account.id === company.accountId)!.siret;
    const person = seeded.world.contacts.find(
      (contact) =>
        contact.kind === 'person' && contact.mobile !== null && contact.mobile.replace(/\D/g, '').endsWith(contact.mobile.replace(/\D/g, '').slice(-9)),
    )!;
    const national = `0${person.mobile!.replace(/\D/g, '').slice(-9)}`;
    const dotted = national.replace(/(\d\d)(?=\d)/g, '$1.');
    const idIn = (source: string, id: number) =>
      gateway
        .query('query($source: String!, $key: ID!) { customerBy(externalId: { source: $source, key: $key }) { id } }', { source, key: String(id) }, asAgent)
        .then((answer) => (answer.data as { customerBy: { id: string } }).customerBy.id);
    const crmId = (id: number) =>
      gateway
        .query('query($key: ID!) { customerBy(externalId: { source: "crm", key: $key }) { id } }', { key: String(id) }, asAgent)
        .then((answer) => (answer.data as { customerBy: { id: string } }).customerBy.id);

    const cases: Array<[string, string]> = [
      ['julie gaillard', await idIn('shop', julie.id)],
      ['GAILLARD Julie', await idIn('shop', julie.id)],
      [`Hélène ${helene.lastName}`, await crmId(helene.id)],
      [`helene ${helene.lastName!.toLowerCase()}`, await crmId(helene.id)],
      [siret, await crmId(company.id)],
      [dotted, await crmId(person.id)],
    ];
    for (const [text, expected] of cases) {
      const first = await searchFirstHit(page, text);
      // Two Julie Gaillards would both be right; the demo has one, and the API agrees with the page.
      expect({ text, first }).toEqual({ text, first: expected });
      expect((await apiFirstHit(text)).id).toBe(first);
    }
    // Each hit says what kind of customer it is, where they live and which silos hold them.
    const hit = page.locator('#search-results .hit').first();
    await expect(hit.locator('.hit-kind').textContent()).resolves.toBe('Particulier');
    await expect(hit.locator('.hit-silos .badge').count()).resolves.toBeGreaterThan(0);
    await page.close();
  }, 120_000);
});

describe('the customer page', () => {
  async function openCustomer(page: Page, id: string): Promise<void> {
    await page.goto(`${origin}/ui/#customer=${encodeURIComponent(id)}`);
    await page.waitForFunction(ALL_PANELS_LOADED, undefined, { timeout: 30_000 });
  }

  async function busiestCustomer(): Promise<string> {
    const answer = await gateway.query('{ customers(first: 60) { edges { node { id timeline(first: 100) { at } } } } }', {}, asAgent);
    const nodes = (answer.data as { customers: { edges: Array<{ node: { id: string; timeline: Array<{ at: string }> | null } }> } }).customers.edges.map(
      (edge) => edge.node,
    );
    return nodes.sort((a, b) => (b.timeline?.length ?? 0) - (a.timeline?.length ?? 0))[0]!.id;
  }

  it('shows header facts equal to the API, and the timeline newest first with older entries on demand', async () => {
    const page = await browser.newPage();
    await signInWithKey(page);
    const id = await busiestCustomer();
    await openCustomer(page, id);
    const answer = await gateway.query(
      'query($id: ID!) { customer(id: $id) { rfm { monetary frequency lastPurchaseAt } segments { id family } service { openTickets } consents { purpose channel status recordedAt } timeline(first: 100) { at } } }',
      { id },
      asAgent,
    );
    const customer = (
      answer.data as {
        customer: {
          rfm: { monetary: number; frequency: number; lastPurchaseAt: string } | null;
          segments: Array<{ id: string; family: string }>;
          service: { openTickets: number } | null;
          consents: Array<{ purpose: string; channel: string; status: string; recordedAt: string }>;
          timeline: Array<{ at: string }>;
        };
      }
    ).customer;
    const raw = (fact: string) => page.locator(`#panel-header [data-fact=${fact}] .value`).getAttribute('data-raw');
    await expect(raw('revenue')).resolves.toBe(customer.rfm === null ? '' : String(customer.rfm.monetary));
    await expect(raw('orders')).resolves.toBe(String(customer.rfm?.frequency ?? 0));
    await expect(raw('lastPurchase')).resolves.toBe(customer.rfm?.lastPurchaseAt ?? '');
    await expect(raw('rfmSegment')).resolves.toBe(customer.segments.find((segment) => segment.family === 'GRID')?.id ?? '');
    await expect(raw('openTickets')).resolves.toBe(customer.service === null ? '' : String(customer.service.openTickets));
    const inForce = (channel: string) =>
      customer.consents
        .filter((consent) => consent.purpose.startsWith('marketing') && [channel, 'all'].includes(consent.channel.toLowerCase()))
        .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))[0]?.status === 'GRANTED';
    await expect(raw('mayEmail')).resolves.toBe(String(inForce('email')));
    await expect(raw('maySms')).resolves.toBe(String(inForce('sms')));

    const newest = [...customer.timeline]
      .map((entry) => entry.at)
      .sort()
      .at(-1)!;
    const firstAt = await page.locator('#panel-timeline tbody tr').first().locator('td[data-column=at]').getAttribute('data-raw');
    expect(firstAt).toBe(newest);
    const shown = await page.locator('#panel-timeline tbody tr').count();
    if (customer.timeline.length > shown) {
      await page.locator('#timeline-older').click();
      await page.waitForFunction(`document.querySelectorAll('#panel-timeline tbody tr').length > ${shown}`);
    }
    await page.locator('#panel-timeline #timeline-kind').selectOption('ORDER');
    await page.waitForFunction(`[...document.querySelectorAll('#panel-timeline td[data-column=kind]')].every((cell) => cell.textContent === 'Commande')`);
    await page.close();
  }, 60_000);

  it('shows store receipts from the loyalty system beside the web orders, each under its own source', async () => {
    const answer = await gateway.query(
      '{ customers(first: 100) { edges { node { id sources { source key } timeline(first: 100, kinds: [ORDER]) { source } } } } }',
      {},
      asAgent,
    );
    const nodes = (
      answer.data as {
        customers: { edges: Array<{ node: { id: string; sources: Array<{ source: string; key: string }>; timeline: Array<{ source: string }> } }> };
      }
    ).customers.edges.map((edge) => edge.node);
    // A customer whose order timeline holds both a web order and a store receipt, within its first page.
    const both = nodes.find((node) => {
      const recent = node.timeline.slice(-20).map((entry) => entry.source);
      return recent.includes('shop') && recent.includes('loyalty');
    })!;
    expect(both).toBeDefined();
    const page = await browser.newPage();
    await signInWithKey(page);
    await openCustomer(page, both.id);
    const card = both.sources.find((record) => record.source === 'loyalty')!;
    await expect(page.locator(`li[data-record="loyalty:${card.key}"]`).count()).resolves.toBe(1);
    await page.locator('#panel-timeline #timeline-kind').selectOption('ORDER');
    await page.waitForFunction(`[...document.querySelectorAll('#panel-timeline td[data-column=kind]')].every((cell) => cell.textContent === 'Commande')`);
    const sources = await page.locator('#panel-timeline td[data-column=source]').allTextContents();
    expect(new Set(sources)).toEqual(new Set(['shop', 'loyalty']));
    await page.close();
  }, 60_000);

  it('has no horizontal scroll at 390 px and 1440 px, no serious axe-core violation, in French and English', async () => {
    const page = await browser.newPage();
    await signInWithKey(page);
    const id = await busiestCustomer();
    for (const lang of ['fr', 'en'] as const) {
      // One load per language; the widths are the same page resized (the layout is CSS only).
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${origin}/ui/?lang=${lang}#customer=${encodeURIComponent(id)}`);
      await page.waitForFunction(ALL_PANELS_LOADED, undefined, { timeout: 60_000 });
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(300);
        const { scrollWidth, innerWidth } = await noHorizontalScroll(page);
        expect({ lang, width, fits: scrollWidth <= innerWidth, scrollWidth }).toEqual({ lang, width, fits: true, scrollWidth });
        await screenshot(page, `customer-${lang}-${width}`, width === 1440 ? [join(DOCS, `customer-360-${lang}.png`)] : []);
      }
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.close();
  }, 120_000);
});

describe('the segments dashboard', () => {
  it('opens a segment: its members page by page, and a CSV with exactly the segment count of rows', async () => {
    const page = await browser.newPage();
    await signInWithKey(page, '/ui/segments');
    await page.waitForFunction(`document.querySelector('[data-open-segment]') !== null`, undefined, { timeout: 120_000 });
    const answer = await gateway.query('{ segments { segment { id } customers } }', {}, asAgent);
    const segments = (answer.data as { segments: Array<{ segment: { id: string }; customers: number }> }).segments
      .filter((row) => row.customers > 0)
      .sort((a, b) => a.customers - b.customers);
    const chosen = segments.find((row) => row.customers > 25) ?? segments.at(-1)!;
    await page.locator(`[data-open-segment="${chosen.segment.id}"]`).click();
    await page.locator('#segment-members tbody tr').first().waitFor({ timeout: 30_000 });
    const downloading = page.waitForEvent('download', { timeout: 120_000 });
    await page.locator('#members-csv').click();
    const download = await downloading;
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const rows = csv.split('\r\n').filter((line) => line !== '');
    expect(rows.length - 1).toBe(chosen.customers);
    for (const lang of ['fr', 'en'] as const) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${origin}/ui/segments?lang=${lang}`);
      await page.waitForFunction(ALL_PANELS_LOADED, undefined, { timeout: 120_000 });
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(300);
        const { scrollWidth, innerWidth } = await noHorizontalScroll(page);
        expect({ lang, width, fits: scrollWidth <= innerWidth, scrollWidth }).toEqual({ lang, width, fits: true, scrollWidth });
        await screenshot(page, `segments-${lang}-${width}`, width === 1440 ? [join(DOCS, `segments-${lang}.png`)] : []);
      }
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.close();
  }, 400_000);
});

describe('static assets', () => {
  it('serves the explorer script compressed and cacheable', async () => {
    const response = await fetch(`${origin}/ui/vendor/graphiql.min.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(response.headers.get('etag')).not.toBeNull();
    // node:http, not fetch: fetch turns a conditional request into Cache-Control: no-cache.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${origin}/ui/vendor/graphiql.min.js`, { headers: { 'if-none-match': response.headers.get('etag')! } }, (answer) => {
        answer.resume();
        resolve(answer.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });
});
