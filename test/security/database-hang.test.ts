import { once } from 'node:events';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { runServerExpectingFailure, startServer, type ServerProcess } from '../support/server-process.js';
import { startTcpProxy, throughPort, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * PostgreSQL that stops answering without closing its connections (a partition, a hung server),
 * simulated by a proxy of the test's own between the server and PostgreSQL: every request, /ready,
 * start-up and shutdown give up within DATABASE_TIMEOUT_MS instead of waiting for ever, and the server
 * recovers by itself once the database answers again. PGlite lives in the process and cannot hang so.
 */

const TIMEOUT_MS = 1500;
/** Time to answer allowed beyond DATABASE_TIMEOUT_MS: the request's own work on a shared, busy machine. */
const MARGIN_MS = 1000;
const UNAVAILABLE = { message: 'The service is temporarily unavailable. Try again shortly.' };

const databaseUrl = freshDatabaseUrl();
const proxies: TcpProxy[] = [];
const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await dropSchemaOf(databaseUrl);
});

async function proxyToPostgres(): Promise<TcpProxy> {
  const target = new URL(process.env.TEST_DATABASE_URL!);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  proxies.push(proxy);
  return proxy;
}

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Answer = { status: number; body: any; retryAfter: string | null; ms: number };

async function timed(url: string, init: RequestInit = {}): Promise<Answer> {
  const startedAt = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return {
    status: response.status,
    body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    retryAfter: response.headers.get('retry-after'),
    ms: Date.now() - startedAt,
  };
}

async function eventually(attempt: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await attempt().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe.skipIf(!onPostgres)('PostgreSQL that stops answering', () => {
  it('answers 503 within DATABASE_TIMEOUT_MS, recovers when it answers again, and still shuts down', async () => {
    const proxy = await proxyToPostgres();
    const server = await startServer({ DATABASE_URL: throughPort(databaseUrl!, proxy.port), DATABASE_TIMEOUT_MS: String(TIMEOUT_MS) });
    servers.push(server);

    const graphql = (query: string, variables: object, token?: string) =>
      timed(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ query, variables }),
      });
    const signUp = await graphql(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }',
      { input: { email: 'hang@example.com', password: PASSWORD, organizationName: 'Hang' } },
    );
    const { token: userToken, user } = signUp.body.data.signUp;
    const created = await graphql(
      'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
      { input: { organizationId: user.memberships[0].organization.id, name: 'API' } },
      userToken,
    );
    const apiToken = created.body.data.createApiToken.plainTextToken;
    const bearer = { authorization: `Bearer ${apiToken}` };
    const postSession = () =>
      timed(`${server.url}/api/v2/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer },
        body: JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/done' }),
      });
    const first = await postSession();
    expect(first.status).toBe(201);
    const sessionUrl = `${server.url}/api/v2/session/${first.body.data.id}`;
    expect((await timed(sessionUrl, { headers: bearer })).status).toBe(200);
    expect((await timed(`${server.url}/ready`)).status).toBe(200);

    proxy.hang();
    // Twice: first on the pooled connections that stop answering mid-use, then on new connections that
    // never get past the handshake.
    for (let round = 0; round < 2; round++) {
      const [post, get, me, ready] = await Promise.all([
        postSession(),
        timed(sessionUrl, { headers: bearer }),
        graphql('{ me { id } }', {}, userToken),
        timed(`${server.url}/ready`),
      ]);
      for (const rest of [post, get]) {
        expect(rest).toMatchObject({ status: 503, body: UNAVAILABLE, retryAfter: '5' });
      }
      expect(me.status).toBe(503);
      expect(me.body.errors.map((error: any) => error.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable' } });
      for (const answer of [post, get, me, ready]) expect(answer.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    }

    proxy.resume();
    expect(await eventually(async () => (await postSession()).status === 201, 10_000)).toBe(true);
    expect((await timed(sessionUrl, { headers: bearer })).status).toBe(200);
    expect((await graphql('{ me { id } }', {}, userToken)).status).toBe(200);
    expect((await timed(`${server.url}/ready`)).status).toBe(200);
    expect(server.output()).not.toContain('unexpected error');

    // Shutting down against a database that stopped answering: the last token-use flush and closing
    // the pool give up within their bounds, and the process exits.
    await postSession();
    proxy.hang();
    const stoppingAt = Date.now();
    expect(await server.stop()).toBe(0);
    expect(Date.now() - stoppingAt).toBeLessThan(4 * TIMEOUT_MS + MARGIN_MS);
  }, 90_000);

  it('refuses to start, with one line naming DATABASE_URL, when the database accepts but never answers', async () => {
    const proxy = await proxyToPostgres();
    proxy.hang();
    const start = (port: number) =>
      runServerExpectingFailure({ DATABASE_URL: throughPort(databaseUrl!, port), DATABASE_TIMEOUT_MS: String(TIMEOUT_MS) }, { timeoutMs: 30_000 });
    // A refused connection first: it fails at once, so its time is the process's own start-up.
    const refused = await start(await closedPort());
    const hung = await start(proxy.port);
    for (const { code, output } of [refused, hung]) {
      expect(code).toBe(1);
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Cannot open the database at DATABASE_URL \(127\.0\.0\.1:\d+\/test\) within DATABASE_TIMEOUT_MS=1500: \S/);
      expect(output).not.toMatch(/postgres:\/\//); // no credentials, no stack
    }
    expect(hung.output).toContain('timeout');
    // The hang costs the bound, on top of a start-up whose time varies on a busy machine.
    expect(hung.ms - refused.ms).toBeLessThan(TIMEOUT_MS + 3000);
  }, 60_000);
});
