import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl } from './database.js';
import { PASSWORD } from './fixtures.js';
import { graphqlOn, startServer, type ServerProcess } from './server-process.js';

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

/** Someone signed up on a real server, with an organization of their own. */
export type Person = { name: string; email: string; token: string; userId: string; organizationId: string };

/** Signs up `name` on `server` (an email of their own, made from the first name) with a new organization. */
export async function signUpOn(server: ServerProcess, name: string, organizationName: string): Promise<Person> {
  const email = `${name.split(' ')[0]!.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const { signUp } = await graphqlOn(
    server,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id memberships { organization { id } } } } }`,
    { input: { name, email, password: PASSWORD, organizationName } },
  );
  return { name, email, token: signUp.token, userId: signUp.user.id, organizationId: signUp.user.memberships[0].organization.id };
}
