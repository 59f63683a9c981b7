import { describe, expect, it } from 'vitest';
import { flushTokenUses } from '../src/auth/token-usage.js';
import { formatToken, generateSecret, hashSecret } from '../src/auth/tokens.js';
import { db, sql } from '../src/db/client.js';
import { listApiTokens } from '../src/tokens/api-tokens.js';
import { revokeLeakedTokens } from '../src/tokens/leaks.js';
import { tokenUsage } from '../src/tokens/usage.js';
import { call, graphql, useTestApp } from './support/app.js';
import { signUp } from './support/fixtures.js';
import { ApiTokens } from './support/operations.js';
import { validSession } from './support/rest.js';

/**
 * Token ids are bigint, as Sanctum's: every path that reads or writes them (raw SQL on pg and PGlite,
 * Prisma, GraphQL ids and paging, usage counts, leak reports) keeps them exact up to 2^63-1.
 */

const testApp = useTestApp();

const HUGE = [2147483648n, 9007199254740993n, 9223372036854775806n, 9223372036854775807n];

async function storeTokens(organizationId: string) {
  return Promise.all(
    HUGE.map(async (id) => {
      const secret = generateSecret();
      await db.accessToken.create({
        data: { id, kind: 'API', name: `Token ${id}`, tokenHash: hashSecret(secret), organizationId: Number(organizationId) },
      });
      return formatToken(id, secret);
    }),
  );
}

describe('bigint token ids', () => {
  it('reads int8 as exact bigint from raw SQL', async () => {
    const [row] = await sql<{ small: bigint; large: bigint }>('SELECT 1::int8 AS small, 9223372036854775807::int8 AS large', []);
    expect(row).toEqual({ small: 1n, large: 9223372036854775807n });
  });

  it('authenticates, counts, lists, pages and revokes tokens with ids past 2^53', async () => {
    const owner = await signUp(testApp.app);
    const tokens = await storeTokens(owner.organizationId);
    for (const token of tokens) {
      const response = await call(testApp.app, '/api/v2/session', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(validSession),
      });
      expect(response.status, token).toBe(201);
    }
    await flushTokenUses();
    const today = (await tokenUsage(9007199254740993n, 1))[0]!;
    expect(today.requests).toBe(1);
    const stored = await db.accessToken.findUniqueOrThrow({ where: { id: 9223372036854775807n } });
    expect(stored.lastUsedAt).not.toBeNull();
    const session = await db.verificationSession.findFirstOrThrow({ where: { apiTokenId: 9223372036854775807n } });
    expect(session.apiTokenId).toBe(9223372036854775807n);

    const listed = await graphql(testApp.app, ApiTokens, { organizationId: owner.organizationId }, owner.token);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.apiTokens.map((token) => token.id).sort()).toEqual(HUGE.map(String).sort());
    const all = await listApiTokens(Number(owner.organizationId), false, { first: 10, after: null });
    const after = await listApiTokens(Number(owner.organizationId), false, { first: 10, after: all[0]!.id });
    expect(after.map((token) => token.id)).toEqual(all.slice(1).map((token) => token.id));
    expect(typeof all[0]!.id).toBe('bigint');

    expect(await revokeLeakedTokens([tokens[2]!], { ip: null, userAgent: null })).toBe(1);
    const revoked = await db.accessToken.findUniqueOrThrow({ where: { id: 9223372036854775806n } });
    expect(revoked.revokedAt).not.toBeNull();
  });
});
