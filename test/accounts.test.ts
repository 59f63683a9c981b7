import { describe, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/tokens.js';
import { db } from '../src/db/client.js';
import { errorCodes, graphql, useTestApp } from './support/app.js';
import { PASSWORD, signUp } from './support/fixtures.js';
import { Me, SignIn, SignOut, SignUp } from './support/operations.js';

const testApp = useTestApp();

describe('sign-up', () => {
  it('creates the user, an organization and the OWNER membership, and signs in', async () => {
    const response = await graphql(testApp.app, SignUp, {
      input: { email: 'Ada@Example.COM', password: PASSWORD, name: 'Ada', organizationName: ' Analytical Engines ' },
    });
    expect(response.errors).toBeUndefined();
    const { token, user } = response.data!.signUp;
    expect(token).toMatch(/^\d+\|[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    expect(user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      memberships: [{ role: 'OWNER', organization: { name: 'Analytical Engines' } }],
    });
    const me = await graphql(testApp.app, Me, {}, token);
    expect(me.data?.me?.email).toBe('ada@example.com');
  });

  it('stores an argon2id hash, never the password, and only the hash of the sign-in token', async () => {
    const account = await signUp(testApp.app);
    const user = await db.user.findUniqueOrThrow({ where: { id: Number(account.userId) } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const [id, secret] = account.token.split('|') as [string, string];
    const stored = await db.accessToken.findUniqueOrThrow({ where: { id: Number(id) } });
    expect(stored).toMatchObject({ kind: 'USER', userId: user.id, tokenHash: hashSecret(secret) });
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
  });

  it('refuses an email that is taken, whatever its case, with CONFLICT', async () => {
    const input = { email: 'grace@example.com', password: PASSWORD, organizationName: 'Navy' };
    expect((await graphql(testApp.app, SignUp, { input })).errors).toBeUndefined();
    const again = await graphql(testApp.app, SignUp, { input: { ...input, email: ' GRACE@example.com' } });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(await db.user.count({ where: { email: 'grace@example.com' } })).toBe(1);
    expect(await db.organization.count({ where: { name: 'Navy' } })).toBe(1);
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: '' }],
    ['password', { password: 'short' }],
    ['password', { password: 'x'.repeat(257) }],
    ['organizationName', { organizationName: '   ' }],
    ['organizationName', { organizationName: 'x'.repeat(201) }],
    ['name', { name: 'x'.repeat(201) }],
  ])('refuses a bad %s with BAD_USER_INPUT and creates nothing', async (field, override) => {
    const usersBefore = await db.user.count();
    const response = await graphql(testApp.app, SignUp, {
      input: { email: 'someone@example.com', password: PASSWORD, organizationName: 'Org', ...override },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain(field);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await db.user.count()).toBe(usersBefore);
  });
});

describe('sign-in', () => {
  it('exchanges email (any case) and password for a new token', async () => {
    const account = await signUp(testApp.app);
    const response = await graphql(testApp.app, SignIn, {
      input: { email: account.email.toUpperCase(), password: PASSWORD },
    });
    expect(response.errors).toBeUndefined();
    const { token, user } = response.data!.signIn;
    expect(user.id).toBe(account.userId);
    expect(token).not.toBe(account.token);
    expect((await graphql(testApp.app, Me, {}, token)).data?.me?.id).toBe(account.userId);
  });

  it('answers a wrong password and an unknown email alike: UNAUTHENTICATED with HTTP 401', async () => {
    const account = await signUp(testApp.app);
    const wrongPassword = await graphql(testApp.app, SignIn, {
      input: { email: account.email, password: 'wrong password' },
    });
    const unknownEmail = await graphql(testApp.app, SignIn, {
      input: { email: 'nobody@example.com', password: PASSWORD },
    });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(401);
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        expect.objectContaining({ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    }
  });
});

describe('sign-out and me', () => {
  it('gives null for `me` without a token', async () => {
    const response = await graphql(testApp.app, Me, {});
    expect(response).toEqual({ status: 200, data: { me: null } });
  });

  it('revokes the token it was called with, and only that one', async () => {
    const account = await signUp(testApp.app);
    const second = await graphql(testApp.app, SignIn, { input: { email: account.email, password: PASSWORD } });
    const out = await graphql(testApp.app, SignOut, {}, account.token);
    expect(out.data).toEqual({ signOut: true });

    const after = await graphql(testApp.app, Me, {}, account.token);
    expect(after.status).toBe(401);
    expect(errorCodes(after)).toEqual(['UNAUTHENTICATED']);
    const other = await graphql(testApp.app, Me, {}, second.data!.signIn.token);
    expect(other.data?.me?.id).toBe(account.userId);
  });

  it('needs a signed-in user', async () => {
    const response = await graphql(testApp.app, SignOut, {});
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an expired sign-in token', async () => {
    const account = await signUp(testApp.app);
    await db.accessToken.update({
      where: { id: Number(account.token.split('|')[0]) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await graphql(testApp.app, Me, {}, account.token);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the 401 body', () => {
  it('is a GraphQL error with code UNAUTHENTICATED and no data, for any bad token', async () => {
    for (const token of ['garbage', '1|' + 'A'.repeat(40) + '2ae98c30', '']) {
      const response = await graphql(testApp.app, Me, {}, token);
      expect(response).toEqual({
        status: 401,
        errors: [{ message: 'Invalid, expired or revoked bearer token.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
  });
});
