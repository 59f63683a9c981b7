import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { db } from '../../src/db/client.js';
import type { Role } from '../../src/generated/prisma/client.js';
import { graphql } from './app.js';
import { CreateApiToken, SignUp } from './operations.js';

export const PASSWORD = 'correct horse battery staple';

export type Account = { token: string; userId: string; organizationId: string; email: string };

/** Signs up a new user with an organization of their own, through the API. */
export async function signUp(app: App, organizationName = 'Acme'): Promise<Account> {
  const email = `user-${randomUUID()}@example.com`;
  const response = await graphql(app, SignUp, {
    input: { email, password: PASSWORD, name: 'Test User', organizationName },
  });
  expect(response.errors).toBeUndefined();
  const payload = response.data!.signUp;
  return {
    token: payload.token,
    userId: payload.user.id,
    email,
    organizationId: payload.user.memberships[0]!.organization.id,
  };
}

/** Makes an existing user a member of an organization (the dashboard's member management is its own feature). */
export async function addMember(account: Account, organizationId: string, role: Role): Promise<void> {
  await db.membership.create({
    data: { userId: Number(account.userId), organizationId: Number(organizationId), role },
  });
}

/** An organization with an OWNER and, for each role given, one more member with that role. */
export async function organizationWith(app: App, ...roles: Role[]): Promise<{ owner: Account; others: Account[] }> {
  const owner = await signUp(app, 'Team');
  const others: Account[] = [];
  for (const role of roles) {
    const account = await signUp(app, 'Own org');
    await addMember(account, owner.organizationId, role);
    others.push({ ...account, organizationId: owner.organizationId });
  }
  return { owner, others };
}

export async function createApiToken(
  app: App,
  account: Account,
  input: { name?: string; abilities?: string[]; expiresAt?: string; mode?: 'LIVE' | 'TEST' } = {},
) {
  const response = await graphql(
    app,
    CreateApiToken,
    { input: { organizationId: account.organizationId, name: 'Production API', ...input } },
    account.token,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createApiToken;
}
