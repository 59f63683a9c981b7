import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/**
 * PostgreSQL stopped under traffic and started again: while it is away every request is a clean 503
 * (REST `{"message"}`, GraphQL SERVICE_UNAVAILABLE), and the server recovers by itself. This stops the
 * machine's shared PostgreSQL, so it runs alone in the `postgres-disruptive` project, after the others.
 */

const run = promisify(execFile);
const databaseUrl = freshDatabaseUrl()!;
const servers: ServerProcess[] = [];

async function cluster(action: 'start' | 'stop'): Promise<void> {
  const [version] = await readdir('/etc/postgresql');
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version!, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], {
    timeout: 60_000,
  });
}

async function isUp(): Promise<boolean> {
  return run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']).then(
    () => true,
    () => false,
  );
}

afterAll(async () => {
  // Whatever happened, leave PostgreSQL running for whatever comes next.
  if (!(await isUp())) await cluster('start');
  for (let i = 0; i < 30 && !(await isUp()); i++) await new Promise((resolve) => setTimeout(resolve, 1000));
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await dropSchemaOf(databaseUrl);
}, 90_000);

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }';
const CREATE = 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }';

type Outcome = { at: number; surface: 'rest' | 'graphql'; status: number; body: any };

describe('PostgreSQL going away and coming back', () => {
  it('is answered with 503 while it is down, and the server recovers by itself', async () => {
    const server = await startServer({ DATABASE_URL: databaseUrl });
    servers.push(server);
    const graphql = async (query: string, variables: object, token?: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const signUp = await graphql(SIGN_UP, { input: { email: 'ops@example.com', password: PASSWORD, organizationName: 'Ops' } });
    const { token: userToken, user } = signUp.body.data.signUp;
    const created = await graphql(CREATE, { input: { organizationId: user.memberships[0].organization.id, name: 'API' } }, userToken);
    const apiToken = created.body.data.createApiToken.plainTextToken;

    const outcomes: Outcome[] = [];
    let streaming = true;
    const stream = async (surface: 'rest' | 'graphql') => {
      while (streaming) {
        try {
          if (surface === 'rest') {
            const response = await fetch(`${server.url}/api/v2/session`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
              body: JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/done' }),
              signal: AbortSignal.timeout(15_000),
            });
            outcomes.push({ at: Date.now(), surface, status: response.status, body: await response.json() });
          } else {
            const { status, body } = await graphql('{ me { id } }', {}, userToken);
            outcomes.push({ at: Date.now(), surface, status, body });
          }
        } catch (error) {
          outcomes.push({ at: Date.now(), surface, status: 0, body: String(error) });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const streams = [stream('rest'), stream('graphql')];
    const waitFor = async (condition: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return condition();
    };

    try {
      expect(await waitFor(() => outcomes.filter((o) => o.status === 201).length >= 3, 10_000)).toBe(true);
      await cluster('stop');
      const stoppedAt = Date.now(); // PostgreSQL has stopped: from here on it is away
      const unavailable = () => outcomes.filter((o) => o.at > stoppedAt && o.status === 503);
      expect(await waitFor(() => new Set(unavailable().map((o) => o.surface)).size === 2 && unavailable().length >= 6, 20_000)).toBe(true);
      expect((await fetch(`${server.url}/ready`)).status).toBe(503);
      const startedAt = Date.now();
      await cluster('start');
      const recovered = () => outcomes.filter((o) => o.at > startedAt && (o.status === 200 || o.status === 201));
      expect(await waitFor(() => new Set(recovered().map((o) => o.surface)).size === 2, 30_000)).toBe(true);
      streaming = false;
      await Promise.all(streams);

      // While down: only clean 503s, never a 500, a dropped connection or an unexpected body.
      const during = outcomes.filter((o) => o.at > stoppedAt && o.at < startedAt);
      for (const outcome of during) {
        expect(outcome.status, JSON.stringify(outcome)).toBe(503);
        if (outcome.surface === 'rest') {
          expect(outcome.body).toEqual({ message: 'The service is temporarily unavailable. Try again shortly.' });
        } else {
          expect(outcome.body.errors.map((error: any) => error.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
        }
      }
      expect(outcomes.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503))).toEqual([]);
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      streaming = false;
      await Promise.all(streams);
      if (!(await isUp())) await cluster('start');
    }
    expect(await server.stop()).toBe(0);
    expect(server.output()).not.toContain(apiToken.split('|')[1]);
  }, 150_000);
});
