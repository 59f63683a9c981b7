import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { applyMigrations, readMigrations, type MigrationConnection } from './migrate.js';
import { pgliteSql } from './pglite-statements.js';

/**
 * The process-wide Prisma client, assigned by openDatabase() before the server handles requests.
 * Import it where it is needed (not through the GraphQL context).
 */
export let db: PrismaClient;

/**
 * Raw SQL on the same connections, for the hot paths (token verification, session writes): there a
 * Prisma call costs several times the query itself. Rows come back as the driver parses them.
 * `name` keeps the statement prepared (per connection on PostgreSQL; see pglite-statements.ts).
 */
export type Sql = <Row>(text: string, params: unknown[], name?: string) => Promise<Row[]>;
export let sql: Sql;

let closeDriver: (() => Promise<void>) | undefined;

export type DatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir?: string;
};

/** Connects to the configured database, applies pending migrations, and assigns `db`. */
export async function openDatabase(options: DatabaseOptions): Promise<{ applied: string[] }> {
  if (db) throw new Error('The database is already open');
  const opened = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(options.dataDir ?? 'memory://');
  db = opened.client;
  sql = opened.sql;
  closeDriver = opened.close;
  return { applied: opened.applied };
}

export async function closeDatabase(): Promise<void> {
  if (!db) return;
  await db.$disconnect();
  await closeDriver?.();
  db = undefined as unknown as PrismaClient;
  closeDriver = undefined;
}

/**
 * PostgreSQL settings for the embedded database: PGlite's defaults with a smaller buffer cache, since
 * the whole database lives in this process (128 MB of shared buffers would be most of its memory).
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function initializePgliteDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true });
  const script = fileURLToPath(new URL('./init-pglite.mjs', import.meta.url));
  await promisify(execFile)(process.execPath, [script, dataDir]);
}

async function openPglite(dataDir: string) {
  // A directory on disk is this process's alone (memory:// ones are private anyway); locked before
  // anything in it is read or written, released when the database closes or fails to open.
  const lock = dataDir.includes('://') ? undefined : await lockDataDir(dataDir);
  try {
    if (lock) await initializePgliteDataDir(dataDir);
    const pglite = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
    const connection: MigrationConnection = {
      query: (sql, params) => pglite.query(sql, params),
      exec: async (script) => void (await pglite.exec(script)),
    };
    const applied = await applyMigrations(connection, await readMigrations());
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    const sql = pgliteSql(pglite);
    return { client, sql, applied, close: () => pglite.close().finally(() => lock?.release()) };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/**
 * A `schema` query parameter (Prisma's convention) selects the PostgreSQL schema: it becomes the
 * connections' search_path and the schema Prisma qualifies its tables with.
 */
export function parsePostgresUrl(databaseUrl: string): { connectionString: string; schema?: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), ...(schema && { schema }) };
}

async function openPostgres(databaseUrl: string) {
  const { connectionString, schema } = parsePostgresUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString,
    ...(schema && { options: `-c search_path="${schema.replaceAll('"', '""')}"` }),
  });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const migrationClient = await pool.connect();
  let applied: string[];
  try {
    if (schema) await migrationClient.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
    applied = await applyMigrations(
      {
        query: async (sql, params) => migrationClient.query(sql, params) as never,
        exec: async (script) => void (await migrationClient.query(script)),
      },
      await readMigrations(),
    );
  } finally {
    migrationClient.release();
  }
  const client = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  const sql: Sql = async <Row>(text: string, values: unknown[], name?: string) =>
    (await pool.query<Row & pg.QueryResultRow>({ text, values, ...(name && { name }) })).rows;
  return { client, sql, applied, close: () => pool.end() };
}
