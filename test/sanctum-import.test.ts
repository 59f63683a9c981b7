import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phpCrc32 } from '../src/auth/tokens.js';
import { dropSchemaOf, freshDatabaseUrl, onPostgres, reachable } from './support/database.js';
import { PASSWORD } from './support/fixtures.js';
import { validSession } from './support/rest.js';
import { graphqlOn, startServer, type ServerProcess } from './support/server-process.js';

/**
 * A Laravel database's Sanctum tokens moved here with `npm run import:sanctum`, as an operator does it.
 * The Laravel side is always a real PostgreSQL table made by Sanctum 4.x's migration, in a schema of its
 * own, holding tokens made by Sanctum's own algorithm in every shape it has issued; our side is the
 * project's database (PGlite in DATA_DIR, or a fresh PostgreSQL schema).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LARAVEL_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const laravelMissing = !(await reachable(LARAVEL_URL));
if (laravelMissing) console.warn(`sanctum-import: skipped, no PostgreSQL answers at ${LARAVEL_URL}`);

// Sanctum's HasApiTokens: Str::random(n), then hash('sha256') of everything after `<id>|`.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const strRandom = (length: number) => Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
const crc32b = (text: string) => crc32(text).toString(16).padStart(8, '0');
const sanctum4 = (prefix = '') => {
  const entropy = strRandom(40);
  return `${prefix}${entropy}${crc32b(entropy)}`;
};
const sanctum326 = (prefix: string) => {
  const entropy = strRandom(40);
  return `${prefix}${entropy}${phpCrc32(entropy)}`;
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Sanctum 4.x's create_personal_access_tokens_table, as Laravel's PostgreSQL grammar writes it (`name` is
 * varchar(255) up to 4.0.1 and text later; the import reads either).
 */
const SANCTUM_DDL = (table: string) => `
  CREATE TABLE "${table}" ("id" bigserial NOT NULL PRIMARY KEY, "tokenable_type" varchar(255) NOT NULL,
    "tokenable_id" bigint NOT NULL, "name" text NOT NULL, "token" varchar(64) NOT NULL, "abilities" text NULL,
    "last_used_at" timestamp(0) without time zone NULL, "expires_at" timestamp(0) without time zone NULL,
    "created_at" timestamp(0) without time zone NULL, "updated_at" timestamp(0) without time zone NULL);
  ALTER TABLE "${table}" ADD CONSTRAINT "${table}_token_unique" UNIQUE ("token");
  CREATE INDEX "${table}_tokenable_type_tokenable_id_index" ON "${table}" ("tokenable_type", "tokenable_id")`;

type Row = { id: bigint; secret: string; abilities?: string | null; tokenableId?: number; expired?: boolean; lastUsed?: boolean };

/** The Sanctum tokens of user 1 (user 2 holds the largest possible id, imported separately). */
const rows: Row[] = [
  { id: 1n, secret: sanctum4(), lastUsed: true },
  { id: 7n, secret: strRandom(80) }, // Sanctum before 2.6
  { id: 42n, secret: sanctum326('legacy_') }, // 3.2.6: hash('crc32')
  { id: 2147483648n, secret: strRandom(40), abilities: '["session:create","session:read"]' }, // 2.6 to 3.2.5
  { id: 9007199254740993n, secret: sanctum4('acme.production.integrations.bouncer.v2.') }, // dots, > 32
  { id: 9007199254740995n, secret: sanctum4('exp_'), expired: true },
  { id: 9007199254740996n, secret: sanctum4(), abilities: '["session:read"]' },
  { id: 9007199254740997n, secret: sanctum4(), abilities: '["check-status","place-orders"]' },
];
const largest: Row = { id: 9223372036854775807n, secret: sanctum4('max_'), tokenableId: 2 };
const plainText = (row: Row) => `${row.id}|${row.secret}`;

async function importSanctum(env: Record<string, string>, ...args: string[]) {
  return promisify(execFile)('npm', ['run', '--silent', 'import:sanctum', '--', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const postSession = (server: ServerProcess, token: string) =>
  fetch(`${server.url}/api/v2/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(validSession),
  }).then((response) => response.status);

describe.skipIf(laravelMissing)('Sanctum import round trip', () => {
  const laravelSchema = `laravel_${randomBytes(6).toString('hex')}`;
  const laravel = () => new pg.Client({ connectionString: LARAVEL_URL });
  let scratch: string;
  let ours: Record<string, string>;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'bouncer-sanctum-'));
    databaseUrl = freshDatabaseUrl();
    ours = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: path.join(scratch, 'pglite') };

    const client = laravel();
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${laravelSchema}"; SET search_path TO "${laravelSchema}"`);
      for (const table of ['personal_access_tokens', 'bad_abilities', 'taken_ids']) await client.query(SANCTUM_DDL(table));
      const insert = (table: string, row: Row) =>
        client.query(
          `INSERT INTO "${table}" (id, tokenable_type, tokenable_id, name, token, abilities, last_used_at, expires_at, created_at, updated_at)
           VALUES ($1, 'App\\Models\\User', $2, $3, $4, $5, $6, $7, now() AT TIME ZONE 'UTC' - interval '2 days', now() AT TIME ZONE 'UTC')`,
          [
            String(row.id),
            row.tokenableId ?? 1,
            `Token ${row.id}`,
            sha256(row.secret),
            row.abilities === undefined ? '["*"]' : row.abilities,
            row.lastUsed ? '2026-01-02 03:04:05' : null,
            row.expired ? new Date(Date.now() - 86_400_000).toISOString().replace('T', ' ').slice(0, 19) : null,
          ],
        );
      for (const row of [...rows, largest]) await insert('personal_access_tokens', row);
      await insert('bad_abilities', { id: 5n, secret: sanctum4(), abilities: '{"not": "a list"}' });
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await dropSchemaOf(databaseUrl);
    const client = laravel();
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${laravelSchema}" CASCADE`).finally(() => client.end());
  });

  it('imports Sanctum tokens that then work here, refusing clearly what it cannot import', { timeout: 240_000 }, async () => {
    const from = ['--from', LARAVEL_URL, '--schema', laravelSchema];
    const email = `sanctum-${randomBytes(4).toString('hex')}@example.com`;

    // The organization to import into; on PGlite the import refuses while a server holds DATA_DIR.
    let server = await startServer(ours);
    let organizationId: string;
    try {
      const { signUp } = await graphqlOn(
        server,
        'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }',
        { input: { email, password: PASSWORD, organizationName: 'Laravel shop' } },
      );
      organizationId = signUp.user.memberships[0].organization.id;
      if (!databaseUrl) {
        const locked = await importSanctum(ours, ...from, '--organization', organizationId);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(/^import:sanctum: DATA_DIR .* is in use by another server process .*\n$/);
      }
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }

    // Clear one-line refusals, and nothing imported by any of them.
    const refusals: [string[], RegExp][] = [
      [['--organization', '999999'], /^import:sanctum: organization 999999 does not exist\n$/],
      [['--organization', organizationId, '--table', 'missing'], /^import:sanctum: table ".*"\."missing" does not exist in the --from database\n$/],
      [['--organization', organizationId, '--table', 'bad_abilities'], /^import:sanctum: row 5: abilities is not a JSON array of strings: .*\n$/],
      // The sign-up's own dashboard sign-in holds id 1 on a new server.
      [['--organization', organizationId, '--tokenable-id', '1'], /^import:sanctum: id 1 is taken by a dashboard sign-in here; run again with --sign-out-colliding .*\n$/],
      [['--organization', 'abc'], /^import:sanctum: --organization <id> is required.*\n$/],
    ];
    for (const [args, message] of refusals) {
      const refused = await importSanctum(ours, ...from, ...args);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(message);
    }
    const help = await importSanctum(ours, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run import:sanctum -- --from <postgres url> --organization <id>');

    // A dry run changes nothing; the import then takes every token of user 1, all at once.
    const importUser1 = ['--organization', organizationId, '--tokenable-id', '1', '--sign-out-colliding'];
    const overCap = await importSanctum({ ...ours, MAX_LIVE_TOKENS_PER_ORGANIZATION: '3' }, ...from, ...importUser1);
    expect(overCap.code).toBe(1);
    expect(overCap.stderr).toMatch(/^import:sanctum: organization \d+ would hold 7 live API tokens, more than MAX_LIVE_TOKENS_PER_ORGANIZATION=3; .*\n$/);
    const dry = await importSanctum(ours, ...from, ...importUser1, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Dry run: would import ${rows.length} of ${rows.length} Sanctum tokens`);
    const imported = await importSanctum(ours, ...from, ...importUser1);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported ${rows.length} of ${rows.length} Sanctum tokens into organization ${organizationId} ("Laravel shop") (ids 1 to 9007199254740997); 0 were imported before.`);
    expect(imported.stdout).toContain('Signed out 1 dashboard sign-ins');
    // Running it again is safe: everything is there already.
    const again = await importSanctum(ours, ...from, ...importUser1);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Imported 0 of ${rows.length} Sanctum tokens`);
    expect(again.stdout).toContain(`; ${rows.length} were imported before.`);

    server = await startServer(ours);
    try {
      for (const row of rows) {
        const expected = row.expired ? 401 : row.abilities && !row.abilities.includes('session:create') ? 403 : 201;
        expect(await postSession(server, plainText(row)), plainText(row)).toBe(expected);
      }
      // Sanctum finds "007|…" as id 7, and so do we; a wrong secret or id is refused.
      expect(await postSession(server, `007|${rows[1]!.secret}`)).toBe(201);
      expect(await postSession(server, `0002147483648|${rows[3]!.secret}`)).toBe(201);
      expect(await postSession(server, `1|${sanctum4()}`)).toBe(401);
      expect(await postSession(server, `7|${rows[0]!.secret}`)).toBe(401);
      expect(await postSession(server, plainText(largest))).toBe(401); // not imported yet

      // The dashboard shows them; a new token's id is above every imported one.
      const { signIn } = await graphqlOn(server, 'mutation ($input: SignInInput!) { signIn(input: $input) { token } }', {
        input: { email, password: PASSWORD },
      });
      const { apiTokens } = await graphqlOn(
        server,
        'query ($id: ID!) { apiTokens(organizationId: $id, first: 500) { id name hint abilities mode createdBy { id } lastUsedAt expiresAt } }',
        { id: organizationId },
        signIn.token,
      );
      const listed = new Map(apiTokens.map((token: any) => [token.id, token]));
      for (const row of rows) {
        expect(listed.get(String(row.id))).toMatchObject({ name: `Token ${row.id}`, hint: '????', mode: 'LIVE', createdBy: null });
      }
      expect(listed.get('1')).toMatchObject({ abilities: ['*'], lastUsedAt: expect.any(String) });
      expect(listed.get('9007199254740997')).toMatchObject({ abilities: ['check-status', 'place-orders'] });
      const { organization } = await graphqlOn(
        server,
        'query ($id: ID!) { organization(id: $id) { auditLog(first: 50, action: "api_token.imported") { edges { node { actorType actor { id } target } } } } }',
        { id: organizationId },
        signIn.token,
      );
      expect(organization.auditLog.edges.map((edge: any) => edge.node).sort((a: any, b: any) => a.target.localeCompare(b.target))).toEqual(
        rows.map((row) => ({ actorType: 'system', actor: null, target: `api_token:${row.id}` })).sort((a, b) => a.target.localeCompare(b.target)),
      );
      const { createApiToken } = await graphqlOn(
        server,
        'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken apiToken { id } } }',
        { input: { organizationId, name: 'New here' } },
        signIn.token,
      );
      expect(BigInt(createApiToken.apiToken.id)).toBeGreaterThan(9007199254740997n);
      expect(createApiToken.plainTextToken.startsWith(`${createApiToken.apiToken.id}|`)).toBe(true);
      expect(await postSession(server, createApiToken.plainTextToken)).toBe(201);
      const revoked = await graphqlOn(server, 'mutation ($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }', { id: '9007199254740993' }, signIn.token);
      expect(revoked.revokeApiToken).toMatchObject({ id: '9007199254740993', revokedAt: expect.any(String) });
      expect(await postSession(server, plainText(rows[4]!))).toBe(401);

      // Its id is now taken by a token of ours: importing a Sanctum token with that id is refused.
      const client = laravel();
      await client.connect();
      await client
        .query(
          `INSERT INTO "${laravelSchema}".taken_ids (id, tokenable_type, tokenable_id, name, token, abilities, created_at)
           VALUES ($1, 'App\\Models\\User', 1, 'Taken', $2, '["*"]', now())`,
          [createApiToken.apiToken.id, sha256(sanctum4())],
        )
        .finally(() => client.end());
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const taken = await importSanctum(ours, ...from, '--organization', organizationId, '--table', 'taken_ids');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^import:sanctum: id \d+ is already taken by another token here; nothing was imported\n$/);

    // The largest id Sanctum can have works too; it leaves no ids for new tokens, and says so.
    const last = await importSanctum(ours, ...from, '--organization', organizationId, '--tokenable-type', 'App\\Models\\User', '--tokenable-id', '2');
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain('Imported 1 of 1 Sanctum tokens');
    expect(last.stdout).toContain('Warning: only 0 ids are left');
    server = await startServer(ours);
    try {
      expect(await postSession(server, plainText(largest))).toBe(201);
      expect(await postSession(server, `00${plainText(largest)}`)).toBe(201);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
