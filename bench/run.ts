import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { checksum, generateSecret } from '../src/auth/tokens.js';
import { graphqlOn, startServer, type ServerProcess } from '../test/support/server-process.js';

/**
 * npm run bench [-- --long] [-- --scaling] [-- --db pglite|postgres] [-- --only core,leak,list,webhooks]
 *
 * Starts the real server as a separate process on each database, loads it over loopback with
 * autocannon from this process, and measures, interleaved in the same rounds, the ceilings of this
 * machine: a bare node:http server answering a fixed body, the same server doing one pg (or PGlite)
 * INSERT of the same row, and Yoga + Pothos answering `apiTokens` from constant data. Figures are
 * medians over the rounds; each path is reported as a ratio to its ceiling, with the CPU time per
 * request of the server's process and of PostgreSQL's (from /proc), which tell where a gap lies.
 *
 * Groups (--only, comma-separated; all by default): `core` paths 1–4b; `leak` path 5, a leak report
 * of 1000 values against a node:http server parsing the same body; `list` path 6, a page of 20 of
 * 1,000 sessions against a node:http server running the same SELECT; `webhooks`, the delivery
 * throughput of N cancelled sessions' events to a receiver in this process (no ceiling).
 */

const { values: options } = parseArgs({
  options: {
    long: { type: 'boolean', default: false },
    scaling: { type: 'boolean', default: false },
    db: { type: 'string', multiple: true },
    only: { type: 'string', default: 'core,leak,list,webhooks' },
    'webhook-sessions': { type: 'string', default: '2000' },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
// Short rounds, many of them: each path is measured right after its ceiling, and the ratio is the
// median of those paired ratios (the machine's noise moves a pair together more than two medians).
const DURATION_S = options.long ? 5 : 1;
const ROUNDS = options.long ? 9 : 5;
const CONNECTIONS = 10;
// The newer paths (5, 6) run fewer rounds in the default run, to keep it short.
const ROUNDS_NEW = options.long ? ROUNDS : 3;
const backends = (options.db ?? ['pglite', 'postgres']) as Backend[];
type Group = 'core' | 'leak' | 'list' | 'webhooks';
const groups = new Set(options.only!.split(',').map((g) => g.trim()) as Group[]);
for (const group of groups) {
  if (!['core', 'leak', 'list', 'webhooks'].includes(group)) throw new Error(`--only: unknown group ${group}`);
}
const WEBHOOK_SESSIONS = Number(options['webhook-sessions']);
const LIST_SESSIONS = 1000;

const SESSION_BODY = JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/checkout/done' });

type Request = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  expect: 200 | 201 | 202 | 401;
  /** Headers and bodies the requests take in turn (instead of `headers` and `body`). */
  rotate?: Array<{ headers: Record<string, string>; body: string }>;
  /** Every answer is read, and one containing this text fails the run (GraphQL's `"errors"`). */
  failsOn?: string;
};
type Target = {
  name: string;
  group: Group;
  server: () => ServerProcess;
  request: Request;
  ceiling?: string;
  /** A second ceiling its samples are compared with, reported on a row of its own: `name` and that ceiling. */
  alsoAgainst?: { name: string; ceiling: string };
  /** Performance III's goal for the ratio, per database. */
  goal?: Goal;
  /** Rounds it runs in (the first ones): ROUNDS unless fewer; a path and its ceiling share them. */
  rounds?: number;
};
/** Throughput, latency, and the CPU time per request of the server's process and of PostgreSQL's (µs). */
type Sample = { rps: number; p50: number; p99: number; serverCpuUs: number; postgresCpuUs: number };
type Backend = 'pglite' | 'postgres';
type Goal = Record<Backend, number>;
const both = (ratio: number): Goal => ({ pglite: ratio, postgres: ratio });
/** Peak RSS of the server under the benchmark's load, in MB (Performance III). */
const RSS_GOAL_MB: Goal = { pglite: 200, postgres: 150 };

/** CPU seconds (user + system) process `pid` has used, from /proc; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds of each PostgreSQL process of this machine (server and backends), by pid. */
function postgresCpu(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) seconds.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return seconds;
}

/** CPU PostgreSQL used between two postgresCpu readings (processes that exited meanwhile are not counted). */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

async function load(server: ServerProcess, request: Request, seconds: number): Promise<Sample> {
  const serverBefore = cpuSeconds(server.child.pid!);
  const postgresBefore = postgresCpu();
  let turn = 0;
  let failed = 0;
  const { rotate, failsOn } = request;
  const result = await autocannon({
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
    connections: CONNECTIONS,
    duration: seconds,
    ...((rotate || failsOn) && {
      requests: [
        {
          ...(rotate && {
            setupRequest: (req: autocannon.Request) => {
              const { headers, body } = rotate[turn++ % rotate.length]!;
              return { ...req, headers: { ...req.headers, ...headers }, body };
            },
          }),
          ...(failsOn && { onResponse: (_status: number, body: string) => void (body.includes(failsOn) && failed++) }),
        },
      ],
    }),
  });
  if (failed > 0) throw new Error(`${request.method} ${request.path}: ${failed} answers containing ${failsOn}`);
  const expected = request.expect < 300 ? result['2xx'] : result['4xx'];
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (expected !== total || result.errors > 0) {
    throw new Error(`${request.method} ${request.path}: ${total - expected} unexpected answers, ${result.errors} errors`);
  }
  const perRequestUs = (cpu: number) => (cpu / Math.max(1, total)) * 1e6;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpuUs: perRequestUs(cpuSeconds(server.child.pid!) - serverBefore),
    postgresCpuUs: perRequestUs(postgresCpuSince(postgresBefore)),
  };
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

async function signUp(server: ServerProcess, email: string) {
  const { signUp } = await graphqlOn(
    server,
    `mutation($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }`,
    { input: { email, password: 'benchmark password', organizationName: email } },
  );
  return { userToken: signUp.token as string, organizationId: signUp.user.memberships[0].organization.id as string };
}

async function createApiToken(server: ServerProcess, userToken: string, organizationId: string, abilities?: string[]) {
  const { createApiToken } = await graphqlOn(
    server,
    `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
    { input: { organizationId, name: `Token ${abilities?.join(' ') ?? '*'}`, ...(abilities && { abilities }) } },
    userToken,
  );
  return createApiToken.plainTextToken as string;
}

/** Runs `task(i)` for i in 0..count-1, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function rest(server: ServerProcess, method: 'GET' | 'POST', path: string, token: string, body?: object, expect = 200) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const answer = (await response.json()) as any;
  if (response.status !== expect) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * A leak report as a secret scanner sends it: 1000 distinct values, 960 well-formed tokens of this
 * server's format (right shape and CRC32) that match no stored token — 940 `<id>|<secret>` with ids
 * no token has, 20 bare secrets (looked up by digest) — and 40 malformed (bad checksum, truncated).
 */
function leakReportBody(): string {
  const credentials: string[] = [];
  for (let i = 0; i < 940; i++) credentials.push(`${10_000_000 + i}|${generateSecret()}`);
  for (let i = 0; i < 20; i++) credentials.push(generateSecret());
  for (let i = 0; i < 20; i++) {
    const secret = generateSecret();
    credentials.push(`${20_000_000 + i}|${secret.slice(0, 40)}${checksum('x' + secret.slice(0, 40))}`);
  }
  for (let i = 0; i < 20; i++) credentials.push(`${30_000_000 + i}|${generateSecret().slice(0, 30)}`);
  return JSON.stringify({ credentials });
}

/** An organization holding LIST_SESSIONS sessions, and a `session:read` token of it (path 6). */
async function seedSessionList(server: ServerProcess) {
  const { userToken, organizationId } = await signUp(server, 'lister@example.com');
  const creator = await createApiToken(server, userToken, organizationId);
  const reader = await createApiToken(server, userToken, organizationId, ['session:read']);
  await inParallel(LIST_SESSIONS, 10, async () => {
    await rest(server, 'POST', '/api/v2/session', creator, JSON.parse(SESSION_BODY), 201);
  });
  return { organizationId, reader };
}

/**
 * Organizations path 3 creates tokens in, in turn: each holds at most MAX_LIVE_TOKENS_PER_ORGANIZATION
 * live tokens (500 by default, past which createApiToken answers CONFLICT), and a long run creates
 * tens of thousands. With 200 of them, each ends a long run with a few hundred tokens.
 */
const WRITERS = 200;

/**
 * An organization with 20 API tokens (paths 1, 2, 4), and WRITERS others for path 3, so that the
 * tokens it creates do not grow the list path 2 reads.
 */
async function seed(server: ServerProcess) {
  const reader = await signUp(server, 'bench@example.com');
  const apiTokens: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { createApiToken } = await graphqlOn(
      server,
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }`,
      { input: { organizationId: reader.organizationId, name: `Token ${i}` } },
      reader.userToken,
    );
    apiTokens.push(createApiToken.plainTextToken);
  }
  const writers: Array<{ userToken: string; organizationId: string }> = [];
  // One at a time: parallel password hashes would each leave glibc a 20 MB arena, and the peak RSS
  // measured at the end counts them.
  for (let i = 0; i < WRITERS; i++) writers.push(await signUp(server, `writer-${i}@example.com`));
  return { ...reader, apiToken: apiTokens[0]!, writers };
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

type Storage = {
  env: Record<string, string>;
  ceilingEnv: Record<string, string>;
  /** The list ceiling's: PostgreSQL's reads the server's sessions; PGlite's, its own copy of as many. */
  selectCeilingEnv: Record<string, string>;
  /** createApiToken's ceiling's: its own organizations, in the server's database or a PGlite of its own. */
  issueCeilingEnv: Record<string, string>;
  cleanup: () => Promise<void>;
};

async function prepareStorage(backend: Backend): Promise<Storage> {
  if (backend === 'postgres') {
    const databaseUrl = await freshPostgresDatabase('bouncer_bench');
    return {
      env: { DATABASE_URL: databaseUrl },
      ceilingEnv: { DATABASE_URL: databaseUrl },
      selectCeilingEnv: { DATABASE_URL: databaseUrl },
      issueCeilingEnv: { DATABASE_URL: databaseUrl },
      cleanup: async () => {},
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'bouncer-bench-'));
  return {
    env: { DATA_DIR: path.join(dir, 'server') },
    ceilingEnv: { DATA_DIR: path.join(dir, 'ceiling') },
    selectCeilingEnv: { DATA_DIR: path.join(dir, 'ceiling-select'), SEED_SESSIONS: String(LIST_SESSIONS) },
    issueCeilingEnv: { DATA_DIR: path.join(dir, 'ceiling-issue') },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// The failed-bearer rate limit is off so that path 4 measures refusing itself (past the limit, a
// client gets an even cheaper 429).
// Leak reports too (10 a minute per address by default): path 5 measures the report, not the 429.
// Sign-ups too: path 3's organizations are WRITERS sign-ups. Webhooks may reach the receiver on 127.0.0.1.
const SERVER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  PUBLIC_URL: 'https://bouncer.example',
  RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: 'off',
  RATE_LIMIT_LEAK_REPORTS_PER_ADDRESS: 'off',
  RATE_LIMIT_SIGN_UP_PER_ADDRESS: 'off',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function benchBackend(backend: Backend): Promise<void> {
  const storage = await prepareStorage(backend);
  const server = await startServer({ ...SERVER_ENV, ...storage.env });
  const servers: ServerProcess[] = [server];
  try {
    const { userToken, organizationId, apiToken, writers } = await seed(server);
    const list = groups.has('list') ? await seedSessionList(server) : undefined;
    const ceilingScript = 'bench/ceiling-server.ts';
    // Ceilings run in production mode like the server: graphql-js checks every instanceof in
    // development mode (the GraphQL ceiling spent about 6 % of its CPU there).
    const ceiling = (env: Record<string, string>, script = ceilingScript) => startServer({ NODE_ENV: 'production', ...env }, script);
    const core = groups.has('core');
    const [fixed, insert, issue, graphqlCeiling, parse, select] = await Promise.all([
      core ? ceiling({ CEILING: 'fixed' }) : undefined,
      core ? ceiling({ CEILING: 'insert', ORGANIZATION_ID: organizationId, ...storage.ceilingEnv }) : undefined,
      core ? ceiling({ CEILING: 'issue', ORGANIZATION_ID: organizationId, ORGANIZATIONS: String(WRITERS), ...storage.issueCeilingEnv }) : undefined,
      core ? ceiling({}, 'bench/graphql-ceiling-server.ts') : undefined,
      groups.has('leak') ? ceiling({ CEILING: 'parse' }) : undefined,
      list ? ceiling({ CEILING: 'select', ORGANIZATION_ID: list.organizationId, ...storage.selectCeilingEnv }) : undefined,
    ]);
    for (const started of [fixed, insert, issue, graphqlCeiling, parse, select]) if (started) servers.push(started);

    const postSession = (token: string, expect: 201 | 401): Request => ({
      method: 'POST', path: '/api/v2/session', headers: { authorization: `Bearer ${token}` }, body: SESSION_BODY, expect,
    });
    const gql = (query: string, token?: string): Request => ({
      method: 'POST', path: '/graphql', headers: token ? { authorization: `Bearer ${token}` } : {}, body: JSON.stringify({ query }), expect: 200,
    });
    const leakBody = leakReportBody();
    const listTokens = `{ apiTokens(organizationId: "${organizationId}") { id name abilities createdAt lastUsedAt expiresAt revokedAt } }`;
    const unknownToken = `${apiToken.split('|')[0]}|${'A'.repeat(40)}2ae98c30`; // well-formed, right checksum, wrong secret

    const allTargets: Target[] = [
      { group: 'core', name: 'ceiling: node:http, fixed body', server: () => fixed!, request: postSession('x', 401) },
      { group: 'core', name: '4. refusal, malformed token', server: () => server, request: postSession('not-a-token', 401), ceiling: 'ceiling: node:http, fixed body', goal: both(0.85) },
      // One indexed look-up and no write: measured against path 1's ceiling (a look-up should beat an INSERT).
      { group: 'core', name: '4b. refusal, unknown token (DB look-up)', server: () => server, request: postSession(unknownToken, 401), ceiling: 'ceiling: node:http + one INSERT', goal: both(1.0) },
      { group: 'core', name: 'ceiling: node:http + one INSERT', server: () => insert!, request: postSession('x', 201) },
      { group: 'core', name: '1. POST /api/v2/session', server: () => server, request: postSession(apiToken, 201), ceiling: 'ceiling: node:http + one INSERT', goal: both(0.7) },
      { group: 'core', name: 'ceiling: Yoga+Pothos, constant data', server: () => graphqlCeiling!, request: gql(listTokens) },
      { group: 'core', name: '2. GraphQL apiTokens (20 tokens)', server: () => server, request: gql(listTokens, userToken), ceiling: 'ceiling: Yoga+Pothos, constant data', goal: { pglite: 0.5, postgres: 0.7 } },
      // What creating a token costs the database alone (no GraphQL, no authentication): path 3's
      // second ratio says how much of its distance to the INSERT ceiling is the transaction's.
      { group: 'core', name: "ceiling: node:http + createApiToken's transaction", server: () => issue!, request: { ...gql('mutation { createApiToken }'), failsOn: '"errors"' } },
      {
        group: 'core',
        name: '3. GraphQL createApiToken',
        server: () => server,
        request: {
          ...gql(''),
          rotate: writers.map((writer) => ({
            headers: { authorization: `Bearer ${writer.userToken}` },
            body: JSON.stringify({
              query: `mutation { createApiToken(input: { organizationId: "${writer.organizationId}", name: "bench" }) { plainTextToken } }`,
            }),
          })),
          failsOn: '"errors"',
        },
        ceiling: 'ceiling: node:http + one INSERT',
        alsoAgainst: { name: '3b. the same, vs its transaction', ceiling: "ceiling: node:http + createApiToken's transaction" },
        goal: both(0.4),
      },
      {
        group: 'leak',
        name: 'ceiling: node:http, parsing the same body',
        server: () => parse!,
        request: { method: 'POST', path: '/api/v2/tokens/revoke', body: leakBody, expect: 202 },
        rounds: ROUNDS_NEW,
      },
      {
        group: 'leak',
        name: '5. leak report, 1000 values',
        server: () => server,
        request: { method: 'POST', path: '/api/v2/tokens/revoke', body: leakBody, expect: 202 },
        ceiling: 'ceiling: node:http, parsing the same body',
        rounds: ROUNDS_NEW,
      },
      {
        group: 'list',
        name: 'ceiling: node:http + the same SELECT',
        server: () => select!,
        request: { method: 'GET', path: '/api/v2/sessions?limit=20', expect: 200 },
        rounds: ROUNDS_NEW,
      },
      {
        group: 'list',
        name: `6. GET /api/v2/sessions?limit=20 (${LIST_SESSIONS.toLocaleString('en')} sessions)`,
        server: () => server,
        request: { method: 'GET', path: '/api/v2/sessions?limit=20', headers: { authorization: `Bearer ${list?.reader}` }, expect: 200 },
        ceiling: 'ceiling: node:http + the same SELECT',
        rounds: ROUNDS_NEW,
      },
    ];
    const targets = allTargets.filter((target) => groups.has(target.group));

    for (const target of targets) await load(target.server(), target.request, 0.5); // warm-up (JIT, pools)
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        if (round < (target.rounds ?? ROUNDS)) samples.get(target.name)!.push(await load(target.server(), target.request, DURATION_S));
      }
    }

    const summary = new Map(
      targets.map((t) => {
        const s = samples.get(t.name)!;
        const of = (field: keyof Sample) => median(s.map((x) => x[field]));
        return [t.name, { rps: of('rps'), p50: of('p50'), p99: of('p99'), serverCpuUs: of('serverCpuUs'), postgresCpuUs: of('postgresCpuUs') }];
      }),
    );
    // Where a request's CPU goes: the server's process (PGlite's work included) and PostgreSQL's.
    const cpuHeaders = backend === 'postgres' ? ['server µs CPU', 'PostgreSQL µs CPU'] : ['server µs CPU'];
    const rows = [['path', 'req/s', 'p50 ms', 'p99 ms', ...cpuHeaders, 'ceiling req/s', 'ratio', 'ratio range', 'goal']];
    for (const target of targets) {
      const s = summary.get(target.name)!;
      const against = (ceilingName: string | undefined) => {
        if (!ceilingName) return { ceiling: '', ratio: '', range: '', median: undefined };
        const ratios = samples.get(target.name)!.map((sample, round) => sample.rps / samples.get(ceilingName)![round]!.rps);
        const ratio = median(ratios);
        const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
        return { ceiling: summary.get(ceilingName)!.rps.toFixed(0), ratio: ratio.toFixed(2), range, median: ratio };
      };
      const measured = [
        s.rps.toFixed(0),
        String(s.p50),
        String(s.p99),
        s.serverCpuUs.toFixed(0),
        ...(backend === 'postgres' ? [s.postgresCpuUs.toFixed(0)] : []),
      ];
      const primary = against(target.ceiling);
      const goal = target.goal?.[backend];
      rows.push([
        target.name,
        ...measured,
        primary.ceiling,
        primary.ratio,
        primary.range,
        goal ? `≥ ${goal} ${primary.median! >= goal ? 'met' : 'MISSED'}` : '',
      ]);
      if (target.alsoAgainst) {
        const second = against(target.alsoAgainst.ceiling);
        rows.push([target.alsoAgainst.name, ...measured, second.ceiling, second.ratio, second.range, '']);
      }
    }
    if (targets.length > 0) {
      const fewer = targets.some((t) => (t.rounds ?? ROUNDS) < ROUNDS) ? ` (paths 5, 6 and their ceilings: ${ROUNDS_NEW})` : '';
      console.log(`\n### ${backend} — ${ROUNDS} rounds${fewer} × ${DURATION_S} s, ${CONNECTIONS} connections\n`);
      console.log(table(rows));
    }
    if (groups.has('webhooks')) await webhookThroughput(backend, server);
    const rss = await peakRssMb(server.child.pid!);
    console.log(`\nserver peak RSS: ${rss.toFixed(0)} MB (goal < ${RSS_GOAL_MB[backend]} MB: ${rss < RSS_GOAL_MB[backend] ? 'met' : 'MISSED'})`);

    if (options.scaling) await scaling(backend, server, servers, storage, apiToken, organizationId);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await storage.cleanup();
  }
}

/**
 * Webhook delivery throughput: WEBHOOK_SESSIONS sessions with a webhook_url pointing at a receiver in
 * this process (127.0.0.1, answering 200 to every signed delivery), then each cancelled over REST
 * (10 at a time), which raises one `validation.cancelled` each. Measured from the first cancel to
 * the receiver holding every session's event (unique webhook-id, signature verified with the
 * organization's secret); also how long raising took and the tail after the last cancel.
 */
async function webhookThroughput(backend: Backend, server: ServerProcess): Promise<void> {
  const { userToken, organizationId } = await signUp(server, 'hooks@example.com');
  const apiToken = await createApiToken(server, userToken, organizationId);
  const { organization } = await graphqlOn(server, `query($id: ID!) { organization(id: $id) { webhookSecret } }`, { id: organizationId }, userToken);
  const verifier = new Webhook(organization.webhookSecret as string);

  const received = new Set<string>();
  let badSignatures = 0;
  let duplicates = 0;
  let allReceived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier.verify(body, request.headers as Record<string, string>);
        const id = request.headers['webhook-id'] as string;
        if (received.has(id)) duplicates++;
        received.add(id);
        if (received.size === WEBHOOK_SESSIONS) allReceived();
      } catch {
        badSignatures++;
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as { port: number }).port;
  try {
    const ids: string[] = [];
    const body = { ...JSON.parse(SESSION_BODY), webhook_url: `http://127.0.0.1:${port}/hooks` };
    await inParallel(WEBHOOK_SESSIONS, 10, async () => {
      ids.push((await rest(server, 'POST', '/api/v2/session', apiToken, body, 201)).data.id);
    });
    const started = performance.now();
    await inParallel(ids.length, 10, async (i) => {
      await rest(server, 'POST', `/api/v2/session/${ids[i]}/cancel`, apiToken);
    });
    const raised = performance.now();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 300_000).unref());
    const outcome = await Promise.race([done, timeout]);
    const finished = performance.now();
    const seconds = (finished - started) / 1000;
    console.log(`\n#### ${backend} — webhook deliveries (${WEBHOOK_SESSIONS.toLocaleString('en')} sessions, one event each)\n`);
    console.log(
      table([
        ['events raised (cancels over REST)', 'raising took', 'all delivered after', 'tail after last cancel', 'deliveries/s', 'bad signatures', 'duplicates'],
        [
          `${received.size.toLocaleString('en')} of ${WEBHOOK_SESSIONS.toLocaleString('en')} received${outcome === 'timeout' ? ' (TIMED OUT after 300 s)' : ''}`,
          `${((raised - started) / 1000).toFixed(1)} s`,
          `${seconds.toFixed(1)} s`,
          `${((finished - raised) / 1000).toFixed(1)} s`,
          (received.size / seconds).toFixed(0),
          String(badSignatures),
          String(duplicates),
        ],
      ]),
    );
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

/** Token verification and the session path with 10 tokens, then 100,000 tokens, then 1,000,000 sessions. */
async function scaling(
  backend: Backend,
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
