import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Headless Chromium for the end-to-end tests: the machine's browser, driven by playwright-core. */

export const CHROMIUM = '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export type Viewport = { width: number; height: number };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser for one test file: tabs in contexts of their own (optionally signed in to the dashboard,
 * which keeps its sign-in token in the tab's sessionStorage), screenshots into
 * test-results/<name>/<database>/, and one `close` for all of it.
 */
export async function e2eBrowser(name: string, baseURL: () => string) {
  const browser = await launchChromium();
  const screenshots = path.resolve('test-results', name, process.env.TEST_DB ?? 'pglite');
  await mkdir(screenshots, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage(viewport: Viewport = DESKTOP, options: { signInToken?: string; clipboard?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext({ viewport, baseURL: baseURL() });
      if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL() });
      if (options.signInToken) await context.addInitScript(`sessionStorage.setItem('bouncer.signInToken', ${JSON.stringify(options.signInToken)})`);
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    screenshot: (page: Page, file: string, { fullPage = true } = {}) => page.screenshot({ path: path.join(screenshots, `${file}.png`), fullPage }),
    async close(): Promise<void> {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

export type E2eBrowser = Awaited<ReturnType<typeof e2eBrowser>>;
