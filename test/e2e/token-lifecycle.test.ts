import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/audit/audit-log.js';
import { e2eBrowser, PHONE, type E2eBrowser } from '../support/browser.js';
import { signUpOn, useServer, type Person } from '../support/file-server.js';
import { graphqlOn } from '../support/server-process.js';

/**
 * A token's life in the dashboard, in headless Chromium against a real server process: created,
 * rolled with an hour's overlap (old and new secret both work meanwhile), restricted to addresses
 * (REST from elsewhere: 403), used (the usage chart shows it once the server has flushed its
 * counts), and every change read back in the Activity section, filtered by action. The tests run in
 * order and share one owner. Screenshots at desktop and phone widths in test-results/token-lifecycle/<database>/.
 */

const DESKTOP = { width: 1280, height: 900 };
/** The server writes usage counts every 10 s: wait for one flush and then some, never forever. */
const USAGE_FLUSH_WAIT_MS = 30_000;

const running = useServer();
let browser: E2eBrowser;

beforeAll(async () => {
  browser = await e2eBrowser('token-lifecycle', () => running.server.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

const graphql = <Data>(query: string, variables: Record<string, unknown>, token?: string): Promise<Data> =>
  graphqlOn(running.server, query, variables, token);

const signUp = (name: string, organizationName: string) => signUpOn(running.server, name, organizationName);

/** A tab signed in as `person` (the dashboard keeps its sign-in token in the tab's sessionStorage). */
async function open(person: Person, viewport = DESKTOP): Promise<Page> {
  const page = await browser.newPage(viewport, { signInToken: person.token });
  await page.goto(`/dashboard/organizations/${person.organizationId}/settings`);
  await page.getByRole('heading', { name: 'Organization settings' }).waitFor();
  return page;
}

async function createSession(token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${running.server.url}/api/v2/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/after-check' }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const tokenRow = (page: Page, id: string) => page.locator(`section[aria-labelledby="api-tokens-heading"] tr[data-token-id="${id}"]`);
const usageChart = (row: Locator) => row.locator('td[data-label="Requests, 30 days"]').getByRole('img');
const activity = (page: Page) => page.locator('section[aria-labelledby="activity-heading"]');
const activityRows = (page: Page) => activity(page).locator('tbody tr');
const tokensStatus = (page: Page) => page.getByTestId('tokens-status');

/** The action of each row of the Activity section, newest first. */
const actionsShown = (page: Page) => activityRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));

const screenshot = (page: Page, name: string, fullPage = true) => browser.screenshot(page, name, { fullPage });

const tokenId = (plainText: string) => plainText.split('|')[0]!;

describe('a token’s lifecycle in the dashboard', { timeout: 90_000 }, () => {
  let owner: Person;
  let page: Page;
  let oldToken: string;
  let newToken: string;

  beforeAll(async () => {
    owner = await signUp('Olivia Owner', 'Acme Shop');
    page = await open(owner);
  });

  afterAll(async () => {
    await page?.close();
  });

  it('creates a token in the dashboard', async () => {
    await page.getByRole('button', { name: 'Create Token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByLabel('Token name').fill('Checkout');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new API token' });
    oldToken = await shown.getByLabel('Your new API token').inputValue();
    expect(oldToken).toMatch(/^\d+\|/);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await tokenRow(page, tokenId(oldToken)).waitFor();
    expect(await createSession(oldToken)).toMatchObject({ status: 201 });
  });

  it('rolls it with an hour of overlap: the old and the new secret both work meanwhile', async () => {
    await tokenRow(page, tokenId(oldToken)).getByRole('button', { name: 'Roll Checkout' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll Checkout?' });
    await dialog.getByLabel('The old token stops working').selectOption({ label: 'In 1 hour' });
    await dialog.getByRole('button', { name: 'Roll token' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new API token' });
    newToken = await shown.getByLabel('Your new API token').inputValue();
    expect(newToken).not.toBe(oldToken);
    expect(await shown.getByTestId('roll-old-token').innerText()).toMatch(/^The old token \(….{4}\) expires in (1 hour|\d+ minutes), replaced by the new one/);
    await screenshot(page, 'desktop-01-rolled', false);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });

    const oldRow = tokenRow(page, tokenId(oldToken));
    expect(await oldRow.locator('td[data-label="Expires"]').innerText()).toContain(`replaced by Checkout (ID ${tokenId(newToken)})`);
    expect(await oldRow.getByRole('button', { name: 'Roll Checkout' }).count()).toBe(0);

    expect(await createSession(oldToken)).toMatchObject({ status: 201 });
    expect(await createSession(newToken)).toMatchObject({ status: 201 });
  });

  it('restricts the new token to other addresses (REST: 403), then to this one (201)', async () => {
    const row = tokenRow(page, tokenId(newToken));
    const edit = async (allowedIps: string) => {
      await row.getByRole('button', { name: 'Edit Checkout' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Checkout' });
      await dialog.getByLabel('Allowed IP addresses').fill(allowedIps);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await tokensStatus(page).filter({ hasText: 'Token Checkout saved.' }).waitFor();
    };

    await edit('203.0.113.0/24');
    await row.getByText('only from 203.0.113.0/24').waitFor();
    expect(await createSession(newToken)).toEqual({ status: 403, body: { message: 'This action is unauthorized.' } });
    await screenshot(page, 'desktop-02-restricted');

    await edit('127.0.0.1/32');
    await row.getByText('only from 127.0.0.1/32').waitFor();
    expect(await createSession(newToken)).toMatchObject({ status: 201 });
  });

  it('draws the requests in the usage chart once the server has flushed its counts', async () => {
    for (let i = 0; i < 3; i++) expect(await createSession(newToken)).toMatchObject({ status: 201 });
    // The new token: one call during the overlap, one once allowed, three now (the refused one is not counted).
    // The old one: one before the roll and one during the overlap.
    const expected = { [tokenId(newToken)]: 5, [tokenId(oldToken)]: 2 };
    const deadline = Date.now() + USAGE_FLUSH_WAIT_MS;
    for (;;) {
      await page.reload();
      const charts = await Promise.all(
        Object.keys(expected).map((id) => usageChart(tokenRow(page, id)).getAttribute('aria-label')),
      );
      if (charts.every((label, index) => label === `${Object.values(expected)[index]} requests in the last 30 days`)) break;
      if (Date.now() > deadline) throw new Error(`usage not shown within ${USAGE_FLUSH_WAIT_MS} ms: ${charts.join('; ')}`);
      await page.waitForTimeout(2_000);
    }
    const chart = usageChart(tokenRow(page, tokenId(newToken)));
    // Today's bar (the last) carries the number; the others are empty days.
    expect(await chart.locator('rect').last().locator('title').textContent()).toBe(`${new Date().toISOString().slice(0, 10)}: 5 requests`);
    expect(await chart.getAttribute('data-total')).toBe('5');
    const row = tokenRow(page, tokenId(newToken));
    expect(await row.locator('td[data-label="Last used"]').innerText()).toContain('from 127.0.0.1');
    await screenshot(page, 'desktop-03-usage');
  });

  it('lists every change in Activity, newest first, and filters it by action', async () => {
    await page.reload();
    const section = activity(page);
    await section.getByRole('heading', { name: 'Activity' }).waitFor();
    await activityRows(page).first().waitFor();
    expect(await actionsShown(page)).toEqual([
      'api_token.updated',
      'api_token.updated',
      'api_token.created',
      'api_token.rolled',
      'api_token.created',
    ]);

    // Each event in words: what, who, about what, from where, when (relative, exact on hover).
    const rolled = activity(page).locator('tbody tr[data-action="api_token.rolled"]');
    expect(await rolled.locator('th').innerText()).toBe('API token rolled');
    expect(await rolled.locator('td[data-label="By"]').innerText()).toBe(`${owner.name} (${owner.email})`);
    expect(await rolled.locator('td[data-label="About"]').innerText()).toBe(`API token Checkout (ID ${tokenId(oldToken)})`);
    expect(await rolled.locator('td[data-label="IP address"]').innerText()).toBe('127.0.0.1');
    expect(await rolled.locator('time').innerText()).toBe('just now');
    expect(await rolled.locator('time').getAttribute('title')).toMatch(/\d{4}/);

    // The filter offers every action the server records, and narrows the list to one.
    const filter = section.getByLabel('Action');
    const offered = await filter.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(['', ...AUDIT_ACTIONS]);
    await screenshot(page, 'desktop-04-activity');

    await filter.selectOption({ label: 'API token edited' });
    await expect.poll(() => actionsShown(page)).toEqual(['api_token.updated', 'api_token.updated']);
    await filter.selectOption({ label: 'API token rolled' });
    await expect.poll(() => actionsShown(page)).toEqual(['api_token.rolled']);
    await screenshot(page, 'desktop-05-activity-filtered');
    await filter.selectOption({ label: 'Member removed' });
    await section.getByText('Nothing of this kind yet.').waitFor();
    await filter.selectOption({ label: 'All actions' });
    await expect.poll(async () => (await actionsShown(page)).length).toBe(5);
  });

  it('pages through a long log with "Load more"', async () => {
    // 21 more changes: the first page holds 20, the rest comes with the cursor.
    const id = tokenId(newToken);
    for (let i = 0; i < 21; i++) {
      await graphql(`mutation ($input: UpdateApiTokenInput!) { updateApiToken(input: $input) { id } }`, { input: { id, name: `Checkout ${i}` } }, owner.token);
    }
    await page.reload();
    await activityRows(page).first().waitFor();
    expect(await activityRows(page).count()).toBe(20);
    await activity(page).getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => activityRows(page).count()).toBe(26);
    expect(await activity(page).getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect((await actionsShown(page)).at(-1)).toBe('api_token.created');
  });

  it('fits a phone; a member does not see the Activity section', async () => {
    const phone = await open(owner, PHONE);
    await activityRows(phone).first().waitFor();
    const wide = await phone.evaluate<number>(`Math.max(...[...document.body.querySelectorAll('*')].map((element) => element.getBoundingClientRect().right)) - innerWidth`);
    expect(wide).toBeLessThanOrEqual(0.5);
    await screenshot(phone, 'phone-01-settings');
    await activity(phone).getByLabel('Action').selectOption({ label: 'API token rolled' });
    await expect.poll(() => actionsShown(phone)).toEqual(['api_token.rolled']);
    await activity(phone).scrollIntoViewIfNeeded();
    await screenshot(phone, 'phone-02-activity-filtered', false);
    await phone.close();

    const member = await signUp('Max Member', 'Max’s Things');
    const { inviteMember } = await graphql<{ inviteMember: { inviteUrl: string } }>(
      `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { inviteUrl } }`,
      { input: { organizationId: owner.organizationId, email: member.email, role: 'MEMBER' } },
      owner.token,
    );
    await graphql(`mutation ($token: String!) { acceptInvitation(token: $token) { role } }`, { token: inviteMember.inviteUrl.split('/').pop() }, member.token);
    const memberPage = await open({ ...member, organizationId: owner.organizationId }, PHONE);
    await memberPage.locator(`tr[data-member-email="${owner.email}"]`).waitFor();
    expect(await memberPage.getByRole('heading', { name: 'Activity' }).count()).toBe(0);
    await screenshot(memberPage, 'phone-03-member-settings');
    await memberPage.close();
  });
});
