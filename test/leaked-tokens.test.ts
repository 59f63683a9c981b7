import { describe, expect, it } from 'vitest';
import { formatToken, generateSecret, hashSecret } from '../src/auth/tokens.js';
import { db } from '../src/db/client.js';
import { call, errorCodes, graphql, useTestApp } from './support/app.js';
import { createApiToken, signUp, type Account } from './support/fixtures.js';
import { AuditLog, Me } from './support/operations.js';
import { rest, type RestResponse } from './support/rest.js';

const PREFIX = 'bouncer_';
const testApp = useTestApp({ TOKEN_PREFIX: PREFIX, RATE_LIMIT_LEAK_REPORTS_PER_ADDRESS: '10/1m' });

const ACCEPTED = { message: 'Accepted.' };
const REPORTER = { address: '192.0.2.55', userAgent: 'GitHub-Secret-Scanning/1.0' };

/** Reports values as a scanner would: from its own address (a fresh one unless given). */
async function report(credentials: unknown, address?: string): Promise<RestResponse> {
  const response = await call(
    testApp.app,
    '/api/v2/tokens/revoke',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': REPORTER.userAgent },
      body: JSON.stringify({ credentials }),
    },
    address,
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Whether the token still opens the REST API (401 once revoked; 404 for the unknown session otherwise). */
async function works(token: string): Promise<boolean> {
  const response = await rest(testApp.app, 'GET', '/api/v2/session/00000000-0000-7000-8000-000000000000', { token });
  expect([401, 404]).toContain(response.status);
  return response.status === 404;
}

async function auditEvents(owner: Account) {
  const response = await graphql(testApp.app, AuditLog, { id: owner.organizationId, first: 100 }, owner.token);
  expect(response.errors).toBeUndefined();
  return response.data!.organization!.auditLog.edges.map((edge) => edge.node);
}

/** `count` live API tokens of the organization, stored directly (faster than creating them one by one). */
async function storedTokens(organizationId: string, count: number, data: { expiresAt?: Date; revokedAt?: Date } = {}) {
  const secrets = Array.from({ length: count }, () => generateSecret(PREFIX));
  const rows = await db.accessToken.createManyAndReturn({
    data: secrets.map((secret, i) => ({ kind: 'API' as const, name: `Leaky ${i}`, tokenHash: hashSecret(secret), organizationId: Number(organizationId), ...data })),
    select: { id: true, tokenHash: true },
  });
  const byHash = new Map(secrets.map((secret) => [hashSecret(secret), secret]));
  return rows.map((row) => formatToken(row.id, byHash.get(row.tokenHash)!));
}

/** A well-formed token (shape and CRC32) that this server never issued. */
const unknownToken = (id = 2_000_000_000) => formatToken(id, generateSecret(PREFIX));

describe('POST /api/v2/tokens/revoke', () => {
  it('revokes a live API token at once and records it in its organization’s audit log', async () => {
    const owner = await signUp(testApp.app);
    const created = await createApiToken(testApp.app, owner);
    expect(await works(created.plainTextToken)).toBe(true);

    const response = await report([created.plainTextToken], REPORTER.address);
    expect(response.status).toBe(202);
    expect(response.body).toEqual(ACCEPTED);
    expect(await works(created.plainTextToken)).toBe(false);

    const [event] = await auditEvents(owner);
    expect(event).toMatchObject({
      action: 'api_token.revoked_by_leak_report',
      actorType: 'leak-report',
      actor: null,
      target: `api_token:${created.apiToken.id}`,
      ip: REPORTER.address,
      userAgent: REPORTER.userAgent,
    });
    const secret = created.plainTextToken.split('|')[1]!;
    expect(JSON.stringify(await db.auditEvent.findMany())).not.toContain(secret);

    // Reported again: already revoked, nothing more recorded.
    expect(await report([created.plainTextToken])).toMatchObject({ status: 202, body: ACCEPTED });
    expect((await auditEvents(owner)).filter((logged) => logged.action === 'api_token.revoked_by_leak_report')).toHaveLength(1);
  });

  it('revokes a token sent without its id (looked up by its digest), and a dashboard sign-in', async () => {
    const owner = await signUp(testApp.app);
    const [token] = await storedTokens(owner.organizationId, 1);
    const bare = token!.split('|')[1]!;
    const signedIn = await signUp(testApp.app);
    expect((await graphql(testApp.app, Me, {}, signedIn.token)).data?.me?.email).toBe(signedIn.email);

    expect(await report([bare, signedIn.token])).toMatchObject({ status: 202, body: ACCEPTED });
    expect(await works(token!)).toBe(false);
    expect(errorCodes(await graphql(testApp.app, Me, {}, signedIn.token))).toEqual(['UNAUTHENTICATED']);
    // A sign-in belongs to no organization: only the API token is in an audit log.
    expect((await auditEvents(owner)).map((event) => event.action)).toEqual(['api_token.revoked_by_leak_report']);
    expect(await db.auditEvent.count({ where: { organizationId: Number(signedIn.organizationId) } })).toBe(0);
  });

  it('answers the same for revoked, expired, unknown, mistyped and malformed values, and changes nothing', async () => {
    const owner = await signUp(testApp.app);
    const [revoked] = await storedTokens(owner.organizationId, 1, { revokedAt: new Date(Date.now() - 60_000) });
    const [expired] = await storedTokens(owner.organizationId, 1, { expiresAt: new Date(Date.now() - 60_000) });
    const [live] = await storedTokens(owner.organizationId, 1);
    const liveId = Number(live!.split('|')[0]);
    const before = await db.accessToken.findMany({ where: { organizationId: Number(owner.organizationId) }, orderBy: { id: 'asc' } });

    const values = [
      revoked!,
      expired!,
      unknownToken(),
      formatToken(liveId, generateSecret(PREFIX)), // the live token's id with another (well-formed) secret
      live!.slice(0, -1) + (live!.endsWith('0') ? '1' : '0'), // the live token mistyped: its CRC32 fails
      'not a token',
      '',
      'x'.repeat(5000),
    ];
    const answers = [await report(values)];
    for (const value of values) answers.push(await report([value]));
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(ACCEPTED);
      expect(answer.headers.get('content-length')).toBe(answers[0]!.headers.get('content-length'));
    }

    const after = await db.accessToken.findMany({ where: { organizationId: Number(owner.organizationId) }, orderBy: { id: 'asc' } });
    expect(after).toEqual(before);
    expect(await works(live!)).toBe(true);
    expect(await auditEvents(owner)).toEqual([]);
  });

  it('takes 1000 values in one request, quickly', async () => {
    const owner = await signUp(testApp.app);
    const live = await storedTokens(owner.organizationId, 500);
    const values = [...live, ...Array.from({ length: 500 }, (_, i) => unknownToken(1_500_000_000 + i))];
    expect(JSON.stringify({ credentials: values }).length).toBeGreaterThan(64 * 1024); // past the session API's body limit

    const started = performance.now();
    const response = await report(values);
    const elapsed = performance.now() - started;
    expect(response).toMatchObject({ status: 202, body: ACCEPTED });
    console.info(`1000 values (500 live) revoked in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(5_000);

    expect(await db.accessToken.count({ where: { organizationId: Number(owner.organizationId), revokedAt: null } })).toBe(0);
    const events = await db.auditEvent.count({ where: { organizationId: Number(owner.organizationId), action: 'api_token.revoked_by_leak_report' } });
    expect(events).toBe(500);
  });

  it('is no timing oracle for guesses: existing ids with wrong secrets take as long as ids no token has', async () => {
    const owner = await signUp(testApp.app);
    const rounds = 9;
    const size = 100;
    const existing = (await storedTokens(owner.organizationId, size)).map((token) => Number(token.split('|')[0]));
    const timeOf = async (values: string[]) => {
      const started = performance.now();
      const response = await report(values);
      expect(response).toMatchObject({ status: 202, body: ACCEPTED });
      return performance.now() - started;
    };
    const guessed: number[] = [];
    const unknown: number[] = [];
    const live: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Every value well-formed (shape and CRC32), with ids of the same size.
      guessed.push(await timeOf(existing.map((id) => formatToken(id, generateSecret(PREFIX)))));
      unknown.push(await timeOf(Array.from({ length: size }, (_, i) => unknownToken(1_000_000_000 + round * size + i))));
      if (round < 3) live.push(await timeOf(await storedTokens(owner.organizationId, size)));
    }
    const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    console.info(
      `median per batch of ${size}: wrong secrets ${median(guessed).toFixed(1)} ms, unknown ids ${median(unknown).toFixed(1)} ms, live tokens ${median(live).toFixed(1)} ms`,
    );
    // Generous: shared CPUs are noisy. A query or a short cut per value would be far outside.
    expect(median(guessed)).toBeLessThan(median(unknown) * 2 + 10);
    expect(median(unknown)).toBeLessThan(median(guessed) * 2 + 10);
    expect(await db.accessToken.count({ where: { id: { in: existing }, revokedAt: { not: null } } })).toBe(0);
  });

  it('refuses bodies that are not {"credentials": [1 to 1000 strings]} with Laravel’s 422, non-JSON with 400', async () => {
    const cases: [unknown, Record<string, string[]>][] = [
      [undefined, { credentials: ['The credentials field is required.'] }],
      [[], { credentials: ['The credentials field is required.'] }],
      ['1|abc', { credentials: ['The credentials field must be an array.'] }],
      [Array.from({ length: 1001 }, () => 'x'), { credentials: ['The credentials field must not have more than 1000 items.'] }],
      [['ok', 7, null], { 'credentials.1': ['The credentials.1 field must be a string.'], 'credentials.2': ['The credentials.2 field must be a string.'] }],
    ];
    for (const [credentials, errors] of cases) {
      const response = await report(credentials);
      expect(response.status, JSON.stringify(credentials)?.slice(0, 40)).toBe(422);
      expect(response.body.errors).toEqual(errors);
      expect(response.body.message).toBe(Object.values(errors).flat().length > 1 ? `${Object.values(errors)[0]![0]} (and 1 more error)` : Object.values(errors)[0]![0]);
    }
    for (const rawBody of ['{"credentials": [', '["1|abc"]', 'null']) {
      const response = await rest(testApp.app, 'POST', '/api/v2/tokens/revoke', { rawBody });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body)).toEqual(['message']);
    }
    const tooLarge = await rest(testApp.app, 'POST', '/api/v2/tokens/revoke', { rawBody: JSON.stringify({ credentials: ['x'.repeat(140_000)] }) });
    expect(tooLarge).toMatchObject({ status: 413, body: { message: 'The request body must not be larger than 128 KB.' } });
    expect((await rest(testApp.app, 'GET', '/api/v2/tokens/revoke')).status).toBe(405);
  });

  it('limits reports per client address: 429 with Retry-After', async () => {
    const address = '203.0.113.99';
    for (let i = 0; i < 10; i++) expect((await report([unknownToken()], address)).status).toBe(202);
    const limited = await report([unknownToken()], address);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too many leaked-token reports from this address. Try again later.' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bad bodies count too; other addresses are not affected.
    expect((await report('garbage', address)).status).toBe(429);
    expect((await report([unknownToken()], '203.0.113.100')).status).toBe(202);
  });
});
