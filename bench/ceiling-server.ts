import { createServer, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../src/db/migrate.js';
import { generateSecret } from '../src/auth/tokens.js';
import { pgTransaction, PgPipeline, PIPELINED_CONNECTIONS, type Statement } from '../src/db/pg-statements.js';
import { pgliteSql, pgliteStatements } from '../src/db/pglite-statements.js';
import { CURRENT_STATUS_SQL, SESSION_RECORD_COLUMNS } from '../src/sessions/sessions.js';
import { issueApiTokenStatements } from '../src/tokens/api-tokens.js';

/**
 * The physical limits the benchmark compares the real server with, on this machine, in this run:
 *   CEILING=fixed   a bare node:http server answering a fixed JSON body
 *   CEILING=insert  the same server parsing the JSON body and doing one INSERT of the same session
 *                   row, with `pg` (DATABASE_URL) or an embedded PGlite (DATA_DIR), prepared and
 *                   pipelined as the server's statements are
 *   CEILING=parse   the same server reading and parsing the JSON body (a leak report of 1000 values)
 *                   and answering a fixed 202: what any implementation of POST /api/v2/tokens/revoke
 *                   must do before its own work (checking, hashing and looking up the values)
 *   CEILING=select  the same server running the statement of GET /api/v2/sessions (listSessions':
 *                   the same SQL text, prepared, newest `limit` + 1 sessions of ORGANIZATION_ID) and
 *                   answering the page as JSON; on PGlite it first inserts SEED_SESSIONS sessions
 *                   into its own database, as PostgreSQL's ceiling reads the server's
 *   CEILING=issue   the same server parsing a createApiToken request's JSON body and running
 *                   createApiToken's transaction (the organization's lock, then the token and its
 *                   audit event: the same SQL and parameters, issueApiTokenStatements) on a connection
 *                   of its own as the server does, as the owner of ORGANIZATIONS organizations of its
 *                   own in turn (added to the database at start); no authentication, no GraphQL
 * It prints {"msg":"listening","port":N} like the real server.
 */

type Query = (name: string, text: string, values: unknown[]) => Promise<{ rows: any[] }>;
type Transaction = (statements: Statement[]) => Promise<unknown[][]>;
type Database = { query: Query; transaction: Transaction };

const INSERT_SESSION = `INSERT INTO verification_sessions
  (id, organization_id, api_token_id, age_target, redirect_url, force_kyc, force_verification, metadata, webhook_url, issued_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10), to_timestamp($11))`;

/** The statement of listSessions (src/sessions/sessions.ts) with no status or cursor. */
const LIST_SESSIONS = `SELECT ${SESSION_RECORD_COLUMNS} FROM verification_sessions
  WHERE organization_id = $1 AND livemode = $2
    AND ($3::text IS NULL OR ${CURRENT_STATUS_SQL} = $3::text) AND ($4::uuid IS NULL OR id < $4::uuid)
  ORDER BY id DESC LIMIT $5`;

async function openDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) {
    // Pipelined, on as many connections, as the server's own statements (src/db/pg-statements.ts):
    // pg's pipeline mode, the cheapest way this codebase knows to run statements on PostgreSQL.
    const pipeline = new PgPipeline({ connectionString: process.env.DATABASE_URL }, pg.Client, pg.types, PIPELINED_CONNECTIONS);
    // Transactions that wait for a lock run on a pool connection, as the server's do (db/client.ts).
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return {
      query: async (name, text, values) => ({ rows: (await pipeline.run([{ name, text, params: values }]))[0]! }),
      transaction: (statements) => pgTransaction(pool, statements),
    };
  }
  const pglite = await PGlite.create(process.env.DATA_DIR!);
  await applyMigrations(
    { query: (sql, params) => pglite.query(sql, params), exec: async (sql) => void (await pglite.exec(sql)) },
    await readMigrations(),
  );
  await pglite.query(`INSERT INTO organizations (id, name) VALUES ($1, 'Ceiling') ON CONFLICT DO NOTHING`, [
    Number(process.env.ORGANIZATION_ID),
  ]);
  const seed = Number(process.env.SEED_SESSIONS ?? 0);
  if (seed > 0) {
    await pglite.query(
      `INSERT INTO verification_sessions (id, organization_id, age_target, redirect_url, issued_at, expires_at)
       SELECT gen_random_uuid(), $1, 18, 'https://shop.example/checkout/done', now(), now() + interval '1 hour'
       FROM generate_series(1, $2::int)`,
      [Number(process.env.ORGANIZATION_ID), seed],
    );
    await pglite.exec('ANALYZE'); // as the server's embedded database does (db/pglite-maintenance.ts)
  }
  // Named prepared statements through the server's own PGlite layer, as pg's `name` gives the
  // PostgreSQL ceilings: the cheapest way this codebase knows to run a statement on PGlite (its
  // query() parses and plans every call, and its execProtocol() layer costs more than the
  // statement), so that the ratio measures the server's work around the statement, not the driver.
  const sql = pgliteSql(pglite);
  return {
    query: async (name, text, values) => ({ rows: await sql(text, values, name) }),
    transaction: pgliteStatements(pglite).transaction,
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const unixSeconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

/** The page as GET /api/v2/sessions answers it (presentSession). */
function presentPage(rows: any[], limit: number) {
  return {
    data: rows.slice(0, limit).map((row) => ({
      id: row.id,
      status: row.status,
      success: row.success,
      age_target: row.ageTarget,
      redirect_url: row.redirectUrl,
      metadata: row.metadata ?? null,
      issued_at: unixSeconds(row.issuedAt),
      expires_at: unixSeconds(row.expiresAt),
      livemode: row.livemode,
      completed_at: unixSeconds(row.completedAt),
    })),
    has_more: rows.length > limit,
  };
}

const FIXED_BODY = JSON.stringify({ message: 'Unauthenticated.' });
const ACCEPTED_BODY = JSON.stringify({ message: 'Accepted.' });
const mode = process.env.CEILING;
const organizationId = Number(process.env.ORGANIZATION_ID ?? 1);
const database = mode === 'insert' || mode === 'select' || mode === 'issue' ? await openDatabase() : undefined;
const query = database?.query;
/**
 * CEILING=issue's organizations, each with an owner of the same id: far above the ids the server's
 * sign-ups take, so that they share PostgreSQL's database without sharing a row.
 */
const FIRST_OWNED_ID = 1_000_000;
const ownedOrganizations = mode === 'issue' ? Number(process.env.ORGANIZATIONS) : 0;
if (ownedOrganizations > 0) {
  await query!(
    'seed-owners',
    `WITH ids AS (SELECT generate_series($1::int, $1::int + $2::int - 1) AS id),
       organizations AS (INSERT INTO organizations (id, name) SELECT id, 'Ceiling ' || id FROM ids),
       users AS (INSERT INTO users (id, email, password_hash) SELECT id, 'ceiling-' || id || '@example.com', '-' FROM ids)
     INSERT INTO memberships (organization_id, user_id, role) SELECT id, id, 'OWNER' FROM ids`,
    [FIRST_OWNED_ID, ownedOrganizations],
  );
}
let turn = 0;

/** createApiToken's transaction in the next of its organizations, as their owner (no cap: the rows pile up). */
async function issueToken(): Promise<string> {
  const organizationId = FIRST_OWNED_ID + (turn++ % ownedOrganizations);
  const secret = generateSecret();
  const change = { userId: organizationId, origin: { ip: '127.0.0.1', userAgent: null } };
  const data = { kind: 'API' as const, name: 'bench', organizationId, createdById: organizationId };
  const [, rows] = await database!.transaction(issueApiTokenStatements(data, ['OWNER', 'ADMIN'], secret, 2 ** 31 - 1, change));
  const { token } = rows![0] as { token: [string] };
  return `${token[0]}|${secret}`;
}

const server = createServer(async (request, response) => {
  if (mode === 'parse') {
    const body = await readJson(request);
    const status = Array.isArray(body.credentials) ? 202 : 422;
    response.writeHead(status, { 'content-type': 'application/json' }).end(ACCEPTED_BODY);
    return;
  }
  if (mode === 'select') {
    const limit = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('limit') ?? 10);
    const { rows } = await query!('list-sessions', LIST_SESSIONS, [organizationId, true, null, null, limit + 1]);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(presentPage(rows, limit)));
    return;
  }
  if (mode === 'issue') {
    await readJson(request); // as the server reads its request, which names the organization
    const plainTextToken = await issueToken();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { createApiToken: { plainTextToken } } }));
    return;
  }
  if (!query) {
    response.writeHead(401, { 'content-type': 'application/json' }).end(FIXED_BODY);
    return;
  }
  const body = await readJson(request);
  const id = randomUUID();
  const issuedAt = Math.floor(Date.now() / 1000);
  await query('insert-session', INSERT_SESSION, [
    id, organizationId, null, body.age_target, body.redirect_url, false, false, null, null, issuedAt, issuedAt + 300,
  ]);
  response.writeHead(201, { 'content-type': 'application/json' }).end(
    JSON.stringify({ data: { id, verify_url: `http://localhost/verify/${id}`, issued_at: issuedAt, expires_at: issuedAt + 300 } }),
  );
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => process.exit(0));
