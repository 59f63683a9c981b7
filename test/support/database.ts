import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where this test file's data lives: in-memory PGlite, or a fresh schema on the test PostgreSQL. */

export const onPostgres = process.env.TEST_DB === 'postgres';

/** A DATABASE_URL for a new, empty schema (PostgreSQL), or undefined for PGlite. */
export function freshDatabaseUrl(): string | undefined {
  if (!onPostgres) return undefined;
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const url = new URL(base);
  url.searchParams.set('schema', `test_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

export async function dropSchemaOf(databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) return;
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Whether a PostgreSQL server answers at `url` within 3 s (tests that need one skip themselves otherwise). */
export async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
