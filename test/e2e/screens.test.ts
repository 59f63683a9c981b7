import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowser, type E2eBrowser } from '../support/browser.js';
import { signUpOn, useServer, type Person } from '../support/file-server.js';
import { graphqlOn } from '../support/server-process.js';

/**
 * Every screen of the dashboard as a newcomer meets it, at a phone's width and at a desktop's:
 * signed out, as OWNER, ADMIN and MEMBER, the invitation page, a link to someone else's
 * organization, and each confirmation dialog. Each step checks what a person sees (roles, names,
 * text), that nothing sticks out sideways, and leaves a screenshot in test-results/newcomer/<database>/.
 * The people are set up over GraphQL; each width gets an organization of its own.
 */

const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

const running = useServer({
  // Every person here signs up from the same address.
  RATE_LIMIT_SIGN_UP_PER_ADDRESS: '100/1h',
});
let browser: E2eBrowser;

beforeAll(async () => {
  browser = await e2eBrowser('newcomer', () => running.server.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

const graphql = <Data>(query: string, variables: Record<string, unknown>, token?: string): Promise<Data> =>
  graphqlOn(running.server, query, variables, token);

const signUp = (name: string, organizationName: string) => signUpOn(running.server, name, organizationName);

async function invite(inviter: Person, email: string, role: string): Promise<string> {
  const { inviteMember } = await graphql<{ inviteMember: { inviteUrl: string } }>(
    `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { inviteUrl } }`,
    { input: { organizationId: inviter.organizationId, email, role } },
    inviter.token,
  );
  return new URL(inviteMember.inviteUrl).pathname;
}

async function join(owner: Person, person: Person, role: string): Promise<void> {
  const link = await invite(owner, person.email, role);
  await graphql(`mutation ($token: String!) { acceptInvitation(token: $token) { role } }`, { token: link.split('/').pop() }, person.token);
}

async function changeRole(owner: Person, person: Person, role: string): Promise<void> {
  await graphql(
    `mutation ($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }`,
    { input: { organizationId: owner.organizationId, userId: person.userId, role } },
    owner.token,
  );
}

/** A tab signed in as `person` (the dashboard keeps its sign-in token in the tab's sessionStorage). */
async function open(viewport: { width: number; height: number }, person?: Person): Promise<Page> {
  return browser.newPage(viewport, { signInToken: person?.token });
}

/**
 * What reaches past the window's right edge (a phone would scroll sideways): the outermost such
 * elements, named by tag, class and text, so that a failure says what to fix.
 */
const sticksOut = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const wide = [...document.body.querySelectorAll('*')].filter((element) => element.getBoundingClientRect().right > innerWidth + 0.5);
    return wide
      .filter((element) => !wide.includes(element.parentElement))
      .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + element.className : '') + ' "' + (element.textContent ?? '').trim().slice(0, 40) + '"');
  })()`);

/** How far an open dialog reaches past the window's edges. */
const dialogOverflow = (page: Page) =>
  page.evaluate<number>(`(() => {
    const box = document.querySelector('dialog[open]').getBoundingClientRect();
    return Math.max(0, -box.left, box.right - innerWidth, -box.top, box.bottom - innerHeight);
  })()`);

const memberRow = (page: Page, person: Person) => page.locator(`tr[data-member-email="${person.email}"]`);
const membersSection = (page: Page) => page.locator('section[aria-labelledby="members-heading"]');

describe.each(Object.entries(WIDTHS))('every screen at %s width', (width, viewport) => {
  let owner: Person;
  let admin: Person;
  let member: Person;
  let outsider: Person;
  const pendingEmail = `pending.invitee.with.a.long.address-${width}@subdomain.example.com`;
  const screenshot = (page: Page, name: string, fullPage = true) => browser.screenshot(page, `${width}-${name}`, { fullPage });

  beforeAll(async () => {
    owner = await signUp('Olivia Owner', 'Acme Shop');
    admin = await signUp('Ada Admin', 'Ada’s Lab');
    member = await signUp('Max Member-With-A-Rather-Long-Name', 'Max’s Things');
    outsider = await signUp('Otto Outsider', 'Elsewhere Inc');
    await join(owner, admin, 'ADMIN');
    await join(owner, member, 'MEMBER');
    await invite(owner, pendingEmail, 'MEMBER');
  });

  it('sign-in and sign-up fit the window', async () => {
    const page = await open(viewport);
    await page.goto('/dashboard/');
    await page.getByRole('heading', { name: 'Sign in to Bouncer' }).waitFor();
    expect(await sticksOut(page)).toEqual([]);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Invalid email or password.');
    await screenshot(page, '01-sign-in');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your Bouncer account' }).waitFor();
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '02-sign-up');
    await page.close();
  });

  it('home opens the owner’s organization; the sole owner is told why their own role cannot change', async () => {
    const page = await open(viewport, owner);
    await page.goto('/dashboard/');
    await page.getByTestId('organization-name').filter({ hasText: 'Acme Shop' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/dashboard/organizations/${owner.organizationId}/settings$`));
    // The breadcrumb is where the page sits, not a way anywhere: plain text.
    const breadcrumb = page.locator('.breadcrumb');
    expect(await breadcrumb.innerText()).toBe('Settings › Organization');
    expect(await breadcrumb.getByRole('link').count()).toBe(0);

    await memberRow(page, member).waitFor();
    await page.locator(`tr[data-invitation-email="${pendingEmail}"]`).waitFor();
    const ownRow = memberRow(page, owner);
    expect(await ownRow.getByRole('combobox').count()).toBe(0);
    expect(await ownRow.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Leave organization' }).count()).toBe(0);
    expect(await page.getByTestId('last-owner-hint').innerText()).toBe(
      'You are the only owner, so you cannot change your own role or leave: make someone else owner first.',
    );
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '03-owner-settings');
    await page.close();
  });

  it('the owner invites: the link in its dialog; inviting a member again says why not, in a sentence', async () => {
    const page = await open(viewport, owner);
    await page.goto(`/dashboard/organizations/${owner.organizationId}/settings`);
    const form = page.getByRole('form', { name: 'Invite a member' });
    await form.getByLabel('Email').fill(`newcomer-${width}@example.com`);
    await form.getByLabel('Role').selectOption('ADMIN');
    await form.getByRole('button', { name: 'Invite' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy the invitation link' });
    expect(await dialog.getByLabel('Invitation link').inputValue()).toMatch(/\/dashboard\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(await dialogOverflow(page)).toBe(0);
    await screenshot(page, '04-invite-link', false);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await membersSection(page).getByRole('status').innerText()).toBe(`Invitation for newcomer-${width}@example.com created.`);

    await form.getByLabel('Email').fill(member.email);
    await form.getByRole('button', { name: 'Invite' }).click();
    expect(await form.getByRole('alert').innerText()).toBe('This person is already a member of the organization.');

    // Revoking asks first.
    await page.getByRole('button', { name: `Revoke the invitation for newcomer-${width}@example.com` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke invitation?' });
    expect(await confirm.innerText()).toContain(`Revoke the invitation for newcomer-${width}@example.com? Its link stops working at once.`);
    expect(await dialogOverflow(page)).toBe(0);
    await screenshot(page, '05-confirm-revoke-invitation', false);
    await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await membersSection(page).getByRole('status').innerText()).toBe(`Invitation for newcomer-${width}@example.com revoked.`);
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '06-owner-after-invitations');
    await page.close();
  });

  it('the owner changes roles with a visible confirmation; making someone owner asks first', async () => {
    const page = await open(viewport, owner);
    await page.goto(`/dashboard/organizations/${owner.organizationId}/settings`);
    const adminRole = memberRow(page, admin).getByRole('combobox', { name: `Role of ${admin.name} (${admin.email})` });
    const status = membersSection(page).getByRole('status');

    await adminRole.selectOption('OWNER');
    const confirm = page.getByRole('dialog', { name: `Make ${admin.name} an owner?` });
    expect(await confirm.innerText()).toContain('will have full control of the organization');
    expect(await dialogOverflow(page)).toBe(0);
    await screenshot(page, '07-confirm-make-owner', false);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await adminRole.inputValue()).toBe('ADMIN');
    expect(await status.innerText()).toBe('');

    await adminRole.selectOption('OWNER');
    await confirm.getByRole('button', { name: 'Make owner' }).click();
    await confirm.waitFor({ state: 'detached' });
    await status.filter({ hasText: `${admin.name} (${admin.email}) is now Owner.` }).waitFor();
    expect(await adminRole.inputValue()).toBe('OWNER');
    // No longer the only owner: the owner may step down or leave now.
    await page.getByRole('button', { name: 'Leave organization' }).waitFor();
    expect(await page.getByTestId('last-owner-hint').count()).toBe(0);
    await screenshot(page, '08-role-changed');

    // Taking the role back needs no confirmation; the message says what happened.
    await adminRole.selectOption('ADMIN');
    await status.filter({ hasText: `${admin.name} (${admin.email}) is now Admin.` }).waitFor();
    await page.getByTestId('last-owner-hint').waitFor();

    await memberRow(page, member).getByRole('button', { name: /^Remove / }).click();
    const remove = page.getByRole('dialog', { name: 'Remove member?' });
    await remove.waitFor();
    expect(await remove.innerText()).toContain(`Remove ${member.name} (${member.email}) from the organization?`);
    expect(await dialogOverflow(page)).toBe(0);
    await screenshot(page, '09-confirm-remove-member', false);
    await remove.getByRole('button', { name: 'Cancel' }).click();
    await remove.waitFor({ state: 'detached' });
    await page.close();
  });

  it('an admin manages members but not the owner; a refusal from the server reads as a sentence', async () => {
    const page = await open(viewport, admin);
    await page.goto(`/dashboard/organizations/${owner.organizationId}/settings`);
    await memberRow(page, member).waitFor();
    expect(await page.locator('.details dd').nth(1).innerText()).toBe('Admin');
    expect(await memberRow(page, owner).getByRole('combobox').count()).toBe(0);
    expect(await memberRow(page, owner).getByRole('button').count()).toBe(0);
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '10-admin-settings');

    // The owner takes the admin role away meanwhile: the page still offers the change, the server refuses it.
    await changeRole(owner, admin, 'MEMBER');
    await memberRow(page, member).getByRole('combobox').selectOption('ADMIN');
    expect(await membersSection(page).getByRole('alert').innerText()).toBe(
      'Only owner or admin members of the organization may do this.',
    );
    await changeRole(owner, admin, 'ADMIN');
    await page.close();
  });

  it('a member sees the organization read-only and may leave after confirming', async () => {
    const page = await open(viewport, member);
    await page.goto(`/dashboard/organizations/${owner.organizationId}/settings`);
    await memberRow(page, owner).waitFor();
    expect(await page.getByRole('form', { name: 'Invite a member' }).count()).toBe(0);
    expect(await membersSection(page).getByRole('combobox').count()).toBe(0);
    // Two organizations: the switcher, the brand and Sign out share one row, even on a phone.
    await page.getByRole('combobox', { name: 'Organization', exact: true }).waitFor();
    expect((await page.locator('header.topbar').boundingBox())!.height).toBeLessThan(70);
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '11-member-settings');

    await page.getByRole('button', { name: 'Leave organization' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave the organization?' });
    await leave.waitFor();
    expect(await dialogOverflow(page)).toBe(0);
    await screenshot(page, '12-confirm-leave', false);
    await leave.getByRole('button', { name: 'Cancel' }).click();
    await leave.waitFor({ state: 'detached' });
    await page.close();
  });

  it('an invitation link shows what it offers to someone signed out', async () => {
    const link = await invite(owner, `invited-${width}@example.com`, 'MEMBER');
    const page = await open(viewport);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Join Acme Shop on Bouncer' }).waitFor();
    expect(await page.getByTestId('invitation-summary').innerText()).toBe(
      `Olivia Owner invited invited-${width}@example.com to join Acme Shop as Member.`,
    );
    expect(await page.getByLabel('Email').inputValue()).toBe(`invited-${width}@example.com`);
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '13-invitation-page');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: `Create an account for invited-${width}@example.com` }).waitFor();
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '14-invitation-sign-up');
    await page.close();
  });

  it('a link to an organization one is not a member of says so, with a way back', async () => {
    const page = await open(viewport, owner);
    for (const organizationId of [outsider.organizationId, '999999']) {
      await page.goto(`/dashboard/organizations/${organizationId}/settings`);
      await page.getByRole('heading', { name: 'Organization not found, or you are not a member' }).waitFor();
      expect(page.url()).toMatch(new RegExp(`/organizations/${organizationId}/settings$`));
      expect(await page.getByText('Elsewhere Inc').count()).toBe(0);
      expect(await page.getByTestId('organization-name').count()).toBe(0);
    }
    expect(await sticksOut(page)).toEqual([]);
    await screenshot(page, '15-organization-not-found');
    await page.getByRole('link', { name: 'Go to Acme Shop' }).click();
    await page.getByTestId('organization-name').filter({ hasText: 'Acme Shop' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/organizations/${owner.organizationId}/settings$`));
    await page.close();
  });
});
