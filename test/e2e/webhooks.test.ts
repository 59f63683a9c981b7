import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, e2eBrowser, PHONE, type E2eBrowser } from '../support/browser.js';
import { useServer } from '../support/file-server.js';
import { PASSWORD } from '../support/fixtures.js';
import { graphqlOn } from '../support/server-process.js';

/**
 * The dashboard's Webhooks section in headless Chromium, against a real server process whose
 * delivery worker sends to a receiver on 127.0.0.1 run here: a test session made over REST and
 * approved on its hosted page raises webhooks; the owner sees them delivered, looks at the
 * session's deliveries, reveals and copies the signing secret (which verifies what arrived), rolls
 * it and redelivers. Screenshots land in test-results/webhooks/<project>/.
 */

type Received = { headers: IncomingHttpHeaders; body: string };

const running = useServer({
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_DELAYS: '1',
});
let browser: E2eBrowser;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // POSTs are webhooks; the browser's GET is the redirect_url after the hosted page.
      if (request.method === 'POST') received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Shop</h1>');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  browser = await e2eBrowser('webhooks', () => running.server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const newPage = (viewport = DESKTOP) => browser.newPage(viewport, { clipboard: true });
const screenshot: E2eBrowser['screenshot'] = (...args) => browser.screenshot(...args);

/** Polls `check` until it returns something other than undefined, for at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const graphql = (query: string, variables: object, bearer: string) => graphqlOn(running.server, query, variables, bearer);

async function createSession(token: string): Promise<{ id: string; verifyUrl: string }> {
  const response = await fetch(`${running.server.url}/api/v2/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ age_target: 18, redirect_url: `${receiverUrl}/done`, webhook_url: `${receiverUrl}/hooks` }),
  });
  expect(response.status).toBe(201);
  const { data } = (await response.json()) as { data: { id: string; verify_url: string } };
  // The server names itself by its configured address; the page is reached on the port it listens on.
  return { id: data.id, verifyUrl: new URL(data.verify_url).pathname };
}

const section = (page: Page) => page.locator('section[aria-labelledby="webhooks-heading"]');
const rows = (page: Page) => section(page).locator('tbody tr');
const cell = (row: Locator, testId: string) => row.getByTestId(testId).innerText();
const webhooksOf = (sessionId: string) => received.filter((webhook) => (JSON.parse(webhook.body) as { id: string }).id === sessionId);

/** What the table shows, row by row, read at one moment (the list reads itself again while anything is pending). */
const tableOf = (page: Page) =>
  rows(page).evaluateAll((trs) =>
    trs.map((tr) => {
      const text = (testId: string) => (tr.querySelector(`[data-testid="${testId}"]`) as HTMLElement | null)?.innerText ?? '';
      return {
        session: tr.getAttribute('data-session-id') ?? '',
        status: text('delivery-status'),
        attempts: text('delivery-attempts'),
        response: text('delivery-response'),
      };
    }),
  );

const owner = { name: 'Wanda Webhooks', email: `wanda-${Date.now()}@example.com`, organization: 'Hook & Crook' };
let page: Page;
let apiToken: string;
let approved: { id: string; verifyUrl: string };
let visited: { id: string; verifyUrl: string };
let copiedSecret: string;

describe('the Webhooks section of the dashboard', { timeout: 120_000 }, () => {
  it('shows a test session’s webhooks delivered with 200, after approval on its hosted page', async () => {
    page = await newPage();
    await page.goto('/dashboard/');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organization name').fill(owner.organization);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Organization settings' }).waitFor();
    await section(page).getByText('No webhooks were sent yet.').waitFor();

    const organizationId = decodeURIComponent(/\/organizations\/([^/]+)\/settings/.exec(page.url())![1]!);
    const signInToken = (await page.evaluate<string | null>(`sessionStorage.getItem('bouncer.signInToken')`))!;
    const { createApiToken } = await graphql(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
      { input: { organizationId, name: 'Testing', mode: 'TEST' } },
      signInToken,
    );
    apiToken = createApiToken.plainTextToken;

    approved = await createSession(apiToken);
    const hosted = await newPage();
    await hosted.goto(approved.verifyUrl);
    await hosted.getByRole('button', { name: 'Approve', exact: true }).click();
    await hosted.waitForURL((url) => url.searchParams.get('session_id') === approved.id);
    // A second session, only opened: one event of its own, which the filter leaves out.
    visited = await createSession(apiToken);
    await hosted.goto(visited.verifyUrl);
    await hosted.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await until('four webhooks at the receiver', () => (received.length >= 4 ? true : undefined));

    await section(page).getByRole('button', { name: 'Refresh' }).click();
    const table = await until('four delivered rows', async () => {
      const shown = await tableOf(page);
      return shown.length === 4 && shown.every((row) => row.status === 'delivered') ? shown : undefined;
    });
    expect(table.map((row) => row.response)).toEqual(['200', '200', '200', '200']);
    expect(table.filter((row) => row.session === approved.id)).toHaveLength(3);
    expect(table[0]!.session).toBe(visited.id); // newest first
    expect(new Set(await rows(page).getByTestId('delivery-url').allInnerTexts())).toEqual(new Set([`${receiverUrl}/hooks`]));
    const events = await rows(page).locator('th').allInnerTexts();
    expect(events.some((text) => text.includes('validation.completed'))).toBe(true);
    expect(await section(page).getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await screenshot(page, '01-desktop-deliveries');
  });

  it('filters the deliveries by session id: that session’s events only', async () => {
    await section(page).getByLabel('Session id').fill('not-a-session');
    await section(page).getByRole('button', { name: 'Show', exact: true }).click();
    await section(page).getByText('Enter a session id as the REST API gives it', { exact: false }).waitFor();

    await section(page).getByLabel('Session id').fill(approved.id);
    await section(page).getByRole('button', { name: 'Show', exact: true }).click();
    await section(page).getByRole('heading', { name: 'Deliveries of one session' }).waitFor();
    const table = await until('the session’s three rows', async () => {
      const shown = await tableOf(page);
      return shown.length === 3 ? shown : undefined;
    });
    expect(table.every((row) => row.session === approved.id && row.status === 'delivered')).toBe(true);
    const events = await rows(page).locator('th').allInnerTexts();
    expect(events.map((text) => text.split('\n')[0])).toEqual([
      'validation.completed',
      'validation.biometry_started',
      'validation.page_visited',
    ]);
    await screenshot(page, '02-desktop-one-session');

    // Back to all, then to the other session by clicking its id in the list.
    await section(page).getByRole('button', { name: 'All sessions' }).click();
    await until('all four rows', async () => ((await rows(page).count()) === 4 ? true : undefined));
    await section(page).getByRole('button', { name: visited.id, exact: true }).click();
    await until('the visited session’s row', async () => {
      const shown = await tableOf(page);
      return shown.length === 1 && shown[0]!.session === visited.id ? true : undefined;
    });
    expect(await section(page).getByLabel('Session id').inputValue()).toBe(visited.id);
    await section(page).getByLabel('Session id').fill(approved.id);
    await section(page).getByRole('button', { name: 'Show', exact: true }).click();
    await until('the session’s three rows again', async () => ((await rows(page).count()) === 3 ? true : undefined));
  });

  it('keeps the signing secret hidden until revealed; the copied secret verifies what the receiver got', async () => {
    const field = section(page).getByTestId('webhook-secret');
    expect(await field.inputValue()).not.toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await section(page).getByRole('button', { name: 'Reveal' }).click();
    await until('the secret shown', async () => (/^whsec_[A-Za-z0-9+/=]{20,}$/.test(await field.inputValue()) ? true : undefined));
    const shown = await field.inputValue();
    await screenshot(page, '03-desktop-secret-revealed');
    await section(page).getByRole('button', { name: 'Hide' }).click();
    expect(await field.inputValue()).not.toBe(shown);

    await section(page).getByRole('button', { name: 'Copy' }).click();
    await section(page).getByText('Signing secret copied to the clipboard.').waitFor();
    copiedSecret = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copiedSecret).toBe(shown);
    for (const webhook of webhooksOf(approved.id)) {
      expect(() => new Webhook(copiedSecret).verify(webhook.body, webhook.headers as Record<string, string>)).not.toThrow();
    }
    expect(() => new Webhook(`whsec_${Buffer.from('not the secret').toString('base64')}`).verify(received[0]!.body, received[0]!.headers as Record<string, string>)).toThrow();
  });

  it('rolls the secret after a confirmation that explains the 24-hour overlap, and shows the new one', async () => {
    await section(page).getByRole('button', { name: 'Roll secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll the webhook signing secret?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('24 hours');
    await screenshot(page, '04-desktop-roll-confirm', { fullPage: false });
    await dialog.getByRole('button', { name: 'Roll secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    const field = section(page).getByTestId('webhook-secret');
    const rolled = await until('the new secret shown', async () => {
      const value = await field.inputValue();
      return /^whsec_[A-Za-z0-9+/=]{20,}$/.test(value) && value !== copiedSecret ? value : undefined;
    });
    expect(await section(page).getByTestId('webhooks-status').innerText()).toContain('previous secret also signs until');
    await screenshot(page, '05-desktop-secret-rolled');
    copiedSecret = rolled;
  });

  it('redelivers a delivery: it is sent again, attempts grow, signed with both secrets', async () => {
    const row = rows(page).filter({ has: page.getByRole('rowheader', { name: /validation\.completed/ }) });
    expect(await cell(row, 'delivery-attempts')).toBe('1');
    const before = webhooksOf(approved.id).length;
    await row.getByRole('button', { name: /^Redeliver validation\.completed/ }).click();
    await section(page).getByTestId('webhooks-status').getByText('will be sent again').waitFor();
    // The list reads itself again while a delivery is pending.
    await until('attempts 2, delivered', async () =>
      (await cell(row, 'delivery-attempts')) === '2' && (await cell(row, 'delivery-status')) === 'delivered' ? true : undefined,
    );
    expect(await cell(row, 'delivery-response')).toBe('200');
    const again = webhooksOf(approved.id).slice(before);
    expect(again).toHaveLength(1);
    const headers = again[0]!.headers as Record<string, string>;
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect((new Webhook(copiedSecret).verify(again[0]!.body, headers) as { event: string }).event).toBe('validation.completed');
    await screenshot(page, '06-desktop-redelivered');
  });

  it('fits a phone: the section, the filter and the rows without sideways scrolling', async () => {
    const phone = await newPage(PHONE);
    await phone.goto('/dashboard/sign-in');
    await phone.getByLabel('Email').fill(owner.email);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await until('the deliveries', async () => ((await rows(phone).count()) === 4 ? true : undefined));
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await section(phone).getByRole('button', { name: 'Reveal' }).click();
    await section(phone).getByRole('button', { name: 'Hide' }).waitFor();
    await section(phone).scrollIntoViewIfNeeded();
    await screenshot(phone, '07-phone-webhooks');
    await section(phone).getByLabel('Session id').fill(approved.id);
    await section(phone).getByRole('button', { name: 'Show', exact: true }).click();
    await until('three rows', async () => ((await rows(phone).count()) === 3 ? true : undefined));
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await screenshot(phone, '08-phone-one-session');
  });
});
