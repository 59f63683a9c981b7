import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { applyMigrations, MigrationError, readMigrations, type MigrationConnection } from './migrate.js';
import { PgPipeline, PIPELINED_CONNECTIONS, pgTransaction, type Statement } from './pg-statements.js';
import { startPgliteMaintenance } from './pglite-maintenance.js';
import { pgliteStatements } from './pglite-statements.js';

/**
 * The process-wide Prisma client, assigned by openDatabase() before the server handles requests.
 * Import it where it is needed (not through the GraphQL context).
 */
export let db: PrismaClient;

/**
 * Raw SQL on the same connections, for the hot paths (token verification, session writes): there a
 * Prisma call costs several times the query itself. Rows come back as the driver parses them.
 * `name` keeps the statement prepared (per connection on PostgreSQL; see pglite-statements.ts).
 * int8 columns (token ids) come back as bigint on both drivers, exact over their whole range.
 *
 * On PostgreSQL the requests' statements are pipelined on shared connections (pg-statements.ts
 * PgPipeline), where each call waits for the ones written before it. A statement that may take long
 * — waiting for a lock another transaction holds, reading or sorting many rows, a background job's —
 * asks for `ownConnection`: it runs on a pool connection, holding up nobody's call.
 */
export type SqlOptions = { ownConnection?: boolean };
export type Sql = <Row>(text: string, params: unknown[], name?: string, options?: SqlOptions) => Promise<Row[]>;
export let sql: Sql;

/**
 * Named statements run as one transaction in one round trip (pg-statements.ts): each statement's
 * rows, in order. An error in any of them rolls back all. `options` as for sql.
 */
export type SqlTransaction = (statements: Statement[], options?: SqlOptions) => Promise<unknown[][]>;
export let sqlTransaction: SqlTransaction;
export type { Statement };

let closeDriver: (() => Promise<void>) | undefined;

export type DatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** The longest one wait on the database may take: a connection, a pool slot, a statement (DATABASE_TIMEOUT_MS). */
  timeoutMs?: number;
};

/** The database could not be opened at start-up; the message is one line for the operator. */
export class DatabaseOpenError extends Error {}

let timeoutMs = 5000;

/** Connects to the configured database, applies pending migrations, and assigns `db`. */
export async function openDatabase(options: DatabaseOptions): Promise<{ applied: string[] }> {
  if (db) throw new Error('The database is already open');
  timeoutMs = options.timeoutMs ?? timeoutMs;
  baselineWasmOnly();
  const opened = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(options.dataDir ?? 'memory://');
  db = opened.client;
  sql = opened.sql;
  sqlTransaction = opened.transaction;
  closeDriver = opened.close;
  return { applied: opened.applied };
}

/** Bounded like every other wait: a database that stops answering must not keep the process from exiting. */
export async function closeDatabase(): Promise<void> {
  if (!db) return;
  const closeConnections = closeDriver;
  const closing = db.$disconnect().then(() => closeConnections?.());
  db = undefined as unknown as PrismaClient;
  closeDriver = undefined;
  await within(closing, timeoutMs, 'Closing the database');
}

/** Whether the database answers a statement within the timeout (the readiness check). */
export async function pingDatabase(): Promise<void> {
  await within(sql('SELECT 1', []), timeoutMs, 'The database');
}

/** Settles like `promise`, or rejects with an ETIMEDOUT error (a database outage) after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}

/** Transactions Prisma runs wait for a connection and run for no longer than any other statement. */
const transactionOptions = () => ({ maxWait: timeoutMs, timeout: timeoutMs });

/**
 * PostgreSQL settings for the embedded database: PGlite's defaults with a smaller buffer cache, since
 * the whole database lives in this process (128 MB of shared buffers would be most of its memory),
 * and statistics of 10 values per column instead of 100 (PostgreSQL's default before 8.4): ANALYZE
 * (pglite-maintenance.ts) samples 300 rows per value, in this process's memory and on its one thread,
 * which every request waits for — 100,000 sessions took 180–300 ms and about 10 MB of memory that a
 * WebAssembly heap never gives back, against 30–100 ms at 10. Every statement here is a key or index
 * look-up, whose plan needs row counts more than fine histograms.
 */
export const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=8MB'],
  ...['-c', 'default_statistics_target=10'],
];

async function initializePgliteDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true });
  const script = fileURLToPath(new URL('./init-pglite.mjs', import.meta.url));
  await promisify(execFile)(process.execPath, [script, dataDir]);
}

/**
 * WebAssembly on V8's baseline compiler (Liftoff) only. The embedded database is PostgreSQL compiled
 * to WebAssembly, and Prisma's query compiler is WebAssembly too: V8 compiles them with Liftoff and
 * then recompiles the functions that run often with its optimising compiler (TurboFan). That second
 * copy of the code, and the compiler's memory while it works, made about 80 MB of the PGlite server's
 * peak RSS (278-285 against 195-200 MB under the benchmark's load, same build; PostgreSQL 143 against
 * 137 MB), and the recompiling competes with requests for the CPU: the baseline code served the
 * benchmark at least as fast in paired rounds on 2 cores. V8 reads the flag per compilation, so it is
 * set before either module is compiled.
 */
function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only');
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
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions: transactionOptions() });
    const { sql, transaction, idle } = pgliteStatements(pglite);
    const maintenance = startPgliteMaintenance(pglite); // single-user PostgreSQL has no autovacuum
    const close = () =>
      maintenance
        .stop()
        .then(idle) // statements already asked for still run
        .then(() => pglite.close())
        .finally(() => lock?.release());
    return { client, sql, transaction, applied, close };
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

/**
 * Every wait on PostgreSQL is bounded by the timeout: connecting and waiting for a pool slot
 * (connectionTimeoutMillis), a statement (statement_timeout on the server, query_timeout here for a
 * server that stopped answering altogether), and idle connections to a vanished host (TCP keepalive).
 */
async function openPostgres(databaseUrl: string) {
  const { connectionString, schema } = parsePostgresUrl(databaseUrl);
  const connection = {
    connectionString,
    ...(schema && { options: `-c search_path="${schema.replaceAll('"', '""')}"` }),
    connectionTimeoutMillis: timeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: timeoutMs,
  };
  const applied = await migratePostgres(connection, schema, describeUrl(connectionString));
  const pool = new pg.Pool({
    ...connection,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    Client: HungConnectionDroppingClient,
  });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, schema ? { schema } : undefined),
    transactionOptions: transactionOptions(),
  });
  // The requests' statements are pipelined on connections of their own (pg-statements.ts).
  const pipeline = new PgPipeline(
    { ...connection, statement_timeout: timeoutMs, query_timeout: timeoutMs },
    pg.Client,
    PG_TYPES,
    PIPELINED_CONNECTIONS,
  );
  const transaction: SqlTransaction = (statements, options) =>
    options?.ownConnection ? pgTransaction(pool, statements, PG_TYPES) : pipeline.run(statements);
  const sql: Sql = async <Row>(text: string, params: unknown[], name = '', options?: SqlOptions) =>
    (await transaction([{ text, params, name }], options))[0] as Row[];
  return {
    client,
    sql,
    transaction,
    applied,
    close: async () => {
      await pipeline.close();
      await pool.end();
    },
  };
}

/**
 * Migrates on a connection of its own, without the pool's statement timeout: a migration may
 * legitimately run long once it runs. Connecting and the bookkeeping statements are bounded, so a
 * database that does not answer fails the start-up within the timeout; the lock wait is bounded in
 * applyMigrations.
 */
async function migratePostgres(connection: pg.ClientConfig, schema: string | undefined, where: string): Promise<string[]> {
  const client = new pg.Client(connection);
  client.on('error', () => {}); // reported by the statement that was waiting
  try {
    await client.connect();
    const bounded = { query_timeout: timeoutMs };
    const applied = await applyMigrations(
      {
        query: async (text, values) => client.query({ text, values, ...bounded } as pg.QueryConfig) as never,
        exec: async (script) => void (await client.query(script)),
      },
      await readMigrations(),
      schema ? [`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`] : [],
    );
    await within(client.end(), timeoutMs, 'Closing the migration connection');
    return applied;
  } catch (error) {
    client.connection.stream.destroy();
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseOpenError(
      `Cannot open the database at DATABASE_URL (${where}) within DATABASE_TIMEOUT_MS=${timeoutMs}: ${reason}`,
    );
  }
}

/** Host, port and database of a connection string, without credentials, for messages. */
function describeUrl(connectionString: string): string {
  const url = new URL(connectionString);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** pg's parsers, but int8 as bigint (pg gives strings); per query, so Prisma's own parsing is untouched. */
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? BigInt : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const QUERY_TIMEOUT_MESSAGE = 'Query read timeout'; // pg's error when query_timeout passes

/**
 * A pool client that closes its connection when a statement times out. pg's query_timeout only stops
 * waiting: the connection stays stuck behind the unanswered statement, and Prisma's transactions give
 * it back to the pool without an error, so later requests would wait on it again.
 */
class HungConnectionDroppingClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const dropIfTimedOut = (error: unknown) => {
      if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) this.connection.stream.destroy();
    };
    this.query = ((...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          dropIfTimedOut(error);
          callback(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch(dropIfTimedOut);
      return result;
    }) as typeof this.query;
  }
}
