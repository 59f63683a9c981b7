import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import type { Role } from '../src/generated/prisma/client.js';
import { call, errorCodes, graphql, type GraphQLResponse, useTestApp } from './support/app.js';
import { addMember, createApiToken, organizationWith, PASSWORD, signUp, type Account } from './support/fixtures.js';
import {
  AcceptInvitation,
  DeclineInvitation,
  InvitationPreview,
  InviteMember,
  LeaveOrganization,
  OrganizationInvitations,
  OrganizationMembers,
  RevokeInvitation,
  SignUp,
} from './support/operations.js';

const testApp = useTestApp({ RATE_LIMIT_SIGN_UP_PER_ADDRESS: '3/1h' });

const LINK_PREFIX = 'https://bouncer.test/dashboard/invitations/';
const NOT_FOUND = { message: 'Invitation not found.', extensions: { code: 'NOT_FOUND' } };
const DAY_MS = 86_400_000;

const freshEmail = (name = 'invitee') => `${name}-${randomUUID()}@example.com`;

/** Signs up with a chosen email (the fixture picks a random one). */
async function signUpAs(email: string, organizationName = 'Own org'): Promise<Account> {
  const response = await graphql(testApp.app, SignUp, {
    input: { email, password: PASSWORD, name: 'Invited Person', organizationName },
  });
  expect(response.errors).toBeUndefined();
  const { token, user } = response.data!.signUp;
  return { token, userId: user.id, email: user.email, organizationId: user.memberships[0]!.organization.id };
}

const invite = (as: Account, email: string, role: Role = 'MEMBER', organizationId = as.organizationId) =>
  graphql(testApp.app, InviteMember, { input: { organizationId, email, role } }, as.token);

/** Invites and returns the link's secret and the invitation's id. */
async function invited(as: Account, email: string, role: Role = 'MEMBER') {
  const response = await invite(as, email, role);
  expect(response.errors).toBeUndefined();
  const { inviteUrl, invitation } = response.data!.inviteMember;
  expect(inviteUrl.startsWith(LINK_PREFIX)).toBe(true);
  return { token: inviteUrl.slice(LINK_PREFIX.length), id: invitation.id, inviteUrl };
}

const accept = (token: string, as?: Account) => graphql(testApp.app, AcceptInvitation, { token }, as?.token);
const decline = (token: string, as?: Account) => graphql(testApp.app, DeclineInvitation, { token }, as?.token);
const preview = (token: string, as?: Account) => graphql(testApp.app, InvitationPreview, { token }, as?.token);
const revoke = (as: Account, id: string) => graphql(testApp.app, RevokeInvitation, { id }, as.token);
const leave = (as: Account, organizationId = as.organizationId) =>
  graphql(testApp.app, LeaveOrganization, { organizationId }, as.token);
const pending = (as: Account, id = as.organizationId) =>
  graphql(testApp.app, OrganizationInvitations, { id }, as.token);

async function rolesIn(organizationId: string): Promise<Record<string, Role>> {
  const rows = await db.membership.findMany({ where: { organizationId: Number(organizationId) }, include: { user: true } });
  return Object.fromEntries(rows.map((row) => [row.user.email, row.role]));
}

function expectInvitationNotFound(response: GraphQLResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]).toMatchObject(NOT_FOUND);
}

describe('inviting and accepting', () => {
  it('invite → the link shows what it offers → the invited email signs up and accepts → a member with the role', async () => {
    const { owner } = await organizationWith(testApp.app);
    const email = freshEmail('Newcomer');
    const before = Date.now();
    const response = await invite(owner, `  ${email.toUpperCase()} `, 'ADMIN');
    expect(response.errors).toBeUndefined();
    const { inviteUrl, invitation } = response.data!.inviteMember;
    expect(invitation).toMatchObject({
      email: email.toLowerCase(),
      role: 'ADMIN',
      organization: { id: owner.organizationId, name: 'Team' },
      invitedBy: { id: owner.userId, email: owner.email },
    });
    const expiresIn = Date.parse(invitation.expiresAt) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(expiresIn).toBeLessThan(7 * DAY_MS + 60_000);
    // ≥ 128 bits, URL-safe: 32 random bytes in base64url.
    const token = inviteUrl.slice(LINK_PREFIX.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Whoever holds the link sees what it is about, before signing in.
    expect((await preview(token)).data!.invitation).toEqual({
      organizationName: 'Team',
      email: email.toLowerCase(),
      role: 'ADMIN',
      inviterName: 'Test User',
      expiresAt: invitation.expiresAt,
    });
    expect((await pending(owner)).data!.organization!.invitations.map((each) => each.email)).toEqual([email.toLowerCase()]);

    const newcomer = await signUpAs(email);
    const accepted = await accept(token, newcomer);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptInvitation).toEqual({
      role: 'ADMIN',
      organization: { id: owner.organizationId, name: 'Team' },
      user: { id: newcomer.userId, email: email.toLowerCase() },
    });
    expect(await rolesIn(owner.organizationId)).toEqual({ [owner.email]: 'OWNER', [email.toLowerCase()]: 'ADMIN' });
    const members = await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, newcomer.token);
    expect(members.data!.organization!.members.map((member) => member.user.email)).toContain(email.toLowerCase());
    expect((await pending(owner)).data!.organization!.invitations).toEqual([]);
  });

  it('gives the same answer for a registered and an unregistered email', async () => {
    const { owner } = await organizationWith(testApp.app);
    const registered = await signUp(testApp.app, 'Elsewhere');
    const unregistered = freshEmail('nobody');
    const answers = [await invite(owner, registered.email), await invite(owner, unregistered)];
    const shapeOf = (response: GraphQLResponse<unknown>) =>
      JSON.parse(
        JSON.stringify(response)
          .replace(/[A-Za-z0-9_-]{43}/g, '<secret>')
          .replace(/"[^"]*@example\.com"/g, '"<email>"')
          .replace(/"\d{4}-\d\d-\d\dT[^"]+"/g, '"<time>"')
          .replace(/"id":"\d+"/g, '"id":"<id>"'),
      );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(shapeOf(answers[0]!)).toEqual(shapeOf(answers[1]!));
    expect(shapeOf(answers[0]!).data.inviteMember.inviteUrl).toBe(`${LINK_PREFIX}<secret>`);
    // Nor does the preview differ: it knows nothing of accounts.
    for (const answer of answers) {
      const token = answer.data!.inviteMember.inviteUrl.slice(LINK_PREFIX.length);
      expect(Object.keys((await preview(token)).data!.invitation)).toEqual([
        'organizationName',
        'email',
        'role',
        'inviterName',
        'expiresAt',
      ]);
    }
  });

  it('accepting while already a member uses the invitation up and keeps the membership as it is', async () => {
    const { owner } = await organizationWith(testApp.app);
    const email = freshEmail();
    const { token } = await invited(owner, email, 'ADMIN');
    const person = await signUpAs(email);
    await addMember(person, owner.organizationId, 'MEMBER'); // joined meanwhile by another way
    const accepted = await accept(token, person);
    expect(accepted.data!.acceptInvitation.role).toBe('MEMBER');
    expectInvitationNotFound(await accept(token, person));
    expect((await rolesIn(owner.organizationId))[email]).toBe('MEMBER');
  });
});

describe('links that do not open a pending invitation: the same NOT_FOUND for each', () => {
  it('wrong, malformed, expired, accepted, declined, revoked and replaced links, and another signed-in email', async () => {
    const { owner } = await organizationWith(testApp.app);
    const email = freshEmail();
    const person = await signUpAs(email);
    const someoneElse = await signUp(testApp.app);

    const cases: Array<[string, string]> = [];
    cases.push(['wrong', randomBytes(32).toString('base64url')]);
    cases.push(['malformed', 'not-a-token']);
    cases.push(['empty', '']);
    cases.push(['far too long', 'a'.repeat(5000)]);

    const expired = await invited(owner, email);
    await db.invitation.update({ where: { id: Number(expired.id) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    cases.push(['expired', expired.token]);

    const revoked = await invited(owner, email);
    expect((await revoke(owner, revoked.id)).data).toEqual({ revokeInvitation: true });
    cases.push(['revoked', revoked.token]);

    const replaced = await invited(owner, email);
    const current = await invited(owner, email);
    cases.push(['replaced', replaced.token]);

    const declinerEmail = freshEmail();
    const declined = await invited(owner, declinerEmail);
    expect((await decline(declined.token, await signUpAs(declinerEmail))).data).toEqual({ declineInvitation: true });
    cases.push(['declined', declined.token]);

    for (const [label, token] of cases) {
      for (const response of [await accept(token, person), await preview(token), await decline(token, person)]) {
        expect({ label, errors: response.errors }).toEqual({ label, errors: [expect.objectContaining(NOT_FOUND)] });
      }
    }

    // Signed in with another email: NOT_FOUND too, for accepting and declining alike, and the
    // invitation stays usable by the right person.
    expectInvitationNotFound(await accept(current.token, someoneElse));
    expectInvitationNotFound(await accept(current.token, owner));
    expectInvitationNotFound(await decline(current.token, someoneElse));
    expect((await accept(current.token, person)).errors).toBeUndefined();
    // Used: nothing opens it any more.
    expectInvitationNotFound(await accept(current.token, person));
    expectInvitationNotFound(await preview(current.token));
    expectInvitationNotFound(await decline(current.token, person));
    expect(await rolesIn(owner.organizationId)).toEqual({ [owner.email]: 'OWNER', [email]: 'MEMBER' });
  });

  it('accepting needs a signed-in person (UNAUTHENTICATED), not an API token (FORBIDDEN)', async () => {
    const { owner } = await organizationWith(testApp.app);
    const { token } = await invited(owner, freshEmail());
    for (const anonymous of [await accept(token), await decline(token)]) {
      expect(anonymous.status).toBe(401);
      expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    }
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    expect(errorCodes(await accept(token, { ...owner, token: plainTextToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await preview(token, { ...owner, token: plainTextToken }))).toEqual(['FORBIDDEN']);
    expect((await preview(token)).errors).toBeUndefined();
  });
});

describe('who may invite, see and revoke', () => {
  it('MEMBERs cannot invite; ADMINs invite ADMINs and MEMBERs, not OWNERs; OWNERs invite OWNERs', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    expect(errorCodes(await invite(member, freshEmail()))).toEqual(['FORBIDDEN']);
    const adminInvitingOwner = await invite(admin, freshEmail(), 'OWNER');
    expect(adminInvitingOwner.errors![0]).toMatchObject({
      message: 'Only an OWNER may grant or take away the OWNER role.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await invite(admin, freshEmail(), 'ADMIN')).errors).toBeUndefined();
    expect((await invite(admin, freshEmail(), 'MEMBER')).errors).toBeUndefined();
    expect((await invite(owner, freshEmail(), 'OWNER')).errors).toBeUndefined();
    expect((await pending(owner)).data!.organization!.invitations.map((each) => each.role)).toEqual([
      'OWNER',
      'MEMBER',
      'ADMIN',
    ]);
  });

  it('refuses strangers (NOT_FOUND), API tokens (FORBIDDEN), nobody (UNAUTHENTICATED); bad emails and members are told', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER');
    const stranger = await signUp(testApp.app, 'Elsewhere');
    const byStranger = await invite(stranger, freshEmail(), 'MEMBER', owner.organizationId);
    expect(byStranger.errors![0]).toMatchObject({ message: 'Organization not found.', extensions: { code: 'NOT_FOUND' } });
    expect(errorCodes(await invite(stranger, freshEmail(), 'MEMBER', 'nonsense'))).toEqual(['NOT_FOUND']);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    expect(errorCodes(await invite({ ...owner, token: plainTextToken }, freshEmail()))).toEqual(['FORBIDDEN']);
    const anonymous = await graphql(testApp.app, InviteMember, {
      input: { organizationId: owner.organizationId, email: freshEmail(), role: 'MEMBER' },
    });
    expect(anonymous.status).toBe(401);

    const bad = await invite(owner, 'not an email');
    expect(bad.errors![0]).toMatchObject({
      message: 'email must be a valid email address.',
      extensions: { code: 'BAD_USER_INPUT', field: 'email' },
    });
    const member = await invite(owner, others[0]!.email.toUpperCase());
    expect(member.errors![0]).toMatchObject({
      message: 'This person is already a member of the organization.',
      extensions: { code: 'CONFLICT' },
    });
    expect((await pending(owner)).data!.organization!.invitations).toEqual([]);
  });

  it('only OWNERs and ADMINs see the pending invitations', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    const email = freshEmail();
    await invited(owner, email);
    for (const viewer of [owner, admin]) {
      expect((await pending(viewer)).data!.organization!.invitations.map((each) => each.email)).toEqual([email]);
    }
    const asMember = await pending(member);
    expect(errorCodes(asMember)).toEqual(['FORBIDDEN']);
    expect(asMember.data).toEqual({ organization: null });
  });

  it('revoke: the link stops working; ADMINs revoke ADMIN and MEMBER invitations only; others’ ids are NOT_FOUND', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN', 'MEMBER');
    const [admin, member] = others as [Account, Account];
    const email = freshEmail();
    const forOwner = await invited(owner, freshEmail(), 'OWNER');
    const forMember = await invited(owner, email, 'MEMBER');

    expect(errorCodes(await revoke(member, forMember.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await revoke(admin, forOwner.id))).toEqual(['FORBIDDEN']);
    const stranger = await signUp(testApp.app);
    const byStranger = await revoke(stranger, forMember.id);
    expect(byStranger.errors![0]).toMatchObject(NOT_FOUND);
    expectInvitationNotFound(await revoke(owner, 'x'));
    expectInvitationNotFound(await revoke(owner, '2147483647'));

    expect((await revoke(admin, forMember.id)).data).toEqual({ revokeInvitation: true });
    expectInvitationNotFound(await revoke(admin, forMember.id)); // nothing pending to revoke any more
    expect((await revoke(owner, forOwner.id)).data).toEqual({ revokeInvitation: true });
    expect((await pending(owner)).data!.organization!.invitations).toEqual([]);
    expectInvitationNotFound(await accept(forMember.token, await signUpAs(email)));
  });
});

describe('re-inviting, declining, limits', () => {
  it('inviting an email again replaces its pending invitation: the old link stops working, the new role holds', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN');
    const admin = others[0]!;
    const email = freshEmail();
    const first = await invited(owner, email, 'MEMBER');
    const second = await invited(admin, email.toUpperCase(), 'ADMIN');
    const list = (await pending(owner)).data!.organization!.invitations;
    expect(list.map((each) => [each.id, each.role])).toEqual([[second.id, 'ADMIN']]);
    expectInvitationNotFound(await preview(first.token));
    expect((await preview(second.token)).data!.invitation.role).toBe('ADMIN');

    // An ADMIN cannot replace (and so withdraw) an invitation to OWNER.
    const ownerEmail = freshEmail();
    const forOwner = await invited(owner, ownerEmail, 'OWNER');
    expect(errorCodes(await invite(admin, ownerEmail, 'MEMBER'))).toEqual(['FORBIDDEN']);
    expect((await preview(forOwner.token)).data!.invitation.role).toBe('OWNER');

    const person = await signUpAs(email);
    expectInvitationNotFound(await accept(first.token, person));
    expect((await accept(second.token, person)).data!.acceptInvitation.role).toBe('ADMIN');
  });

  it('declining, signed in as the invited email: nobody joins and the invitation leaves the list', async () => {
    const { owner } = await organizationWith(testApp.app);
    const email = freshEmail();
    const { token } = await invited(owner, email);
    const person = await signUpAs(email);
    const declined = await decline(token, person);
    expect(declined.data).toEqual({ declineInvitation: true });
    expect((await pending(owner)).data!.organization!.invitations).toEqual([]);
    expectInvitationNotFound(await accept(token, person));
    expect(Object.keys(await rolesIn(owner.organizationId))).toEqual([owner.email]);
  });

  it('caps pending invitations at 100 per organization (CONFLICT beyond; expired, used and revoked ones do not count)', async () => {
    const { owner } = await organizationWith(testApp.app);
    const organizationId = Number(owner.organizationId);
    const row = (index: number, extra: object = {}) => ({
      organizationId,
      email: `seeded-${index}@example.com`,
      role: 'MEMBER' as const,
      tokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
      createdAt: new Date(Date.now() - (200 - index) * 1000),
      expiresAt: new Date(Date.now() + DAY_MS),
      ...extra,
    });
    await db.invitation.createMany({
      data: [
        ...Array.from({ length: 98 }, (_, index) => row(index)),
        row(900, { expiresAt: new Date(Date.now() - 1000) }),
        row(901, { revokedAt: new Date() }),
        row(902, { acceptedAt: new Date() }),
        row(903, { declinedAt: new Date() }),
      ],
    });
    // Three at once for the last two places: the organization's lock lets exactly two through.
    const racing = await Promise.all([invite(owner, freshEmail()), invite(owner, freshEmail()), invite(owner, freshEmail())]);
    expect(racing.map(errorCodes).sort()).toEqual([[], [], ['CONFLICT']]);
    const refused = racing.find((each) => each.errors)!;
    expect(refused.errors![0]!.message).toBe(
      'An organization can have at most 100 pending invitations; revoke some first.',
    );
    const list = (await pending(owner)).data!.organization!.invitations;
    expect(list).toHaveLength(100);
    expect(list.map((each) => each.createdAt)).toEqual([...list.map((each) => each.createdAt)].sort().reverse());
    // Replacing one is not one more.
    expect((await invite(owner, 'seeded-5@example.com', 'ADMIN')).errors).toBeUndefined();
    expect(errorCodes(await invite(owner, freshEmail()))).toEqual(['CONFLICT']);
  });
});

describe('leaveOrganization', () => {
  it('lets a member leave: they lose access at once', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'MEMBER');
    const member = others[0]!;
    expect((await leave(member)).data).toEqual({ leaveOrganization: true });
    const afterwards = await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, member.token);
    expect(errorCodes(afterwards)).toEqual(['NOT_FOUND']);
    expect(Object.keys(await rolesIn(owner.organizationId))).toEqual([owner.email]);
  });

  it('refuses the last OWNER (CONFLICT) but lets an OWNER go when another remains; strangers get NOT_FOUND', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'OWNER');
    const coOwner = others[0]!;
    // Two OWNERs leaving at the same moment: one stays.
    const both = await Promise.all([leave(owner), leave(coOwner)]);
    expect(both.map(errorCodes).sort()).toEqual([[], ['CONFLICT']]);
    const refused = both.find((each) => each.errors)!;
    expect(refused.errors![0]!.message).toBe(
      'An organization must keep at least one OWNER; make someone else OWNER first.',
    );
    expect(Object.values(await rolesIn(owner.organizationId))).toEqual(['OWNER']);

    const stranger = await signUp(testApp.app);
    const byStranger = await leave(stranger, owner.organizationId);
    expect(byStranger.errors![0]).toMatchObject({ message: 'Organization not found.', extensions: { code: 'NOT_FOUND' } });
    expect(errorCodes(await leave(stranger, 'nonsense'))).toEqual(['NOT_FOUND']);
  });
});

describe('secrets and enumeration', () => {
  it('stores only the SHA-256 of the link’s secret, and no later answer shows the secret', async () => {
    const { owner, others } = await organizationWith(testApp.app, 'ADMIN');
    const email = freshEmail();
    const { token, id } = await invited(owner, email, 'MEMBER');
    const stored = await db.invitation.findUniqueOrThrow({ where: { id: Number(id) } });
    expect(stored.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));

    const everyRow = async () => {
      const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      expect(tables.map((table) => table.table_name)).toContain('invitations');
      const dumps = await Promise.all(
        tables.map(({ table_name }) =>
          db.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`),
        ),
      );
      return dumps.flat().map((each) => each.row).join('\n');
    };
    expect(await everyRow()).not.toContain(token);

    const later = [
      await pending(owner),
      await pending(others[0]!),
      await preview(token),
      await accept(token, await signUpAs(email)),
      await graphql(testApp.app, OrganizationMembers, { id: owner.organizationId }, owner.token),
    ];
    for (const answer of later) {
      expect(answer.errors).toBeUndefined();
      expect(JSON.stringify(answer)).not.toContain(token);
    }
    expect(await everyRow()).not.toContain(token);
  });

  it('has no addMember any more, and the invitation operations in its place', async () => {
    const response = await call(testApp.app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ mutations: __type(name: "Mutation") { fields { name } } old: __type(name: "AddMemberInput") { name } }',
      }),
    });
    const { data } = (await response.json()) as {
      data: { mutations: { fields: { name: string }[] }; old: null | object };
    };
    const names = data.mutations.fields.map((field) => field.name);
    expect(names).not.toContain('addMember');
    expect(names).toEqual(
      expect.arrayContaining(['inviteMember', 'acceptInvitation', 'declineInvitation', 'revokeInvitation', 'leaveOrganization']),
    );
    expect(data.old).toBeNull();

    const owner = await signUp(testApp.app);
    const attempt = await call(testApp.app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({
        query: `mutation { addMember(input: {organizationId: "${owner.organizationId}", email: "x@example.com", role: MEMBER}) { role } }`,
      }),
    });
    const body = (await attempt.json()) as GraphQLResponse<unknown>;
    expect(errorCodes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('sign-up’s CONFLICT for a taken email, the one exception, is rate-limited per client address', async () => {
    const taken = await signUp(testApp.app);
    const address = '203.0.113.77';
    const attempt = async () => {
      const response = await call(
        testApp.app,
        '/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: print(SignUp),
            variables: { input: { email: taken.email, password: PASSWORD, organizationName: 'Probe' } },
          }),
        },
        address,
      );
      return { status: response.status, body: (await response.json()) as GraphQLResponse<unknown> };
    };
    for (let i = 0; i < 3; i++) expect(errorCodes((await attempt()).body)).toEqual(['CONFLICT']);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(errorCodes(limited.body)).toEqual(['RATE_LIMITED']);
  });
});
