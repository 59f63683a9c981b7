import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from './support/database.js';
import { startWithNpm, type ServerProcess } from './support/server-process.js';

/**
 * `npm start` as process managers run it: they signal the npm process they started (docker stop on
 * `CMD npm start`, systemd, kill), and several may start in one checkout at once.
 */

const directories: string[] = [];
const running = new Set<ServerProcess>();
async function freshDataDir() {
  const directory = await mkdtemp(path.join(tmpdir(), 'bouncer-npm-start-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
  // A server that outlived its npm (the failure this file tests) is killed by its own pid.
  for (const pid of serverPids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

const serverPids: number[] = [];

/** The server's own pid, from its log lines (the npm process is its parent, or its shell's). */
function serverPid(server: ServerProcess): number {
  return Number(/"pid":([0-9]+).*"msg":"listening"/.exec(server.output())![1]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function npmStart() {
  const server = await startWithNpm({ DATA_DIR: await freshDataDir() });
  running.add(server);
  serverPids.push(serverPid(server));
  return server;
}

/** Resolves with the exit code, or rejects when `ms` pass first. */
async function exitWithin(server: ServerProcess, signal: NodeJS.Signals, ms: number) {
  return Promise.race([
    server.stop(signal),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`npm did not exit within ${ms} ms:\n${server.output()}`)), ms).unref(),
    ),
  ]);
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(onPostgres)('npm start', () => {
  it('stops the server gracefully when the npm process gets SIGTERM, and npm exits 0', { timeout: 180_000 }, async () => {
    const server = await npmStart();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    expect(await exitWithin(server, 'SIGTERM', 15_000)).toBe(0);
    running.delete(server);
    expect(server.output()).toContain('"msg":"shutting down"');
    expect(server.output()).toContain('"msg":"stopped"');
    expect(isRunning(serverPid(server)), 'the server outlived npm').toBe(false);
    expect(await answers(server.url), 'the server still answers after npm exited').toBe(false);
  });

  it('starts three at once in one checkout, each building dist/ while the others load it', { timeout: 600_000 }, async () => {
    for (let round = 0; round < 2; round++) {
      const servers = await Promise.all([npmStart(), npmStart(), npmStart()]);
      for (const server of servers) expect((await fetch(`${server.url}/health`)).status).toBe(200);
      for (const server of servers) {
        expect(await exitWithin(server, 'SIGTERM', 15_000)).toBe(0);
        running.delete(server);
      }
    }
  });
});
