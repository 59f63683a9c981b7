import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parsePostgresUrl } from '../../src/db/client.js';
import { dropSchemaOf, freshDatabaseUrl } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/**
 * Issue 10: one request could exhaust the heap (128 MB, as `npm start` runs it) by listing an
 * organization's thousands of tokens with their creators under a few aliases. Here an organization
 * holds 25,000 API tokens (written straight into the table, as tokens made before the cap existed)
 * and a real server process answers the heaviest queries the limits allow, several at once.
 */

const TOKENS = 25_000;
const databaseUrl = freshDatabaseUrl();
let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bouncer-bounded-'));
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  await dropSchemaOf(databaseUrl);
});

const start = () => startServer(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir });

async function post(query: string, variables: object, token?: string) {
  const response = await fetch(`${server!.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, bytes: Number(response.headers.get('content-length') ?? 0), body: (await response.json()) as any };
}

/** Inserts the legacy tokens while no server holds the database (PGlite admits one process). */
async function insertLegacyTokens(organizationId: number, userId: number): Promise<void> {
  const insert = `INSERT INTO access_tokens (kind, name, token, abilities, organization_id, created_by_id, created_at)
    SELECT 'API', 'Legacy token ' || n, md5('a' || n) || md5('b' || n), ARRAY['*', 'session:create'], $1, $2,
           now() - n * interval '1 second'
    FROM generate_series(1, ${TOKENS}) AS n`;
  if (databaseUrl) {
    const { connectionString, schema } = parsePostgresUrl(databaseUrl);
    const client = new pg.Client({ connectionString, options: `-c search_path="${schema}"` });
    await client.connect();
    await client.query(insert, [organizationId, userId]);
    await client.end();
  } else {
    const pglite = await PGlite.create(dataDir);
    await pglite.query(insert, [organizationId, userId]);
    await pglite.close();
  }
}

/** The most memory the child process has held (VmHWM: its peak resident set), in MB. */
async function peakMemoryMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const aliases = (count: number, field: (i: number) => string) =>
  `query ($id: ID!) { ${Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;

/** The heaviest shapes the limits (cost 5000, 15 aliases, depth 8) let through, and some they refuse. */
const HEAVY: Array<{ name: string; query: string; pageSize: number; refused?: true }> = [
  // The attack of issue 10 as it was sent: default pages now.
  { name: 'reported attack', pageSize: 100, query: aliases(9, () => 'apiTokens(organizationId: $id, includeRevoked: true) { id name createdBy { id email } }') },
  { name: '9 full pages', pageSize: 500, query: aliases(9, (i) => `apiTokens(organizationId: $id, first: 500${i ? `, after: "${TOKENS - i * 500}"` : ''}) { id }`) },
  { name: 'every field of 450 tokens', pageSize: 450, query: aliases(1, () => 'apiTokens(organizationId: $id, first: 450) { id name abilities createdAt lastUsedAt expiresAt revokedAt createdBy { id email name } }') },
  {
    name: 'nested lists, deepest allowed',
    pageSize: 200,
    // A page per token's creator and per organization: ~400 queries, the most the cost allows.
    query: aliases(1, () => 'apiTokens(organizationId: $id, first: 200) { createdBy { memberships(first: 1) { organization { apiTokens(first: 1) { id } } } } }'),
  },
  {
    name: 'organization with members and tokens',
    pageSize: 400,
    query: aliases(1, () => 'organization(id: $id) { apiTokens(first: 400) { id name createdAt createdBy { email } } members(first: 500) { role user { email } } }'),
  },
  { name: 'nested full pages', pageSize: 0, refused: true, query: aliases(3, () => 'apiTokens(organizationId: $id, first: 500) { createdBy { memberships(first: 500) { organization { apiTokens(first: 500) { id createdBy { email } } } } } }') },
  { name: 'nested pages, one query each', pageSize: 0, refused: true, query: aliases(1, () => 'apiTokens(organizationId: $id, first: 500) { createdBy { memberships(first: 1) { organization { apiTokens(first: 1) { id } } } } }') },
  { name: '15 full pages', pageSize: 0, refused: true, query: aliases(15, () => 'apiTokens(organizationId: $id, first: 500) { id name createdBy { email } }') },
];

/** Every list in an answer, with its length. */
function listLengths(value: unknown, out: number[] = []): number[] {
  if (Array.isArray(value)) {
    out.push(value.length);
    value.forEach((item) => listLengths(item, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((item) => listLengths(item, out));
  }
  return out;
}

it(`stays up and small answering the heaviest allowed queries over ${TOKENS} tokens`, async () => {
  server = await start();
  const signUp = await post(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id memberships { organization { id } } } } }',
    { input: { email: 'owner@bounded.example', password: PASSWORD, organizationName: 'Hoarder' } },
  );
  const { token, user } = signUp.body.data.signUp;
  const organizationId = user.memberships[0].organization.id as string;
  await server.stop();
  await insertLegacyTokens(Number(organizationId), Number(user.id));
  server = await start();
  const pid = server.child.pid!;

  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(200);
  const idle = await peakMemoryMb(pid);

  const timings: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    // Every shape at once, as an attacker would send them.
    await Promise.all(
      HEAVY.map(async ({ name, query, pageSize, refused }) => {
        const startedAt = performance.now();
        const response = await post(query, { id: organizationId }, token);
        timings[name] = Math.max(timings[name] ?? 0, Math.round(performance.now() - startedAt));
        expect(response.status, name).toBeLessThan(500);
        if (refused) {
          expect(response.body.data, name).toBeUndefined();
          expect(response.body.errors[0].extensions.code, name).toBe('QUERY_TOO_COSTLY');
          return;
        }
        expect(response.status, name).toBe(200);
        expect(response.body.errors, name).toBeUndefined();
        const lengths = listLengths(response.body.data);
        expect(Math.max(...lengths), name).toBe(pageSize);
      }),
    );
  }

  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  const peak = await peakMemoryMb(pid);
  console.log(`bounded lists: idle peak ${idle.toFixed(0)} MB, after the heavy queries ${peak.toFixed(0)} MB; slowest answers (ms)`, timings);
  // The heap is at most 128 MB (npm start) and the old code's answers grew past it. Now the
  // heaviest answer is about 1 MB and the process's peak grows by far less than its heap could.
  expect(peak - idle).toBeLessThan(96);
  expect(server.child.exitCode).toBeNull();
}, 300_000);
