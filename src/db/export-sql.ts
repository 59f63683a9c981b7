/**
 * `npm run export:sql -- [--data-dir DIR] [--output FILE]`: writes the embedded database of a
 * stopped server as plain SQL (pg_dump's, compiled to WASM), to load into an empty PostgreSQL
 * database with `psql -1 -v ON_ERROR_STOP=1 -f FILE`. Everything moves: users, tokens, sessions,
 * the server's own secrets and `_prisma_migrations`, so a server on DATABASE_URL applies no migration.
 *
 * DATA_DIR is locked as the server locks it, so the export refuses while a server runs on it.
 * Errors are one line on stderr and exit 1.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { PGLITE_START_PARAMS } from './client.js';
import { DataDirError, lockDataDir } from './data-dir-lock.js';

class ExportError extends Error {}

/**
 * PGlite 0.5.16 is PostgreSQL 18 and its pg_dump 18 sets `transaction_timeout` (PostgreSQL 17+), which
 * older servers reject. Without it the dump loads into PostgreSQL 15 and later; it only lifted a
 * timeout for the load, and the other timeouts are still lifted.
 */
const NEWER_THAN_15 = /^SET transaction_timeout = .*;\n/gm;

export async function exportSql(dataDir: string): Promise<string> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new ExportError(`DATA_DIR ${dataDir} holds no database (no PG_VERSION file)`);
  }
  const lock = await lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
    try {
      // Without owners and grants: the target database's roles are not PGlite's `postgres`.
      const dump = await pgDump({ pg: pglite, args: ['--no-owner', '--no-privileges'] });
      return (await dump.text()).replace(NEWER_THAN_15, '');
    } finally {
      await pglite.close();
    }
  } finally {
    await lock.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, output: { type: 'string', short: 'o' } },
  });
  const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.data/pglite');
  const sql = await exportSql(dataDir);
  if (values.output) await writeFile(values.output, sql);
  else await new Promise<void>((resolve, reject) => process.stdout.write(sql, (error) => (error ? reject(error) : resolve())));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const code = (error as NodeJS.ErrnoException)?.code ?? '';
    const known = error instanceof DataDirError || error instanceof ExportError || code.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`export:sql: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
