import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer, type ServerProcess } from '../test/support/server-process.js';

/**
 * npm run bench [-- --long] [-- --scaling] [-- --db pglite|postgres]
 *
 * Starts the real server as a separate process on each database, loads it over loopback with
 * autocannon from this process, and measures, interleaved in the same rounds, the ceilings of this
 * machine: a bare node:http server answering a fixed body, the same server doing one pg (or PGlite)
 * INSERT of the same row, and Yoga + Pothos answering `apiTokens` from constant data. Figures are
 * medians over the rounds; each path is reported as a ratio to its ceiling.
 */

const { values: options } = parseArgs({
  options: {
    long: { type: 'boolean', default: false },
    scaling: { type: 'boolean', default: false },
    db: { type: 'string', multiple: true },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
// Short rounds, many of them: each path is measured right after its ceiling, and the ratio is the
// median of those paired ratios (the machine's noise moves a pair together more than two medians).
const DURATION_S = options.long ? 5 : 1;
const ROUNDS = options.long ? 9 : 5;
const CONNECTIONS = 10;
const backends = (options.db ?? ['pglite', 'postgres']) as Array<'pglite' | 'postgres'>;

const SESSION_BODY = JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/checkout/done' });

type Request = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string; expect: 200 | 201 | 401 };
type Target = { name: string; server: () => ServerProcess; request: Request; ceiling?: string; goal?: number };
type Sample = { rps: number; p50: number; p99: number };

async function load(server: ServerProcess, request: Request, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  const expected = request.expect < 300 ? result['2xx'] : result['4xx'];
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (expected !== total || result.errors > 0) {
    throw new Error(`${request.method} ${request.path}: ${total - expected} unexpected answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

async function graphql(server: ServerProcess, query: string, variables: object, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function signUp(server: ServerProcess, email: string) {
  const { signUp } = await graphql(
    server,
    `mutation($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }`,
    { input: { email, password: 'benchmark password', organizationName: email } },
  );
  return { userToken: signUp.token as string, organizationId: signUp.user.memberships[0].organization.id as string };
}

/**
 * An organization with 20 API tokens (paths 1, 2, 4), and another one for path 3, so that the tokens
 * it creates do not grow the list path 2 reads.
 */
async function seed(server: ServerProcess) {
  const reader = await signUp(server, 'bench@example.com');
  const apiTokens: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { createApiToken } = await graphql(
      server,
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
      { input: { organizationId: reader.organizationId, name: `Token ${i}` } },
      reader.userToken,
    );
    apiTokens.push(createApiToken.plainTextToken);
  }
  return { ...reader, apiToken: apiTokens[0]!, writer: await signUp(server, 'writer@example.com') };
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function freshPostgresDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: options['postgres-url'] });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(options['postgres-url']!);
  url.pathname = `/${name}`;
  return url.toString();
}

type Storage = { env: Record<string, string>; ceilingEnv: Record<string, string>; cleanup: () => Promise<void> };

async function prepareStorage(backend: 'pglite' | 'postgres'): Promise<Storage> {
  if (backend === 'postgres') {
    const databaseUrl = await freshPostgresDatabase('bouncer_bench');
    return { env: { DATABASE_URL: databaseUrl }, ceilingEnv: { DATABASE_URL: databaseUrl }, cleanup: async () => {} };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'bouncer-bench-'));
  return {
    env: { DATA_DIR: path.join(dir, 'server') },
    ceilingEnv: { DATA_DIR: path.join(dir, 'ceiling') },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// The failed-bearer rate limit is off so that path 4 measures refusing itself (past the limit, a
// client gets an even cheaper 429).
const SERVER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  PUBLIC_URL: 'https://bouncer.example',
  RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: 'off',
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function benchBackend(backend: 'pglite' | 'postgres'): Promise<void> {
  const storage = await prepareStorage(backend);
  const server = await startServer({ ...SERVER_ENV, ...storage.env });
  const servers: ServerProcess[] = [server];
  try {
    const { userToken, organizationId, apiToken, writer } = await seed(server);
    const [fixed, insert, graphqlCeiling] = await Promise.all([
      startServer({ CEILING: 'fixed' }, 'bench/ceiling-server.ts'),
      startServer({ CEILING: 'insert', ORGANIZATION_ID: organizationId, ...storage.ceilingEnv }, 'bench/ceiling-server.ts'),
      startServer({}, 'bench/graphql-ceiling-server.ts'),
    ]);
    servers.push(fixed, insert, graphqlCeiling);

    const postSession = (token: string, expect: 201 | 401): Request => ({
      method: 'POST', path: '/api/v2/session', headers: { authorization: `Bearer ${token}` }, body: SESSION_BODY, expect,
    });
    const gql = (query: string, token?: string): Request => ({
      method: 'POST', path: '/graphql', headers: token ? { authorization: `Bearer ${token}` } : {}, body: JSON.stringify({ query }), expect: 200,
    });
    const listTokens = `{ apiTokens(organizationId: "${organizationId}") { id name abilities createdAt lastUsedAt expiresAt revokedAt } }`;
    const unknownToken = `${apiToken.split('|')[0]}|${'A'.repeat(40)}2ae98c30`; // well-formed, right checksum, wrong secret

    const targets: Target[] = [
      { name: 'ceiling: node:http, fixed body', server: () => fixed, request: postSession('x', 401) },
      { name: '4. refusal, malformed token', server: () => server, request: postSession('not-a-token', 401), ceiling: 'ceiling: node:http, fixed body', goal: 0.8 },
      { name: '4b. refusal, unknown token (DB look-up)', server: () => server, request: postSession(unknownToken, 401), ceiling: 'ceiling: node:http, fixed body' },
      { name: 'ceiling: node:http + one INSERT', server: () => insert, request: postSession('x', 201) },
      { name: '1. POST /api/v2/session', server: () => server, request: postSession(apiToken, 201), ceiling: 'ceiling: node:http + one INSERT', goal: 0.5 },
      { name: 'ceiling: Yoga+Pothos, constant data', server: () => graphqlCeiling, request: gql(listTokens) },
      { name: '2. GraphQL apiTokens (20 tokens)', server: () => server, request: gql(listTokens, userToken), ceiling: 'ceiling: Yoga+Pothos, constant data', goal: 0.6 },
      {
        name: '3. GraphQL createApiToken',
        server: () => server,
        request: gql(
          `mutation { createApiToken(input: { organizationId: "${writer.organizationId}", name: "bench" }) { plainTextToken } }`,
          writer.userToken,
        ),
        ceiling: 'ceiling: node:http + one INSERT',
      },
    ];

    for (const target of targets) await load(target.server(), target.request, 0.5); // warm-up (JIT, pools)
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) samples.get(target.name)!.push(await load(target.server(), target.request, DURATION_S));
    }

    const summary = new Map(
      targets.map((t) => {
        const s = samples.get(t.name)!;
        return [t.name, { rps: median(s.map((x) => x.rps)), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)) }];
      }),
    );
    const rows = [['path', 'req/s', 'p50 ms', 'p99 ms', 'ceiling req/s', 'ratio', 'ratio range', 'goal']];
    for (const target of targets) {
      const s = summary.get(target.name)!;
      const ceiling = target.ceiling ? summary.get(target.ceiling)!.rps : undefined;
      const ratios = target.ceiling
        ? samples.get(target.name)!.map((sample, round) => sample.rps / samples.get(target.ceiling!)![round]!.rps)
        : [];
      const ratio = ratios.length ? median(ratios) : undefined;
      rows.push([
        target.name,
        s.rps.toFixed(0),
        String(s.p50),
        String(s.p99),
        ceiling ? ceiling.toFixed(0) : '',
        ratio ? ratio.toFixed(2) : '',
        ratio ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '',
        target.goal ? `≥ ${target.goal} ${ratio! >= target.goal ? 'met' : 'MISSED'}` : '',
      ]);
    }
    console.log(`\n### ${backend} — ${ROUNDS} rounds × ${DURATION_S} s, ${CONNECTIONS} connections\n`);
    console.log(table(rows));
    console.log(`\nserver peak RSS: ${(await peakRssMb(server.child.pid!)).toFixed(0)} MB`);

    if (options.scaling) await scaling(backend, server, servers, storage, apiToken, organizationId);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await storage.cleanup();
  }
}

/** Token verification and the session path with 10 tokens, then 100,000 tokens, then 1,000,000 sessions. */
async function scaling(
  backend: 'pglite' | 'postgres',
  server: ServerProcess,
  servers: ServerProcess[],
  storage: Storage,
  apiToken: string,
  organizationId: string,
): Promise<void> {
  let current = server;
  const { body } = await fetch(`${current.url}/api/v2/session`, {
    method: 'POST', headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' }, body: SESSION_BODY,
  }).then(async (r) => ({ body: (await r.json()) as { data: { id: string } } }));
  const verify: Request = { method: 'GET', path: `/api/v2/session/${body.data.id}`, headers: { authorization: `Bearer ${apiToken}` }, expect: 200 };
  const create: Request = { method: 'POST', path: '/api/v2/session', headers: { authorization: `Bearer ${apiToken}` }, body: SESSION_BODY, expect: 201 };

  /** Runs SQL against the server's database; PGlite's directory is the server's alone, so it restarts around it. */
  async function runSql(sql: string) {
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: storage.env.DATABASE_URL });
      await client.connect();
      await client.query(sql);
      await client.end();
      return;
    }
    await current.stop();
    const pglite = await PGlite.create(storage.env.DATA_DIR!);
    await pglite.exec(sql);
    await pglite.close();
    current = await startServer({ ...SERVER_ENV, ...storage.env });
    servers.push(current);
  }

  const rows = [['state', 'verify (GET) req/s', 'p50', 'p99', 'POST session req/s', 'p50', 'p99']];
  async function measureState(state: string) {
    await load(current, verify, 1);
    const v = await load(current, verify, DURATION_S * 4);
    const c = await load(current, create, DURATION_S * 4);
    rows.push([state, v.rps.toFixed(0), String(v.p50), String(v.p99), c.rps.toFixed(0), String(c.p50), String(c.p99)]);
  }
  await measureState('20 tokens, few sessions');
  await runSql(`INSERT INTO access_tokens (kind, name, token, organization_id)
    SELECT 'API', 'bulk ' || g, encode(sha256(g::text::bytea), 'hex'), ${Number(organizationId)} FROM generate_series(1, 100000) g;
    ANALYZE access_tokens;`);
  await measureState('100,000 tokens');
  await runSql(`INSERT INTO verification_sessions (id, organization_id, age_target, redirect_url, issued_at, expires_at)
    SELECT gen_random_uuid(), ${Number(organizationId)}, 18, 'https://shop.example/' || g, now(), now() + interval '5 minutes'
    FROM generate_series(1, 1000000) g;
    ANALYZE verification_sessions;`);
  await measureState('100,000 tokens, 1,000,000 sessions');
  console.log(`\n#### ${backend} — scaling\n`);
  console.log(table(rows));
}

for (const backend of backends) await benchBackend(backend);
process.exit(0);
