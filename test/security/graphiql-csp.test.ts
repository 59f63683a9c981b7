import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/** GraphiQL and the dashboard still work in a real browser under the Content-Security-Policy. */

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
const databaseUrl = freshDatabaseUrl();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bouncer-csp-'));
  server = await startServer(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await dropSchemaOf(databaseUrl);
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
  await page.goto(`${server.url}${pathname}`);
  await page.waitForSelector(ready, { timeout: 30_000 });
  return { page, violations };
}

describe('the Content-Security-Policy in a browser', () => {
  it('lets GraphiQL render and run a query, with no violation', async () => {
    const { page, violations } = await visit('/graphql', '.graphiql-container');
    await page.waitForTimeout(500); // editors and workers start after the first paint
    expect(violations).toEqual([]);
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
