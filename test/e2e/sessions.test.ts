import type { Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowser, PHONE, type E2eBrowser } from '../support/browser.js';
import { useServer } from '../support/file-server.js';
import { PASSWORD } from '../support/fixtures.js';
import { graphqlOn } from '../support/server-process.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhooks.js';

/**
 * The dashboard's Sessions page in headless Chromium, against a real server process whose delivery
 * worker sends to a receiver run here: test sessions made over REST (one approved on its hosted
 * page, one cancelled over REST, more to page through) and a live one; the owner switches live/test,
 * pages, filters by status, opens the approved session, sees its timeline and its deliveries
 * answered 200, redelivers one, and sends a test event from the Webhooks section. Screenshots land
 * in test-results/sessions/<project>/.
 */

const running = useServer({
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_DELAYS: '1',
});
let browser: E2eBrowser;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  browser = await e2eBrowser('sessions', () => running.server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

const graphql = (query: string, variables: object, bearer?: string) => graphqlOn(running.server, query, variables, bearer);

async function createSession(token: string, body: object = {}): Promise<{ id: string; verifyUrl: string }> {
  const response = await fetch(`${running.server.url}/api/v2/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ age_target: 18, redirect_url: `${running.server.url}/health`, ...body }),
  });
  expect(response.status).toBe(201);
  const { data } = (await response.json()) as { data: { id: string; verify_url: string } };
  // The server names itself by its configured address; the page is reached on the port it listens on.
  return { id: data.id, verifyUrl: new URL(data.verify_url).pathname };
}

const list = (page: Page) => page.locator('section[aria-labelledby="sessions-heading"]');
const listedIds = (page: Page) => list(page).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')));
const deliveryRows = (page: Page) => page.locator('.webhook-deliveries tbody tr');
const cell = (row: Locator, testId: string) => row.getByTestId(testId).innerText();
const sticksOut = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

let signInToken: string;
let organizationId: string;
let testToken: string;
let approved: { id: string; verifyUrl: string };
let cancelled: { id: string };
let live: { id: string };
const more: string[] = [];
let page: Page;

describe('the Sessions page of the dashboard', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const { signUp } = await graphql(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }`,
      { input: { name: 'Sam Sessions', email: `sam-${Date.now()}@example.com`, password: PASSWORD, organizationName: 'Session Shop' } },
    );
    signInToken = signUp.token;
    organizationId = signUp.user.memberships[0].organization.id;
    const token = async (mode: string) =>
      (await graphql(`mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
        { input: { organizationId, name: mode, mode } }, signInToken)).createApiToken.plainTextToken as string;
    testToken = await token('TEST');
    const liveToken = await token('LIVE');

    live = await createSession(liveToken);
    approved = await createSession(testToken, { webhook_url: receiver.url, metadata: ['order:42'] });
    cancelled = await createSession(testToken, { webhook_url: receiver.url });
    const answer = await fetch(`${running.server.url}/api/v2/session/${cancelled.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${testToken}` } });
    expect(answer.status).toBe(200);
    for (let index = 0; index < 20; index++) more.unshift((await createSession(testToken)).id);

    const hosted = await browser.newPage();
    await hosted.goto(approved.verifyUrl);
    await hosted.getByRole('button', { name: 'Approve', exact: true }).click();
    await hosted.waitForURL((url) => url.searchParams.get('session_id') === approved.id);
    // page_visited, biometry_started, completed; and cancelled.
    await waitFor('four webhooks', () => (receiver.received.length >= 4 ? true : undefined), 30_000);
  }, 120_000);

  it('lists live sessions, then test sessions newest first a page at a time', async () => {
    page = await browser.newPage(undefined, { signInToken });
    await page.goto('/dashboard/');
    await page.getByRole('heading', { name: 'Organization settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    expect(page.url()).toContain(`/dashboard/organizations/${organizationId}/sessions`);
    await list(page).getByRole('heading', { name: 'Live sessions' }).waitFor();
    await waitFor('the live session', async () => ((await listedIds(page)).length === 1 ? true : undefined));
    expect(await listedIds(page)).toEqual([live.id]);

    await list(page).getByLabel('Test').check();
    await list(page).getByRole('heading', { name: 'Test sessions' }).waitFor();
    await waitFor('a page of test sessions', async () => ((await listedIds(page)).length === 20 ? true : undefined));
    expect(await listedIds(page)).toEqual(more);
    await browser.screenshot(page, '01-desktop-test-sessions');
    await list(page).getByRole('button', { name: 'Load more' }).click();
    await waitFor('all test sessions', async () => ((await listedIds(page)).length === 22 ? true : undefined));
    expect(await listedIds(page)).toEqual([...more, cancelled.id, approved.id]);
    expect(await list(page).getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('filters by status', async () => {
    await list(page).getByLabel('Status').selectOption('completed');
    await waitFor('the completed session only', async () => ((await listedIds(page)).length === 1 ? true : undefined));
    expect(await listedIds(page)).toEqual([approved.id]);
    expect(await list(page).getByTestId('session-status').innerText()).toBe('Completed (approved)');
    await list(page).getByLabel('Status').selectOption('cancelled');
    await waitFor('the cancelled session only', async () => ((await listedIds(page)).join() === cancelled.id ? true : undefined));
    await list(page).getByLabel('Status').selectOption('expired');
    await list(page).getByText('No test sessions are expired.').waitFor();
    await list(page).getByLabel('Status').selectOption('completed');
    await waitFor('the completed session again', async () => ((await listedIds(page)).join() === approved.id ? true : undefined));
    await browser.screenshot(page, '02-desktop-filtered');
  });

  it('opens a session: its timeline, and its deliveries answered 200', async () => {
    await list(page).getByRole('link', { name: approved.id }).click();
    await page.getByRole('heading', { name: 'Session', level: 1 }).waitFor();
    expect(page.url()).toContain(`/sessions/${approved.id}`);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    expect(await timeline.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual([
      'created',
      'pending',
      'verification_started',
      'completed',
    ]);
    expect(await timeline.locator('li').first().innerText()).toContain('Created');
    expect(await page.getByText('order:42').count()).toBe(1);
    const rows = await waitFor('three delivered rows', async () => {
      const statuses = await deliveryRows(page).getByTestId('delivery-status').allInnerTexts();
      return statuses.length === 3 && statuses.every((status) => status === 'delivered') ? statuses : undefined;
    });
    expect(rows).toHaveLength(3);
    expect(await deliveryRows(page).getByTestId('delivery-response').allInnerTexts()).toEqual(['200', '200', '200']);
    // This session's deliveries only, and no filter to change that.
    expect(await page.getByLabel('Session id').count()).toBe(0);
    await browser.screenshot(page, '03-desktop-session');
  });

  it('redelivers a delivery: sent again, attempts 2', async () => {
    const row = deliveryRows(page).filter({ has: page.getByRole('rowheader', { name: /validation\.completed/ }) });
    const before = receiver.received.length;
    await row.getByRole('button', { name: /^Redeliver validation\.completed/ }).click();
    await page.getByTestId('webhooks-status').getByText('will be sent again').waitFor();
    await waitFor('attempts 2, delivered', async () =>
      (await cell(row, 'delivery-attempts')) === '2' && (await cell(row, 'delivery-status')) === 'delivered' ? true : undefined,
    30_000);
    expect(await cell(row, 'delivery-response')).toBe('200');
    const again = receiver.received.slice(before);
    expect(again.map((webhook) => (JSON.parse(webhook.body) as { event: string; id: string }).id)).toEqual([approved.id]);
    await browser.screenshot(page, '04-desktop-redelivered');
  });

  it('sends a test event from the Webhooks section; it verifies with the signing secret', async () => {
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Settings' }).click();
    const webhooks = page.locator('section[aria-labelledby="webhooks-heading"]');
    await webhooks.getByLabel('Receiver URL').fill(`${receiver.url}?test=1`);
    const before = receiver.received.length;
    await webhooks.getByRole('button', { name: 'Send test event' }).click();
    await webhooks.getByTestId('test-event-result').getByText('Delivered: the receiver answered 200').waitFor();
    const [test] = receiver.received.slice(before);
    const { organization } = await graphql(`query ($id: ID!) { organization(id: $id) { webhookSecret } }`, { id: organizationId }, signInToken);
    const payload = new Webhook(organization.webhookSecret).verify(test!.body, test!.headers as Record<string, string>) as { event: string; livemode: boolean; id: string };
    expect(payload).toMatchObject({ event: 'validation.completed', livemode: false, id: '00000000-0000-0000-0000-000000000000' });
    await webhooks.getByTestId('test-event-result').scrollIntoViewIfNeeded();
    await browser.screenshot(page, '05-desktop-test-event', { fullPage: false });

    await webhooks.getByLabel('Receiver URL').fill('ftp://files.example/in');
    await webhooks.getByRole('button', { name: 'Send test event' }).click();
    await webhooks.getByText('url must be an absolute http(s) URL', { exact: false }).waitFor();
  });

  it('fits a phone: the list and a session without sideways scrolling', async () => {
    const phone = await browser.newPage(PHONE, { signInToken });
    await phone.goto(`/dashboard/organizations/${organizationId}/sessions`);
    await list(phone).getByLabel('Test').check();
    await waitFor('a page of test sessions', async () => ((await listedIds(phone)).length === 20 ? true : undefined));
    expect(await sticksOut(phone)).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, '06-phone-sessions');
    await phone.goto(`/dashboard/organizations/${organizationId}/sessions/${approved.id}`);
    await waitFor('the deliveries', async () => ((await deliveryRows(phone).count()) === 3 ? true : undefined));
    expect(await sticksOut(phone)).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, '07-phone-session');
  });
});
