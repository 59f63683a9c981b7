import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { runTransitions } from '../../src/sessions/lifecycle.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, signUp, type Account } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';

/** The REST additions of the session lifecycle: listing, cancelling, and idempotent creation. */

const testApp = useTestApp();

async function tokens(account?: Account) {
  const owner = account ?? (await signUp(testApp.app));
  const live = (await createApiToken(testApp.app, owner, { mode: 'LIVE' })).plainTextToken;
  const test = (await createApiToken(testApp.app, owner, { mode: 'TEST' })).plainTextToken;
  return { owner, live, test };
}

const create = async (token: string, body: object = validSession) => {
  const response = await rest(testApp.app, 'POST', '/api/v2/session', { token, body });
  expect(response.status).toBe(201);
  return response.body.data.id as string;
};
const list = (token: string, query = '') => rest(testApp.app, 'GET', `/api/v2/sessions${query}`, { token });
const cancel = (token: string, id: string) => rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token });

async function createWithKey(token: string, key: string, body: object = validSession) {
  const response = await call(testApp.app, '/api/v2/session', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('GET /api/v2/sessions', () => {
  it('lists the sessions of the token’s mode only, newest first, in pages', async () => {
    const { live, test } = await tokens();
    const liveIds: string[] = [];
    for (let i = 0; i < 5; i++) liveIds.push(await create(live));
    const testId = await create(test);
    const other = await tokens();
    await create(other.live);

    const first = await list(live, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((s: any) => s.id)).toEqual([liveIds[4], liveIds[3]]);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data[0]).toMatchObject({ livemode: true, status: 'created', completed_at: null });
    const second = await list(live, `?limit=2&starting_after=${liveIds[3]}`);
    expect(second.body.data.map((s: any) => s.id)).toEqual([liveIds[2], liveIds[1]]);
    const last = await list(live, `?limit=2&starting_after=${liveIds[1]}`);
    expect(last.body).toEqual({ data: [expect.objectContaining({ id: liveIds[0] })], has_more: false });

    const all = await list(live);
    expect(all.body.data).toHaveLength(5); // default limit 20: every live one, no test or other-organization session
    const tests = await list(test);
    expect(tests.body).toEqual({ data: [expect.objectContaining({ id: testId, livemode: false })], has_more: false });
  });

  it('filters by status as of now, expired included before any sweep', async () => {
    const { test } = await tokens();
    const [a, b, c, d] = [await create(test), await create(test), await create(test), await create(test)];
    await runTransitions(a, ['open', 'approve']);
    await runTransitions(b, ['open']);
    await db.verificationSession.update({ where: { id: c }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const ids = async (status: string) => (await list(test, `?status=${status}`)).body.data.map((s: any) => s.id);
    expect(await ids('completed')).toEqual([a]);
    expect(await ids('pending')).toEqual([b]);
    expect(await ids('expired')).toEqual([c]);
    expect(await ids('created')).toEqual([d]);
    expect(await ids('cancelled')).toEqual([]);
  });

  it.each([
    ['?limit=0', 'limit', 'The limit field must be between 1 and 100.'],
    ['?limit=101', 'limit', 'The limit field must be between 1 and 100.'],
    ['?limit=ten', 'limit', 'The limit field must be an integer.'],
    ['?status=approved', 'status', 'The selected status is invalid.'],
    ['?starting_after=42', 'starting_after', 'The starting after field must be a valid UUID.'],
    ['?status=pending&status=created', 'status', 'The selected status is invalid.'],
  ])('refuses %s with 422', async (query, field, message) => {
    const { live } = await tokens();
    const response = await list(live, query);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ message, errors: { [field]: [message] } });
  });

  it('accepts limit 1 and 100', async () => {
    const { live } = await tokens();
    await create(live);
    await create(live);
    expect((await list(live, '?limit=1')).body).toMatchObject({ has_more: true });
    expect((await list(live, '?limit=100')).body.data).toHaveLength(2);
  });
});

describe('POST /api/v2/session/{id}/cancel', () => {
  it('cancels an open session: 200 with the session; afterwards 409', async () => {
    const { live } = await tokens();
    const id = await create(live);
    const response = await cancel(live, id);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id, status: 'cancelled', success: null, livemode: true, completed_at: null });
    expect(await cancel(live, id)).toMatchObject({ status: 409, body: { message: 'Session can no longer be cancelled.' } });
  });

  it('answers 409 for completed and expired sessions, and leaves them as they are', async () => {
    const { test } = await tokens();
    const completed = await create(test);
    await runTransitions(completed, ['open', 'decline']);
    const expired = await create(test);
    await db.verificationSession.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const id of [completed, expired]) {
      expect(await cancel(test, id)).toMatchObject({ status: 409, body: { message: 'Session can no longer be cancelled.' } });
    }
    const read = await rest(testApp.app, 'GET', `/api/v2/session/${completed}`, { token: test });
    expect(read.body.data).toMatchObject({ status: 'completed', success: false });
  });

  it('answers 404 for another organization’s session and leaves it open', async () => {
    const mine = await tokens();
    const theirs = await tokens();
    const id = await create(theirs.live);
    expect(await cancel(mine.live, id)).toMatchObject({ status: 404, body: { message: 'Session not found.' } });
    expect((await rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token: theirs.live })).body.data.status).toBe('created');
  });

  it('needs session:create', async () => {
    const owner = await signUp(testApp.app);
    const { live } = await tokens(owner);
    const readOnly = (await createApiToken(testApp.app, owner, { abilities: ['session:read'] })).plainTextToken;
    const id = await create(live);
    expect((await cancel(readOnly, id)).status).toBe(403);
  });
});

describe('Idempotency-Key on POST /api/v2/session', () => {
  it('answers the first answer again for the same key and body', async () => {
    const { live, owner } = await tokens();
    const first = await createWithKey(live, 'order-42');
    const second = await createWithKey(live, 'order-42');
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(await db.verificationSession.count({ where: { organizationId: Number(owner.organizationId) } })).toBe(1);
  });

  it('refuses the same key with another body (422), and keeps the first session', async () => {
    const { live } = await tokens();
    const first = await createWithKey(live, 'order-43');
    const other = await createWithKey(live, 'order-43', { ...validSession, age_target: 21 });
    expect(other).toEqual({
      status: 422,
      body: {
        message: 'The idempotency key was already used with another request.',
        errors: { idempotency_key: ['The idempotency key was already used with another request.'] },
      },
    });
    expect((await createWithKey(live, 'order-43')).body).toEqual(first.body);
  });

  it('makes one session of concurrent duplicates', async () => {
    const { live, owner } = await tokens();
    const answers = await Promise.all(Array.from({ length: 8 }, () => createWithKey(live, 'burst')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.data.id)).size).toBe(1);
    expect(await db.verificationSession.count({ where: { organizationId: Number(owner.organizationId) } })).toBe(1);
  });

  it('scopes keys per organization, and tells a TEST token’s request from a LIVE one', async () => {
    const one = await tokens();
    const two = await tokens();
    const a = await createWithKey(one.live, 'shared');
    const b = await createWithKey(two.live, 'shared');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.data.id).not.toBe(b.body.data.id);
    expect((await createWithKey(one.test, 'shared')).status).toBe(422);
  });

  it('uses a key anew after 24 hours', async () => {
    const { live } = await tokens();
    const first = await createWithKey(live, 'daily');
    await db.verificationSession.update({
      where: { id: first.body.data.id },
      data: { issuedAt: new Date(Date.now() - 25 * 3600 * 1000) },
    });
    const next = await createWithKey(live, 'daily');
    expect(next.status).toBe(201);
    expect(next.body.data.id).not.toBe(first.body.data.id);
    expect((await createWithKey(live, 'daily')).body.data.id).toBe(next.body.data.id);
  });

  it.each([
    ['', 'The idempotency key field is required.'],
    ['k'.repeat(256), 'The idempotency key field must not be greater than 255 characters.'],
    ['caf\u00e9', 'The idempotency key field must only contain printable ASCII characters.'],
  ])('refuses the key %j with 422', async (key, message) => {
    const { live } = await tokens();
    const response = await createWithKey(live, key);
    expect(response).toEqual({ status: 422, body: { message, errors: { idempotency_key: [message] } } });
  });

  it('accepts a key of 255 characters; reports body and key errors together; 401 before anything else', async () => {
    const { live } = await tokens();
    expect((await createWithKey(live, 'k'.repeat(255))).status).toBe(201);
    const both = await createWithKey(live, '', { redirect_url: 'https://shop.example/' });
    expect(both.status).toBe(422);
    expect(Object.keys(both.body.errors)).toEqual(['age_target', 'idempotency_key']);
    expect((await createWithKey('1|wrong', 'x')).status).toBe(401);
  });
});
