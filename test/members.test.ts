import { describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import type { Role } from '../src/generated/prisma/client.js';
import { errorCodes, graphql, useTestApp } from './support/app.js';
import { addMember, organizationWith, signUp, type Account } from './support/fixtures.js';
import { ChangeMemberRole, OrganizationMembers, RemoveMember } from './support/operations.js';

const testApp = useTestApp();

async function rolesIn(organizationId: string): Promise<Record<string, Role>> {
  const rows = await db.membership.findMany({ where: { organizationId: Number(organizationId) }, include: { user: true } });
  return Object.fromEntries(rows.map((row) => [row.user.email, row.role]));
}

const change = (as: Account, target: Account, role: Role) =>
  graphql(
    testApp.app,
    ChangeMemberRole,
    { input: { organizationId: as.organizationId, userId: target.userId, role } },
    as.token,
  );
const remove = (as: Account, target: Account) =>
  graphql(testApp.app, RemoveMember, { input: { organizationId: as.organizationId, userId: target.userId } }, as.token);

describe('Organization.members', () => {
  it('shows every member, with role and user, to every member, oldest first', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    const response = await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, member.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.organization!.members).toEqual([
      { role: 'OWNER', user: { id: owner.userId, email: owner.email, name: 'Test User' } },
      { role: 'ADMIN', user: { id: admin.userId, email: admin.email, name: 'Test User' } },
      { role: 'MEMBER', user: { id: member.userId, email: member.email, name: 'Test User' } },
    ]);
  });

  it('is NOT_FOUND for someone outside the organization', async () => {
    const { owner } = await organizationWith(testApp.app);
    const stranger = await signUp(testApp.app, 'Elsewhere');
    const response = await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, stranger.token);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });
});

// People join through invitations (test/invitations.test.ts); addMember is gone from the schema.

describe('changeMemberRole', () => {
  it('lets an ADMIN move others between ADMIN and MEMBER', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    const promoted = await change(admin, member, 'ADMIN');
    expect(promoted.data!.changeMemberRole).toEqual({ role: 'ADMIN', user: { id: member.userId, email: member.email } });
    expect(errorCodes(await change(admin, member, 'MEMBER'))).toEqual([]);
    expect((await rolesIn(owner.organizationId))[member.email]).toBe('MEMBER');
  });

  it('lets only an OWNER grant or take away OWNER', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    expect(errorCodes(await change(admin, member, 'OWNER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(admin, admin, 'OWNER'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await change(admin, owner, 'ADMIN'))).toEqual(['FORBIDDEN']);
    expect(await rolesIn(owner.organizationId)).toEqual({
      [owner.email]: 'OWNER',
      [admin.email]: 'ADMIN',
      [member.email]: 'MEMBER',
    });

    expect(errorCodes(await change(owner, member, 'OWNER'))).toEqual([]);
    expect(errorCodes(await change(owner, member, 'MEMBER'))).toEqual([]);
    expect((await rolesIn(owner.organizationId))[member.email]).toBe('MEMBER');
  });

  it('keeps the last OWNER: CONFLICT when they would step down, fine once there is another', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN');
    const admin = others[0]!;
    const alone = await change(owner, owner, 'ADMIN');
    expect(errorCodes(alone)).toEqual(['CONFLICT']);
    expect(alone.errors![0]!.message).toContain('at least one OWNER');

    expect(errorCodes(await change(owner, admin, 'OWNER'))).toEqual([]);
    expect(errorCodes(await change(owner, owner, 'ADMIN'))).toEqual([]);
    expect(await rolesIn(owner.organizationId)).toEqual({ [owner.email]: 'ADMIN', [admin.email]: 'OWNER' });
  });

  it('answers NOT_FOUND for someone not in the organization, and FORBIDDEN to a MEMBER', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER');
    const outsider = await signUp(testApp.app, 'Outside');
    expect(errorCodes(await change(owner, outsider, 'ADMIN'))).toEqual(['NOT_FOUND']);
    const badId = await graphql(
      testApp.app,
      ChangeMemberRole,
      { input: { organizationId: owner.organizationId, userId: 'x', role: 'ADMIN' } },
      owner.token,
    );
    expect(badId.errors![0]).toMatchObject({ message: 'Member not found.', extensions: { code: 'NOT_FOUND' } });
    expect(errorCodes(await change(others[0]!, others[0]!, 'ADMIN'))).toEqual(['FORBIDDEN']);
  });
});

describe('removeMember', () => {
  it('removes a member: they lose access to the organization at once', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER');
    const member = others[0]!;
    const response = await remove(owner, member);
    expect(response.data).toEqual({ removeMember: true });
    const afterwards = await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, member.token);
    expect(errorCodes(afterwards)).toEqual(['NOT_FOUND']);
    expect(Object.keys(await rolesIn(owner.organizationId))).toEqual([owner.email]);
  });

  it('lets an ADMIN remove ADMINs and MEMBERs, themselves included, but not an OWNER', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'ADMIN', 'MEMBER');
    const [admin, otherAdmin, member] = others as [Account, Account, Account];
    expect(errorCodes(await remove(admin, owner))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await remove(admin, member))).toEqual([]);
    expect(errorCodes(await remove(admin, otherAdmin))).toEqual([]);
    expect(errorCodes(await remove(admin, admin))).toEqual([]);
    expect(Object.keys(await rolesIn(owner.organizationId))).toEqual([owner.email]);
  });

  it('never removes the last OWNER, but removes an OWNER when another remains', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'OWNER');
    const coOwner = others[0]!;
    expect(errorCodes(await remove(owner, coOwner))).toEqual([]);
    const last = await remove(owner, owner);
    expect(errorCodes(last)).toEqual(['CONFLICT']);
    expect(await rolesIn(owner.organizationId)).toEqual({ [owner.email]: 'OWNER' });
  });

  it('answers FORBIDDEN to a MEMBER and NOT_FOUND for a non-member', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER', 'MEMBER');
    const [member, otherMember] = others as [Account, Account];
    expect(errorCodes(await remove(member, otherMember))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await remove(owner, await signUp(testApp.app)))).toEqual(['NOT_FOUND']);
    expect(Object.keys(await rolesIn(owner.organizationId))).toHaveLength(3);
  });
});

describe('concurrent changes', () => {
  it('two OWNERs stepping down at the same moment leave one OWNER', async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, others } = await organizationWith(testApp.app, 'OWNER');
      const coOwner = others[0]!;
      const results = await Promise.all([change(owner, owner, 'ADMIN'), change(coOwner, coOwner, 'ADMIN')]);
      expect(results.map(errorCodes).sort()).toEqual([[], ['CONFLICT']]);
      expect(Object.values(await rolesIn(owner.organizationId)).sort()).toEqual(['ADMIN', 'OWNER']);
    }
  });

  it('two OWNERs leaving at the same moment leave one OWNER', async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, others } = await organizationWith(testApp.app, 'OWNER');
      const coOwner = others[0]!;
      const results = await Promise.all([remove(owner, owner), remove(coOwner, coOwner)]);
      expect(results.map(errorCodes).sort()).toEqual([[], ['CONFLICT']]);
      expect(Object.values(await rolesIn(owner.organizationId))).toEqual(['OWNER']);
    }
  });
});
