import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Applies pending `prisma/migrations/<name>/migration.sql` files in order, each in its own transaction,
 * and records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can
 * take over from the other. An advisory lock (Prisma's own key) makes concurrent start-ups safe: the
 * second process waits, then finds nothing left to apply. It waits at most MIGRATION_LOCK_WAIT_MS, so
 * a holder that never finishes fails the start-up with a message instead of hanging it.
 */

/** The one connection the runner needs: a pg.Client or a PGlite instance, adapted. */
export interface MigrationConnection {
  /** One statement; bounded by the database timeout where the connection can hang (PostgreSQL). */
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a migration's script of several statements, unbounded: a migration may take a while. */
  exec(script: string): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** The key `prisma migrate` locks, so this runner and Prisma's CLI also exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** How long a start-up waits for another process's migrations (they may legitimately take a while). */
export const MIGRATION_LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 250;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {}

/** Returns the names of the migrations it applied. */
export async function applyMigrations(
  connection: MigrationConnection,
  migrations: Migration[],
  /** Statements to run first under the lock (creating the schema: racing `IF NOT EXISTS` can still collide). */
  prelude: string[] = [],
): Promise<string[]> {
  await takeLock(connection);
  try {
    for (const statement of prelude) await connection.query(statement);
    await connection.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await connection.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const failed = rows.find((row) => row.finished_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier (recorded in _prisma_migrations); ` +
          'resolve it (prisma migrate resolve) before starting the server.',
      );
    }
    const applied = new Set(rows.map((row) => row.migration_name));
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      await applyOne(connection, migration);
    }
    return pending.map((migration) => migration.name);
  } finally {
    // A failure here must not hide the one that got us here; the lock ends with the session anyway.
    await connection.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
  }
}

/**
 * Polls rather than blocking in pg_advisory_lock: each statement then answers at once, so the
 * connection's statement bound tells a database that stopped answering from a lock held elsewhere.
 */
async function takeLock(connection: MigrationConnection): Promise<void> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PRISMA_ADVISORY_LOCK_KEY,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `Another process has held the migration lock (pg_advisory_lock ${PRISMA_ADVISORY_LOCK_KEY}) for ` +
          `${MIGRATION_LOCK_WAIT_MS / 1000} s; is it still applying migrations? Start again once it is done.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function applyOne(connection: MigrationConnection, migration: Migration): Promise<void> {
  await connection.query('BEGIN');
  try {
    await connection.exec(migration.sql);
    await connection.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await connection.query('COMMIT');
  } catch (error) {
    await connection.query('ROLLBACK');
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
}
