import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { print } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, reachable } from './support/database.js';
import { PASSWORD } from './support/fixtures.js';
import { CreateToken, SignIn, SignUp } from './support/operations.js';
import { validSession } from './support/rest.js';
import { graphqlOn, startServer, type ServerProcess } from './support/server-process.js';

/**
 * README's move from the embedded database to PostgreSQL, as an operator does it: stop the server,
 * `npm run export:sql`, `psql -1 -f` into an empty database (PostgreSQL 15 here, while PGlite 0.5.16
 * is PostgreSQL 18), start on DATABASE_URL. Users sign in, tokens work, sessions read back, and no
 * migration runs again. The export refuses while a server holds DATA_DIR.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A PostgreSQL server whose `postgres` database may create and drop databases (trust auth on the test machines). */
const ADMIN_URL = process.env.EXPORT_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const psqlMissing = spawnSync('psql', ['--version']).error !== undefined;
const postgresMissing = psqlMissing ? false : !(await reachable(ADMIN_URL));
if (psqlMissing) console.warn('export-to-postgres: skipped, psql is not installed');
else if (postgresMissing) console.warn(`export-to-postgres: skipped, no PostgreSQL answers at ${ADMIN_URL}`);

/** `npm run --silent export:sql -- …args`, as README has it. */
async function exportSql(...args: string[]) {
  const result = await promisify(execFile)('npm', ['run', '--silent', 'export:sql', '--', ...args], { cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return result;
}

const graphql = (server: ServerProcess, document: Parameters<typeof print>[0], variables: object, token?: string) =>
  graphqlOn(server, print(document), variables, token);

async function rest(server: ServerProcess, method: string, route: string, token: string, body?: object) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe.skipIf(onPostgres || psqlMissing || postgresMissing)('moving from the embedded database to PostgreSQL', () => {
  let scratch: string;
  const database = `bouncer_export_${randomBytes(6).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: ADMIN_URL });
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'bouncer-export-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => client.end());
  });

  it('exports with pg_dump, loads with psql, and serves the same users, tokens and sessions', { timeout: 180_000 }, async () => {
    const dataDir = path.join(scratch, 'pglite');
    const dumpFile = path.join(scratch, 'bouncer.sql');

    // On the embedded database: a user, an API token, a session.
    const embedded = await startServer({ DATA_DIR: dataDir });
    let signUp: any, plainTextToken: string, session: any;
    try {
      // While the server holds DATA_DIR the export refuses, in one line.
      const refused = await exportSql('--data-dir', dataDir, '--output', dumpFile);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/^export:sql: DATA_DIR .* is in use by another server process .*\n$/);
      expect(refused.stdout).toBe('');

      ({ signUp } = await graphql(embedded, SignUp, {
        input: { email: 'mover@example.com', password: PASSWORD, organizationName: 'Movers' },
      }));
      const organizationId = signUp.user.memberships[0].organization.id;
      const created = await graphql(embedded, CreateToken, { input: { organizationId, name: 'Shop' } }, signUp.token);
      plainTextToken = created.createApiToken.plainTextToken;
      const posted = await rest(embedded, 'POST', '/api/v2/session', plainTextToken, validSession);
      expect(posted.status).toBe(201);
      const before = await rest(embedded, 'GET', `/api/v2/session/${posted.body.data.id}`, plainTextToken);
      expect(before.status).toBe(200);
      session = before.body.data;
      expect(session.status).toBe('created');
    } finally {
      expect(await embedded.stop('SIGTERM')).toBe(0);
    }

    // Export to a file (stdout works too), and load it into a fresh database in one transaction.
    const exported = await exportSql('--data-dir', dataDir, '--output', dumpFile);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toBe('');
    const dump = await readFile(dumpFile, 'utf8');
    expect(dump).toContain('INSERT INTO public._prisma_migrations');
    expect(dump).not.toMatch(/transaction_timeout/);
    const toStdout = await exportSql('--data-dir', dataDir);
    expect(toStdout.stdout).toBe(dump);

    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`).finally(() => client.end());
    const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
    const loaded = spawnSync('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl, '-f', dumpFile], {
      encoding: 'utf8',
    });
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stderr).toBe('');
    // The triggers that keep counts come after the rows: a loaded token is counted once.
    const loadedDb = new pg.Client({ connectionString: databaseUrl });
    await loadedDb.connect();
    const counted = await loadedDb.query('SELECT unrevoked_api_tokens FROM organizations').finally(() => loadedDb.end());
    expect(counted.rows).toEqual([{ unrevoked_api_tokens: 1 }]);

    // On PostgreSQL: no migration runs again, and everything is there.
    const moved = await startServer({ DATABASE_URL: databaseUrl });
    try {
      expect(moved.output()).toMatch(/"migrationsApplied":\[\]/);
      const { signIn } = await graphql(moved, SignIn, { input: { email: 'mover@example.com', password: PASSWORD } });
      expect(signIn.user.id).toBe(signUp.user.id);
      const read = await rest(moved, 'GET', `/api/v2/session/${session.id}`, plainTextToken);
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual(session);
      const another = await rest(moved, 'POST', '/api/v2/session', plainTextToken, validSession);
      expect(another.status).toBe(201);
    } finally {
      expect(await moved.stop('SIGTERM')).toBe(0);
    }
  });
});
