import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { findTokenRow } from '../src/auth/access-tokens.js';
import { principalFor } from '../src/auth/bearer.js';
import { flushTokenUses, utcDay } from '../src/auth/token-usage.js';
import { parseToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { db } from '../src/db/client.js';
import { call, errorCodes, graphql, useTestApp } from './support/app.js';
import { addMember, signUp, type Account } from './support/fixtures.js';
import {
  CreateToken,
  RevokeApiToken,
  RollApiToken,
  TokenDetails,
  TokenPolicy,
  UpdateApiToken,
  UpdateTokenPolicy,
} from './support/operations.js';
import { validSession } from './support/rest.js';

const testApp = useTestApp();
const DAY_MS = 86_400_000;

type TokenInput = { name?: string; abilities?: string[]; expiresAt?: string; mode?: 'LIVE' | 'TEST'; allowedIps?: string[] | null };

async function create(account: Account, input: TokenInput = {}) {
  const response = await graphql(
    testApp.app,
    CreateToken,
    { input: { organizationId: account.organizationId, name: 'Production API', ...input } },
    account.token,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createApiToken;
}

async function roll(account: Account, id: string, expiresInSeconds?: number) {
  const response = await graphql(testApp.app, RollApiToken, { id, expiresInSeconds }, account.token);
  expect(response.errors).toBeUndefined();
  return response.data!.rollApiToken;
}

async function tokenById(account: Account, id: string, days?: number) {
  const listed = await graphql(testApp.app, TokenDetails, { organizationId: account.organizationId, days }, account.token);
  expect(listed.errors).toBeUndefined();
  return listed.data!.apiTokens.find((token) => token.id === id)!;
}

/** POST /api/v2/session with `token` from `address` (the TCP peer), with extra headers. */
async function createSessionFrom(app: App, token: string, address: string, headers: Record<string, string> = {}) {
  const response = await call(
    app,
    '/api/v2/session',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(validSession),
    },
    address,
  );
  return { status: response.status, body: (await response.json()) as unknown };
}

async function getSessionFrom(app: App, token: string, address: string) {
  const response = await call(
    app,
    '/api/v2/session/00000000-0000-7000-8000-000000000000',
    { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
    address,
  );
  return { status: response.status, body: (await response.json()) as unknown };
}

const UNAUTHORIZED = { message: 'This action is unauthorized.' };

describe('hint', () => {
  it('is the last 4 characters of the secret, and the secret is in no other answer', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await create(owner);
    expect(apiToken.hint).toBe(plainTextToken.slice(-4));
    const listed = await graphql(testApp.app, TokenDetails, { organizationId: owner.organizationId }, owner.token);
    expect(JSON.stringify(listed)).not.toContain(plainTextToken.split('|')[1]);
  });
});

describe('allowedIps', () => {
  it('lets a REST call from an allowed address through and refuses others with 403, for POST and GET', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await create(owner, {
      allowedIps: ['203.0.113.0/24', '2001:db8:abcd::/48', '198.51.100.7'],
    });
    expect(apiToken.allowedIps).toEqual(['203.0.113.0/24', '2001:db8:abcd::/48', '198.51.100.7/32']);
    const allowed = ['203.0.113.0', '203.0.113.255', '2001:db8:abcd::1', '2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', '198.51.100.7', '::ffff:203.0.113.9'];
    const refused = ['203.0.112.255', '203.0.114.0', '2001:db8:abce::', '198.51.100.8', '10.0.0.1', '::1'];
    for (const address of allowed) {
      expect((await createSessionFrom(testApp.app, plainTextToken, address)).status, address).toBe(201);
      expect((await getSessionFrom(testApp.app, plainTextToken, address)).status, address).toBe(404);
    }
    for (const address of refused) {
      expect(await createSessionFrom(testApp.app, plainTextToken, address), address).toEqual({ status: 403, body: UNAUTHORIZED });
      expect(await getSessionFrom(testApp.app, plainTextToken, address), address).toEqual({ status: 403, body: UNAUTHORIZED });
    }
  });

  it('0.0.0.0/0 allows every IPv4 address and no IPv6 one', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await create(owner, { allowedIps: ['0.0.0.0/0'] });
    expect((await createSessionFrom(testApp.app, plainTextToken, '192.0.2.1')).status).toBe(201);
    expect((await createSessionFrom(testApp.app, plainTextToken, '2001:db8::1')).status).toBe(403);
  });

  it('uses the X-Forwarded-For entry the trusted proxy vouches for, never one the client wrote', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await create(owner, { allowedIps: ['203.0.113.7'] });
    const behindProxy = createApp(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://bouncer.test', TRUST_PROXY: '1' }));
    try {
      const proxy = '10.9.9.9';
      expect((await createSessionFrom(behindProxy, plainTextToken, proxy, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(201);
      // The client wrote 203.0.113.7 itself; the proxy appended the real address.
      expect(
        (await createSessionFrom(behindProxy, plainTextToken, proxy, { 'x-forwarded-for': '203.0.113.7, 192.0.2.50' })).status,
      ).toBe(403);
      // Without TRUST_PROXY the header is ignored: the peer is the client.
      expect((await createSessionFrom(testApp.app, plainTextToken, proxy, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);
    } finally {
      await behindProxy.dispose();
    }
  });

  it('counts refused calls against the address like failed tokens (429 past the limit), and not as uses', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await create(owner, { allowedIps: ['203.0.113.0/24'] });
    const app = createApp(
      loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://bouncer.test', RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: '3/1m' }),
    );
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await createSessionFrom(app, plainTextToken, '192.0.2.77')).status);
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
    } finally {
      await app.dispose();
    }
    await flushTokenUses();
    const token = await tokenById(owner, apiToken.id, 1);
    expect(token.lastUsedAt).toBeNull();
    expect(token.usage).toEqual([{ date: new Date().toISOString().slice(0, 10), requests: 0 }]);
  });

  it.each([
    [[], 'allowedIps must not be empty; send null to allow every address.'],
    [['10.0.0.0/33'], 'allowedIps: "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR range.'],
    [['10.1'], 'allowedIps: "10.1" is not an IPv4 or IPv6 address or CIDR range.'],
    [['example.com'], 'allowedIps: "example.com" is not an IPv4 or IPv6 address or CIDR range.'],
    [['2001:db8::/129'], 'allowedIps: "2001:db8::/129" is not an IPv4 or IPv6 address or CIDR range.'],
    [Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`), 'allowedIps may hold at most 50 entries.'],
  ])('refuses %j with BAD_USER_INPUT', async (allowedIps, message) => {
    const owner = await signUp(testApp.app);
    const response = await graphql(
      testApp.app,
      CreateToken,
      { input: { organizationId: owner.organizationId, name: 'x', allowedIps } },
      owner.token,
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe(message);
    expect(await db.accessToken.count({ where: { organizationId: Number(owner.organizationId) } })).toBe(0);
  });
});

describe('updateApiToken', () => {
  it('keeps omitted fields, removes the allowlist with null, and takes effect on the next request', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await create(owner, { name: 'Old name' });
    const update = (input: Record<string, unknown>) =>
      graphql(testApp.app, UpdateApiToken, { input: { id: apiToken.id, ...input } }, owner.token);

    expect((await update({ allowedIps: ['192.0.2.0/24'] })).data!.updateApiToken).toEqual({
      id: apiToken.id,
      name: 'Old name',
      allowedIps: ['192.0.2.0/24'],
    });
    expect((await createSessionFrom(testApp.app, plainTextToken, '198.51.100.1')).status).toBe(403);
    expect((await update({ name: '  New name ' })).data!.updateApiToken).toEqual({
      id: apiToken.id,
      name: 'New name',
      allowedIps: ['192.0.2.0/24'],
    });
    expect((await update({ allowedIps: null })).data!.updateApiToken).toEqual({ id: apiToken.id, name: 'New name', allowedIps: null });
    expect((await createSessionFrom(testApp.app, plainTextToken, '198.51.100.1')).status).toBe(201);
  });

  it('refuses a blank name, an empty list and invalid CIDRs with BAD_USER_INPUT; changes nothing', async () => {
    const owner = await signUp(testApp.app);
    const { apiToken } = await create(owner, { name: 'Kept', allowedIps: ['192.0.2.1'] });
    for (const input of [{ name: ' ' }, { name: null }, { allowedIps: [] }, { allowedIps: ['192.0.2.256'] }]) {
      const response = await graphql(testApp.app, UpdateApiToken, { input: { id: apiToken.id, ...input } }, owner.token);
      expect(errorCodes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
    }
    const token = await tokenById(owner, apiToken.id);
    expect([token.name, token.allowedIps]).toEqual(['Kept', ['192.0.2.1/32']]);
  });

  it("is for OWNERs and ADMINs of the token's organization only", async () => {
    const owner = await signUp(testApp.app);
    const member = await signUp(testApp.app);
    await addMember(member, owner.organizationId, 'MEMBER');
    const stranger = await signUp(testApp.app);
    const { apiToken } = await create(owner);
    const asMember = await graphql(testApp.app, UpdateApiToken, { input: { id: apiToken.id, name: 'x' } }, member.token);
    const asStranger = await graphql(testApp.app, UpdateApiToken, { input: { id: apiToken.id, name: 'x' } }, stranger.token);
    expect([errorCodes(asMember), errorCodes(asStranger)]).toEqual([['FORBIDDEN'], ['NOT_FOUND']]);
  });
});

describe('rollApiToken', () => {
  it('makes a successor with the same settings; both secrets work during the overlap', async () => {
    const owner = await signUp(testApp.app);
    const old = await create(owner, {
      name: 'Checkout',
      abilities: ['session:create'],
      mode: 'TEST',
      allowedIps: ['192.0.2.0/24'],
    });
    const before = Date.now();
    const rolled = await roll(owner, old.apiToken.id, 3600);
    expect(rolled.plainTextToken).not.toBe(old.plainTextToken);
    expect(rolled.apiToken).toMatchObject({
      name: 'Checkout',
      abilities: ['session:create'],
      mode: 'TEST',
      allowedIps: ['192.0.2.0/24'],
      expiresAt: null,
      hint: rolled.plainTextToken.slice(-4),
    });
    const oldNow = await tokenById(owner, old.apiToken.id);
    expect(oldNow.replacedBy).toEqual({ id: rolled.apiToken.id });
    const oldExpiry = new Date(oldNow.expiresAt!).getTime();
    expect(oldExpiry).toBeGreaterThanOrEqual(before + 3600_000);
    expect(oldExpiry).toBeLessThanOrEqual(Date.now() + 3600_000);
    for (const token of [old.plainTextToken, rolled.plainTextToken]) {
      expect((await createSessionFrom(testApp.app, token, '192.0.2.5')).status).toBe(201);
    }
  });

  it('the old token works until the overlap ends and then fails exactly like an expired token', async () => {
    const owner = await signUp(testApp.app);
    const old = await create(owner);
    await roll(owner, old.apiToken.id, 60);
    const parsed = parseToken(old.plainTextToken)!;
    const row = (await findTokenRow(parsed))!;
    const end = row.expiresAt!.getTime();
    expect(principalFor(row, parsed, new Date(end - 1), null)).toMatchObject({ type: 'apiToken' });
    expect(principalFor(row, parsed, new Date(end), null)).toBeNull();
  });

  it('with no overlap (0) the old token fails on the very next request; with 1 second just after it', async () => {
    const owner = await signUp(testApp.app);
    const first = await create(owner);
    await roll(owner, first.apiToken.id, 0);
    expect(await createSessionFrom(testApp.app, first.plainTextToken, '192.0.2.1')).toEqual({
      status: 401,
      body: { message: 'Unauthenticated.' },
    });
    const second = await create(owner);
    await roll(owner, second.apiToken.id, 1);
    expect((await createSessionFrom(testApp.app, second.plainTextToken, '192.0.2.1')).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await createSessionFrom(testApp.app, second.plainTextToken, '192.0.2.1')).status).toBe(401);
  });

  it('gives the successor the lifetime the old token had, counted from the roll, capped by the policy', async () => {
    const owner = await signUp(testApp.app);
    const old = await create(owner, { expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString() });
    const lifetime = new Date(old.apiToken.expiresAt!).getTime() - new Date(old.apiToken.createdAt).getTime();
    const before = Date.now();
    const rolled = await roll(owner, old.apiToken.id, 60);
    const successorExpiry = new Date(rolled.apiToken.expiresAt!).getTime();
    expect(successorExpiry).toBeGreaterThanOrEqual(before + lifetime);
    expect(successorExpiry).toBeLessThanOrEqual(Date.now() + lifetime);

    // A token that never expired gets the policy's longest lifetime once a policy exists.
    const forever = await create(owner);
    await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays: 7 }, owner.token);
    const capped = await roll(owner, forever.apiToken.id);
    const cappedExpiry = new Date(capped.apiToken.expiresAt!).getTime();
    expect(cappedExpiry).toBeGreaterThan(Date.now() + 7 * DAY_MS - 60_000);
    expect(cappedExpiry).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
  });

  it('keeps the old expiry when it comes before the overlap ends', async () => {
    const owner = await signUp(testApp.app);
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    const old = await create(owner, { expiresAt });
    await roll(owner, old.apiToken.id, 86_400);
    expect((await tokenById(owner, old.apiToken.id)).expiresAt).toBe(expiresAt);
  });

  it.each([-1, 604_801])('refuses expiresInSeconds %i with BAD_USER_INPUT', async (expiresInSeconds) => {
    const owner = await signUp(testApp.app);
    const old = await create(owner);
    const response = await graphql(testApp.app, RollApiToken, { id: old.apiToken.id, expiresInSeconds }, owner.token);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect((await tokenById(owner, old.apiToken.id)).replacedBy).toBeNull();
  });

  it('refuses revoked, expired and already rolled tokens with BAD_USER_INPUT', async () => {
    const owner = await signUp(testApp.app);
    const revoked = await create(owner);
    await graphql(testApp.app, RevokeApiToken, { id: revoked.apiToken.id }, owner.token);
    const expired = await create(owner, { expiresAt: new Date(Date.now() + 1000).toISOString() });
    const rolled = await create(owner);
    await roll(owner, rolled.apiToken.id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const id of [revoked.apiToken.id, expired.apiToken.id, rolled.apiToken.id]) {
      const response = await graphql(testApp.app, RollApiToken, { id }, owner.token);
      expect(errorCodes(response), id).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('still respects the live-token cap during the overlap (CONFLICT), but not with no overlap', async () => {
    const owner = await signUp(testApp.app);
    const capped = createApp(
      loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://bouncer.test', MAX_LIVE_TOKENS_PER_ORGANIZATION: '1' }),
    );
    try {
      const old = await create(owner);
      const overlapping = await graphql(capped, RollApiToken, { id: old.apiToken.id, expiresInSeconds: 60 }, owner.token);
      expect(errorCodes(overlapping)).toEqual(['CONFLICT']);
      const stillOld = await tokenById(owner, old.apiToken.id);
      expect([stillOld.expiresAt, stillOld.replacedBy]).toEqual([null, null]);
      const atOnce = await graphql(capped, RollApiToken, { id: old.apiToken.id, expiresInSeconds: 0 }, owner.token);
      expect(atOnce.errors).toBeUndefined();
    } finally {
      await capped.dispose();
    }
  });
});

describe('token policy', () => {
  it('is set by OWNERs only and then needs every new token to expire within it', async () => {
    const owner = await signUp(testApp.app);
    const admin = await signUp(testApp.app);
    await addMember(admin, owner.organizationId, 'ADMIN');
    const policy = () => graphql(testApp.app, TokenPolicy, { id: owner.organizationId }, owner.token);
    expect((await policy()).data!.organization!.tokenPolicy).toEqual({ maxLifetimeDays: null });

    const byAdmin = await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays: 30 }, admin.token);
    expect(errorCodes(byAdmin)).toEqual(['FORBIDDEN']);
    const set = await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays: 30 }, owner.token);
    expect(set.data!.updateTokenPolicy).toEqual({ maxLifetimeDays: 30 });
    expect((await policy()).data!.organization!.tokenPolicy).toEqual({ maxLifetimeDays: 30 });

    const attempt = (expiresAt?: string) =>
      graphql(testApp.app, CreateToken, { input: { organizationId: owner.organizationId, name: 'x', expiresAt } }, admin.token);
    expect(errorCodes(await attempt())).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await attempt(new Date(Date.now() + 31 * DAY_MS).toISOString()))).toEqual(['BAD_USER_INPUT']);
    expect((await attempt(new Date(Date.now() + 30 * DAY_MS).toISOString())).errors).toBeUndefined();

    await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays: null }, owner.token);
    expect((await attempt()).errors).toBeUndefined();
  });

  it.each([0, -5, 3651])('refuses maxLifetimeDays %i with BAD_USER_INPUT', async (maxLifetimeDays) => {
    const owner = await signUp(testApp.app);
    const response = await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays }, owner.token);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('usage and last use', () => {
  it('counts requests per UTC day, zero-filled, oldest first, with the last address', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await create(owner);
    for (let i = 0; i < 3; i += 1) await createSessionFrom(testApp.app, plainTextToken, '192.0.2.33');
    await getSessionFrom(testApp.app, plainTextToken, '192.0.2.33');
    // Counted before the flush too (this process's unwritten counts), and exactly once after it.
    const today = new Date().toISOString().slice(0, 10);
    expect((await tokenById(owner, apiToken.id, 1)).usage).toEqual([{ date: today, requests: 4 }]);
    await flushTokenUses();
    const token = await tokenById(owner, apiToken.id, 3);
    expect(token.usage).toEqual([
      { date: new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10), requests: 0 },
      { date: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10), requests: 0 },
      { date: today, requests: 4 },
    ]);
    expect(token.lastUsedIp).toBe('192.0.2.33');
    expect(token.lastUsedAt).not.toBeNull();
    expect((await tokenById(owner, apiToken.id)).usage).toHaveLength(30);
  });

  it.each([0, 91])('refuses usage(days: %i) with BAD_USER_INPUT', async (days) => {
    const owner = await signUp(testApp.app);
    await create(owner);
    const response = await graphql(testApp.app, TokenDetails, { organizationId: owner.organizationId, days }, owner.token);
    expect(errorCodes(response)).toContain('BAD_USER_INPUT');
  });
});

describe('audit events', () => {
  it('records create, update, roll and revoke with actor, origin and target, and never a secret', async () => {
    const owner = await signUp(testApp.app);
    const created = await create(owner);
    await graphql(testApp.app, UpdateApiToken, { input: { id: created.apiToken.id, name: 'Renamed' } }, owner.token);
    const rolled = await roll(owner, created.apiToken.id, 0);
    await graphql(testApp.app, RevokeApiToken, { id: rolled.apiToken.id }, owner.token);
    await graphql(testApp.app, RevokeApiToken, { id: rolled.apiToken.id }, owner.token); // again: nothing new
    await graphql(testApp.app, UpdateTokenPolicy, { organizationId: owner.organizationId, maxLifetimeDays: 90 }, owner.token);

    const events = await db.auditEvent.findMany({ where: { organizationId: Number(owner.organizationId) }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.action, event.target])).toEqual([
      ['api_token.created', `api_token:${created.apiToken.id}`],
      ['api_token.updated', `api_token:${created.apiToken.id}`],
      ['api_token.rolled', `api_token:${created.apiToken.id}`],
      ['api_token.created', `api_token:${rolled.apiToken.id}`],
      ['api_token.revoked', `api_token:${rolled.apiToken.id}`],
      ['token_policy.updated', `organization:${owner.organizationId}`],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ actorType: 'user', actorId: Number(owner.userId) });
      expect(event.ip).toMatch(/^10\./); // the test client's address
    }
    const stored = JSON.stringify(events);
    for (const secret of [created.plainTextToken, rolled.plainTextToken]) {
      expect(stored).not.toContain(secret.split('|')[1]!.slice(0, 40));
    }
  });

  it('records nothing when the change is refused', async () => {
    const owner = await signUp(testApp.app);
    await graphql(testApp.app, CreateToken, { input: { organizationId: owner.organizationId, name: 'x', allowedIps: [] } }, owner.token);
    expect(await db.auditEvent.count({ where: { organizationId: Number(owner.organizationId) } })).toBe(0);
  });
});

describe('utcDay (the day requests are counted on)', () => {
  it('names the UTC day of any time, across midnight and back', () => {
    const times = ['2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2026-12-01T12:00:00Z'];
    expect(times.map((time) => utcDay(new Date(time)))).toEqual(['2026-11-30', '2026-12-01', '2026-11-30', '1969-12-31', '2026-12-01']);
  });
});
