import { describe, expect, it } from 'vitest';
import { flushTokenUses } from '../src/auth/token-usage.js';
import { db } from '../src/db/client.js';
import { graphql, useTestApp } from './support/app.js';
import { createApiToken, signUp, type Account } from './support/fixtures.js';
import { RevokeApiToken } from './support/operations.js';
import { rest, validSession } from './support/rest.js';

const testApp = useTestApp();
const UNAUTHENTICATED = { message: 'Unauthenticated.' };
const UNAUTHORIZED = { message: 'This action is unauthorized.' };
const NOT_FOUND = { message: 'Session not found.' };

async function integrator(abilities?: string[]): Promise<{ account: Account; token: string; tokenId: string }> {
  const account = await signUp(testApp.app);
  const { plainTextToken, apiToken } = await createApiToken(testApp.app, account, abilities ? { abilities } : {});
  return { account, token: plainTextToken, tokenId: apiToken.id };
}

const post = (token: string | undefined, body: unknown) => rest(testApp.app, 'POST', '/api/v2/session', { token, body });
const get = (token: string | undefined, id: string) => rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token });

describe('POST /api/v2/session', () => {
  it('creates a session: 201 with id, verify_url, issued_at and expires_at', async () => {
    const { token } = await integrator();
    const before = Math.floor(Date.now() / 1000);
    const response = await post(token, validSession);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('application/json');
    const { data } = response.body;
    expect(Object.keys(response.body)).toEqual(['data']);
    expect(Object.keys(data)).toEqual(['id', 'verify_url', 'issued_at', 'expires_at', 'livemode']);
    expect(data.livemode).toBe(true);
    expect(data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(data.verify_url).toBe(`https://bouncer.test/verify/${data.id}`);
    expect(data.issued_at).toBeGreaterThanOrEqual(before);
    expect(data.issued_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(data.expires_at - data.issued_at).toBe(300);
  });

  it('stores every field and returns them from GET', async () => {
    const { token } = await integrator();
    const created = await post(token, {
      age_target: 21,
      redirect_url: 'https://shop.example/done?order=42',
      force_kyc: true,
      force_verification: '1',
      metadata: ['order:42', 'customer:c-7', 'note:a:b'],
      webhook_url: 'https://shop.example/hooks/bouncer',
      expiration_time: 3600,
      unknown_field: 'ignored',
    });
    expect(created.status).toBe(201);
    const { id, issued_at, expires_at } = created.body.data;
    expect(expires_at - issued_at).toBe(3600);
    const read = await get(token, id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      data: {
        id,
        status: 'created',
        success: null,
        age_target: 21,
        redirect_url: 'https://shop.example/done?order=42',
        metadata: ['order:42', 'customer:c-7', 'note:a:b'],
        issued_at,
        expires_at,
        livemode: true,
        completed_at: null,
      },
    });
    const row = await db.verificationSession.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ forceKyc: true, forceVerification: true, webhookUrl: 'https://shop.example/hooks/bouncer' });
  });

  it('defaults force_kyc and force_verification to false and metadata to null', async () => {
    const { token } = await integrator();
    const { body } = await post(token, validSession);
    const row = await db.verificationSession.findUniqueOrThrow({ where: { id: body.data.id } });
    expect(row).toMatchObject({ forceKyc: false, forceVerification: false, metadata: null, webhookUrl: null });
    expect((await get(token, body.data.id)).body.data.metadata).toBeNull();
  });

  it.each([8, 13, 16, 18, 21, 25, 30])('accepts age_target %i', async (age) => {
    const { token } = await integrator();
    const response = await post(token, { ...validSession, age_target: age });
    expect(response.status).toBe(201);
    expect((await get(token, response.body.data.id)).body.data.age_target).toBe(age);
  });

  it.each([
    [60, 60],
    [3600, 3600],
    ['120', 120],
  ])('accepts expiration_time %j', async (value, seconds) => {
    const { token } = await integrator();
    const { status, body } = await post(token, { ...validSession, expiration_time: value });
    expect(status).toBe(201);
    expect(body.data.expires_at - body.data.issued_at).toBe(seconds);
  });

  it('accepts URLs of exactly 2048 characters and metadata null', async () => {
    const { token } = await integrator();
    const url = `https://shop.example/${'a'.repeat(2048 - 'https://shop.example/'.length)}`;
    expect(url).toHaveLength(2048);
    const response = await post(token, { ...validSession, redirect_url: url, webhook_url: url, metadata: null });
    expect(response.status).toBe(201);
  });

  it('creates every one of many parallel requests made with one token', async () => {
    const { token, account } = await integrator();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(token, { ...validSession, metadata: [`n:${i}`] })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.body.data.id)).size).toBe(50);
    expect(await db.verificationSession.count({ where: { organizationId: Number(account.organizationId) } })).toBe(50);
  });
});

describe('validation (422, Laravel’s body)', () => {
  async function expectInvalid(body: unknown, errors: Record<string, string[]>) {
    const { token, account } = await integrator();
    const response = await post(token, body);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual(errors);
    const all = Object.values(errors).flat();
    const more = all.length - 1;
    expect(response.body.message).toBe(
      more === 0 ? all[0] : `${all[0]} (and ${more} more ${more === 1 ? 'error' : 'errors'})`,
    );
    expect(Object.keys(response.body)).toEqual(['message', 'errors']);
    expect(await db.verificationSession.count({ where: { organizationId: Number(account.organizationId) } })).toBe(0);
  }

  it('requires age_target and redirect_url', async () => {
    await expectInvalid({}, {
      age_target: ['The age target field is required.'],
      redirect_url: ['The redirect url field is required.'],
    });
  });

  it('counts "(and 1 more error)" in the singular', async () => {
    await expectInvalid({ age_target: 18, redirect_url: 'nope', expiration_time: 5 }, {
      redirect_url: ['The redirect url field must be a valid URL.'],
      expiration_time: ['The expiration time field must be between 60 and 3600.'],
    });
  });

  it.each([
    [17, ['The selected age target is invalid.']],
    [0, ['The selected age target is invalid.']],
    [-18, ['The selected age target is invalid.']],
    [18.5, ['The age target field must be an integer.', 'The selected age target is invalid.']],
    ['abc', ['The age target field must be an integer.', 'The selected age target is invalid.']],
    [true, ['The age target field must be an integer.', 'The selected age target is invalid.']],
    [[18], ['The age target field must be an integer.', 'The selected age target is invalid.']],
    [{ value: 18 }, ['The age target field must be an integer.', 'The selected age target is invalid.']],
    ['', ['The age target field is required.']],
    [null, ['The age target field is required.']],
  ])('refuses age_target %j', async (age_target, messages) => {
    await expectInvalid({ ...validSession, age_target }, { age_target: messages });
  });

  it.each([
    ['not a url', ['The redirect url field must be a valid URL.']],
    ['ftp://shop.example/file', ['The redirect url field must be a valid URL.']],
    ['javascript:alert(1)', ['The redirect url field must be a valid URL.']],
    ['https://', ['The redirect url field must be a valid URL.']],
    ['/relative/path', ['The redirect url field must be a valid URL.']],
    ['https://shop example.com/', ['The redirect url field must be a valid URL.']],
    [42, ['The redirect url field must be a valid URL.']],
    [`https://shop.example/${'a'.repeat(2028)}`, ['The redirect url field must not be greater than 2048 characters.']],
    ['   ', ['The redirect url field is required.']],
  ])('refuses redirect_url %j', async (redirect_url, messages) => {
    await expectInvalid({ ...validSession, redirect_url }, { redirect_url: messages });
  });

  it('refuses a webhook_url that is not an http(s) URL or too long', async () => {
    await expectInvalid({ ...validSession, webhook_url: 'mailto:ops@shop.example' }, {
      webhook_url: ['The webhook url field must be a valid URL.'],
    });
    await expectInvalid({ ...validSession, webhook_url: `https://x.example/${'a'.repeat(2031)}` }, {
      webhook_url: ['The webhook url field must not be greater than 2048 characters.'],
    });
  });

  it.each(['yes', 2, null, 'true', []])('refuses force_kyc and force_verification %j', async (value) => {
    await expectInvalid({ ...validSession, force_kyc: value, force_verification: value }, {
      force_kyc: ['The force kyc field must be true or false.'],
      force_verification: ['The force verification field must be true or false.'],
    });
  });

  it('refuses metadata that is not a list of "key:value" strings', async () => {
    await expectInvalid({ ...validSession, metadata: 'order:42' }, { metadata: ['The metadata field must be an array.'] });
    await expectInvalid({ ...validSession, metadata: { order: '42' } }, { metadata: ['The metadata field must be an array.'] });
    await expectInvalid({ ...validSession, metadata: ['order:42', 'no colon', 7, ':value', `k:${'v'.repeat(254)}`] }, {
      'metadata.1': ['The metadata.1 field format is invalid.'],
      'metadata.2': ['The metadata.2 field must be a string.'],
      'metadata.3': ['The metadata.3 field format is invalid.'],
      'metadata.4': ['The metadata.4 field must not be greater than 255 characters.'],
    });
    await expectInvalid({ ...validSession, metadata: Array.from({ length: 51 }, (_, i) => `k:${i}`) }, {
      metadata: ['The metadata field must not have more than 50 items.'],
    });
  });

  it.each([
    [59, ['The expiration time field must be between 60 and 3600.']],
    [3601, ['The expiration time field must be between 60 and 3600.']],
    [0, ['The expiration time field must be between 60 and 3600.']],
    [300.5, ['The expiration time field must be an integer.']],
    ['five minutes', ['The expiration time field must be an integer.']],
    [null, ['The expiration time field must be an integer.']],
  ])('refuses expiration_time %j', async (expiration_time, messages) => {
    await expectInvalid({ ...validSession, expiration_time }, { expiration_time: messages });
  });

  it('lists the errors of every field in field order', async () => {
    await expectInvalid({ age_target: 99, redirect_url: 'x', force_kyc: 'x', metadata: 1, webhook_url: 'x', expiration_time: 1 }, {
      age_target: ['The selected age target is invalid.'],
      redirect_url: ['The redirect url field must be a valid URL.'],
      force_kyc: ['The force kyc field must be true or false.'],
      metadata: ['The metadata field must be an array.'],
      webhook_url: ['The webhook url field must be a valid URL.'],
      expiration_time: ['The expiration time field must be between 60 and 3600.'],
    });
  });
});

describe('request bodies that are not JSON objects', () => {
  it.each([
    ['malformed JSON', '{"age_target": 18,', 400, 'The request body must be valid JSON.'],
    ['a JSON array', '[1, 2]', 400, 'The request body must be a JSON object.'],
    ['a JSON string', '"hello"', 400, 'The request body must be a JSON object.'],
    ['JSON null', 'null', 400, 'The request body must be a JSON object.'],
    ['a body over 64 KB', JSON.stringify({ ...validSession, pad: 'x'.repeat(70_000) }), 413, 'The request body must not be larger than 64 KB.'],
  ])('answers %s with a 4xx JSON message', async (_label, rawBody, status, message) => {
    const { token } = await integrator();
    const response = await rest(testApp.app, 'POST', '/api/v2/session', { token, rawBody });
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ message });
  });

  it('treats an empty body as an empty object (422)', async () => {
    const { token } = await integrator();
    const response = await rest(testApp.app, 'POST', '/api/v2/session', { token, rawBody: '' });
    expect(response.status).toBe(422);
  });
});

describe('authentication and authorization', () => {
  it('answers exactly {"message":"Unauthenticated."} with 401 for missing, malformed, unknown, expired and revoked tokens', async () => {
    const { token, tokenId, account } = await integrator();
    const [, secret] = token.split('|') as [string, string];
    const expired = await createApiToken(testApp.app, account, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await db.accessToken.update({ where: { id: Number(expired.apiToken.id) }, data: { expiresAt: new Date(Date.now() - 1) } });
    const revoked = await createApiToken(testApp.app, account);
    await graphql(testApp.app, RevokeApiToken, { id: revoked.apiToken.id }, account.token);

    const headers = [
      undefined,
      '',
      'Bearer',
      `Basic ${token}`,
      `Bearer ${token}x`,
      `Bearer ${Number(tokenId) + 10_000}|${secret}`,
      `Bearer ${expired.plainTextToken}`,
      `Bearer ${revoked.plainTextToken}`,
    ];
    for (const authorization of headers) {
      for (const [method, path] of [['POST', '/api/v2/session'], ['GET', '/api/v2/session/00000000-0000-7000-8000-000000000000']] as const) {
        const response = await rest(testApp.app, method, path, { authorization, body: method === 'POST' ? validSession : undefined });
        expect(response.status, `${method} with ${authorization}`).toBe(401);
        expect(response.body).toEqual(UNAUTHENTICATED);
      }
    }
  });

  it('matches the Bearer scheme case-insensitively', async () => {
    const { token } = await integrator();
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const response = await rest(testApp.app, 'POST', '/api/v2/session', { authorization: `${scheme} ${token}`, body: validSession });
      expect(response.status).toBe(201);
    }
  });

  it('authenticates before validating: a bad body without a token is 401, not 422', async () => {
    const response = await post(undefined, { age_target: 'x' });
    expect(response).toMatchObject({ status: 401, body: UNAUTHENTICATED });
  });

  it('answers 403 for a token without the ability, and for a dashboard user token', async () => {
    const readOnly = await integrator(['session:read']);
    const createOnly = await integrator(['session:create']);
    expect(await post(readOnly.token, validSession)).toMatchObject({ status: 403, body: UNAUTHORIZED });
    expect(await post(readOnly.token, { bad: 'body' })).toMatchObject({ status: 403, body: UNAUTHORIZED });
    const created = await post(createOnly.token, validSession);
    expect(created.status).toBe(201);
    expect(await get(createOnly.token, created.body.data.id)).toMatchObject({ status: 403, body: UNAUTHORIZED });
    expect(await post(createOnly.account.token, validSession)).toMatchObject({ status: 403, body: UNAUTHORIZED });
    expect(await get(createOnly.account.token, created.body.data.id)).toMatchObject({ status: 403, body: UNAUTHORIZED });
  });

  it('accepts a token without its `<id>|` part, as Sanctum does', async () => {
    const { token } = await integrator();
    const created = await post(token.split('|')[1], validSession);
    expect(created.status).toBe(201);
    expect((await get(token.split('|')[1], created.body.data.id)).status).toBe(200);
    expect(await post(token.split('|')[1], { age_target: 1 })).toMatchObject({ status: 422 });
  });

  it('lets a token with both abilities create and read', async () => {
    const { token } = await integrator(['session:create', 'session:read']);
    const created = await post(token, validSession);
    expect((await get(token, created.body.data.id)).status).toBe(200);
  });

  it('counts each authenticated call as a use of the token', async () => {
    const { token, tokenId } = await integrator();
    await post(token, validSession);
    await flushTokenUses();
    const row = await db.accessToken.findUniqueOrThrow({ where: { id: Number(tokenId) } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('stops accepting a token the moment it is revoked', async () => {
    const { token, tokenId, account } = await integrator();
    expect((await post(token, validSession)).status).toBe(201);
    await graphql(testApp.app, RevokeApiToken, { id: tokenId }, account.token);
    expect(await post(token, validSession)).toMatchObject({ status: 401, body: UNAUTHENTICATED });
  });
});

describe('GET /api/v2/session/{id}', () => {
  it('answers 404 for unknown and malformed ids and for another organization’s session', async () => {
    const alice = await integrator();
    const mallory = await integrator();
    const { body } = await post(alice.token, validSession);
    for (const id of [
      '00000000-0000-7000-8000-000000000000',
      'not-a-uuid',
      '1',
      `${body.data.id}x`,
      '%E0%A4%A',
      body.data.id.replaceAll('-', ''),
    ]) {
      expect(await get(alice.token, id)).toMatchObject({ status: 404, body: NOT_FOUND });
    }
    expect(await get(mallory.token, body.data.id)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await get(alice.token, body.data.id.toUpperCase())).status).toBe(200);
  });
});

describe('routing', () => {
  it('answers other methods with 405 and an Allow header, and unknown API paths with a JSON 404', async () => {
    const { token } = await integrator();
    const wrongMethod = await rest(testApp.app, 'GET', '/api/v2/session', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(wrongMethod.body.message).toBe('The GET method is not supported for route api/v2/session. Supported methods: POST.');
    const unknown = await rest(testApp.app, 'GET', '/api/v3/session', { token });
    expect(unknown).toMatchObject({ status: 404, body: { message: 'Not found.' } });
  });
});
