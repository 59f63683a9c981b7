import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth/bearer.js';
import { flushTokenUses } from '../src/auth/token-usage.js';
import { db } from '../src/db/client.js';
import { useTestApp } from './support/app.js';
import { createApiToken, signUp } from './support/fixtures.js';

const testApp = useTestApp();

describe('the bearer-token resolver', () => {
  it('treats a request without Authorization as anonymous', async () => {
    expect(await authenticate(null)).toEqual({ status: 'anonymous' });
  });

  it('yields the organization and abilities of an API token, whatever the case of "Bearer"', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner, {
      abilities: ['session:read'],
    });
    for (const header of [`Bearer ${plainTextToken}`, `bearer ${plainTextToken}`, `BEARER  ${plainTextToken} `]) {
      expect(await authenticate(header)).toEqual({
        status: 'authenticated',
        principal: {
          type: 'apiToken',
          tokenId: BigInt(apiToken.id),
          organizationId: Number(owner.organizationId),
          abilities: ['session:read'],
          mode: 'LIVE',
        },
      });
    }
  });

  it('yields the user of a dashboard sign-in token', async () => {
    const owner = await signUp(testApp.app);
    const result = await authenticate(`Bearer ${owner.token}`);
    expect(result).toMatchObject({ status: 'authenticated', principal: { type: 'user', userId: Number(owner.userId) } });
  });

  it('accepts the secret alone, looked up by its hash (Sanctum does too)', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const result = await authenticate(`Bearer ${plainTextToken.split('|')[1]}`);
    expect(result).toMatchObject({ status: 'authenticated', principal: { type: 'apiToken' } });
  });

  it('refuses malformed headers and tokens', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner);
    const [id, secret] = plainTextToken.split('|') as [string, string];
    const otherId = Number(id) + 1000;
    for (const header of [
      '',
      'Bearer',
      'Bearer ',
      `Basic ${plainTextToken}`,
      `Token ${plainTextToken}`,
      plainTextToken,
      `Bearer ${plainTextToken} extra`,
      `Bearer ${otherId}|${secret}`, // right secret, wrong id
      `Bearer ${apiToken.id}|${secret.slice(0, 40)}`, // legacy shape, wrong hash
      `Bearer ${plainTextToken}${'x'.repeat(300)}`,
    ]) {
      expect(await authenticate(header), header).toEqual({ status: 'invalid' });
    }
  });

  it('records a use as lastUsedAt without writing on every request', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken, apiToken } = await createApiToken(testApp.app, owner);
    const id = Number(apiToken.id);
    const before = new Date();
    await authenticate(`Bearer ${plainTextToken}`);
    expect((await db.accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull();
    await flushTokenUses();
    const first = (await db.accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(first!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    // Within the minute, further uses leave the stored value alone.
    await authenticate(`Bearer ${plainTextToken}`);
    await flushTokenUses();
    expect((await db.accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
    // Once it is older than a minute, the next use refreshes it.
    await db.accessToken.update({ where: { id }, data: { lastUsedAt: new Date(Date.now() - 120_000) } });
    await authenticate(`Bearer ${plainTextToken}`);
    await flushTokenUses();
    const refreshed = (await db.accessToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(refreshed!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
  });
});
