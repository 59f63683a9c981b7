import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { closeDatabase, openDatabase } from '../../src/db/client.js';
import { logger } from '../../src/logger.js';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { call } from '../support/app.js';
import { graphqlBody, SIGN_UP } from './support.js';

/**
 * Log levels as an operator reads them: a client's mistake is never an error line, a database outage
 * is one warning per request. The app's own logger is watched in-process, through the whole pipeline.
 * PostgreSQL is reached through a TCP relay this test owns, so the outage is a real one: the relay
 * stops and drops its connections.
 */

let app: App;
let relay: Server | undefined;
const relayed = new Set<Socket>();
const databaseUrl = freshDatabaseUrl();

function startRelay(target: URL, port = 0): Promise<number> {
  relay = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      relayed.add(socket);
      socket.on('close', () => relayed.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => relay!.listen(port, '127.0.0.1', () => resolve((relay!.address() as { port: number }).port)));
}

function stopRelay(): Promise<void> {
  for (const socket of relayed) socket.destroy();
  return new Promise((resolve) => relay!.close(() => resolve()));
}

let relayPort = 0;
beforeAll(async () => {
  let url = databaseUrl;
  if (databaseUrl) {
    const viaRelay = new URL(databaseUrl);
    relayPort = await startRelay(new URL(databaseUrl));
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relayPort);
    url = viaRelay.toString();
  }
  await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
  app = createApp(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_SIGN_UP_PER_ADDRESS: '1/1h' }));
});
afterAll(async () => {
  if (relay && !relay.listening) await startRelay(new URL(databaseUrl!), relayPort);
  await closeDatabase();
  if (relay) await stopRelay();
  await dropSchemaOf(databaseUrl);
});

const spies = () => ({ error: vi.spyOn(logger, 'error'), fatal: vi.spyOn(logger, 'fatal'), warn: vi.spyOn(logger, 'warn') });
let logged: ReturnType<typeof spies>;
beforeEach(() => {
  vi.restoreAllMocks();
  logged = spies();
});

const post = (init: Parameters<typeof call>[2], address?: string) => call(app, '/graphql', { method: 'POST', ...init }, address);

describe('client errors', () => {
  it('never log at error or warn level', async () => {
    const answers: number[] = [];
    const json = graphqlBody('{ me { id } }').headers!;
    // 400s: bad input, syntax, validation, malformed JSON
    answers.push((await post(graphqlBody('mutation ($e: String!) { signIn(input: {email: $e, password: "x"}) { token } }', { e: 'a\u0000' }))).status);
    answers.push((await post(graphqlBody('{ me { '))).status);
    answers.push((await post(graphqlBody('{ nothing }'))).status);
    answers.push((await post({ headers: json, body: '{"query": ' })).status);
    answers.push((await post(graphqlBody(SIGN_UP, { email: 'not an email', password: PASSWORD }))).status);
    // 401, 413 (declared and chunked), 415, 405, 429
    answers.push((await post(graphqlBody('{ me { id } }', {}, '1|nope'))).status);
    answers.push((await post({ headers: json, body: `{"query": "${'x'.repeat(110 * 1024)}"}` })).status);
    answers.push(
      (
        await post({
          headers: json,
          body: new ReadableStream({
            start(controller) {
              for (let i = 0; i < 30; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(4096)));
              controller.close();
            },
          }),
        })
      ).status,
    );
    answers.push((await post({ headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' })).status);
    answers.push((await call(app, '/graphql?query=mutation%20%7B%20signOut%20%7D', { headers: { accept: 'application/json' } })).status);
    const address = '10.200.0.1';
    for (let attempt = 0; attempt < 2; attempt++) {
      answers.push((await post(graphqlBody(SIGN_UP, { email: `${attempt}-limit@example.com`, password: PASSWORD }), address)).status);
    }
    expect(answers).toEqual([200, 400, 400, 400, 200, 401, 413, 413, 415, 405, 200, 429]);
    expect(logged.error).not.toHaveBeenCalled();
    expect(logged.fatal).not.toHaveBeenCalled();
    expect(logged.warn).not.toHaveBeenCalled();
  });
});

describe.runIf(onPostgres)('the database going away (PostgreSQL through a relay)', () => {
  it('is one warning per request, never an error line', async () => {
    const signInTwice = graphqlBody(
      `mutation { a: signIn(input: {email: "a@example.com", password: "${PASSWORD}"}) { token } b: signIn(input: {email: "b@example.com", password: "${PASSWORD}"}) { token } }`,
    );
    expect((await post(signInTwice)).status).toBe(401); // unknown emails: the database answered
    await stopRelay();
    try {
      const requests = [signInTwice, graphqlBody('{ me { id } }', {}, `1|${'a'.repeat(40)}c95b8a25`)];
      for (const init of requests) {
        logged.warn.mockClear();
        const response = await post(init);
        expect(response.status).toBe(503);
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors.map((error) => error.extensions.code).every((code) => code === 'SERVICE_UNAVAILABLE')).toBe(true);
        expect(logged.warn).toHaveBeenCalledTimes(1);
      }
      expect(logged.error).not.toHaveBeenCalled();
    } finally {
      await startRelay(new URL(databaseUrl!), relayPort);
    }
  });
});
