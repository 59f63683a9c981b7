import { print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from './support/database.js';
import { PASSWORD } from './support/fixtures.js';
import { CreateToken, RollApiToken, SignUp, TokenDetails } from './support/operations.js';
import { graphqlOn, startServer, type ServerProcess } from './support/server-process.js';
import { validSession } from './support/rest.js';

/**
 * Token lifecycle across server processes sharing one PostgreSQL database (what PGlite cannot do):
 * usage counts of several processes add up, and a rolled token's overlap ends on every process.
 */

const databaseUrl = freshDatabaseUrl();
afterAll(() => dropSchemaOf(databaseUrl));

const post = (server: ServerProcess, document: Parameters<typeof print>[0], variables: object, token?: string) =>
  graphqlOn(server, print(document), variables, token);

/** POST /api/v2/session through a proxy that says the client is `clientIp` (the servers trust one proxy). */
async function createSession(server: ServerProcess, token: string, clientIp: string) {
  const response = await fetch(`${server.url}/api/v2/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': clientIp },
    body: JSON.stringify(validSession),
  });
  await response.arrayBuffer();
  return response.status;
}

describe.runIf(onPostgres)('two server processes on one PostgreSQL database', () => {
  it('add up their usage counts, record the last address, and end a roll overlap on both', { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: databaseUrl!, TRUST_PROXY: '1', RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: 'off' };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    let stopped = false;
    try {
      const { signUp } = await post(a, SignUp, {
        input: { email: 'two@example.com', password: PASSWORD, organizationName: 'Two' },
      });
      const organizationId = signUp.user.memberships[0].organization.id;
      const created = await post(a, CreateToken, { input: { organizationId, name: 'Shared' } }, signUp.token);
      const { plainTextToken, apiToken } = created.createApiToken;

      for (let i = 0; i < 3; i += 1) expect(await createSession(a, plainTextToken, '192.0.2.10')).toBe(201);
      for (let i = 0; i < 4; i += 1) expect(await createSession(b, plainTextToken, '192.0.2.20')).toBe(201);

      // Roll on A with a 3-second overlap; B accepts the old secret until then and refuses it after.
      const rolled = await post(a, RollApiToken, { id: apiToken.id, expiresInSeconds: 3 }, signUp.token);
      const overlapEnds = Date.now() + 3000;
      expect(await createSession(b, plainTextToken, '192.0.2.20')).toBe(201);
      expect(await createSession(b, rolled.rollApiToken.plainTextToken, '192.0.2.20')).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, overlapEnds - Date.now() + 300));
      expect(await createSession(b, plainTextToken, '192.0.2.20')).toBe(401);
      expect(await createSession(a, plainTextToken, '192.0.2.10')).toBe(401);
      expect(await createSession(a, rolled.rollApiToken.plainTextToken, '192.0.2.10')).toBe(201);

      // Graceful shutdown writes what each process counted.
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
      stopped = true;
      const reader = await startServer(env);
      try {
        const { apiTokens } = await post(reader, TokenDetails, { organizationId, days: 1 }, signUp.token);
        const old = apiTokens.find((token: { id: string }) => token.id === apiToken.id);
        const successor = apiTokens.find((token: { id: string }) => token.id === rolled.rollApiToken.apiToken.id);
        expect(old.usage).toEqual([{ date: new Date().toISOString().slice(0, 10), requests: 8 }]);
        expect(successor.usage[0].requests).toBe(2);
        expect(['192.0.2.10', '192.0.2.20']).toContain(old.lastUsedIp);
        expect(successor.lastUsedIp).not.toBeNull();
      } finally {
        await reader.stop();
      }
    } finally {
      if (!stopped) await Promise.all([a.stop(), b.stop()]);
    }
  });
});
