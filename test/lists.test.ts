import { describe, expect, it } from 'vitest';
import { OrganizationSettings } from '../dashboard/src/operations.js';
import { db } from '../src/db/client.js';
import { lockOrganization } from '../src/organizations/lock.js';
import { revokeLeakedTokens } from '../src/tokens/leaks.js';
import { call, errorCodes, graphql, useTestApp } from './support/app.js';
import { onPostgres } from './support/database.js';
import { addMember, createApiToken, signUp, type Account } from './support/fixtures.js';
import {
  ApiTokens,
  ApiTokensPage,
  CreateApiToken,
  MembersPage,
  MembershipsPage,
  OrganizationTokensPage,
  RevokeApiToken,
  RollApiToken,
  UpdateApiToken,
} from './support/operations.js';
import { rest, validSession } from './support/rest.js';

/** Bounded lists (DESIGN.md "Lists are bounded"): first/after paging, the live-token cap, a cost limit that counts list sizes. */

const MAX_LIVE = 5;
const testApp = useTestApp({ MAX_LIVE_TOKENS_PER_ORGANIZATION: String(MAX_LIVE) });

async function postQuery(query: string, variables: object, token: string) {
  const response = await call(testApp.app, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Tokens made before the cap existed (or by another process): straight into the table. */
async function insertTokens(account: Account, count: number, createdAt: Date, namePrefix = 'Legacy'): Promise<void> {
  await db.$executeRaw`
    INSERT INTO access_tokens (kind, name, token, abilities, organization_id, created_by_id, created_at)
    SELECT 'API', ${namePrefix} || ' ' || n, md5(random()::text) || md5(random()::text), ARRAY['*'], ${Number(account.organizationId)},
           ${Number(account.userId)}, ${createdAt}::timestamptz
    FROM generate_series(1, ${count}) AS n`;
}

describe('apiTokens paging', () => {
  it('pages join up newest first, with no gap or duplicate, tied creation times included', async () => {
    const owner = await signUp(testApp.app);
    // 7 tokens sharing one creation time (ordered by id among themselves) and 5 at distinct times.
    for (let i = 0; i < 5; i++) await createApiToken(testApp.app, owner, { name: `Token ${i}` });
    await insertTokens(owner, 7, new Date(Date.now() - 60_000), 'Tied');
    const everything = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, owner.token);
    const expected = everything.data!.apiTokens.map((token) => token.id);
    expect(expected).toHaveLength(12);
    const sorted = [...everything.data!.apiTokens].sort(
      (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || Number(b.id) - Number(a.id),
    );
    expect(sorted.map((token) => token.id)).toEqual(expected);

    for (const first of [1, 5, 12]) {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId, first, after }, owner.token);
        expect(page.errors).toBeUndefined();
        const ids = page.data!.apiTokens.map((token) => token.id);
        expect(ids.length).toBeLessThanOrEqual(first);
        if (ids.length === 0) break;
        seen.push(...ids);
        after = ids.at(-1);
      }
      expect(seen).toEqual(expected);
    }

    // The same on Organization.apiTokens.
    const firstPage = await graphql(testApp.app, OrganizationTokensPage, { id: owner.organizationId, first: 4 }, owner.token);
    const secondPage = await graphql(testApp.app, OrganizationTokensPage, { id: owner.organizationId, first: 4, after: expected[3] }, owner.token);
    expect(firstPage.data!.organization!.apiTokens.map((token) => token.id)).toEqual(expected.slice(0, 4));
    expect(secondPage.data!.organization!.apiTokens.map((token) => token.id)).toEqual(expected.slice(4, 8));
  });

  it('defaults to 100 per page; a revoked cursor still pages; includeRevoked pages too', async () => {
    const owner = await signUp(testApp.app);
    await insertTokens(owner, 150, new Date(Date.now() - 1000));
    const defaultPage = await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId }, owner.token);
    expect(defaultPage.data!.apiTokens).toHaveLength(100);
    const cursor = defaultPage.data!.apiTokens[99]!.id;
    await graphql(testApp.app, RevokeApiToken, { id: cursor }, owner.token);
    const next = await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId, after: cursor }, owner.token);
    expect(next.data!.apiTokens).toHaveLength(50);
    const withRevoked = await graphql(
      testApp.app,
      ApiTokensPage,
      { organizationId: owner.organizationId, includeRevoked: true, first: 500, after: defaultPage.data!.apiTokens[98]!.id },
      owner.token,
    );
    expect(withRevoked.data!.apiTokens).toHaveLength(51);
    expect(withRevoked.data!.apiTokens[0]!.id).toBe(cursor);
  });

  it('refuses first out of 1–500 and a malformed after with BAD_USER_INPUT; another organization’s token as after: an empty page', async () => {
    const owner = await signUp(testApp.app);
    const stranger = await signUp(testApp.app);
    await createApiToken(testApp.app, owner);
    const theirs = await createApiToken(testApp.app, stranger);
    for (const first of [0, -1, 501, 100_000]) {
      for (const response of [
        await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId, first }, owner.token),
        await graphql(testApp.app, OrganizationTokensPage, { id: owner.organizationId, first }, owner.token),
        await graphql(testApp.app, MembersPage, { id: owner.organizationId, first }, owner.token),
        await graphql(testApp.app, MembershipsPage, { first }, owner.token),
      ]) {
        expect(response.status).toBe(200);
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors![0]!.message).toBe('first must be between 1 and 500.');
      }
    }
    const malformed = await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId, after: 'abc' }, owner.token);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    const foreign = await graphql(testApp.app, ApiTokensPage, { organizationId: owner.organizationId, after: theirs.apiToken.id }, owner.token);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data!.apiTokens).toEqual([]);
  });
});

describe('members and memberships paging', () => {
  it('pages members longest-standing first and memberships oldest first', async () => {
    const owner = await signUp(testApp.app, 'Big');
    const others = [await signUp(testApp.app), await signUp(testApp.app), await signUp(testApp.app)];
    for (const other of others) await addMember(other, owner.organizationId, 'MEMBER');
    const expected = [owner, ...others].map((account) => account.email);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await graphql(testApp.app, MembersPage, { id: owner.organizationId, first: 3, after }, owner.token);
      const members = page.data!.organization!.members;
      if (members.length === 0) break;
      seen.push(...members.map((member) => member.user.email));
      after = members.at(-1)!.user.id;
    }
    expect(seen).toEqual(expected);

    // others[0] now belongs to their own organization and to owner's.
    const [own, joined] = [
      await graphql(testApp.app, MembershipsPage, { first: 1 }, others[0]!.token),
      await graphql(testApp.app, MembershipsPage, { first: 1, after: others[0]!.organizationId }, others[0]!.token),
    ];
    expect(own.data!.me!.memberships.map((m) => m.organization.id)).toEqual([others[0]!.organizationId]);
    expect(joined.data!.me!.memberships.map((m) => m.organization.id)).toEqual([owner.organizationId]);
  });
});

describe('live API tokens per organization', () => {
  const create = (account: Account, name = 'Token') =>
    graphql(testApp.app, CreateApiToken, { input: { organizationId: account.organizationId, name } }, account.token);

  it(`refuses token ${MAX_LIVE + 1} with CONFLICT; revoked and expired tokens free a place`, async () => {
    const owner = await signUp(testApp.app);
    const created = [];
    for (let i = 0; i < MAX_LIVE; i++) created.push(await createApiToken(testApp.app, owner));
    const refused = await create(owner);
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toMatch(/already has 5 live API tokens/);

    await graphql(testApp.app, RevokeApiToken, { id: created[0]!.apiToken.id }, owner.token);
    expect((await create(owner)).errors).toBeUndefined();
    expect(errorCodes(await create(owner))).toEqual(['CONFLICT']);

    await db.accessToken.update({ where: { id: Number(created[1]!.apiToken.id) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await create(owner)).errors).toBeUndefined();
    expect(errorCodes(await create(owner))).toEqual(['CONFLICT']);

    // Another organization counts on its own.
    expect((await create(await signUp(testApp.app))).errors).toBeUndefined();
  });

  it('lets exactly the cap through when creations race', async () => {
    const owner = await signUp(testApp.app);
    for (let i = 0; i < MAX_LIVE - 2; i++) await createApiToken(testApp.app, owner);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create(owner, `Racer ${i}`)));
    expect(results.filter((result) => !result.errors)).toHaveLength(2);
    expect(results.filter((result) => errorCodes(result)[0] === 'CONFLICT')).toHaveLength(10);
    const live = await db.accessToken.count({ where: { organizationId: Number(owner.organizationId), revokedAt: null } });
    expect(live).toBe(MAX_LIVE);
  });
  // PGlite has one connection: everything waits for an open transaction there anyway.
  it.skipIf(!onPostgres)('lets sessions be created while a change of the organization holds its lock', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const status = await db.$transaction(async (tx) => {
      await lockOrganization(tx, Number(owner.organizationId));
      // The session's foreign-key check on the organization must not wait for this transaction.
      const created = rest(testApp.app, 'POST', '/api/v2/session', { token: plainTextToken, body: validSession });
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2000).unref());
      return Promise.race([created.then((response) => response.status), waited]);
    });
    expect(status).toBe(201);
  });

  it("keeps each organization's count of unrevoked tokens exact through every change, and the cap on it", async () => {
    const [first, second] = [await signUp(testApp.app), await signUp(testApp.app)];
    const stored = async (account: Account) => {
      const id = Number(account.organizationId);
      const [row] = await db.$queryRaw<{ counter: number; unrevoked: number }[]>`
        SELECT unrevoked_api_tokens AS counter,
          (SELECT count(*)::int FROM access_tokens WHERE organization_id = ${id} AND kind = 'API' AND revoked_at IS NULL) AS unrevoked
        FROM organizations WHERE id = ${id}`;
      return row!;
    };
    const expectCount = async (account: Account, unrevoked: number) => expect(await stored(account)).toEqual({ counter: unrevoked, unrevoked });

    const [a, b] = [await createApiToken(testApp.app, first), await createApiToken(testApp.app, first)];
    const other = await createApiToken(testApp.app, second);
    await insertTokens(first, 2, new Date()); // inserted by hand, as by an import
    await expectCount(first, 4);
    await expectCount(second, 1);

    // A roll adds the successor; the old token, expired at the end of its overlap, is still unrevoked.
    const rolled = await graphql(testApp.app, RollApiToken, { id: a.apiToken.id, expiresInSeconds: 0 }, first.token);
    expect(rolled.errors).toBeUndefined();
    await graphql(testApp.app, UpdateApiToken, { input: { id: b.apiToken.id, name: 'Renamed' } }, first.token);
    await expectCount(first, 5);

    // Full by the count, not by the live tokens: the expired one is counted past the cap and frees a place.
    expect((await create(first)).errors).toBeUndefined();
    await expectCount(first, 6);
    expect(errorCodes(await create(first))).toEqual(['CONFLICT']);

    await graphql(testApp.app, RevokeApiToken, { id: b.apiToken.id }, first.token);
    await graphql(testApp.app, RevokeApiToken, { id: b.apiToken.id }, first.token); // again: no change
    await expectCount(first, 5);
    // One leak report revoking tokens of both organizations at once.
    expect(await revokeLeakedTokens([rolled.data!.rollApiToken.plainTextToken, other.plainTextToken], { ip: null, userAgent: null })).toBe(2);
    await expectCount(first, 4);
    await expectCount(second, 0);

    // An organization's deletion takes its tokens (and their count) with it, leaving the others' alone.
    await db.organization.delete({ where: { id: Number(second.organizationId) } });
    await db.$executeRaw`DELETE FROM access_tokens WHERE organization_id = ${Number(first.organizationId)} AND name = 'Legacy 1'`;
    await expectCount(first, 3);
  });
});

describe('GraphQL cost counts list sizes', () => {
  it('passes the dashboard’s settings query with a full page of tokens', async () => {
    const owner = await signUp(testApp.app);
    await insertTokens(owner, 100, new Date());
    const settings = await postQuery(OrganizationSettings.toString(), { id: owner.organizationId }, owner.token);
    expect(settings.body.errors).toBeUndefined();
    expect(settings.body.data.organization.apiTokens).toHaveLength(100);
    expect(settings.body.data.organization.apiTokens[0].createdBy.email).toBe(owner.email);
  });

  it('refuses, before execution, nested lists whose sizes multiply past the limit', async () => {
    const owner = await signUp(testApp.app);
    // 500 tokens × 100 memberships × 500 tokens: a few fields each, 25 million items.
    const nested = `query ($id: ID!) { apiTokens(organizationId: $id, first: 500) { createdBy { memberships {
      organization { apiTokens(first: 500) { id name } } } } } }`;
    const refused = await postQuery(nested, { id: owner.organizationId }, owner.token);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(refused.body.errors[0].message).toMatch(/cost is \d+, above the limit of 5000/);

    // Each alias pays its own page and query: 9 × (500 + 10) passes, 10 do not.
    const aliases = (n: number, first: string) =>
      `query ($id: ID!${first === '$first' ? ', $first: Int' : ''}) { ${Array.from({ length: n }, (_, i) => `a${i}: apiTokens(organizationId: $id, first: ${first}) { id }`).join(' ')} }`;
    expect((await postQuery(aliases(9, '500'), { id: owner.organizationId }, owner.token)).body.errors).toBeUndefined();
    const tooMany = await postQuery(aliases(10, '500'), { id: owner.organizationId }, owner.token);
    expect(tooMany.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    // The page size may come from a variable: it counts the same.
    const byVariable = await postQuery(aliases(10, '$first'), { id: owner.organizationId, first: 500 }, owner.token);
    expect(byVariable.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    expect((await postQuery(aliases(10, '$first'), { id: owner.organizationId, first: 10 }, owner.token)).body.errors).toBeUndefined();
  });

  it('refuses long aliases, which would repeat in every item of a list', async () => {
    const owner = await signUp(testApp.app);
    const query = `query ($id: ID!) { apiTokens(organizationId: $id) { ${'x'.repeat(65)}: name } }`;
    const refused = await postQuery(query, { id: owner.organizationId }, owner.token);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].message).toBe('Aliases must be at most 64 characters long.');
  });
});
