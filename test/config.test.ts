import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has defaults a newcomer can run with', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('.data/pglite'),
      databaseTimeoutMs: 5000,
      publicUrl: 'http://localhost:4000',
      tokenPrefix: '',
    });
  });

  it('keeps DATA_DIR=memory:// as the in-memory database, not a folder named "memory:"', () => {
    expect(loadConfig({ DATA_DIR: 'memory://' }).dataDir).toBe('memory://');
    expect(loadConfig({ DATA_DIR: 'memory' }).dataDir).toBe(path.resolve('memory'));
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://db.internal:5432/bouncer',
      DATA_DIR: '/var/lib/bouncer',
      DATABASE_TIMEOUT_MS: '1500',
      PUBLIC_URL: 'https://api.bouncer.example/',
      TOKEN_PREFIX: 'bouncer_',
      SIGN_IN_TTL_HOURS: '12',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://db.internal:5432/bouncer',
      dataDir: '/var/lib/bouncer',
      databaseTimeoutMs: 1500,
      publicUrl: 'https://api.bouncer.example',
      tokenPrefix: 'bouncer_',
      signInTtlMs: 12 * 3_600_000,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
  });

  it('names every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: '70000',
        DATABASE_URL: 'mysql://x',
        TOKEN_PREFIX: 'a|b',
        PUBLIC_URL: 'not a url',
        DATABASE_TIMEOUT_MS: '5s',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'TOKEN_PREFIX', 'PUBLIC_URL', 'DATABASE_TIMEOUT_MS']) expect(message).toContain(`${name}:`);
  });

  it('reads the webhook retry schedule and refuses malformed ones', () => {
    expect(loadConfig({}).webhooks).toEqual({ retryDelaysSeconds: [5, 300, 1800, 7200, 18000, 36000], allowPrivateNetworks: false });
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS: '1, 1,2', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhooks).toEqual({
      retryDelaysSeconds: [1, 1, 2],
      allowPrivateNetworks: true,
    });
    for (const bad of [' ', '1,,2', '-1', '1.5', 'five', '1,2,', String(8 * 86_400), Array(21).fill('1').join(',')]) {
      expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: bad }), bad).toThrow(/WEBHOOK_RETRY_DELAYS:/);
    }
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes please' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_NETWORKS:/);
  });
});
