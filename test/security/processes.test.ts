import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBouncerTokens } from '../../src/auth/tokens.js';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/**
 * Real server processes on 127.0.0.1: limits shared through Redis, revocation seen by every process,
 * SIGKILL in the middle of writes, and — over everything this file makes them do, at LOG_LEVEL=debug —
 * no secret in their output. Two processes share one database on PostgreSQL; PGlite allows one.
 */

const PREFIX = 'bnc_fault_';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = freshDatabaseUrl();
let dataDir: string;
const storage = () => (databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir });
const outputs: Array<() => string> = [];
const secretsSeen = new Set<string>([PASSWORD]);
const running = new Set<ServerProcess>();

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({
    ...storage(),
    TOKEN_PREFIX: PREFIX,
    LOG_LEVEL: 'debug',
    TRUST_PROXY: '1',
    ...env,
  });
  outputs.push(server.output);
  running.add(server);
  return server;
}

async function stop(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM') {
  running.delete(server);
  return server.stop(signal);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bouncer-faults-'));
});
afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
  await rm(dataDir, { recursive: true, force: true });
  await dropSchemaOf(databaseUrl);
});

let addressCounter = 0;
/** A client address of its own per call (the processes trust one proxy hop: X-Forwarded-For). */
const clientAddress = () => `198.18.${process.pid & 255}.${++addressCounter & 255}`;

async function graphql(server: ServerProcess, query: string, variables: object, token?: string, from = '198.19.0.1') {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': from,
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function postSession(server: ServerProcess, token: string, from = '198.19.0.2') {
  const response = await fetch(`${server.url}/api/v2/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': from },
    body: JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/done' }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }';
const CREATE = 'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken apiToken { id } } }';
const REVOKE = 'mutation ($id: ID!) { revokeApiToken(id: $id) { revokedAt } }';

async function owner(server: ServerProcess) {
  const email = `owner-${randomUUID()}@example.com`;
  const signUp = await graphql(server, SIGN_UP, { input: { email, password: PASSWORD, organizationName: 'Faults' } }, undefined, clientAddress());
  const { token, user } = signUp.body.data.signUp;
  secretsSeen.add(token);
  return { email, token: token as string, organizationId: user.memberships[0].organization.id as string };
}

async function createToken(server: ServerProcess, account: { token: string; organizationId: string }) {
  const created = await graphql(server, CREATE, { input: { organizationId: account.organizationId, name: 'API' } }, account.token);
  const { plainTextToken, apiToken } = created.body.data.createApiToken;
  secretsSeen.add(plainTextToken);
  return { token: plainTextToken as string, id: apiToken.id as string };
}

describe.runIf(onPostgres)('two processes on one PostgreSQL', () => {
  it('share rate limits through Redis: failures on either count, and a block reaches both', async () => {
    const env = { REDIS_URL, RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: '6/1m', RATE_LIMIT_SIGN_IN_PER_EMAIL: '4/15m' };
    const [a, b] = await Promise.all([start(env), start(env)]);
    const account = await owner(a);
    const { token } = await createToken(a, account);
    const attacker = clientAddress();
    // The checksum's last two hex digits changed (to 00, or 11 when they are 00 already: 1 token in 256).
    const tampered = `${token.slice(0, -2)}${token.endsWith('00') ? '11' : '00'}`;
    for (let attempt = 0; attempt < 6; attempt++) {
      const refused = await postSession(attempt % 2 ? b : a, tampered, attacker);
      expect(refused.status).toBe(401);
    }
    expect((await postSession(b, 'Bearer-nonsense', attacker)).status).toBe(429);
    // The block is broadcast: both processes now refuse that address up front, even a valid token.
    for (const server of [a, b]) {
      const deadline = Date.now() + 3000;
      let status = 0;
      while (Date.now() < deadline && (status = (await postSession(server, token, attacker)).status) !== 429) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(429);
    }
    expect((await postSession(a, token, clientAddress())).status).toBe(201);

    // Sign-in attempts per email, alternating between the processes.
    for (let attempt = 0; attempt < 4; attempt++) {
      const signIn = await graphql(attempt % 2 ? b : a, 'mutation ($e: String!) { signIn(input: {email: $e, password: "wrong password"}) { token } }', { e: account.email }, undefined, clientAddress());
      expect(signIn.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const limited = await graphql(b, 'mutation ($e: String!, $p: String!) { signIn(input: {email: $e, password: $p}) { token } }', { e: account.email, p: PASSWORD }, undefined, clientAddress());
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    await Promise.all([stop(a), stop(b)]);
  }, 90_000);

});

describe('revocation under load', () => {
  it('after a revoke returns, no request with that token succeeds on any process; new tokens work everywhere at once', async () => {
    // Two processes on PostgreSQL; PGlite's data directory admits one.
    const servers = onPostgres ? await Promise.all([start(), start()]) : [await start()];
    const [a, b] = [servers[0]!, servers.at(-1)!];
    const account = await owner(a);
    const victim = await createToken(a, account);
    const results: Array<{ startedAt: number; status: number }> = [];
    let streaming = true;
    const stream = async (server: ServerProcess) => {
      while (streaming) {
        const startedAt = performance.now();
        const { status } = await postSession(server, victim.token);
        results.push({ startedAt, status });
      }
    };
    const streams = [a, b, a, b, a, b].map(stream);
    // Meanwhile tokens are created on one process and used at once on the other.
    const fresh = await Promise.all(Array.from({ length: 6 }, (_, i) => createToken(i % 2 ? a : b, account)));
    for (const [i, created] of fresh.entries()) expect((await postSession(i % 2 ? b : a, created.token)).status).toBe(201);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const revoked = await graphql(b, REVOKE, { id: victim.id }, account.token);
    const revokeReturnedAt = performance.now();
    expect(revoked.body.data.revokeApiToken.revokedAt).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    streaming = false;
    await Promise.all(streams);

    const after = results.filter((result) => result.startedAt > revokeReturnedAt);
    expect(results.filter((result) => result.status === 201).length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(10);
    // Refused: 401, or 429 once the stream's address has failed too often (the bearer-failure limit).
    expect(after.filter((result) => result.status !== 401 && result.status !== 429)).toEqual([]);
    expect(after.some((result) => result.status === 401)).toBe(true);
    await Promise.all(servers.map((server) => stop(server)));
  }, 90_000);
});

describe('a server killed with SIGKILL in the middle of writes', () => {
  it('restarts onto a consistent database: every token it handed out works, no plaintext stored', async () => {
    let server = await start();
    const account = await owner(server);
    const { token: apiToken } = await createToken(server, account);
    const handedOut: string[] = [];
    const sessions: string[] = [];
    let firing = true;
    const fire = async (i: number) => {
      while (firing) {
        try {
          if (i % 2) {
            const created = await graphql(server, CREATE, { input: { organizationId: account.organizationId, name: `t${i}` } }, account.token);
            const plain = created.body.data?.createApiToken?.plainTextToken;
            if (plain) {
              handedOut.push(plain);
              secretsSeen.add(plain);
            }
          } else {
            const posted = await postSession(server, apiToken);
            if (posted.status === 201) sessions.push(posted.body.data.id);
          }
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const firing_ = Array.from({ length: 8 }, (_, i) => fire(i));
    const deadline = Date.now() + 20_000;
    while ((handedOut.length < 5 || sessions.length < 5) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await stop(server, 'SIGKILL')).toBeNull(); // killed, mid-flight
    firing = false;
    await Promise.all(firing_);
    expect(handedOut.length).toBeGreaterThanOrEqual(5);

    server = await start();
    for (const plain of handedOut) expect((await postSession(server, plain)).status, 'a token handed out before the kill').toBe(201);
    for (const id of sessions.slice(-10)) {
      const read = await fetch(`${server.url}/api/v2/session/${id}`, { headers: { authorization: `Bearer ${apiToken}` } });
      expect(read.status, 'a session created before the kill').toBe(200);
    }
    await stop(server);

    // No plaintext anywhere: no Bouncer token (pattern + CRC32) and no password in the stored data.
    const stored = databaseUrl ? await dumpSchema(databaseUrl) : await readTree(dataDir);
    expect(findBouncerTokens(stored, PREFIX)).toEqual([]);
    for (const secret of secretsSeen) expect(stored.includes(secret.split('|').pop()!)).toBe(false);
    if (databaseUrl) {
      expect(stored).toMatch(/"token":"[0-9a-f]{64}"/); // the dump did read the tokens table (column "token": the hash)
      expect(stored).not.toMatch(/"token":"(?![0-9a-f]{64}")/);
    }
  }, 120_000);
});

describe('the server output over this whole file', () => {
  it('holds no token, secret or password', () => {
    const output = outputs.map((read) => read()).join('\n');
    expect(output.length).toBeGreaterThan(1000);
    expect(findBouncerTokens(output, PREFIX)).toEqual([]);
    for (const secret of secretsSeen) {
      expect(output.includes(secret), 'a secret in the output').toBe(false);
      expect(output.includes(secret.split('|').pop()!), 'a secret in the output').toBe(false);
    }
  });
});

async function dumpSchema(url: string): Promise<string> {
  const schema = new URL(url).searchParams.get('schema')!;
  const base = new URL(url);
  base.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: base.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table_name}" t`);
      dump += rows.rows.map((row) => row.row).join('\n');
    }
    return dump;
  } finally {
    await client.end();
  }
}

/** Every file of the PGlite data directory, as latin1 text (tables, WAL, everything). */
async function readTree(directory: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(directory, { recursive: true })) {
    const file = path.join(directory, entry);
    if ((await stat(file)).isFile()) text += (await readFile(file)).toString('latin1');
  }
  return text;
}
