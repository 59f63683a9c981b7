import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth/bearer.js';
import { flushTokenUses } from '../src/auth/token-usage.js';
import { checksum, hashSecret } from '../src/auth/tokens.js';
import { db } from '../src/db/client.js';
import { call, errorCodes, graphql, useTestApp } from './support/app.js';
import { addMember, createApiToken, signUp } from './support/fixtures.js';
import {
  ApiTokens,
  CreateApiToken,
  CreatorMemberships,
  Me,
  OrganizationTokens,
  RevokeApiToken,
} from './support/operations.js';

const testApp = useTestApp();
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('createApiToken', () => {
  it('returns the plaintext once, in Sanctum format, and stores only its SHA-256', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner, { name: 'Production API' });
    const [id, secret] = plainTextToken.split('|') as [string, string];
    expect(id).toBe(apiToken.id);
    expect(secret).toMatch(/^[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    expect(secret.slice(40)).toBe(checksum(secret.slice(0, 40)));
    expect(apiToken).toMatchObject({
      name: 'Production API',
      abilities: ['*'],
      mode: 'LIVE',
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      createdBy: { id: owner.userId, email: owner.email },
    });
    const row = await db.accessToken.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row.tokenHash).toBe(hashSecret(secret));
    expect(JSON.stringify({ ...row, id: String(row.id) })).not.toContain(secret);
  });

  it('keeps the abilities and expiry it is given', async () => {
    const owner = await signUp(testApp.app);
    const expiresAt = inAnHour();
    const { apiToken } = await createApiToken(testApp.app, owner, {
      abilities: ['session:create', 'session:read', 'session:create'],
      expiresAt,
    });
    expect(apiToken.abilities).toEqual(['session:create', 'session:read']);
    expect(apiToken.expiresAt).toBe(expiresAt);
  });

  it('makes TEST tokens for test sessions; the REST principal carries the mode', async () => {
    const owner = await signUp(testApp.app);
    const test = await createApiToken(testApp.app, owner, { mode: 'TEST' });
    const live = await createApiToken(testApp.app, owner, { mode: 'LIVE' });
    expect([test.apiToken.mode, live.apiToken.mode]).toEqual(['TEST', 'LIVE']);
    for (const [{ plainTextToken }, mode] of [[test, 'TEST'], [live, 'LIVE']] as const) {
      const auth = await authenticate(`Bearer ${plainTextToken}`);
      expect(auth).toMatchObject({ status: 'authenticated', principal: { type: 'apiToken', mode } });
    }
    const listed = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, owner.token);
    expect(listed.data!.apiTokens.map((token) => token.mode)).toEqual(['LIVE', 'TEST']);
  });

  it.each([
    ['name', { name: '   ' }, 'name must not be blank.'],
    ['name', { name: 'x'.repeat(256) }, 'name must be at most 255 characters.'],
    ['expiresAt', { expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt must lie in the future.'],
    ['abilities', { abilities: [] }, 'abilities must not be empty; omit it to grant "*".'],
    ['abilities', { abilities: ['session:delete'] }, 'Unknown abilities: "session:delete"'],
  ])('refuses a bad %s with BAD_USER_INPUT and stores nothing', async (field, override, message) => {
    const owner = await signUp(testApp.app);
    const response = await graphql(
      testApp.app,
      CreateApiToken,
      { input: { organizationId: owner.organizationId, name: 'Valid', ...override } },
      owner.token,
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain(message);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await db.accessToken.count({ where: { organizationId: Number(owner.organizationId) } })).toBe(0);
  });

  it('refuses a malformed expiresAt at the GraphQL layer', async () => {
    const owner = await signUp(testApp.app);
    const response = await graphql(
      testApp.app,
      CreateApiToken,
      { input: { organizationId: owner.organizationId, name: 'x', expiresAt: 'tomorrow' } },
      owner.token,
    );
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toContain('DateTime');
  });

  it('needs a signed-in user: no token is UNAUTHENTICATED, an API token is FORBIDDEN', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const input = { organizationId: owner.organizationId, name: 'x' };
    const anonymous = await graphql(testApp.app, CreateApiToken, { input });
    expect(anonymous.status).toBe(401);
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const withApiToken = await graphql(testApp.app, CreateApiToken, { input }, plainTextToken);
    expect(errorCodes(withApiToken)).toEqual(['FORBIDDEN']);
    for (const query of [ApiTokens, OrganizationTokens] as const) {
      const response = await graphql(
        testApp.app,
        query as typeof ApiTokens,
        { organizationId: owner.organizationId, id: owner.organizationId } as never,
        plainTextToken,
      );
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await graphql(testApp.app, Me, {}, plainTextToken))).toEqual(['FORBIDDEN']);
  });
});

describe('listing', () => {
  it('shows the organization’s tokens newest first, without revoked ones unless asked', async () => {
    const owner = await signUp(testApp.app);
    const first = await createApiToken(testApp.app, owner, { name: 'First' });
    const second = await createApiToken(testApp.app, owner, { name: 'Second' });
    const third = await createApiToken(testApp.app, owner, { name: 'Third' });
    await graphql(testApp.app, RevokeApiToken, { id: second.apiToken.id }, owner.token);

    const live = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, owner.token);
    expect(live.data!.apiTokens.map((token) => token.name)).toEqual(['Third', 'First']);
    const all = await graphql(
      testApp.app,
      ApiTokens,
      { organizationId: owner.organizationId, includeRevoked: true },
      owner.token,
    );
    expect(all.data!.apiTokens.map((token) => token.name)).toEqual(['Third', 'Second', 'First']);
    expect(all.data!.apiTokens[1]!.revokedAt).not.toBeNull();
    // The list never carries a secret or its hash.
    const body = JSON.stringify(all);
    for (const { plainTextToken } of [first, second, third]) {
      const secret = plainTextToken.split('|')[1]!;
      expect(body).not.toContain(secret);
      expect(body).not.toContain(hashSecret(secret));
    }
    // Dashboard sign-in tokens are not API tokens.
    expect(all.data!.apiTokens).toHaveLength(3);

    const nested = await graphql(testApp.app, OrganizationTokens, { id: owner.organizationId }, owner.token);
    expect(nested.data!.organization!.apiTokens.map((token) => token.name)).toEqual(['Third', 'First']);
  });

  it('shows lastUsedAt once a token has been used', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const before = Date.now();
    await authenticate(`Bearer ${plainTextToken}`);
    await flushTokenUses();
    const list = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, owner.token);
    const lastUsedAt = Date.parse(list.data!.apiTokens[0]!.lastUsedAt!);
    expect(lastUsedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(lastUsedAt).toBeLessThanOrEqual(Date.now());
  });
});

describe('revokeApiToken', () => {
  it('refuses the token from the very next request, for good', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner);
    expect(await authenticate(`Bearer ${plainTextToken}`)).toMatchObject({ status: 'authenticated' });

    const revoked = await graphql(testApp.app, RevokeApiToken, { id: apiToken.id }, owner.token);
    expect(revoked.errors).toBeUndefined();
    const revokedAt = revoked.data!.revokeApiToken.revokedAt!;
    expect(Date.parse(revokedAt)).toBeLessThanOrEqual(Date.now());
    expect(await authenticate(`Bearer ${plainTextToken}`)).toEqual({ status: 'invalid' });

    // Revoking again changes nothing: the first revocation time stays.
    const again = await graphql(testApp.app, RevokeApiToken, { id: apiToken.id }, owner.token);
    expect(again.data!.revokeApiToken.revokedAt).toBe(revokedAt);
    expect(await authenticate(`Bearer ${plainTextToken}`)).toEqual({ status: 'invalid' });
  });

  it('refuses an expired token', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner, { expiresAt: inAnHour() });
    expect(await authenticate(`Bearer ${plainTextToken}`)).toMatchObject({ status: 'authenticated' });
    await db.accessToken.update({ where: { id: Number(apiToken.id) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await authenticate(`Bearer ${plainTextToken}`)).toEqual({ status: 'invalid' });
  });

  it.each(['0', '-1', 'abc', '99999999999', '2147483647', '9223372036854775807', '9223372036854775808', '0099999999999999999999'])('answers NOT_FOUND for the id %s', async (id) => {
    const owner = await signUp(testApp.app);
    const response = await graphql(testApp.app, RevokeApiToken, { id }, owner.token);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('cannot revoke a dashboard sign-in token as if it were an API token', async () => {
    const owner = await signUp(testApp.app);
    const signInTokenId = owner.token.split('|')[0]!;
    const response = await graphql(testApp.app, RevokeApiToken, { id: signInTokenId }, owner.token);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect((await graphql(testApp.app, Me, {}, owner.token)).data?.me?.id).toBe(owner.userId);
  });
});

describe('roles', () => {
  it('lets ADMINs manage tokens and MEMBERs only list them', async () => {
    const owner = await signUp(testApp.app);
    const admin = await signUp(testApp.app, 'Admin’s own');
    const member = await signUp(testApp.app, 'Member’s own');
    await addMember(admin, owner.organizationId, 'ADMIN');
    await addMember(member, owner.organizationId, 'MEMBER');
    const inOwnersOrg = { ...admin, organizationId: owner.organizationId };

    const created = await createApiToken(testApp.app, inOwnersOrg, { name: 'By admin' });
    expect(created.apiToken.createdBy?.id).toBe(admin.userId);

    const list = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, member.token);
    expect(list.data!.apiTokens.map((token) => token.name)).toEqual(['By admin']);

    const create = await graphql(
      testApp.app,
      CreateApiToken,
      { input: { organizationId: owner.organizationId, name: 'By member' } },
      member.token,
    );
    expect(errorCodes(create)).toEqual(['FORBIDDEN']);
    const revoke = await graphql(testApp.app, RevokeApiToken, { id: created.apiToken.id }, member.token);
    expect(errorCodes(revoke)).toEqual(['FORBIDDEN']);
    expect(await db.accessToken.count({ where: { organizationId: Number(owner.organizationId), revokedAt: null } })).toBe(1);

    const byAdmin = await graphql(testApp.app, RevokeApiToken, { id: created.apiToken.id }, admin.token);
    expect(byAdmin.data!.revokeApiToken.revokedAt).not.toBeNull();
  });
});

describe('isolation between organizations', () => {
  it('shows nothing of another organization: NOT_FOUND everywhere', async () => {
    const alice = await signUp(testApp.app, 'Alice Inc');
    const mallory = await signUp(testApp.app, 'Mallory Ltd');
    const { apiToken, plainTextToken } = await createApiToken(testApp.app, alice);

    const org = await graphql(testApp.app, OrganizationTokens, { id: alice.organizationId }, mallory.token);
    expect(errorCodes(org)).toEqual(['NOT_FOUND']);
    expect(org.data).toEqual({ organization: null });

    const list = await graphql(testApp.app, ApiTokens, { organizationId: alice.organizationId }, mallory.token);
    expect(errorCodes(list)).toEqual(['NOT_FOUND']);

    const create = await graphql(
      testApp.app,
      CreateApiToken,
      { input: { organizationId: alice.organizationId, name: 'Sneaky' } },
      mallory.token,
    );
    expect(errorCodes(create)).toEqual(['NOT_FOUND']);

    const revoke = await graphql(testApp.app, RevokeApiToken, { id: apiToken.id }, mallory.token);
    expect(errorCodes(revoke)).toEqual(['NOT_FOUND']);
    expect(revoke.errors![0]!.message).toBe('API token not found.');
    expect(await authenticate(`Bearer ${plainTextToken}`)).toMatchObject({ status: 'authenticated' });

    // An unknown organization answers the same as another's.
    const unknown = await graphql(testApp.app, OrganizationTokens, { id: '2147483647' }, mallory.token);
    expect(unknown.errors).toEqual(org.errors);
  });

  it('shows another member’s memberships only in organizations the viewer shares', async () => {
    const owner = await signUp(testApp.app, 'Shared');
    const member = await signUp(testApp.app, 'Member’s private org');
    await addMember(owner, member.organizationId, 'MEMBER'); // owner can see member's org
    const viewer = await signUp(testApp.app, 'Viewer’s own');
    await addMember(viewer, owner.organizationId, 'MEMBER');
    await createApiToken(testApp.app, owner, { name: 'Shared token' });

    const response = await graphql(testApp.app, CreatorMemberships, { organizationId: owner.organizationId }, viewer.token);
    const creator = response.data!.apiTokens[0]!.createdBy!;
    expect(creator.memberships.map((m) => m.organization.name)).toEqual(['Shared']);
  });
});

/** A plain apiTokens query reads its page in the round trip of the sign-in token's look-up (api-token-prefetch.ts). */
describe('apiTokens read with the authentication', () => {
  const post = async (token: string, query: string, variables?: object) => {
    const response = await call(testApp.app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
  };

  it('answers as the resolver does: literals, variables, their defaults, other members and strangers', async () => {
    const owner = await signUp(testApp.app);
    const kept = await createApiToken(testApp.app, owner, { name: 'Kept' });
    const revoked = await createApiToken(testApp.app, owner, { name: 'Revoked' });
    await graphql(testApp.app, RevokeApiToken, { id: revoked.apiToken.id }, owner.token);
    const names = (result: { data?: any }) => result.data.apiTokens.map((token: { name: string }) => token.name);

    const org = owner.organizationId;
    expect(names(await post(owner.token, `{ apiTokens(organizationId: "${org}") { name } }`))).toEqual(['Kept']);
    expect(names(await post(owner.token, `{ apiTokens(organizationId: ${org}, includeRevoked: true, first: 1) { name } }`))).toEqual(['Revoked']);
    const withDefault = `query ($id: ID!, $all: Boolean = true) { apiTokens(organizationId: $id, includeRevoked: $all) { name } }`;
    expect(names(await post(owner.token, withDefault, { id: org }))).toEqual(['Revoked', 'Kept']);
    expect(names(await post(owner.token, withDefault, { id: org, all: false }))).toEqual(['Kept']);
    const after = `query ($id: ID!, $after: ID) { apiTokens(organizationId: $id, includeRevoked: true, after: $after) { name } }`;
    expect(names(await post(owner.token, after, { id: org, after: revoked.apiToken.id }))).toEqual(['Kept']);
    expect(names(await post(owner.token, after, { id: org, after: kept.apiToken.id }))).toEqual([]);

    // Every field as the resolver's own read has it (a second root field turns the early read off).
    await createApiToken(testApp.app, owner, { name: 'Full', abilities: ['session:read'], expiresAt: inAnHour() });
    await post(kept.plainTextToken, '{ __typename }');
    await flushTokenUses();
    const fields = `id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt createdBy { id email } replacedBy { id }`;
    const early = await post(owner.token, `{ apiTokens(organizationId: "${org}", includeRevoked: true) { ${fields} } }`);
    const usual = await post(owner.token, `{ __typename apiTokens(organizationId: "${org}", includeRevoked: true) { ${fields} } }`);
    expect(early.data.apiTokens).toHaveLength(3);
    expect(early.data.apiTokens).toEqual(usual.data.apiTokens);

    const stranger = await signUp(testApp.app, 'Elsewhere');
    expect(errorCodes(await post(stranger.token, `{ apiTokens(organizationId: "${org}") { name } }`))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await post(owner.token, `{ apiTokens(organizationId: "${org}", first: 0) { name } }`))).toEqual(['BAD_USER_INPUT']);
    const apiToken = await createApiToken(testApp.app, owner, { name: 'Not for the dashboard' });
    expect(errorCodes(await post(apiToken.plainTextToken, `{ apiTokens(organizationId: "${org}") { name } }`))).toEqual(['FORBIDDEN']);
  });

  it('refuses a sign-in token revoked a moment ago (401), read in the same round trip', async () => {
    const owner = await signUp(testApp.app);
    const query = `{ apiTokens(organizationId: "${owner.organizationId}") { name } }`;
    expect((await post(owner.token, query)).status).toBe(200);
    await db.accessToken.update({ where: { id: Number(owner.token.split('|')[0]) }, data: { revokedAt: new Date() } });
    const refused = await post(owner.token, query);
    expect(refused.status).toBe(401);
    expect(refused.data).toBeUndefined();
    const [id] = owner.token.split('|');
    expect((await post(`${id}|${'A'.repeat(40)}${checksum('A'.repeat(40))}`, query)).status).toBe(401);
  });
});
