import { createServer, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../src/db/migrate.js';

/**
 * The physical limits the benchmark compares the real server with, on this machine, in this run:
 *   CEILING=fixed   a bare node:http server answering a fixed JSON body
 *   CEILING=insert  the same server parsing the JSON body and doing one INSERT of the same session
 *                   row, with `pg` (DATABASE_URL) or an embedded PGlite (DATA_DIR)
 * It prints {"msg":"listening","port":N} like the real server.
 */

type Insert = (values: unknown[]) => Promise<unknown>;

const INSERT_SESSION = `INSERT INTO verification_sessions
  (id, organization_id, api_token_id, age_target, redirect_url, force_kyc, force_verification, metadata, webhook_url, issued_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10), to_timestamp($11))`;

async function openInsert(): Promise<Insert> {
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    return (values) => pool.query({ name: 'insert-session', text: INSERT_SESSION, values });
  }
  const pglite = await PGlite.create(process.env.DATA_DIR!);
  await applyMigrations(
    { query: (sql, params) => pglite.query(sql, params), exec: async (sql) => void (await pglite.exec(sql)) },
    await readMigrations(),
  );
  await pglite.query(`INSERT INTO organizations (id, name) VALUES ($1, 'Ceiling') ON CONFLICT DO NOTHING`, [
    Number(process.env.ORGANIZATION_ID),
  ]);
  return (values) => pglite.query(INSERT_SESSION, values);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const FIXED_BODY = JSON.stringify({ message: 'Unauthenticated.' });
const mode = process.env.CEILING;
const organizationId = Number(process.env.ORGANIZATION_ID ?? 1);
const insert = mode === 'insert' ? await openInsert() : undefined;

const server = createServer(async (request, response) => {
  if (!insert) {
    response.writeHead(401, { 'content-type': 'application/json' }).end(FIXED_BODY);
    return;
  }
  const body = await readJson(request);
  const id = randomUUID();
  const issuedAt = Math.floor(Date.now() / 1000);
  await insert([
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
