import { createServer } from 'node:http';
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkDestination, guardedLookup, isPublicAddress, RefusedDestinationError } from '../../src/webhooks/destination.js';

describe('webhook destinations (no server-side request forgery)', () => {
  it('allow public unicast addresses only', () => {
    for (const address of ['8.8.8.8', '203.0.114.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    const refused = [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '255.255.255.255', '224.0.0.1', '192.0.2.1', '198.18.0.1',
      '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '2001:db8::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::127.0.0.1', '2002:7f00:1::1', '64:ff9b::7f00:1', '2001::1',
      'localhost', 'not-an-address', '',
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
  });

  it('refuse URLs whose host is a private literal in any notation, or a name resolving to one', async () => {
    for (const url of [
      'http://127.0.0.1/hook', 'http://127.1/hook', 'http://0x7f000001/hook', 'http://2130706433/hook', 'https://10.0.0.1:8443/',
      'http://[::1]/hook', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/',
      'http://localhost:4000/hook', 'http://LOCALHOST./hook', 'ftp://203.0.114.1/', 'not a url',
    ]) {
      expect(await checkDestination(url, false), url).toBeInstanceOf(RefusedDestinationError);
    }
    expect(await checkDestination('https://203.0.114.1/hook', false)).toBeNull();
    expect(await checkDestination('http://[2606:4700:4700::1111]/', false)).toBeNull();
    // Development and tests may allow private networks explicitly.
    expect(await checkDestination('http://localhost:4000/hook', true)).toBeNull();
  });

  it('connect only where the checked lookup says: a name resolving to loopback gets no connection', async () => {
    let connections = 0;
    const receiver = createServer((_request, response) => response.end('ok')).on('connection', () => connections++);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    const fetchWith = (allowPrivateNetworks: boolean) =>
      new Promise<string>((resolve, reject) => {
        get({ host: 'localhost', port, family: 4, lookup: guardedLookup(allowPrivateNetworks), timeout: 5000 }, (response) => {
          response.resume();
          resolve(String(response.statusCode));
        }).on('error', reject);
      });
    try {
      await expect(fetchWith(false)).rejects.toMatchObject({ code: 'EREFUSED_DESTINATION' });
      expect(connections).toBe(0);
      expect(await fetchWith(true)).toBe('200');
      expect(connections).toBe(1);
    } finally {
      receiver.close();
    }
  });
});
