import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../support/file-server.js';

/** GraphiQL and the dashboard still work in a real browser under the Content-Security-Policy. */

const running = useServer();
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

async function visit(pathname: string, ready: string) {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Refused to load: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(`${running.server.url}${pathname}`);
  await page.waitForSelector(ready, { timeout: 30_000 });
  return { page, violations };
}

/** Resolves once `count()` has not changed for `quietMs`; fails after `timeoutMs`. */
async function settled(count: () => number, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const now = count();
    if (now === last && now > 0) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
  throw new Error(`the page kept loading for ${timeoutMs} ms`);
}

describe('the Content-Security-Policy in a browser', () => {
  it('lets GraphiQL render and run a query, with no violation, after a first load under 2.5 MB', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const loaded: Promise<{ url: string; bytes: number }>[] = [];
    // Encoded (on the wire) body sizes; Chromium reports 0 for the editor's worker scripts, whose
    // Content-Length (of the encoded body) says the same.
    page.on('requestfinished', (request) =>
      loaded.push(
        (async () => {
          const [sizes, headers] = await Promise.all([request.sizes(), (await request.response())!.allHeaders()]);
          return { url: request.url(), bytes: Math.max(sizes.responseBodySize, Number(headers['content-length'] ?? 0)) };
        })(),
      ),
    );
    await page.goto(`${running.server.url}/graphql`);
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    // The example flow is in the editor (Monaco draws the visible lines), and its workers are running.
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent?.includes('SignUp'), undefined, {
      timeout: 30_000,
    });
    // Every file of the first load has arrived once loading goes quiet. (Not 'networkidle': Monaco
    // starts one worker twice and ends the first, whose request Chromium never reports finished.)
    await settled(() => loaded.length, 1500, 30_000);
    expect(violations).toEqual([]);

    const transfers = await Promise.all(loaded);
    const total = transfers.reduce((sum, transfer) => sum + transfer.bytes, 0);
    console.info(`GraphiQL first load: ${transfers.length} responses, ${total} bytes`, transfers);
    expect(transfers.some((transfer) => /\/graphql\/assets\/graphiql\.[\w-]+\.js$/.test(transfer.url))).toBe(true);
    expect(transfers.some((transfer) => /worker\.[\w-]+\.js$/.test(transfer.url))).toBe(true);
    expect(total).toBeLessThan(2.5 * 1000 * 1000);

    const answer = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return response.json();
    });
    expect(answer).toEqual({ data: { __typename: 'Query' } });
    await page.close();
  }, 60_000);

  it('lets the dashboard render, with no violation', async () => {
    const { page, violations } = await visit('/dashboard/', 'body *');
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.body.innerText.trim().length)).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);
});
