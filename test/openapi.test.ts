import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { inject } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ABILITIES } from '../src/auth/access-tokens.js';
import { db } from '../src/db/client.js';
import { SessionStatus } from '../src/generated/prisma/enums.js';
import { logger } from '../src/logger.js';
import { openApiDocument } from '../src/rest/openapi.js';
import { runTransitions } from '../src/sessions/lifecycle.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, SESSION_STATUSES } from '../src/sessions/sessions.js';
import * as rules from '../src/sessions/validation.js';
import { MAX_CREDENTIALS_PER_REPORT } from '../src/tokens/leaks-rest.js';
import { call, useTestApp } from './support/app.js';
import { createApiToken, signUp } from './support/fixtures.js';
import { rest, validSession, type RestResponse } from './support/rest.js';

/**
 * schema/openapi.json is the REST API's contract: a valid OpenAPI 3.1 document whose schemas the
 * real answers of every status satisfy, and whose request schema accepts only what the server takes.
 */

/** The next call into the sessions module throws this (for the 500 and 503 answers). */
const sessionFailure = vi.hoisted(() => ({ next: null as Error | null }));
vi.mock('../src/sessions/sessions.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/sessions/sessions.js')>();
  const failable =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const error = sessionFailure.next;
      sessionFailure.next = null;
      if (error) throw error;
      return fn(...args);
    };
  return {
    ...original,
    createSession: failable(original.createSession),
    createSessionWithToken: failable(original.createSessionWithToken),
    findSession: failable(original.findSession),
    listSessions: failable(original.listSessions),
  };
});
vi.mock('../src/sessions/lifecycle.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/sessions/lifecycle.js')>();
  return {
    ...original,
    runTransition: async (...args: Parameters<typeof original.runTransition>) => {
      const error = sessionFailure.next;
      sessionFailure.next = null;
      if (error) throw error;
      return original.runTransition(...args);
    },
  };
});

vi.mock('../src/tokens/leaks.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/tokens/leaks.js')>();
  return {
    ...original,
    revokeLeakedTokens: async (...args: Parameters<typeof original.revokeLeakedTokens>) => {
      const error = sessionFailure.next;
      sessionFailure.next = null;
      if (error) throw error;
      return original.revokeLeakedTokens(...args);
    },
  };
});

const DOCUMENT_FILE = new URL('../schema/openapi.json', import.meta.url);
const DOC_ID = 'https://bouncer.test/openapi.json';
const document = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));

type Json = any;

/** Draft 2020-12 in strict mode (unknown keywords and formats are errors), with the document registered by its id. */
function contractAjv() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  formats.default(ajv);
  // The top-level OpenAPI fields are not JSON Schema; `$ref`s point into them by JSON pointer.
  ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']);
  ajv.addSchema({ ...document, $id: DOC_ID });
  return ajv;
}
const ajv = contractAjv();

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
const at = (ref: string): Json => ref.slice(2).split('/').reduce((node, part) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
const validatorAt = (ref: string) => ajv.getSchema(`${DOC_ID}${ref}`) ?? ajv.compile({ $ref: `${DOC_ID}${ref}` });

function expectValid(validate: ValidateFunction, value: unknown, what: string) {
  const valid = validate(value);
  expect(valid, `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`).toBe(true);
}

/** Follows an OpenAPI (not JSON Schema) `$ref`, e.g. from an operation's response to components.responses. */
function resolved(ref: string): { ref: string; node: Json } {
  const node = at(ref);
  return node && typeof node.$ref === 'string' ? resolved(node.$ref) : { ref, node };
}

/** Checks a real answer against a documented response object: JSON body against its schema, and its headers. */
function expectConformsTo(responseRef: string, response: RestResponse, what: string) {
  const { ref, node } = resolved(responseRef);
  expect(node, `${what}: no response documented at ${responseRef}`).toBeDefined();
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json\b/);
  expectValid(validatorAt(`${ref}/content/application~1json/schema`), response.body, `${what} body`);
  for (const [name, header] of Object.entries<Json>(node.headers ?? {})) {
    const { ref: headerRef } = resolved(header.$ref ? header.$ref : `${ref}/headers/${name}`);
    expect(response.headers.has(name), `${what}: header ${name}`).toBe(true);
    expectValid(validatorAt(`${headerRef}/schema`), response.headers.get(name), `${what} header ${name}`);
  }
}

/** Statuses seen per operation, to check at the end that every documented one was exercised. */
const seen = new Map<string, Set<string>>();

function expectOperationAnswer(method: string, template: string, response: RestResponse) {
  const what = `${method} ${template} → ${response.status}`;
  const status = String(response.status);
  const responseRef = pointer('paths', template, method.toLowerCase(), 'responses', status);
  expect(at(responseRef), `${what} is not documented`).toBeDefined();
  expectConformsTo(responseRef, response, what);
  const key = `${method} ${template}`;
  seen.set(key, (seen.get(key) ?? new Set()).add(status));
}

const testApp = useTestApp();
let token: string;
let readOnlyToken: string;
let userToken: string;
let otherToken: string;

beforeAll(async () => {
  const account = await signUp(testApp.app);
  token = (await createApiToken(testApp.app, account)).plainTextToken;
  readOnlyToken = (await createApiToken(testApp.app, account, { abilities: ['session:read'] })).plainTextToken;
  userToken = account.token;
  otherToken = (await createApiToken(testApp.app, await signUp(testApp.app, 'Other'))).plainTextToken;
});

/** `bearer`: the token to send (the full-ability API token unless given), or null for none. */
const post = (body: unknown, bearer: string | null = token) =>
  rest(testApp.app, 'POST', '/api/v2/session', { token: bearer ?? undefined, body });
const get = (id: string, bearer: string | null = token) =>
  rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token: bearer ?? undefined });
const cancel = (id: string, bearer: string | null = token) =>
  rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token: bearer ?? undefined });
const list = (query: string, bearer: string | null = token) =>
  rest(testApp.app, 'GET', `/api/v2/sessions${query}`, { token: bearer ?? undefined });

describe('the document', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('has schemas that compile under draft 2020-12 in strict mode', () => {
    for (const name of Object.keys(document.components.schemas)) validatorAt(pointer('components', 'schemas', name));
    for (const name of Object.keys(document.components.responses)) {
      validatorAt(pointer('components', 'responses', name, 'content', 'application/json', 'schema'));
    }
    // A keyword that is not JSON Schema is refused, so a typo in the document would be too.
    expect(() => new Ajv2020({ strict: true }).compile({ type: 'object', additionalProperty: false })).toThrow(/unknown keyword/);
  });

  it('has examples that satisfy their own schemas', () => {
    let count = 0;
    const visit = (ref: string, node: Json) => {
      if (!node || typeof node !== 'object') return;
      if (node.schema && (node.examples || node.example !== undefined) && !ref.includes('/parameters/')) {
        const validate = validatorAt(`${ref}/schema`);
        const examples = node.examples ? Object.values<Json>(node.examples).map((e) => e.value) : [node.example];
        for (const example of examples) {
          expectValid(validate, example, `example at ${ref}`);
          count++;
        }
      }
      for (const [key, child] of Object.entries<Json>(node)) if (key !== 'schema') visit(`${ref}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, child);
    };
    visit('#', document);
    expect(count).toBeGreaterThanOrEqual(14);
  });

  it('states the constraints the implementation enforces', () => {
    const s = document.components.schemas;
    const request = s.CreateSessionRequest.properties;
    expect(s.AgeTarget.enum).toEqual([...rules.AGE_TARGETS]);
    expect(s.HttpUrl.maxLength).toBe(rules.MAX_URL_LENGTH);
    expect(s.Metadata.maxItems).toBe(rules.MAX_METADATA_ITEMS);
    expect(s.MetadataItem.maxLength).toBe(rules.MAX_METADATA_ITEM_LENGTH);
    expect(request.expiration_time).toMatchObject({
      minimum: rules.MIN_EXPIRATION_SECONDS,
      maximum: rules.MAX_EXPIRATION_SECONDS,
      default: rules.DEFAULT_EXPIRATION_SECONDS,
    });
    expect(request.force_kyc.default).toBe(false);
    expect(request.force_verification.default).toBe(false);
    expect(s.CreateSessionRequest.required).toEqual(['age_target', 'redirect_url']);
    expect(s.SessionStatus.enum).toEqual(Object.values(SessionStatus));
    expect(s.SessionStatus.enum).toEqual([...SESSION_STATUSES]);
    const listParameters = Object.fromEntries(document.paths['/api/v2/sessions'].get.parameters.map((p: Json) => [p.name, p.schema]));
    expect(listParameters.limit).toMatchObject({ minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT });
    expect(s.SessionList.properties.data.maxItems).toBe(MAX_LIST_LIMIT);
    const keyHeader = document.paths['/api/v2/session'].post.parameters.find((p: Json) => p.name === 'Idempotency-Key');
    expect(keyHeader.schema.maxLength).toBe(rules.MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(s.LeakReportRequest.properties.credentials).toMatchObject({ minItems: 1, maxItems: MAX_CREDENTIALS_PER_REPORT });
    for (const ability of ABILITIES) expect(document.components.securitySchemes.bearerAuth.description).toContain(`\`${ability}\``);
  });
});

describe('real answers satisfy the document', () => {
  it('201 and 200, including every session status', async () => {
    const created = await post({
      age_target: 21,
      redirect_url: 'https://shop.example/done?order=42',
      force_kyc: true,
      metadata: ['order:42', 'note:a:b'],
      webhook_url: 'https://shop.example/hooks/bouncer',
      expiration_time: 900,
    });
    expect(created.status).toBe(201);
    expectOperationAnswer('POST', '/api/v2/session', created);
    const { id } = created.body.data;

    for (const status of Object.values(SessionStatus)) {
      const success = status === 'completed' ? true : null;
      await db.verificationSession.update({ where: { id }, data: { status, success } });
      const read = await get(id);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ status, success });
      expectOperationAnswer('GET', '/api/v2/session/{id}', read);
    }
    await db.verificationSession.update({ where: { id }, data: { status: 'completed', success: false } });
    expectOperationAnswer('GET', '/api/v2/session/{id}', await get(id));

    const minimal = await post(validSession);
    const read = await get(minimal.body.data.id);
    expect(read.body.data.metadata).toBeNull();
    expectOperationAnswer('GET', '/api/v2/session/{id}', read);
  });

  it('catches an undocumented or missing field in an answer', async () => {
    const created = await post(validSession);
    const read = await get(created.body.data.id);
    const createdSchema = validatorAt(pointer('paths', '/api/v2/session', 'post', 'responses', '201', 'content', 'application/json', 'schema'));
    const readSchema = validatorAt(pointer('components', 'schemas', 'SessionResponse'));
    expect(createdSchema(created.body)).toBe(true);
    expect(createdSchema({ data: { ...created.body.data, status: 'created' } })).toBe(false);
    expect(createdSchema({ ...created.body, meta: {} })).toBe(false);
    expect(readSchema(read.body)).toBe(true);
    expect(readSchema({ data: { ...read.body.data, force_kyc: false } })).toBe(false);
    const { success: _success, ...withoutSuccess } = read.body.data;
    expect(readSchema({ data: withoutSuccess })).toBe(false);
    expect(readSchema({ data: { ...read.body.data, status: 'approved' } })).toBe(false);
    const unauthenticated = validatorAt(pointer('components', 'responses', 'Unauthenticated', 'content', 'application/json', 'schema'));
    expect(unauthenticated({ message: 'Unauthenticated' })).toBe(false);
    expect(unauthenticated({ message: 'Unauthenticated.', errors: {} })).toBe(false);
  });

  it('400 and 413 for bodies that are not a JSON object, or too large', async () => {
    for (const rawBody of ['{"age_target": 18,', '[1, 2]', '"hello"', 'null']) {
      const response = await rest(testApp.app, 'POST', '/api/v2/session', { token, rawBody });
      expect(response.status).toBe(400);
      expectOperationAnswer('POST', '/api/v2/session', response);
    }
    const tooLarge = JSON.stringify({ ...validSession, pad: 'x'.repeat(70_000) });
    const response = await rest(testApp.app, 'POST', '/api/v2/session', { token, rawBody: tooLarge });
    expect(response.status).toBe(413);
    expectOperationAnswer('POST', '/api/v2/session', response);
  });

  it('401 and 403 on both operations', async () => {
    const created = await post(validSession);
    for (const [bearer, status] of [
      [null, 401],
      ['1|not-a-token', 401],
      [readOnlyToken, 403],
      [userToken, 403],
    ] as const) {
      const response = await post(validSession, bearer);
      expect(response.status).toBe(status);
      expectOperationAnswer('POST', '/api/v2/session', response);
    }
    const createOnly = await createApiToken(testApp.app, await signUp(testApp.app), { abilities: ['session:create'] });
    for (const [bearer, status] of [
      [null, 401],
      ['garbage', 401],
      [createOnly.plainTextToken, 403],
      [userToken, 403],
    ] as const) {
      const response = await get(created.body.data.id, bearer);
      expect(response.status).toBe(status);
      expectOperationAnswer('GET', '/api/v2/session/{id}', response);
    }
  });

  it('404 for unknown, malformed and other organizations’ sessions', async () => {
    const created = await post(validSession);
    for (const [id, bearer] of [
      ['00000000-0000-7000-8000-000000000000', token],
      ['not-a-uuid', token],
      [created.body.data.id, otherToken],
    ] as const) {
      const response = await get(id, bearer);
      expect(response.status).toBe(404);
      expectOperationAnswer('GET', '/api/v2/session/{id}', response);
    }
  });

  it('422 with Laravel’s body, for one and for many errors', async () => {
    for (const body of [
      {},
      { ...validSession, age_target: 17 },
      { age_target: 'x', redirect_url: 'x', force_kyc: 'x', metadata: ['ok:1', 'bad', 7], webhook_url: 'x', expiration_time: 1 },
    ]) {
      const response = await post(body);
      expect(response.status).toBe(422);
      expectOperationAnswer('POST', '/api/v2/session', response);
    }
  });

  it('405 and the JSON 404 of unknown API paths, as components.responses and each operation describe them', async () => {
    // The operation documents the 405 of its path under another method.
    for (const [method, path, operation] of [
      ['GET', '/api/v2/session', ['POST', '/api/v2/session']],
      ['PUT', '/api/v2/session', ['POST', '/api/v2/session']],
      ['DELETE', '/api/v2/session/00000000-0000-7000-8000-000000000000', ['GET', '/api/v2/session/{id}']],
      ['POST', '/api/v2/openapi.json', ['GET', '/api/v2/openapi.json']],
      ['GET', '/api/v2/session/00000000-0000-7000-8000-000000000000/cancel', ['POST', '/api/v2/session/{id}/cancel']],
      ['POST', '/api/v2/sessions', ['GET', '/api/v2/sessions']],
      ['GET', '/api/v2/tokens/revoke', ['POST', '/api/v2/tokens/revoke']],
    ] as const) {
      const response = await rest(testApp.app, method, path, { token });
      expect(response.status, `${method} ${path}`).toBe(405);
      expectConformsTo(pointer('components', 'responses', 'MethodNotAllowed'), response, `${method} ${path}`);
      expectOperationAnswer(operation[0], operation[1], response);
    }
    for (const path of ['/api/v3/session', '/api/v2/session/', '/api/v2/session/a/b']) {
      const response = await rest(testApp.app, 'GET', path, { token });
      expect(response.status, path).toBe(404);
      expectConformsTo(pointer('components', 'responses', 'RouteNotFound'), response, path);
    }
    // A mistyped create: the 404 createSession documents.
    const mistyped = await rest(testApp.app, 'POST', '/api/v2/sesion', { token, body: validSession });
    expect(mistyped.status).toBe(404);
    expectOperationAnswer('POST', '/api/v2/session', mistyped);
  });

  it('500 when the server fails, 503 when the database is away', async () => {
    const created = await post(validSession);
    const bug = new Error('a bug');
    const away = Object.assign(new Error("Can't reach database server"), { code: 'P1001' });
    const logged = [vi.spyOn(logger, 'error'), vi.spyOn(logger, 'warn')].map((spy) => spy.mockImplementation(() => undefined));
    try {
      for (const [error, status] of [[bug, 500], [away, 503]] as const) {
        sessionFailure.next = error;
        const refused = await post(validSession);
        expect(refused.status).toBe(status);
        expectOperationAnswer('POST', '/api/v2/session', refused);
        sessionFailure.next = error;
        const unread = await get(created.body.data.id);
        expect(unread.status).toBe(status);
        expectOperationAnswer('GET', '/api/v2/session/{id}', unread);
        sessionFailure.next = error;
        const uncancelled = await cancel(created.body.data.id);
        expect(uncancelled.status).toBe(status);
        expectOperationAnswer('POST', '/api/v2/session/{id}/cancel', uncancelled);
        sessionFailure.next = error;
        const unlisted = await list('');
        expect(unlisted.status).toBe(status);
        expectOperationAnswer('GET', '/api/v2/sessions', unlisted);
      }
    } finally {
      sessionFailure.next = null;
      for (const spy of logged) spy.mockRestore();
    }
  });

  it('429 once a client address has presented refused tokens too often', async () => {
    // Every call comes from its own address unless told otherwise; these all come from one.
    const fromAddress = async (method: string, path: string, bearer: string, body?: unknown): Promise<RestResponse> => {
      const response = await call(
        testApp.app,
        path,
        {
          method,
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        '203.0.113.29',
      );
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
    let refused = 0;
    while ((await fromAddress('POST', '/api/v2/session', 'not-a-token', validSession)).status === 401) {
      expect(++refused).toBeLessThan(1000);
    }
    const post429 = await fromAddress('POST', '/api/v2/session', token, validSession);
    expect(post429.status).toBe(429);
    expectOperationAnswer('POST', '/api/v2/session', post429);
    const get429 = await fromAddress('GET', '/api/v2/session/00000000-0000-7000-8000-000000000000', token);
    expect(get429.status).toBe(429);
    expectOperationAnswer('GET', '/api/v2/session/{id}', get429);
    const cancel429 = await fromAddress('POST', '/api/v2/session/00000000-0000-7000-8000-000000000000/cancel', token);
    expect(cancel429.status).toBe(429);
    expectOperationAnswer('POST', '/api/v2/session/{id}/cancel', cancel429);
    const list429 = await fromAddress('GET', '/api/v2/sessions', token);
    expect(list429.status).toBe(429);
    expectOperationAnswer('GET', '/api/v2/sessions', list429);
  });

  it('test sessions, completed sessions and Idempotency-Key answers', async () => {
    const testToken = (await createApiToken(testApp.app, await signUp(testApp.app), { mode: 'TEST' })).plainTextToken;
    const created = await post(validSession, testToken);
    expect(created.body.data.livemode).toBe(false);
    expectOperationAnswer('POST', '/api/v2/session', created);
    await runTransitions(created.body.data.id, ['open', 'approve']);
    const completed = await get(created.body.data.id, testToken);
    expect(completed.body.data).toMatchObject({ status: 'completed', success: true, livemode: false });
    expect(completed.body.data.completed_at).toEqual(expect.any(Number));
    expectOperationAnswer('GET', '/api/v2/session/{id}', completed);

    const withKey = (body: unknown, key: string) =>
      call(testApp.app, '/api/v2/session', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }) as RestResponse);
    const first = await withKey(validSession, 'contract-key-1');
    const again = await withKey(validSession, 'contract-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expectOperationAnswer('POST', '/api/v2/session', again);
    for (const [body, key] of [
      [{ ...validSession, age_target: 21 }, 'contract-key-1'],
      [validSession, 'k'.repeat(256)],
      [validSession, '   '],
    ] as const) {
      const refused = await withKey(body, key);
      expect(refused.status, key).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual(['idempotency_key']);
      expectOperationAnswer('POST', '/api/v2/session', refused);
    }
  });

  it('cancel: 200, 401, 403, 404 and 409', async () => {
    const created = await post(validSession);
    const cancelled = await cancel(created.body.data.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ id: created.body.data.id, status: 'cancelled', completed_at: null });
    expectOperationAnswer('POST', '/api/v2/session/{id}/cancel', cancelled);
    const again = await cancel(created.body.data.id);
    expect(again.status).toBe(409);
    expectOperationAnswer('POST', '/api/v2/session/{id}/cancel', again);
    for (const [id, bearer, status] of [
      [created.body.data.id, null, 401],
      [created.body.data.id, readOnlyToken, 403],
      [created.body.data.id, userToken, 403],
      [created.body.data.id, otherToken, 404],
      ['00000000-0000-7000-8000-000000000000', token, 404],
      ['not-a-uuid', token, 404],
    ] as const) {
      const response = await cancel(id, bearer);
      expect(response.status, `${id} ${status}`).toBe(status);
      expectOperationAnswer('POST', '/api/v2/session/{id}/cancel', response);
    }
  });

  it('list: 200, 401, 403 and 422', async () => {
    await post(validSession);
    const page = await list('?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data.length).toBeGreaterThan(0);
    expectOperationAnswer('GET', '/api/v2/sessions', page);
    const createOnly = await createApiToken(testApp.app, await signUp(testApp.app), { abilities: ['session:create'] });
    for (const [bearer, status] of [
      [null, 401],
      ['1|nope', 401],
      [createOnly.plainTextToken, 403],
      [userToken, 403],
    ] as const) {
      const response = await list('', bearer);
      expect(response.status).toBe(status);
      expectOperationAnswer('GET', '/api/v2/sessions', response);
    }
    for (const query of ['?limit=0', '?limit=101', '?limit=x', '?status=approved', '?starting_after=nope', '?limit=1&limit=2', '?status=x&limit=0']) {
      const response = await list(query);
      expect(response.status, query).toBe(422);
      expectOperationAnswer('GET', '/api/v2/sessions', response);
    }
  });

  it('POST /api/v2/tokens/revoke: 202, 400, 413, 422, 429, 500 and 503', async () => {
    const leak = (body: { body?: unknown; rawBody?: string }, address?: string) =>
      address === undefined
        ? rest(testApp.app, 'POST', '/api/v2/tokens/revoke', body)
        : call(testApp.app, '/api/v2/tokens/revoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.rawBody }, address).then(
            async (response): Promise<RestResponse> => ({ status: response.status, headers: response.headers, body: await response.json() }),
          );
    const answers: [RestResponse, number][] = [
      [await leak({ body: { credentials: [(await createApiToken(testApp.app, await signUp(testApp.app))).plainTextToken, 'not a token'] } }), 202],
      [await leak({ rawBody: '{"credentials": [' }), 400],
      [await leak({ rawBody: '["1|abc"]' }), 400],
      [await leak({ rawBody: JSON.stringify({ credentials: ['x'.repeat(140_000)] }) }), 413],
      [await leak({ body: { credentials: Array.from({ length: 1001 }, () => 'x') } }), 422],
      [await leak({ body: { credentials: ['ok', 7] } }), 422],
      [await leak({ body: {} }), 422],
    ];
    let attempts = 0;
    let limited: RestResponse;
    do {
      limited = await leak({ rawBody: JSON.stringify({ credentials: ['x'] }) }, '203.0.113.71');
      expect(++attempts).toBeLessThan(100);
    } while (limited.status === 202);
    answers.push([limited, 429]);
    const bug = new Error('a bug');
    const away = Object.assign(new Error("Can't reach database server"), { code: 'P1001' });
    const logged = [vi.spyOn(logger, 'error'), vi.spyOn(logger, 'warn')].map((spy) => spy.mockImplementation(() => undefined));
    try {
      for (const [error, status] of [[bug, 500], [away, 503]] as const) {
        sessionFailure.next = error;
        answers.push([await leak({ body: { credentials: ['x'] } }), status]);
      }
    } finally {
      sessionFailure.next = null;
      for (const spy of logged) spy.mockRestore();
    }
    for (const [response, status] of answers) {
      expect(response.status).toBe(status);
      expectOperationAnswer('POST', '/api/v2/tokens/revoke', response);
    }
  });

  it('answers every status each operation documents', () => {
    const documented = (template: string, method: string) => Object.keys(document.paths[template][method].responses);
    for (const [template, method] of [
      ['/api/v2/session', 'post'],
      ['/api/v2/session/{id}', 'get'],
      ['/api/v2/session/{id}/cancel', 'post'],
      ['/api/v2/sessions', 'get'],
      ['/api/v2/tokens/revoke', 'post'],
    ] as const) {
      expect([...seen.get(`${method.toUpperCase()} ${template}`)!].sort(), template).toEqual(documented(template, method).sort());
    }
  });
});

describe('the request schema', () => {
  const validateRequest = validatorAt(pointer('components', 'schemas', 'CreateSessionRequest'));
  const url2048 = `https://shop.example/${'a'.repeat(2048 - 'https://shop.example/'.length)}`;

  const valid: Record<string, unknown>[] = [
    validSession,
    ...rules.AGE_TARGETS.map((age_target) => ({ ...validSession, age_target })),
    {
      age_target: 21,
      redirect_url: 'https://shop.example/done?order=42',
      force_kyc: true,
      force_verification: false,
      metadata: ['order:42', 'customer:c-7', 'note:a:b', 'empty:'],
      webhook_url: 'https://shop.example/hooks/bouncer',
      expiration_time: 3600,
      unknown_field: 'ignored',
    },
    { ...validSession, expiration_time: 60 },
    { ...validSession, redirect_url: url2048, webhook_url: url2048, metadata: null },
    { ...validSession, redirect_url: 'HTTP://SHOP.EXAMPLE:8080/x#done', webhook_url: null, metadata: [] },
    { ...validSession, metadata: Array.from({ length: 50 }, (_, i) => `k${i}:${'v'.repeat(255 - `k${i}:`.length)}`) },
  ];

  const invalid: Record<string, unknown>[] = [
    {},
    { redirect_url: validSession.redirect_url },
    { age_target: 18 },
    ...[17, 0, -18, 18.5, 'abc', true, [18], { value: 18 }, '', null].map((age_target) => ({ ...validSession, age_target })),
    ...[
      'not a url',
      'ftp://shop.example/file',
      'javascript:alert(1)',
      'https://',
      '/relative/path',
      'https://shop example.com/',
      42,
      `${url2048}a`,
      '   ',
      'http://:80/',
    ].map((redirect_url) => ({ ...validSession, redirect_url })),
    { ...validSession, webhook_url: 'mailto:ops@shop.example' },
    { ...validSession, webhook_url: `${url2048}a` },
    ...['yes', 2, null, 'true', []].map((value) => ({ ...validSession, force_kyc: value, force_verification: value })),
    ...['order:42', { order: '42' }, ['no colon'], [7], [':value'], [' :value'], [''], [`k:${'v'.repeat(254)}`], [null]].map(
      (metadata) => ({ ...validSession, metadata }),
    ),
    { ...validSession, metadata: Array.from({ length: 51 }, (_, i) => `k:${i}`) },
    ...[59, 3601, 0, 300.5, 'five minutes', null].map((expiration_time) => ({ ...validSession, expiration_time })),
  ];

  /** Laravel-style leniency the server keeps for compatibility, outside the contract's canonical forms. */
  const tolerated: Record<string, unknown>[] = [
    { ...validSession, age_target: '18' },
    { ...validSession, expiration_time: '120' },
    { ...validSession, force_kyc: 1, force_verification: '0' },
    { ...validSession, redirect_url: `  ${validSession.redirect_url}  ` },
    { ...validSession, webhook_url: '' },
    { ...validSession, redirect_url: 'https://user:secret@shop.example/' },
  ];

  it('accepts the requests the server accepts (201)', async () => {
    for (const body of valid) {
      expectValid(validateRequest, body, 'valid request');
      const response = await post(body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  it('refuses requests the server refuses (422)', async () => {
    for (const body of invalid) {
      expect(validateRequest(body), `schema accepted ${JSON.stringify(body).slice(0, 200)}`).toBe(false);
      const response = await post(body);
      expect(response.status, JSON.stringify(body).slice(0, 200)).toBe(422);
    }
  });

  it('describes canonical forms only: the server tolerates a few variants the schema refuses', async () => {
    for (const body of tolerated) {
      expect(validateRequest(body), JSON.stringify(body)).toBe(false);
      expect((await post(body)).status, JSON.stringify(body)).toBe(201);
    }
  });

  it('leaves to the server what only a WHATWG URL parser knows: hosts browsers refuse', async () => {
    for (const redirect_url of ['https://999.1.1.1/', 'http://08/', 'https://%0a/', 'https://shop.0/', 'https://shop.0x1/']) {
      expect(validateRequest({ ...validSession, redirect_url }), redirect_url).toBe(true);
      expect((await post({ ...validSession, redirect_url })).status, redirect_url).toBe(422);
    }
  });

  it('never accepts a request the server refuses (generated bodies)', async () => {
    const pick = (...values: unknown[]) => fc.constantFrom(...values);
    // URLs with a well-formed host (WHATWG's host rules are the server's alone, see above) and a
    // scheme, authority and tail each possibly wrong.
    const tail = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ':', '@', ' ', '/', '.', '-', '\t', 'é', '#', '?', '%', '\u0001') });
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .tuple(
          pick('http://', 'https://', 'HTTPS://', 'ftp://', '', ' https://', 'http:/', 'https:'),
          pick('', '', ':', '@', 'user:pass@'),
          fc.domain(),
          pick('', ':', ':8080', ':0', ':65535', ':65536', ':99999', ':a', '@x', ' '),
          fc.option(fc.tuple(pick('/', '?', '#'), tail), { nil: [] }),
        )
        .map(([scheme, userInfo, host, port, rest]) => [scheme, userInfo, host, port, ...rest].join('')),
    );
    /** Mostly valid values, sometimes invalid ones, sometimes absent. */
    const field = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
      fc.option(fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: invalid, weight: 1 }), { nil: undefined, freq: 6 });
    const body = fc.record({
      age_target: field(pick(...rules.AGE_TARGETS), fc.oneof(fc.integer({ min: -5, max: 40 }), pick(null, '18', 18.5, true))),
      redirect_url: field(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.oneof(url, pick(null, 1))),
      force_kyc: field(fc.boolean(), pick(0, 1, '1', 'true', null)),
      force_verification: field(fc.boolean(), pick('yes', '0')),
      metadata: field(fc.oneof(pick(null), fc.array(tail, { maxLength: 3 })), fc.oneof(pick('a:b'), fc.array(fc.oneof(tail, pick(7))))),
      webhook_url: field(fc.oneof(url, pick(null)), pick('', 'x')),
      expiration_time: field(fc.integer({ min: 60, max: 3600 }), fc.oneof(fc.integer({ min: -10, max: 4000 }), pick(59, 3601, null, '300', 300.5))),
    });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (candidate) => {
        const request = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
        if (!validateRequest(request)) return;
        accepted++;
        const response = await post(request);
        expect(response.status, JSON.stringify(response.body)).toBe(201);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});

describe('GET /api/v2/openapi.json', () => {
  it('serves the committed document as JSON, without a token, also at /openapi.json', async () => {
    for (const path of ['/api/v2/openapi.json', '/openapi.json']) {
      const response = await rest(testApp.app, 'GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(response.body).toEqual(document);
      expectOperationAnswer('GET', '/api/v2/openapi.json', response);
    }
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await call(testApp.app, '/api/v2/openapi.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call(testApp.app, '/api/v2/openapi.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  describe('openApiDocument', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'bouncer-openapi-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the file once, when the app is built', async () => {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, '{"openapi": "3.1.0"}');
      const serve = openApiDocument(file);
      rmSync(file);
      const reply = await inject((request, response) => serve(request, response, '/openapi.json', {}), { url: '/openapi.json' });
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toEqual({ openapi: '3.1.0' });
    });

    it('refuses to start with a document that is not JSON', () => {
      const file = path.join(dir, 'broken.json');
      writeFileSync(file, '{"openapi": ');
      expect(() => openApiDocument(file)).toThrow(SyntaxError);
    });
  });
});
