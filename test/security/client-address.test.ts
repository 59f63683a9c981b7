import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/app.js';
import { clientAddress, rateLimitKey } from '../../src/security/client-address.js';
import { call, nextAddress } from '../support/app.js';

/** A request as Node hands it over: the TCP peer and the headers. */
const requestFrom = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('client addresses', () => {
  it('key one client the same whatever the notation: ports, brackets, zones, mapped IPv4, IPv4 forms', () => {
    for (const text of ['203.0.113.7', '203.0.113.7:51234', '[::ffff:203.0.113.7]:443', '::ffff:203.0.113.7', ' 203.0.113.7 ']) {
      expect(rateLimitKey(text), text).toBe('203.0.113.7');
    }
    for (const text of ['2001:db8:1:2::1', '[2001:db8:1:2::1]:443', '2001:0db8:0001:0002:ffff:0:0:9', '[2001:DB8:1:2::abcd]', 'fe80::1%eth0']) {
      expect(rateLimitKey(text), text).toMatch(/^(2001:db8:1:2::|fe80::)\/64$/);
    }
    expect(rateLimitKey('[2001:db8:1:2::1]:443')).toBe('2001:db8:1:2::/64');
    for (const text of ['unknown', '', 'not an address', '203.0.113.7:port', '[203.0.113.7']) {
      expect(rateLimitKey(text), text).toBeNull();
    }
  });

  it('take the trusted X-Forwarded-For entry without its port, and fall back to the peer when it is no address', () => {
    expect(clientAddress(requestFrom('10.0.0.1', '198.51.100.1, 203.0.113.7:6000'), 1)).toBe('203.0.113.7');
    expect(clientAddress(requestFrom('10.0.0.1', '[2001:db8::5]:6000'), 1)).toBe('2001:db8::/64');
    expect(clientAddress(requestFrom('10.0.0.1', 'unknown'), 1)).toBe('10.0.0.1');
    expect(clientAddress(requestFrom('::ffff:10.0.0.1', '203.0.113.7:1'), 0)).toBe('10.0.0.1');
  });

  it('give a client behind TRUST_PROXY one rate-limit bucket whatever source port the proxy reports', async () => {
    const app = createApp(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1', RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: '3/1m' }));
    const proxy = nextAddress();
    const refusedFrom = async (forwardedFor: string) =>
      (await call(app, '/api/v2/session/x', { headers: { authorization: 'Bearer nope', 'x-forwarded-for': forwardedFor } }, proxy)).status;
    const client = ['203.0.113.9:40001', '203.0.113.9:40002', '[::ffff:203.0.113.9]:40003'];
    for (const entry of client) expect(await refusedFrom(entry)).toBe(401);
    expect(await refusedFrom('203.0.113.9:40004')).toBe(429);
    const v6 = ['[2001:db8:9::1]:1', '[2001:db8:9::2]:2', '2001:db8:9::3'];
    for (const entry of v6) expect(await refusedFrom(entry)).toBe(401);
    expect(await refusedFrom('[2001:db8:9::4]:4')).toBe(429);
    expect(await refusedFrom('203.0.113.10:40001')).toBe(401); // another client is unaffected
    await app.dispose();
  });
});
