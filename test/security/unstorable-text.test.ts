import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/logger.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, PASSWORD, signUp, type Account } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';
import { graphqlBody } from './support.js';

/**
 * Text PostgreSQL cannot store — NUL (U+0000) and unpaired UTF-16 surrogates — in every string that
 * could reach the database: a client error in the documented shape (REST 422, GraphQL
 * BAD_USER_INPUT), never a 500, and never an error-level log line.
 */

const testApp = useTestApp();

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\ud800b';
const LONE_LOW = '\udc00';
const BAD_TEXTS = { NUL, 'a lone high surrogate': LONE_HIGH, 'a lone low surrogate': LONE_LOW };

let owner: Account;
let sessionToken: string;
beforeAll(async () => {
  owner = await signUp(testApp.app);
  sessionToken = (await createApiToken(testApp.app, owner, { abilities: ['session:create', 'session:read'] })).plainTextToken;
});

const errorLogs = () => [vi.spyOn(logger, 'error'), vi.spyOn(logger, 'fatal')];
let spies: ReturnType<typeof errorLogs>;
beforeAll(() => {
  spies = errorLogs();
});
afterEach(() => {
  const logged = spies.flatMap((spy) => spy.mock.calls);
  for (const spy of spies) spy.mockClear();
  expect(logged).toEqual([]);
});

describe('POST /api/v2/session', () => {
  const fields: Array<[field: string, body: (text: string) => object]> = [
    ['redirect_url', (text) => ({ ...validSession, redirect_url: `https://shop.example/${text}` })],
    ['webhook_url', (text) => ({ ...validSession, webhook_url: `https://hooks.example/${text}` })],
    ['metadata.1', (text) => ({ ...validSession, metadata: ['order:1', `note:${text}`] })],
    ['metadata', (text) => ({ ...validSession, metadata: text })],
    ['age_target', (text) => ({ ...validSession, age_target: `18${text}` })],
    ['expiration_time', (text) => ({ ...validSession, expiration_time: `${text}300` })],
    ['force_kyc', (text) => ({ ...validSession, force_kyc: text })],
  ];
  for (const [field, body] of fields) {
    for (const [kind, text] of Object.entries(BAD_TEXTS)) {
      it(`refuses ${kind} in ${field} with 422 in Laravel's shape`, async () => {
        const response = await rest(testApp.app, 'POST', '/api/v2/session', { token: sessionToken, body: body(text) });
        const message = `The ${field.replaceAll('_', ' ')} field must not contain invalid characters.`;
        expect(response.status).toBe(422);
        expect(response.body).toEqual({ message, errors: { [field]: [message] } });
      });
    }
  }

  it('reports invalid characters alongside the other fields’ errors', async () => {
    const response = await rest(testApp.app, 'POST', '/api/v2/session', {
      token: sessionToken,
      body: { redirect_url: NUL, metadata: ['fine:1', LONE_HIGH] },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual({
      redirect_url: ['The redirect url field must not contain invalid characters.'],
      'metadata.1': ['The metadata.1 field must not contain invalid characters.'],
      age_target: ['The age target field is required.'],
    });
    expect(response.body.message).toMatch(/\(and 2 more errors\)$/);
  });

  it('answers an unknown well-formed token with 401, whatever the body holds', async () => {
    const [id, secret] = sessionToken.split('|');
    const unknown = `${Number(id) + 1000}|${secret}`;
    for (const text of Object.values(BAD_TEXTS)) {
      const response = await rest(testApp.app, 'POST', '/api/v2/session', {
        token: unknown,
        body: { ...validSession, metadata: [`note:${text}`] },
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Unauthenticated.' });
    }
  });

  it('still stores well-formed text outside ASCII: emoji (surrogate pairs) and accents', async () => {
    const metadata = ['note:😀 café', 'name:𝒳'];
    const created = await rest(testApp.app, 'POST', '/api/v2/session', {
      token: sessionToken,
      body: { ...validSession, metadata },
    });
    expect(created.status).toBe(201);
    const read = await rest(testApp.app, 'GET', `/api/v2/session/${created.body.data.id}`, { token: sessionToken });
    expect(read.body.data.metadata).toEqual(metadata);
  });
});

describe('GET /api/v2/session/{id}', () => {
  it('answers 404 for ids holding NUL or encoded surrogates', async () => {
    for (const id of ['%00', 'abc%00def', '%ED%A0%80', '%uD800', encodeURIComponent('\u{1F600}')]) {
      const response = await rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token: sessionToken });
      expect(response.status, id).toBe(404);
      expect(response.body).toEqual({ message: 'Session not found.' });
    }
  });
});

type GraphqlCase = { name: string; field: string; query: string; variables?: (text: string) => object; token?: () => string };

describe('GraphQL', () => {
  const cases: GraphqlCase[] = [
    {
      name: 'signUp email',
      field: 'email',
      query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
      variables: (text) => ({ input: { email: `x${text}@example.com`, password: PASSWORD, organizationName: 'Org' } }),
    },
    {
      name: 'signUp name',
      field: 'name',
      query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
      variables: (text) => ({ input: { email: `${randomUUID()}@example.com`, password: PASSWORD, name: text, organizationName: 'Org' } }),
    },
    {
      name: 'signUp organizationName',
      field: 'organizationName',
      query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
      variables: (text) => ({ input: { email: `${randomUUID()}@example.com`, password: PASSWORD, organizationName: text } }),
    },
    {
      name: 'signIn email',
      field: 'email',
      query: 'mutation ($input: SignInInput!) { signIn(input: $input) { token } }',
      variables: (text) => ({ input: { email: `x${text}@example.com`, password: PASSWORD } }),
    },
    {
      name: 'createApiToken name',
      field: 'name',
      query: 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      variables: (text) => ({ input: { organizationId: owner.organizationId, name: text } }),
      token: () => owner.token,
    },
    {
      name: 'createApiToken abilities (a list item)',
      field: 'abilities',
      query: 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      variables: (text) => ({ input: { organizationId: owner.organizationId, name: 'T', abilities: ['session:read', text] } }),
      token: () => owner.token,
    },
    {
      name: 'an ID variable',
      field: 'id',
      query: 'query ($id: ID!) { organization(id: $id) { id } }',
      variables: (text) => ({ id: text }),
      token: () => owner.token,
    },
  ];

  const send = (query: string, variables?: object, token?: string) =>
    call(testApp.app, '/graphql', graphqlBody(query, variables, token)).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as any,
    }));

  const expectRefused = (response: { status: number; body: any }, field: string) => {
    expect(response.status).toBeLessThan(500);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.body.errors[0].message).toMatch(/invalid characters/);
  };

  for (const { name, field, query, variables, token } of cases) {
    for (const [kind, text] of Object.entries(BAD_TEXTS)) {
      it(`refuses ${kind} in ${name} (variables) with BAD_USER_INPUT`, async () => {
        expectRefused(await send(query, variables!(text), token?.()), field);
      });
    }
  }

  it('refuses NUL in string literals of the document, nested in input objects and lists', async () => {
    const literals: Array<[query: string, field: string, token?: string]> = [
      [`mutation { signIn(input: {email: "x\\u0000@example.com", password: "p"}) { token } }`, 'email'],
      [`mutation { signUp(input: {email: "a@example.com", password: "${PASSWORD}", organizationName: "O\\u0000"}) { token } }`, 'organizationName'],
      [`mutation { createApiToken(input: {organizationId: "1", name: "ok", abilities: ["*", "\\u0000"]}) { plainTextToken } }`, 'abilities', owner.token],
      [`query { organization(id: "\\u0000") { id } }`, 'id', owner.token],
      ['mutation { signIn(input: {email: """x\u0000y""", password: "p"}) { token } }', 'email'],
    ];
    for (const [query, field, token] of literals) expectRefused(await send(query, undefined, token), field);
  });

  it('refuses unpaired surrogates in the document before execution', async () => {
    for (const literal of ['"\\ud800"', '"\\udc00x"', `"a${LONE_HIGH}"`, `"""${LONE_LOW}"""`]) {
      const response = await send(`mutation { signIn(input: {email: ${literal}, password: "p"}) { token } }`);
      expect(response.status, literal).toBeGreaterThanOrEqual(400);
      expect(response.status, literal).toBeLessThan(500);
      expect(response.body.data ?? null).toBeNull();
    }
  });

  it('creates nothing when one string of the request is refused', async () => {
    const before = await send('{ apiTokens(organizationId: "' + owner.organizationId + '") { id } }', undefined, owner.token);
    await send(
      'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      { input: { organizationId: owner.organizationId, name: `ok${NUL}` } },
      owner.token,
    );
    const after = await send('{ apiTokens(organizationId: "' + owner.organizationId + '") { id } }', undefined, owner.token);
    expect(after.body.data.apiTokens).toEqual(before.body.data.apiTokens);
  });

  it('still accepts emoji and accents', async () => {
    const created = await send(
      'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { name } } }',
      { input: { organizationId: owner.organizationId, name: 'Café 😀' } },
      owner.token,
    );
    expect(created.body.data.createApiToken.apiToken.name).toBe('Café 😀');
  });
});
