import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../support/file-server.js';
import { PASSWORD } from '../support/fixtures.js';
import { graphqlOn } from '../support/server-process.js';

/**
 * The hosted test page in headless Chromium, with JavaScript turned off (the page must work without
 * it), against a real server process: from a session's verify_url to the integrator's redirect_url,
 * where a small local server plays the integrator's shop.
 */

const CHROMIUM = '/usr/bin/chromium';
const running = useServer();
let shop: Server;
let shopUrl: string;
let browser: Browser;
let token: string;

const graphql = (query: string, variables: object, bearer?: string) => graphqlOn(running.server, query, variables, bearer);

beforeAll(async () => {
  shop = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<h1>Shop</h1><p>${request.url}</p>`);
  });
  shop.listen(0, '127.0.0.1');
  await once(shop, 'listening');
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const { signUp } = await graphql(
    `mutation($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }`,
    { input: { email: `e2e-${Date.now()}@example.com`, password: PASSWORD, organizationName: 'Nightcap Wines' } },
  );
  const { createApiToken } = await graphql(
    `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
    { input: { organizationId: signUp.user.memberships[0].organization.id, name: 'Testing', mode: 'TEST' } },
    signUp.token,
  );
  token = createApiToken.plainTextToken;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
});

async function createSession(): Promise<{ id: string; pagePath: string }> {
  const response = await fetch(`${running.server.url}/api/v2/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ age_target: 18, redirect_url: `${shopUrl}/checkout/done?order=42` }),
  });
  expect(response.status).toBe(201);
  const { data } = (await response.json()) as { data: { id: string; verify_url: string; livemode: boolean } };
  expect(data.livemode).toBe(false);
  return { id: data.id, pagePath: new URL(data.verify_url).pathname };
}

async function readSession(id: string) {
  const response = await fetch(`${running.server.url}/api/v2/session/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { data: { status: string; success: boolean | null } }).data;
}

async function openWithoutJavaScript(pagePath: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: running.server.url });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(pagePath);
  expect(errors, 'CSP violations or other console errors').toEqual([]);
  return page;
}

describe('the hosted test page in Chromium, without JavaScript', () => {
  it('approves: from verify_url to redirect_url with session_id and status', async () => {
    const { id, pagePath } = await createSession();
    const page = await openWithoutJavaScript(pagePath);
    await expect(page.title()).resolves.toContain('Nightcap Wines');
    expect(await page.getByText('Test mode').isVisible()).toBe(true);
    expect((await readSession(id)).status).toBe('pending');
    for (const label of ['Approve', 'Decline', 'Require KYC', 'Cancel']) {
      expect(await page.getByRole('button', { name: label, exact: true }).isVisible(), label).toBe(true);
    }
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForURL(`${shopUrl}/**`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/checkout/done');
    expect(Object.fromEntries(url.searchParams)).toEqual({ order: '42', session_id: id, status: 'completed' });
    expect(await readSession(id)).toMatchObject({ status: 'completed', success: true });
    await page.context().close();
  });

  it('requires KYC, then declines', async () => {
    const { id, pagePath } = await createSession();
    const page = await openWithoutJavaScript(pagePath);
    await page.getByRole('button', { name: 'Require KYC', exact: true }).click();
    await page.getByText('An identity check (KYC) is required').waitFor();
    expect(new URL(page.url()).pathname).toBe(pagePath);
    expect((await readSession(id)).status).toBe('verification_kyc');
    expect(await page.getByRole('button', { name: 'Require KYC', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Decline', exact: true }).click();
    await page.waitForURL(`${shopUrl}/**`);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ order: '42', session_id: id, status: 'completed' });
    expect(await readSession(id)).toMatchObject({ status: 'completed', success: false });
    await page.context().close();
  });

  it('cancels, and the page then says so', async () => {
    const { id, pagePath } = await createSession();
    const page = await openWithoutJavaScript(pagePath);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForURL(`${shopUrl}/**`);
    expect(new URL(page.url()).searchParams.get('status')).toBe('cancelled');
    expect((await readSession(id)).status).toBe('cancelled');
    await page.goto(`${running.server.url}${pagePath}`);
    expect(await page.getByText('This verification was cancelled.').isVisible()).toBe(true);
    expect(await page.getByRole('button').count()).toBe(0);
    await page.context().close();
  });
});
