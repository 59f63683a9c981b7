import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import type { Role } from '../src/generated/prisma/client.js';
import { call, errorCodes, graphql, useTestApp, type RequestFrom } from './support/app.js';
import { organizationWith, PASSWORD, signUp, type Account } from './support/fixtures.js';
import {
  AcceptInvitation,
  AuditLog,
  ChangeMemberRole,
  DeclineInvitation,
  InviteMember,
  LeaveOrganization,
  RemoveMember,
  RevokeInvitation,
  SignUp,
} from './support/operations.js';

const testApp = useTestApp();

const LINK_PREFIX = 'https://bouncer.test/dashboard/invitations/';
const FROM_OWNER: RequestFrom = { address: '198.51.100.7', userAgent: 'Mozilla/5.0 (owner)' };
const FROM_INVITEE: RequestFrom = { address: '2001:db8::42', userAgent: 'Mozilla/5.0 (invitee)' };

async function signUpAs(email: string): Promise<Account> {
  const response = await graphql(testApp.app, SignUp, {
    input: { email, password: PASSWORD, name: 'Invited Person', organizationName: 'Own org' },
  });
  expect(response.errors).toBeUndefined();
  const { token, user } = response.data!.signUp;
  return { token, userId: user.id, email: user.email, organizationId: user.memberships[0]!.organization.id };
}

async function invite(as: Account, email: string, role: Role = 'MEMBER', from = FROM_OWNER) {
  const response = await graphql(testApp.app, InviteMember, { input: { organizationId: as.organizationId, email, role } }, as.token, from);
  expect(response.errors).toBeUndefined();
  const { inviteUrl, invitation } = response.data!.inviteMember;
  return { secret: inviteUrl.slice(LINK_PREFIX.length), id: invitation.id };
}

const auditLog = (as: Account, variables: { first?: number; after?: string; action?: string } = {}, organizationId = as.organizationId) =>
  graphql(testApp.app, AuditLog, { id: organizationId, ...variables }, as.token);

/** The organization's events as its OWNER reads them, newest first. */
async function events(owner: Account, action?: string) {
  const response = await auditLog(owner, { first: 100, action });
  expect(response.errors).toBeUndefined();
  return response.data!.organization!.auditLog.edges.map((edge) => edge.node);
}

/** Nothing the audit log stores holds the secret. */
async function expectNoSecretStored(secret: string) {
  const rows = await db.auditEvent.findMany();
  expect(JSON.stringify(rows)).not.toContain(secret);
}

describe('invitation events', () => {
  it('invitation.created, and invitation.revoked for one replaced by a new invitation, by the inviter from their request', async () => {
    const { owner } = await organizationWith(testApp.app);
    const email = `invitee-${randomUUID()}@example.com`;
    const first = await invite(owner, email);
    const second = await invite(owner, email, 'ADMIN');

    const logged = await events(owner);
    expect(logged.map((event) => [event.action, event.target])).toEqual([
      ['invitation.created', `invitation:${second.id}`],
      ['invitation.revoked', `invitation:${first.id}`],
      ['invitation.created', `invitation:${first.id}`],
    ]);
    for (const event of logged) {
      expect(event).toMatchObject({
        actorType: 'user',
        actor: { id: owner.userId, email: owner.email },
        ip: FROM_OWNER.address,
        userAgent: FROM_OWNER.userAgent,
      });
      expect(Date.now() - Date.parse(event.createdAt)).toBeLessThan(60_000);
    }
    await expectNoSecretStored(first.secret);
    await expectNoSecretStored(second.secret);
  });

  it('invitation.accepted and invitation.declined by the invited person, from their request', async () => {
    const { owner } = await organizationWith(testApp.app);
    const joining = await signUpAs(`joining-${randomUUID()}@example.com`);
    const refusing = await signUpAs(`refusing-${randomUUID()}@example.com`);
    const accepted = await invite(owner, joining.email);
    const declined = await invite(owner, refusing.email);

    expect((await graphql(testApp.app, AcceptInvitation, { token: accepted.secret }, joining.token, FROM_INVITEE)).errors).toBeUndefined();
    expect((await graphql(testApp.app, DeclineInvitation, { token: declined.secret }, refusing.token, FROM_INVITEE)).errors).toBeUndefined();

    const [declineEvent, acceptEvent] = await events(owner);
    expect(acceptEvent).toMatchObject({
      action: 'invitation.accepted',
      actorType: 'user',
      actor: { id: joining.userId, email: joining.email },
      target: `invitation:${accepted.id}`,
      ip: '2001:db8::42',
      userAgent: FROM_INVITEE.userAgent,
    });
    expect(declineEvent).toMatchObject({
      action: 'invitation.declined',
      actor: { id: refusing.userId },
      target: `invitation:${declined.id}`,
      ip: '2001:db8::42',
    });
    await expectNoSecretStored(accepted.secret);
    await expectNoSecretStored(declined.secret);
  });

  it('invitation.revoked by the manager who withdrew it', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN');
    const admin = others[0]!;
    const { id } = await invite(owner, `revoked-${randomUUID()}@example.com`);
    const response = await graphql(testApp.app, RevokeInvitation, { id }, admin.token, FROM_INVITEE);
    expect(response.errors).toBeUndefined();
    const [event] = await events(owner, 'invitation.revoked');
    expect(event).toMatchObject({ actor: { id: admin.userId }, target: `invitation:${id}`, ip: '2001:db8::42' });
  });

  it('nothing is recorded for a change that is refused', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN');
    // ADMINs may not invite OWNERs: FORBIDDEN inside the transaction, so no event either.
    const response = await graphql(
      testApp.app,
      InviteMember,
      { input: { organizationId: owner.organizationId, email: `x-${randomUUID()}@example.com`, role: 'OWNER' } },
      others[0]!.token,
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    const removeLastOwner = await graphql(
      testApp.app,
      LeaveOrganization,
      { organizationId: owner.organizationId },
      owner.token,
    );
    expect(errorCodes(removeLastOwner)).toEqual(['CONFLICT']);
    expect(await events(owner)).toEqual([]);
  });
});

describe('member events', () => {
  it('member.role_changed, member.removed and member.left, each naming the member', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER', 'MEMBER');
    const [promoted, leaving] = others as [Account, Account];
    const input = { organizationId: owner.organizationId };
    expect((await graphql(testApp.app, ChangeMemberRole, { input: { ...input, userId: promoted.userId, role: 'ADMIN' } }, owner.token, FROM_OWNER)).errors).toBeUndefined();
    expect((await graphql(testApp.app, LeaveOrganization, { organizationId: owner.organizationId }, leaving.token, FROM_INVITEE)).errors).toBeUndefined();
    expect((await graphql(testApp.app, RemoveMember, { input: { ...input, userId: promoted.userId } }, owner.token, FROM_OWNER)).errors).toBeUndefined();

    const [removed, left, changed] = await events(owner);
    expect(changed).toMatchObject({ action: 'member.role_changed', actor: { id: owner.userId }, target: `user:${promoted.userId}`, ip: FROM_OWNER.address, userAgent: FROM_OWNER.userAgent });
    expect(removed).toMatchObject({ action: 'member.removed', actor: { id: owner.userId }, target: `user:${promoted.userId}`, ip: FROM_OWNER.address });
    // Someone who left stays named in the log, as recorded: the log must still say who did what.
    expect(left).toMatchObject({
      action: 'member.left',
      actor: { id: leaving.userId, email: leaving.email, name: 'Test User' },
      target: `user:${leaving.userId}`,
      ip: '2001:db8::42',
      userAgent: FROM_INVITEE.userAgent,
    });
  });

  it('no member.role_changed when the role stays the same', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER');
    const input = { organizationId: owner.organizationId, userId: others[0]!.userId, role: 'MEMBER' as const };
    expect((await graphql(testApp.app, ChangeMemberRole, { input }, owner.token)).errors).toBeUndefined();
    expect(await events(owner)).toEqual([]);
  });
});

describe('Organization.auditLog', () => {
  /** An organization with `count` events (invitations), oldest first. */
  async function withEvents(count: number) {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    for (let i = 0; i < count; i++) await invite(owner, `paged-${i}-${randomUUID()}@example.com`);
    return { owner, admin: others[0]!, member: others[1]! };
  }

  it('pages newest first with cursors, without gaps or duplicates', async () => {
    const { owner } = await withEvents(7);
    const all = await events(owner);
    expect(all).toHaveLength(7);
    const ids = all.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const response = await auditLog(owner, { first: 3, after });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo } = response.data!.organization!.auditLog;
      seen.push(...edges.map((edge) => edge.node.id));
      pages++;
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((event) => event.id));
  });

  it('defaults to 50 a page', async () => {
    const { owner } = await withEvents(51);
    const response = await graphql(testApp.app, AuditLog, { id: owner.organizationId }, owner.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.organization!.auditLog.edges).toHaveLength(50);
    expect(response.data!.organization!.auditLog.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by action', async () => {
    const { owner, admin } = await withEvents(2);
    const input = { organizationId: owner.organizationId, userId: admin.userId, role: 'MEMBER' as const };
    expect((await graphql(testApp.app, ChangeMemberRole, { input }, owner.token)).errors).toBeUndefined();
    expect((await events(owner, 'member.role_changed')).map((event) => event.target)).toEqual([`user:${admin.userId}`]);
    expect(await events(owner, 'invitation.created')).toHaveLength(2);
    expect(await events(owner, 'api_token.created')).toEqual([]);
  });

  it('refuses out-of-range first, a malformed cursor and an unknown action with BAD_USER_INPUT', async () => {
    const { owner } = await withEvents(1);
    for (const variables of [{ first: 0 }, { first: 101 }, { first: -1 }, { after: 'not-a-cursor' }, { action: 'invitation.created ' }, { action: 'nope' }]) {
      const response = await auditLog(owner, variables);
      expect(errorCodes(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(response.data?.organization ?? null).toBeNull();
    }
    expect((await auditLog(owner, { first: 100 })).errors).toBeUndefined();
    expect((await auditLog(owner, { first: 1 })).errors).toBeUndefined();
  });

  it('is read by OWNERs and ADMINs; MEMBERs are FORBIDDEN and other organizations NOT_FOUND', async () => {
    const { owner, admin, member } = await withEvents(1);
    expect((await auditLog(admin)).data!.organization!.auditLog.edges).toHaveLength(1);
    expect(errorCodes(await auditLog(member))).toEqual(['FORBIDDEN']);
    const stranger = await signUp(testApp.app, 'Elsewhere');
    const response = await auditLog(stranger, {}, owner.organizationId);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(response)).not.toContain('invitation');
  });

  it('a cursor from another organization shows nothing of it', async () => {
    const { owner } = await withEvents(3);
    const other = await withEvents(3);
    const [newest] = await events(other.owner);
    const response = await auditLog(owner, { after: newest!.id });
    const targets = response.data!.organization!.auditLog.edges.map((edge) => edge.node.target);
    const otherTargets = (await events(other.owner)).map((event) => event.target);
    expect(targets).toHaveLength(3);
    expect(targets.some((target) => otherTargets.includes(target))).toBe(false);
  });

  it('counts for the cost limit like the other paged lists', async () => {
    const { owner } = await withEvents(1);
    const query = `query ($id: ID!) { organization(id: $id) { auditLog(first: 100) { edges { node { actor { memberships(first: 500) { role } } } } } } }`;
    const response = await call(testApp.app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query, variables: { id: owner.organizationId } }),
    });
    const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
  });
});
