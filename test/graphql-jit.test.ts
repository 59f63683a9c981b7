import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useJitForRepeatedDocuments } from '../src/graphql/jit.js';
import { useTestApp } from './support/app.js';
import { createApiToken, signUp } from './support/fixtures.js';
import { fetchFrom, graphqlBody, nextAddress } from './security/support.js';

/**
 * Repeated documents run on graphql-jit (src/graphql/jit.ts): which requests it takes, and that the
 * dashboard's answers are the same whichever executor gave them.
 */

describe('which executions graphql-jit takes', () => {
  // graphql-jit hands its results to Yoga with a stringify of its own; graphql-js's have none.
  const executors: string[] = [];
  const recordExecutor: Plugin = {
    onExecutionResult({ result }) {
      executors.push('stringify' in (result as object) ? 'jit' : 'graphql-js');
    },
  };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: `enum Color { RED GREEN }
        type Query { paint(color: Color!, coats: Int = 1): String! }`,
      resolvers: { Query: { paint: (_: unknown, { color, coats }: { color: string; coats: number }) => `${coats} × ${color}` } },
    }),
    plugins: [useJitForRepeatedDocuments(), recordExecutor],
    logging: false,
  });
  const send = (query: string, variables?: object) =>
    yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  const run = async (query: string, variables?: object) => {
    const response = await send(query, variables);
    return { status: response.status, body: await response.json() };
  };
  const text = async (query: string) => (await send(query)).text();

  it('runs a document on graphql-js first, then compiled, with the same answer', async () => {
    executors.length = 0;
    const query = 'query ($color: Color!) { paint(color: $color, coats: 2) }';
    const first = await run(query, { color: 'RED' });
    const second = await run(query, { color: 'GREEN' });
    const third = await run(query, { color: 'RED' });
    expect(executors).toEqual(['graphql-js', 'jit', 'jit']);
    expect(first).toEqual({ status: 200, body: { data: { paint: '2 × RED' } } });
    expect(second.body).toEqual({ data: { paint: '2 × GREEN' } });
    expect(third).toEqual(first);
  });

  it("answers with the document's keys in its order, JavaScript's own names included, byte for byte", async () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'length', 'import', 'eval'];
    const plain = `{ ${names.map((name) => `${name}: paint(color: RED, coats: 1)`).join(' ')} }`;
    // graphql-jit would move __proto__ to the end: such a document stays on graphql-js.
    const proto = '{ a: paint(color: RED) __proto__: paint(color: GREEN) b: paint(color: RED) }';
    for (const query of [plain, proto]) {
      executors.length = 0;
      const answers = [await text(query), await text(query), await text(query)];
      expect(answers[1]).toBe(answers[0]);
      expect(answers[2]).toBe(answers[0]);
      expect(executors).toEqual(query === proto ? ['graphql-js', 'graphql-js', 'graphql-js'] : ['graphql-js', 'jit', 'jit']);
    }
    expect(await text(proto)).toBe('{"data":{"a":"1 × RED","__proto__":"1 × GREEN","b":"1 × RED"}}');
  });

  it("leaves variables that do not coerce to graphql-js, every time, with its error", async () => {
    const query = 'query ($color: Color!) { paint(color: $color) }';
    await run(query, { color: 'RED' });
    executors.length = 0;
    for (let i = 0; i < 2; i++) {
      const refused = await run(query, { color: 'REDD' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].message).toBe(
        'Variable "$color" got invalid value "REDD"; Value "REDD" does not exist in "Color" enum. Did you mean the enum value "RED"?',
      );
    }
    expect((await run(query, {})).body.errors[0].message).toBe('Variable "$color" of required type "Color!" was not provided.');
    expect((await run(query, { color: 'GREEN' })).body).toEqual({ data: { paint: '1 × GREEN' } });
    // graphql-js answered the refused requests; the valid one after them is compiled.
    expect(executors).toEqual(['graphql-js', 'graphql-js', 'graphql-js', 'jit']);
  });
});

describe("the dashboard's repeated requests", () => {
  const testApp = useTestApp();
  const post = (query: string, variables?: object, token?: string) =>
    fetchFrom(testApp.app, nextAddress(), '/graphql', graphqlBody(query, variables, token));

  it('answer as their first run did: data, resolver errors and refused variables', async () => {
    const owner = await signUp(testApp.app);
    await createApiToken(testApp.app, owner, { name: 'First', abilities: ['session:read'] });
    await createApiToken(testApp.app, owner, { name: 'Second', mode: 'TEST' });
    const list = `query ($organizationId: ID!) {
      apiTokens(organizationId: $organizationId, first: 5) { id name abilities mode createdAt revokedAt createdBy { email } }
      organization(id: $organizationId) { name members { role user { email } } }
    }`;
    const create = 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { name } } }';
    const requests: Array<[query: string, variables: object]> = [
      [list, { organizationId: owner.organizationId }],
      [list, { organizationId: '999999' }], // NOT_FOUND from a resolver
      [create, { input: { organizationId: owner.organizationId, name: '', abilities: ['*'] } }], // BAD_USER_INPUT
      [create, { input: { organizationId: owner.organizationId, name: 'T', mode: 'LIVELY' } }], // does not coerce
    ];
    for (const [query, variables] of requests) {
      const first = await post(query, variables, owner.token);
      const again = [await post(query, variables, owner.token), await post(query, variables, owner.token)];
      expect(first.status).toBeLessThan(500);
      for (const answer of again) {
        expect(answer.status, JSON.stringify(variables)).toBe(first.status);
        expect(answer.body, JSON.stringify(variables)).toEqual(first.body);
      }
    }
    const listed = await post(list, { organizationId: owner.organizationId }, owner.token);
    expect(listed.body.data.apiTokens.map((token: { name: string }) => token.name)).toEqual(['Second', 'First']);
    const refused = await post(...requests[3]!, owner.token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/"LIVELY" does not exist in "TokenMode" enum/);
  });
});
