import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { db } from '../../src/db/client.js';
import { useTestApp } from '../support/app.js';
import { PASSWORD } from '../support/fixtures.js';
import { fetchFrom, graphqlBody, nextAddress, SIGN_UP, type FetchInit } from './support.js';

/** How GraphQL requests may be sent (CSRF), and what a production server tells about its schema. */

const testApp = useTestApp();

const post = (init: FetchInit, app = testApp.app) => fetchFrom(app, nextAddress(), '/graphql', { method: 'POST', ...init });
const userExists = async (email: string) => (await db.user.count({ where: { email } })) > 0;

describe('cross-site request forgery', () => {
  const signUpQuery = (email: string) =>
    `mutation { signUp(input: {email: "${email}", password: "${PASSWORD}", organizationName: "Evil"}) { token } }`;

  it('refuses POSTs a page on any site can send without a preflight, running nothing', async () => {
    const forms: Array<[contentType: string | undefined, body: (email: string) => string]> = [
      ['application/x-www-form-urlencoded', (email) => new URLSearchParams({ query: signUpQuery(email) }).toString()],
      ['text/plain', (email) => JSON.stringify({ query: signUpQuery(email) })],
      ['text/plain;charset=UTF-8', (email) => JSON.stringify({ query: signUpQuery(email) })],
      [
        'multipart/form-data; boundary=XyZ',
        (email) => `--XyZ\r\nContent-Disposition: form-data; name="query"\r\n\r\n${signUpQuery(email)}\r\n--XyZ--\r\n`,
      ],
      ['application/graphql', (email) => signUpQuery(email)],
      ['Application/JSON', (email) => JSON.stringify({ query: signUpQuery(email) })],
      [undefined, (email) => JSON.stringify({ query: signUpQuery(email) })],
    ];
    for (const [contentType, body] of forms) {
      const email = `csrf-${randomUUID()}@example.com`;
      const response = await post({
        headers: { origin: 'https://evil.example', ...(contentType && { 'content-type': contentType }) },
        body: body(email),
      });
      expect(response.status, contentType).toBe(415);
      expect(response.body.errors).toEqual([
        {
          message: 'GraphQL requests must be sent as JSON: POST with Content-Type: application/json.',
          extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
        },
      ]);
      expect(await userExists(email), contentType).toBe(false);
    }
  });

  it('never runs a mutation from a GET', async () => {
    const email = `get-${randomUUID()}@example.com`;
    const response = await fetchFrom(testApp.app, nextAddress(), `/graphql?query=${encodeURIComponent(signUpQuery(email))}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(405);
    expect(response.body.errors[0].message).toMatch(/mutation/i);
    expect(await userExists(email)).toBe(false);
  });

  it('accepts JSON POSTs (the dashboard, GraphiQL, integrators) and GET queries', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/graphql+json']) {
      const email = `json-${randomUUID()}@example.com`;
      const init = graphqlBody(SIGN_UP, { email, password: PASSWORD });
      const response = await post({ ...init, headers: { ...init.headers, 'content-type': contentType } });
      expect(response.body.data.signUp.token, contentType).toBeTruthy();
      expect(await userExists(email)).toBe(true);
    }
    const get = await fetchFrom(testApp.app, nextAddress(), '/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } });
    expect(get.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('suggestions with introspection off', () => {
  const messagesOf = (body: { errors: Array<{ message: string }> }) => body.errors.map((error) => error.message).join('\n');
  const production = () => createApp(loadConfig({ NODE_ENV: 'production' }));
  const introspectionOff = () => createApp(loadConfig({ NODE_ENV: 'test', INTROSPECTION: 'off' }));

  // Each source of "Did you mean" in graphql-js, with what it would reveal.
  const sources: Array<{ source: string; query: string; variables?: object; reveals: RegExp }> = [
    { source: 'a field', query: '{ me { emial } }', reveals: /"email"/ },
    { source: 'an argument', query: '{ apiTokens(organizationId: "1", includeRevokd: true) { id } }', reveals: /includeRevoked/ },
    { source: 'a type name', query: 'query ($id: Strin) { organization(id: $id) { id } }', reveals: /"String"|"ID"/ },
    {
      source: 'an enum value in a literal',
      query: 'mutation { changeMemberRole(input: {organizationId: "1", userId: "1", role: OWNR}) { role } }',
      reveals: /OWNER/,
    },
    {
      source: 'an enum value in a variable',
      query: 'mutation ($role: Role!) { changeMemberRole(input: {organizationId: "1", userId: "1", role: $role}) { role } }',
      variables: { role: 'OWNR' },
      reveals: /OWNER/,
    },
    {
      source: 'an input field in a literal',
      query: 'mutation { signIn(input: {emial: "a@example.com", password: "p"}) { token } }',
      reveals: /"email"/,
    },
    {
      source: 'an input field in a variable',
      query: 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      variables: { input: { organizationId: '1', name: 'T', abilitis: ['*'] } },
      reveals: /"abilities"/,
    },
    { source: 'a fragment type condition', query: '{ ...on Querry { me { id } } }', reveals: /"Query"/ },
  ];

  for (const { source, query, variables, reveals } of sources) {
    it(`are removed from errors about ${source}`, async () => {
      const development = await post(graphqlBody(query, variables));
      const hint = messagesOf(development.body);
      expect(hint, 'development keeps the hint (otherwise this case tests nothing)').toMatch(/Did you mean/);
      expect(hint).toMatch(reveals);

      for (const app of [production(), introspectionOff()]) {
        const response = await post(graphqlBody(query, variables), app);
        expect(response.status).toBeLessThan(500);
        expect(response.body.errors.length).toBeGreaterThan(0);
        const text = messagesOf(response.body);
        expect(text).not.toMatch(/Did you mean/i);
        expect(text).not.toMatch(reveals);
      }
    });
  }
});

describe('an alias named then', () => {
  // Yoga's executor took any answer object with a `then` for a promise: a 500 for anyone.
  it('is refused before execution, at any depth, every time; other aliases work', async () => {
    const { body: signedUp } = await post(graphqlBody(SIGN_UP, { email: `then-${randomUUID()}@example.com`, password: PASSWORD }));
    const token = signedUp.data.signUp.token as string;
    for (const query of ['{ then: __typename }', '{ me { then: id } }', '{ a: __typename then: apiTokenAbilities }']) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const refused = await post(graphqlBody(query, {}, token));
        expect(refused.status, query).toBe(400);
        expect(refused.body.data, query).toBeUndefined();
        expect(refused.body.errors[0].message).toBe('"then" cannot be used as an alias: choose another name.');
      }
    }
    const answered = await post(graphqlBody('{ thenable: __typename me { then_: id } }', {}, token));
    expect(answered.status).toBe(200);
    expect(answered.body.data).toEqual({ thenable: 'Query', me: { then_: expect.any(String) } });
  });
});
