import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { logger } from '../../src/logger.js';
import { RateLimits } from '../../src/security/rate-limits.js';

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

/**
 * A TCP front for Redis that either resets every connection right after accepting it (a Redis
 * behind a broken load balancer) or forwards to the real Redis.
 */
async function flakyRedis() {
  let mode: 'reset' | 'forward' = 'reset';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'reset') return void setTimeout(() => client.resetAndDestroy(), 5);
    const upstream = connect(Number(REDIS.port || 6379), REDIS.hostname);
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    forward() {
      mode = 'forward';
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const messages = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => String(call[1] ?? call[0]));

describe('a Redis that accepts and then resets connections', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is logged once when it goes away and once when it is back, however often connections fail', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    const redis = await flakyRedis();
    const limits = new RateLimits(loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url }));
    try {
      // Failures keep being counted (in memory meanwhile) while connections are reset again and again.
      for (let attempt = 0; attempt < 10; attempt++) {
        await limits.bearerFailed('203.0.113.1');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(messages(warn).filter((message) => /Redis/.test(message))).toHaveLength(1);

      redis.forward();
      await vi.waitFor(() => expect(messages(info).filter((message) => /Redis reachable again/.test(message))).toHaveLength(1), {
        timeout: 15_000,
        interval: 200,
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(messages(warn).filter((message) => /Redis/.test(message))).toHaveLength(1);
      expect(messages(info).filter((message) => /Redis reachable again/.test(message))).toHaveLength(1);
    } finally {
      await limits.close();
      await redis.close();
    }
  });
});
