import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl } from './database.js';
import { startServer, type ServerProcess } from './server-process.js';

export type RunningServer = { server: ServerProcess };

/**
 * The real server of a test file, as useTestApp is its in-process app: started before the file's
 * tests on a database of its own (a fresh schema of the test PostgreSQL, or the embedded database in
 * a temporary folder), stopped after them, expected to exit with 0, and its data removed. Hooks
 * registered after this call run while it is up (vitest runs afterAll hooks in reverse order).
 */
export function useServer(env: Record<string, string> = {}): RunningServer {
  const running = {} as RunningServer;
  const databaseUrl = freshDatabaseUrl();
  let dataDir: string | undefined;
  beforeAll(async () => {
    if (!databaseUrl) dataDir = await mkdtemp(path.join(tmpdir(), 'bouncer-test-'));
    running.server = await startServer({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }), ...env });
  }, 120_000);
  afterAll(async () => {
    try {
      if (running.server) expect(await running.server.stop(), running.server.output()).toBe(0);
    } finally {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await dropSchemaOf(databaseUrl);
    }
  });
  return running;
}
