import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerExpectingFailure } from './support/server-process.js';

/**
 * Start-up failures an operator can fix end with exit 1 and one line naming the setting: no stack
 * trace, no half-started server holding the port or the data directory.
 */

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'bouncer-startup-'));
  await chmod(scratch, 0o755); // for the server run as another user
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Permission bits do not stop root: as root, the server runs as `nobody` where they must apply. */
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
/** Linux lets unprivileged processes bind ports from this one up (some containers lower it to 0). */
const unprivilegedPortStart = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  } catch {
    return 1024;
  }
})();

function expectOneClearLine(result: { code: number | null; output: string }, line: string | RegExp) {
  expect(result.code, result.output).toBe(1);
  expect(result.output).toMatch(typeof line === 'string' ? new RegExp(`^${escape(line)}`, 'm') : line);
  expect(result.output, 'a stack trace').not.toMatch(/^ {4}at /m);
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a server that cannot start', () => {
  it('names a port already in use, and leaves its data directory unlocked', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const dataDir = path.join(scratch, 'port-taken');
    try {
      const result = await runServerExpectingFailure({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) });
      expectOneClearLine(result, `PORT ${port} on 127.0.0.1 is already in use`);
      expect(result.output).toContain('database ready'); // it got that far: the database was open
      expect((await readdir(dataDir)).filter((name) => name.startsWith('bouncer.lock'))).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it('names an invalid LOG_LEVEL among the configuration errors', async () => {
    const result = await runServerExpectingFailure({ LOG_LEVEL: 'loud', DATA_DIR: path.join(scratch, 'unused') });
    expectOneClearLine(result, 'Invalid configuration:');
    expect(result.output).toMatch(/^ {2}LOG_LEVEL: /m);
  });

  it('names a DATA_DIR that is a file, or lies under one', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    expectOneClearLine(await runServerExpectingFailure({ DATA_DIR: file }), `DATA_DIR ${file} is not a directory`);
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: path.join(file, 'pglite') }),
      `DATA_DIR ${path.join(file, 'pglite')} is not a directory`,
    );
  });

  it.runIf(process.platform === 'linux')('names a DATA_DIR it may not write, or not create', async () => {
    const readOnly = path.join(scratch, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: readOnly }, { as: unprivileged }),
      new RegExp(`^DATA_DIR ${escape(readOnly)} is not writable: EACCES`, 'm'),
    );
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: path.join(readOnly, 'pglite') }, { as: unprivileged }),
      new RegExp(`^DATA_DIR ${escape(path.join(readOnly, 'pglite'))} cannot be created: EACCES`, 'm'),
    );
  });

  it('names a HOST that is not an address of this machine, or that does not resolve', async () => {
    const dataDir = path.join(scratch, 'host');
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real interface.
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: dataDir, HOST: '192.0.2.1', PORT: '0' }),
      'HOST 192.0.2.1 is not an address of this machine',
    );
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: dataDir, HOST: 'no-such-host.invalid', PORT: '0' }),
      'HOST no-such-host.invalid cannot be resolved to an address',
    );
  });

  it.runIf(process.platform === 'linux' && unprivileged && unprivilegedPortStart > 80)('names a privileged port it may not bind', async () => {
    const dataDir = path.join(scratch, 'privileged');
    await mkdir(dataDir);
    await chmod(dataDir, 0o777);
    expectOneClearLine(
      await runServerExpectingFailure({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '80' }, { as: unprivileged }),
      'PORT 80 on 127.0.0.1 cannot be used by this process: permission denied',
    );
  });
});
