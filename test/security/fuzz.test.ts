import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checksum, findBouncerTokens, generateSecret, isBouncerToken, parseToken, phpCrc32 } from '../../src/auth/tokens.js';
import { logger } from '../../src/logger.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, signUp } from '../support/fixtures.js';
import { graphqlBody } from './support.js';

/**
 * Property-based tests (fast-check): thousands of generated inputs against the Authorization header,
 * the token parser and the session body. Never a 5xx, always the documented body. A failure prints the
 * seed and the shrunk input; `FC_SEED=<seed>` replays it.
 */

const testApp = useTestApp();
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const options = (numRuns: number) => ({ numRuns, ...(seed !== undefined && { seed }) });

let validToken: string;
let readToken: string;
beforeAll(async () => {
  const owner = await signUp(testApp.app);
  validToken = (await createApiToken(testApp.app, owner, { abilities: ['session:create'] })).plainTextToken;
  readToken = (await createApiToken(testApp.app, owner, { abilities: ['session:read'] })).plainTextToken;
});

describe('the sessions list query, fuzzed', () => {
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.constantFrom('created', 'expired', '', '1', '100', '101', '0', '00000000-0000-7000-8000-000000000000', '1e2', ' 5 '),
  );
  const query = fc.array(fc.tuple(fc.constantFrom('status', 'limit', 'starting_after', 'other'), value), { maxLength: 5 });

  it('answers 200 or Laravel’s 422, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const response = await call(testApp.app, `/api/v2/sessions?${search}`, { headers: { authorization: `Bearer ${readToken}` } });
        const body = (await response.json()) as { data?: unknown[]; has_more?: boolean; message?: string; errors?: object };
        if (response.status === 200) expect(Array.isArray(body.data) && typeof body.has_more === 'boolean').toBe(true);
        else {
          expect(response.status).toBe(422);
          expect(typeof body.message).toBe('string');
          expect(Object.keys(body.errors!).every((field) => ['status', 'limit', 'starting_after'].includes(field))).toBe(true);
        }
      }),
      options(300),
    );
  }, 120_000);
});

/** Header values a client can send: visible ASCII and tabs/spaces (Fetch refuses CR, LF and NUL). */
const headerText = fc.string({
  unit: fc.oneof(fc.constantFrom(' ', '\t', '|', '_', '-'), fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c))),
  maxLength: 300,
});

/** A valid token with one character replaced, inserted or removed, or its parts shuffled. */
const nearMiss = (token: () => string) =>
  fc
    .tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete', 'swapCase', 'dropId', 'otherId'), fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)))
    .map(([at, how, char]) => {
      const t = token();
      const i = at % t.length;
      switch (how) {
        case 'replace':
          return t.slice(0, i) + (t[i] === char ? (char === 'a' ? 'b' : 'a') : char) + t.slice(i + 1);
        case 'insert':
          // A zero before the id names the same token (leading zeros are read as Sanctum reads them).
          return t.slice(0, i) + (i === 0 && char === '0' ? '1' : char) + t.slice(i);
        case 'delete':
          return t.slice(0, i) + t.slice(i + 1);
        case 'swapCase': {
          const c = t[i]!;
          const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
          return swapped === c ? `${t}x` : t.slice(0, i) + swapped + t.slice(i + 1);
        }
        case 'dropId':
          return `${Number(t.split('|')[0]) + 1 + (at % 1000)}|${t.split('|')[1]}`;
        default:
          return `0|${t.split('|')[1]}`;
      }
    });

const authorizationHeader = fc.oneof(
  headerText,
  headerText.map((text) => `Bearer ${text}`),
  nearMiss(() => validToken).map((token) => `Bearer ${token}`),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer\t', 'Bearer a b', 'Token abc'),
);

describe('the Authorization header, fuzzed', () => {
  it('is refused on the REST API with exactly 401 {"message":"Unauthenticated."}', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationHeader, async (authorization) => {
        const response = await call(testApp.app, '/api/v2/session', {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: '{"age_target":18,"redirect_url":"https://shop.example/"}',
        });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ message: 'Unauthenticated.' });
      }),
      options(1500),
    );
  }, 120_000);

  it('is refused on GraphQL with 401 and UNAUTHENTICATED', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationHeader, async (authorization) => {
        const init = graphqlBody('{ me { id } }');
        const response = await call(testApp.app, '/graphql', {
          ...init,
          headers: { ...init.headers, authorization },
        });
        expect(response.status).toBe(401);
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
      }),
      options(700),
    );
  }, 120_000);
});

describe('the token parser, fuzzed', () => {
  it('never throws, and accepts only well-formed secrets with a matching checksum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }), headerText), (text) => {
        const parsed = parseToken(text);
        if (parsed === null) return;
        const secret = parsed.secret;
        const bare = /^[A-Za-z0-9]{40}(?:[A-Za-z0-9]{40})?$/.test(secret);
        const shape = /^[\x21-\x7e]*([A-Za-z0-9]{40})([0-9a-f]{8})$/.exec(secret);
        const sum = shape && [checksum(shape[1]!), phpCrc32(shape[1]!)].includes(shape[2]!);
        expect(secret.length <= 255 && (bare || Boolean(sum))).toBe(true);
      }),
      options(10_000),
    );
  });

  it('refuses every near miss of a genuine token (one character changed, added or removed)', () => {
    const tokens = Array.from({ length: 20 }, (_, i) => `${i + 1}|${generateSecret(i % 2 ? 'bnc_' : '')}`);
    let index = 0;
    fc.assert(
      fc.property(nearMiss(() => tokens[index++ % tokens.length]!), (token) => {
        const parsed = parseToken(token);
        // A changed id or prefix still parses (the database refuses it: the prefix is part of the hashed
        // secret); the 40 random characters and their checksum never survive a change.
        if (parsed) expect(tokens.map((t) => t.slice(-48))).toContain(parsed.secret.slice(-48));
      }),
      options(5000),
    );
  });
});

describe('secret scanning (tokenPattern + CRC32)', () => {
  it('finds generated tokens in text and rejects near misses', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'bouncer_', 'bnc-'), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.nat(47), (prefix, id, at) => {
        const secret = generateSecret(prefix);
        const token = `${id}|${secret}`;
        expect(isBouncerToken(token, prefix)).toBe(true);
        expect(isBouncerToken(secret, prefix)).toBe(true);
        expect(findBouncerTokens(`config: TOKEN="${token}"\n`, prefix)).toEqual([token]);
        // One character of the 48 changed: shape or checksum fails.
        const body = secret.slice(prefix.length);
        const c = body[at]!;
        const changed = body.slice(0, at) + (c === '0' ? '1' : c === 'f' ? 'e' : c === 'z' ? 'y' : c === 'Z' ? 'Y' : '0') + body.slice(at + 1);
        if (changed !== body) expect(isBouncerToken(prefix + changed, prefix)).toBe(false);
        expect(isBouncerToken(`${secret}0`, prefix)).toBe(false); // too long
        expect(isBouncerToken(secret.slice(0, -1), prefix)).toBe(false); // too short
        expect(isBouncerToken(prefix + body.slice(0, 40) + body.slice(40).toUpperCase(), prefix) && /[a-f]/.test(body.slice(40))).toBe(false);
        expect(findBouncerTokens(`x${secret}`, prefix)).toEqual([]); // part of a longer word
      }),
      options(1500),
    );
    // Random 48-character runs of the right alphabet are not tokens (the checksum rules them out).
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcdef0123456789'), minLength: 48, maxLength: 48 }), (run) => {
        expect(findBouncerTokens(run)).toEqual([]);
      }),
      options(2000),
    );
  });
});

/**
 * Any UTF-16 code unit, weighted towards what PostgreSQL cannot store (NUL, unpaired surrogates),
 * and well-formed text around them (ASCII, accents, emoji as surrogate pairs).
 */
const hostileText = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', 'é', '😀'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    ),
    maxLength,
  });

describe('the session body, fuzzed', () => {
  const url = fc.oneof(
    fc.webUrl(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('javascript:alert(1)', 'https://x', `https://e.example/${'a'.repeat(2100)}`),
    hostileText(20).map((text) => `https://shop.example/${text}`),
  );
  const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(fc.oneof(arbitrary, fc.jsonValue()), { nil: undefined });
  const body = fc.oneof(
    fc.record(
      {
        age_target: field(fc.constantFrom(8, 13, 16, 18, 21, 25, 30, 17, -1, 18.5, '18')),
        redirect_url: field(url),
        force_kyc: field(fc.boolean()),
        force_verification: field(fc.boolean()),
        metadata: field(
          fc.array(
            fc.oneof(fc.string({ maxLength: 20 }).map((s) => `k:${s}`), fc.string({ maxLength: 10 }), hostileText(20).map((s) => `k:${s}`)),
            { maxLength: 5 },
          ),
        ),
        webhook_url: field(url),
        expiration_time: field(fc.integer({ min: -10, max: 4000 })),
      },
      { requiredKeys: [] },
    ).map((record) => JSON.stringify(record)),
    fc
      .record(
        {
          force_kyc: fc.boolean(),
          metadata: fc.option(fc.array(fc.oneof(fc.string({ maxLength: 20 }), hostileText(20)).map((s) => `key:${s}`), { maxLength: 5 }), { nil: null }),
          webhook_url: fc.webUrl(),
          expiration_time: fc.integer({ min: 60, max: 3600 }),
        },
        { requiredKeys: [] },
      )
      .map((optional) => JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/done', ...optional })),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 200 }),
  );

  it('is answered 201, 400 or 422 in the documented shape, never 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const response = await call(testApp.app, '/api/v2/session', {
          method: 'POST',
          headers: { authorization: `Bearer ${validToken}`, 'content-type': 'application/json' },
          body: text,
        });
        const json = (await response.json()) as any;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) {
          expect(Object.keys(json.data).sort()).toEqual(['expires_at', 'id', 'issued_at', 'livemode', 'verify_url']);
        } else if (response.status === 422) {
          expect(typeof json.message).toBe('string');
          for (const messages of Object.values(json.errors)) {
            expect(Array.isArray(messages) && messages.every((m) => typeof m === 'string')).toBe(true);
          }
        } else {
          expect(response.status).toBe(400);
          expect(Object.keys(json)).toEqual(['message']);
        }
      }),
      options(800),
    );
    // The generator reaches every outcome (otherwise the property says little).
    expect([...statuses.keys()].sort()).toEqual([201, 400, 422]);
  }, 180_000);
});

describe('GraphQL string inputs, fuzzed', () => {
  const operation = fc.oneof(
    fc
      .record({ email: hostileText(30), name: hostileText(30), organizationName: hostileText(30), password: hostileText(30) })
      .map((input) => ({ query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', variables: { input } })),
    fc
      .record({ email: hostileText(30), password: hostileText(30) })
      .map((input) => ({ query: 'mutation ($input: SignInInput!) { signIn(input: $input) { token } }', variables: { input } })),
    fc.record({ name: hostileText(30), abilities: fc.array(hostileText(12), { maxLength: 3 }) }).map((input) => ({
      query: 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      variables: { input: { organizationId: owner.organizationId, ...input } },
    })),
    // The same strings as literals in the document (JSON's escapes are GraphQL's).
    fc.tuple(hostileText(30), hostileText(30)).map(([name, ability]) => ({
      query: `mutation { createApiToken(input: {organizationId: "${owner.organizationId}", name: ${JSON.stringify(name)}, abilities: [${JSON.stringify(ability)}]}) { plainTextToken } }`,
      variables: {},
    })),
    hostileText(30).map((id) => ({ query: `query ($id: ID!) { organization(id: $id) { id } }`, variables: { id } })),
  );
  let owner: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    owner = await signUp(testApp.app);
  });

  it('answers every string with data or a client error, never a 5xx or an error-level log', async () => {
    const errorLog = vi.spyOn(logger, 'error');
    const codes = new Map<unknown, number>();
    try {
      await fc.assert(
        fc.asyncProperty(operation, async ({ query, variables }) => {
          errorLog.mockClear();
          const response = await call(testApp.app, '/graphql', graphqlBody(query, variables, owner.token));
          expect(response.status).toBeLessThan(500);
          const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
          for (const error of body.errors ?? []) {
            codes.set(error.extensions?.code, (codes.get(error.extensions?.code) ?? 0) + 1);
            expect(['BAD_USER_INPUT', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'GRAPHQL_PARSE_FAILED']).toContain(
              error.extensions?.code,
            );
          }
          expect(errorLog).not.toHaveBeenCalled();
        }),
        options(400),
      );
    } finally {
      errorLog.mockRestore();
    }
    // The generator reaches the invalid-character refusal (otherwise the property says little).
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(20);
  }, 180_000);
});
