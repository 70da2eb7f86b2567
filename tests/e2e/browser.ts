/** Debian's chromium driven by playwright-core: never a downloaded browser. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.C360_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'artifacts', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Every URL the pages asked for that was not on 127.0.0.1 or localhost (blocked, and kept here). */
  readonly foreignRequests: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A fresh profile each time, so no cached file or stored GraphiQL tab leaks between runs. */
export async function launchBrowser(options: { lang?: string } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The browser tests need Debian's chromium at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (.ci/run does).`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'c360-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    locale: options.lang ?? 'fr-FR',
  });
  const foreignRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') await route.continue();
    else {
      foreignRequests.push(url.toString());
      await route.abort('internetdisconnected');
    }
  });
  return {
    context,
    foreignRequests,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, copies: ReadonlyArray<string> = []): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  for (const copy of copies) {
    mkdirSync(join(copy, '..'), { recursive: true });
    await page.screenshot({ path: copy, fullPage: true });
  }
}
