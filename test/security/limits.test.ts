import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, PASSWORD, signUp } from '../support/fixtures.js';
import { validSession } from '../support/rest.js';
import { fetchFrom, graphqlBody, nextAddress, SIGN_IN, SIGN_UP, type FetchInit } from './support.js';

/** Rate limits, GraphQL limits, headers and CORS, through the whole HTTP pipeline (no port). */

const testApp = useTestApp({
  RATE_LIMIT_SIGN_IN_PER_EMAIL: '3/15m',
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: '5/15m',
  RATE_LIMIT_SIGN_UP_PER_ADDRESS: '2/1h',
  RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: '4/1m',
  CORS_ORIGINS: 'https://dashboard.example',
  CORS_API_ORIGINS: 'https://shop.example',
});

const signIn = (address: string, email: string, password: string) =>
  fetchFrom(testApp.app, address, '/graphql', graphqlBody(SIGN_IN, { email, password }));

function expectRateLimitedGraphql(response: { status: number; headers: Headers; body: any }) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(response.body.errors[0].extensions.code).toBe('RATE_LIMITED');
}

describe('sign-in limits', () => {
  it('limits attempts per email, whoever asks, and whether or not the email exists', async () => {
    const owner = await signUp(testApp.app);
    for (const email of [owner.email, `nobody-${randomUUID()}@example.com`]) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const refused = await signIn(nextAddress(), email, 'wrong password');
        expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      // The 4th attempt is refused before the password is checked — even the right password.
      expectRateLimitedGraphql(await signIn(nextAddress(), email, PASSWORD));
    }
  });

  it('counts consecutive failures: a successful sign-in starts the count again', async () => {
    const owner = await signUp(testApp.app);
    for (let round = 0; round < 3; round++) {
      await signIn(nextAddress(), owner.email, 'wrong password');
      await signIn(nextAddress(), owner.email, 'wrong password');
      const ok = await signIn(nextAddress(), owner.email, PASSWORD);
      expect(ok.body.data.signIn.token).toBeTruthy();
    }
  });

  it('limits attempts per client address, across emails', async () => {
    const address = nextAddress();
    for (let attempt = 0; attempt < 5; attempt++) {
      const refused = await signIn(address, `someone-${attempt}@example.com`, 'wrong password');
      expect(refused.status).toBe(401);
    }
    expectRateLimitedGraphql(await signIn(address, 'someone-else@example.com', 'wrong password'));
    expect((await signIn(nextAddress(), 'someone-else@example.com', 'wrong password')).status).toBe(401);
  });
});

describe('sign-up limits', () => {
  it('limits sign-ups per client address', async () => {
    const address = nextAddress();
    const attempt = () =>
      fetchFrom(testApp.app, address, '/graphql', graphqlBody(SIGN_UP, { email: `${randomUUID()}@example.com`, password: PASSWORD }));
    expect((await attempt()).body.data.signUp.token).toBeTruthy();
    expect((await attempt()).body.data.signUp.token).toBeTruthy();
    expectRateLimitedGraphql(await attempt());
  });
});

describe('failed bearer authentications', () => {
  it('answer 429 per client address once too many tokens were refused, on REST and GraphQL alike', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const attacker = nextAddress();
    const bystander = nextAddress();
    const post = (address: string, token: string) =>
      fetchFrom(testApp.app, address, '/api/v2/session', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(validSession),
      });
    // Its last character changed (a fixed `000` was the token itself once in 4,096 runs).
    const wrong = `${plainTextToken.slice(0, -1)}${plainTextToken.endsWith('0') ? '1' : '0'}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await post(attacker, wrong)).body).toEqual({ message: 'Unauthenticated.' });
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const me = await fetchFrom(testApp.app, attacker, '/graphql', graphqlBody('{ me { id } }', {}, wrong));
      expect(me.status).toBe(401);
    }
    // The 5th refusal becomes a 429; from then on the address is refused up front, even with a valid token
    // (otherwise a blocked client could still tell a right guess from a wrong one).
    const limited = await post(attacker, wrong);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too many failed authentication attempts. Try again later.' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(attacker, plainTextToken)).status).toBe(429);
    const graphqlLimited = await fetchFrom(testApp.app, attacker, '/graphql', graphqlBody('{ me { id } }', {}, owner.token));
    expectRateLimitedGraphql(graphqlLimited);
    // Other clients, and anonymous requests from the blocked one, are unaffected.
    expect((await post(bystander, plainTextToken)).status).toBe(201);
    expect((await fetchFrom(testApp.app, attacker, '/health')).status).toBe(200);
  });

  it('are not counted for valid tokens, however many requests', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const address = nextAddress();
    for (let request = 0; request < 12; request++) {
      const response = await fetchFrom(testApp.app, address, '/api/v2/session', {
        method: 'POST',
        headers: { authorization: `Bearer ${plainTextToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(validSession),
      });
      expect(response.status).toBe(201);
    }
  });

  it('takes the client address from X-Forwarded-For only as far as TRUST_PROXY says', async () => {
    const behindProxy = createApp(
      loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1', RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: '2/1m' }),
    );
    const proxy = nextAddress();
    const attempt = (forwardedFor: string) =>
      fetchFrom(behindProxy, proxy, '/api/v2/session/x', {
        headers: { authorization: 'Bearer nope', 'x-forwarded-for': forwardedFor },
      });
    // The client forges the left entries; the proxy appends the real one, which is what counts.
    for (let attempt_ = 0; attempt_ < 2; attempt_++) expect((await attempt(`1.1.1.${attempt_}, 203.0.113.7`)).status).toBe(401);
    expect((await attempt('9.9.9.9, 203.0.113.7')).status).toBe(429);
    expect((await attempt('203.0.113.8')).status).toBe(401);
  });
});

describe('GraphQL request limits', () => {
  const ask = (query: string, init: FetchInit = {}) =>
    fetchFrom(testApp.app, nextAddress(), '/graphql', { ...graphqlBody(query), ...init });

  it('refuses queries that are too deep, too aliased, too long or too costly', async () => {
    const deep = '{ me { memberships { organization { apiTokens { createdBy { memberships { organization { apiTokens { createdBy { memberships { role } } } } } } } } } } }';
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const tokens = `{ me { ${Array.from({ length: 1000 }, () => 'id').join(' ')} } }`;
    for (const [query, pattern] of [
      [deep, /depth/i],
      [aliases, /aliases/i],
      [tokens, /token/i],
    ] as const) {
      const response = await ask(query);
      expect(response.status).toBeLessThan(500);
      expect(response.body.data).toBeUndefined(); // refused before execution
      expect(response.body.errors[0].message).toMatch(pattern);
    }
    const frugal = createApp(loadConfig({ NODE_ENV: 'test', GRAPHQL_MAX_COST: '50' }));
    const costly = '{ me { memberships { organization { apiTokens { id name abilities createdAt createdBy { id email name } } } } } }';
    const cost = await fetchFrom(frugal, nextAddress(), '/graphql', graphqlBody(costly));
    expect(cost.body.data).toBeUndefined();
    expect(cost.body.errors[0].message).toMatch(/cost/i);
  });

  it('refuses batched operations and bodies over the limit, and never answers 5xx', async () => {
    const batch = await ask('', { body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]) });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(batch.status).toBeLessThan(500);
    const big = await ask('', { body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(110 * 1024)}` }) });
    expect(big.status).toBe(413);
    const chunked = await call(testApp.app, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 30; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(4096)));
          controller.close();
        },
      }),
    });
    expect(chunked.status).toBe(413);
  });

  it('keeps introspection, suggestions and GraphiQL on in development and off in production', async () => {
    const production = createApp(loadConfig({ NODE_ENV: 'production' }));
    const introspect = '{ __schema { types { name } } }';
    const dev = await ask(introspect);
    expect(dev.body.data.__schema.types.length).toBeGreaterThan(5);
    const prod = await fetchFrom(production, nextAddress(), '/graphql', graphqlBody(introspect));
    expect(prod.status).toBe(400);
    expect(JSON.stringify(prod.body)).not.toContain('"User"');

    const typo = '{ me { emial } }';
    expect(JSON.stringify((await ask(typo)).body)).toMatch(/Did you mean/);
    expect(JSON.stringify((await fetchFrom(production, nextAddress(), '/graphql', graphqlBody(typo))).body)).not.toMatch(
      /Did you mean|email/,
    );

    const html = { headers: { accept: 'text/html' } };
    expect((await fetchFrom(testApp.app, nextAddress(), '/graphql', html)).body).toContain('GraphiQL');
    expect(String((await fetchFrom(production, nextAddress(), '/graphql', html)).body)).not.toContain('GraphiQL');
    const enabled = createApp(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'on', INTROSPECTION: 'on' }));
    expect((await fetchFrom(enabled, nextAddress(), '/graphql', html)).body).toContain('GraphiQL');
  });
});

describe('headers', () => {
  it('puts security headers on every kind of response', async () => {
    const paths = ['/health', '/graphql?query=%7B__typename%7D', '/api/v2/session', '/api/v2/nothing', '/nowhere', '/ready'];
    for (const path of paths) {
      const { headers } = await fetchFrom(testApp.app, nextAddress(), path);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/); // PUBLIC_URL is https here
    }
    const preflights = [
      ['/api/v2/session', 'https://shop.example'],
      ['/graphql', 'https://dashboard.example'],
    ] as const;
    for (const [path, origin] of preflights) {
      const { status, headers } = await fetchFrom(testApp.app, nextAddress(), path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(status, path).toBe(204);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    const plainHttp = createApp(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://localhost:4000' }));
    expect((await fetchFrom(plainHttp, nextAddress(), '/health')).headers.get('strict-transport-security')).toBeNull();
  });

  it('allows the GraphiQL page only same-origin scripts, no inline one, and nothing from other origins', async () => {
    const page = await fetchFrom(testApp.app, nextAddress(), '/graphql', { headers: { accept: 'text/html' } });
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|sha256-|blob:|https?:/);
    expect(page.body).not.toMatch(/<script[^>]+src=["']?https?:/);
  });

  it('sends CORS headers only to the configured origins of each surface', async () => {
    const preflight = (path: string, origin: string) =>
      fetchFrom(testApp.app, nextAddress(), path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    expect((await preflight('/graphql', 'https://dashboard.example')).headers.get('access-control-allow-origin')).toBe(
      'https://dashboard.example',
    );
    expect((await preflight('/api/v2/session', 'https://shop.example')).headers.get('access-control-allow-origin')).toBe(
      'https://shop.example',
    );
    // A single configured origin is announced as is; a browser from elsewhere compares and refuses.
    expect((await preflight('/graphql', 'https://evil.example')).headers.get('access-control-allow-origin')).not.toBe(
      'https://evil.example',
    );
    const anyShop = createApp(loadConfig({ NODE_ENV: 'test', CORS_API_ORIGINS: '*' }));
    const fromAnywhere = await fetchFrom(anyShop, nextAddress(), '/api/v2/session', {
      method: 'OPTIONS',
      headers: { origin: 'https://any.example', 'access-control-request-method': 'POST' },
    });
    expect(fromAnywhere.headers.get('access-control-allow-origin')).toBe('*');
    const closed = createApp(loadConfig({ NODE_ENV: 'test' }));
    const none = await fetchFrom(closed, nextAddress(), '/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });
});
