import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from './support/database.js';
import { PASSWORD } from './support/fixtures.js';
import { ApiTokens, CreateApiToken, Me, SignUp } from './support/operations.js';
import { runServerExpectingFailure, startServer, type ServerProcess } from './support/server-process.js';

/** The server as an operator runs it: a separate process, real HTTP, signals. */

let dataDir: string;
const databaseUrl = freshDatabaseUrl();
const storage = () => (databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bouncer-server-test-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await dropSchemaOf(databaseUrl);
});

async function post(server: ServerProcess, document: Parameters<typeof print>[0], variables: object, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('the server process', () => {
  it('serves GraphQL over HTTP, keeps its data, and shuts down cleanly, flushing token uses', { timeout: 90_000 }, async () => {
    const server = await startServer({ ...storage(), TOKEN_PREFIX: 'bnc_' });
    let secrets: string[] = [];
    try {
      expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${server.url}/ready`)).json()).toEqual({ status: 'ready' });
      // The start-up line names where to go, as full URLs (PUBLIC_URL unset: the listening address).
      const listening = JSON.parse(server.output().split('\n').find((line) => line.includes('"listening"'))!);
      expect(listening).toMatchObject({
        dashboard: `${server.url}/dashboard`,
        graphql: `${server.url}/graphql`,
        api: `${server.url}/api/v2`,
      });

      const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(graphiql.status).toBe(200);
      expect(await graphiql.text()).toContain('GraphiQL');

      const signUp = await post(server, SignUp, {
        input: { email: 'ops@example.com', password: PASSWORD, organizationName: 'Ops' },
      });
      expect(signUp.status).toBe(200);
      const { token, user } = signUp.body.data.signUp;
      expect(token).toMatch(/^\d+\|bnc_[A-Za-z0-9]{40}[0-9a-f]{8}$/);
      const organizationId = user.memberships[0].organization.id;

      const created = await post(
        server,
        CreateApiToken,
        { input: { organizationId, name: 'Production API' } },
        token,
      );
      const { plainTextToken } = created.body.data.createApiToken;
      expect(plainTextToken).toMatch(/^\d+\|bnc_/);
      secrets = [token, plainTextToken, PASSWORD];

      // A use of the API token, to be flushed at shutdown (it is refused: API tokens are not dashboard users).
      const used = await post(server, Me, {}, plainTextToken);
      expect(used.body.errors[0].extensions.code).toBe('FORBIDDEN');

      const refused = await post(server, Me, {}, 'not-a-token');
      expect(refused.status).toBe(401);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(server.output()).toContain('"msg":"stopped"');
    for (const secret of secrets) {
      expect(server.output()).not.toContain(secret);
      expect(server.output()).not.toContain(secret.split('|')[1] ?? secret);
    }

    // Restarted on the same storage: the data is there, including the last use recorded at shutdown.
    const restarted = await startServer(storage());
    try {
      const signIn = await post(restarted, SignUp, {
        input: { email: 'OPS@example.com', password: PASSWORD, organizationName: 'Again' },
      });
      expect(signIn.body.errors[0].extensions.code).toBe('CONFLICT');
      const me = await post(restarted, Me, {}, secrets[0]);
      const organizationId = me.body.data.me.memberships[0].organization.id;
      const list = await post(restarted, ApiTokens, { organizationId }, secrets[0]);
      expect(list.body.data.apiTokens[0].lastUsedAt).not.toBeNull();
    } finally {
      expect(await restarted.stop('SIGINT')).toBe(0);
    }
  });

  it('refuses to start on invalid configuration, naming each bad variable', async () => {
    const { code, output } = await runServerExpectingFailure({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://example.com',
      TOKEN_PREFIX: 'bad|prefix',
      DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toMatch(/PORT: /);
    expect(output).toMatch(/PUBLIC_URL: must be an absolute http\(s\) URL/);
    expect(output).toMatch(/TOKEN_PREFIX: /);
  });

  it.runIf(onPostgres)('lets two processes start at once on one empty database', async () => {
    const emptyDatabase = freshDatabaseUrl()!;
    try {
      const servers = await Promise.all([
        startServer({ DATABASE_URL: emptyDatabase }),
        startServer({ DATABASE_URL: emptyDatabase }),
      ]);
      const applied = servers.map((server) => /"migrationsApplied":\[([^\]]*)\]/.exec(server.output())![1]);
      expect(applied.filter((names) => names !== '')).toHaveLength(1);
      for (const server of servers) {
        expect((await fetch(`${server.url}/ready`)).status).toBe(200);
        expect(await server.stop()).toBe(0);
      }
    } finally {
      await dropSchemaOf(emptyDatabase);
    }
  });
});
