import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirError, lockDataDir } from '../src/db/data-dir-lock.js';
import { onPostgres } from './support/database.js';
import { PASSWORD } from './support/fixtures.js';
import { runServerExpectingFailure, startServer, type ServerProcess } from './support/server-process.js';

/** The embedded database's directory admits one server process; a killed holder's lock is taken over. */

const directories: string[] = [];
const running = new Set<ServerProcess>();
async function freshDirectory() {
  const directory = await mkdtemp(path.join(tmpdir(), 'bouncer-lock-test-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function start(dataDir: string) {
  const server = await startServer({ DATA_DIR: dataDir });
  running.add(server);
  return server;
}

/** Starts `count` servers at once on one directory; resolves with those that listen and the refusals. */
async function startAtOnce(dataDir: string, count: number) {
  const results = await Promise.allSettled(Array.from({ length: count }, () => start(dataDir)));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const refusals = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  return { started, refusals };
}

const lockFiles = async (dataDir: string) => (await readdir(dataDir)).filter((name) => name.startsWith('bouncer.lock'));

async function signUp(server: ServerProcess, email: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
      variables: { input: { email, password: PASSWORD, organizationName: 'Lock' } },
    }),
  });
  return (await response.json()) as { data?: { signUp: { token: string } }; errors?: Array<{ extensions: { code: string } }> };
}

describe.skipIf(onPostgres)('a PGlite data directory shared by server processes', () => {
  it('admits one: a second exits 1 naming the holder, the first serves on; after kill -9 a restart takes over at once, data intact', { timeout: 180_000 }, async () => {
    const dataDir = await freshDirectory();
    const first = await start(dataDir);
    expect((await signUp(first, 'before-kill@example.com')).data?.signUp.token).toBeTruthy();

    const second = await runServerExpectingFailure({ DATA_DIR: dataDir, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`DATA_DIR ${dataDir} is in use by another server process (pid ${first.child.pid} on host ${hostname()}`);
    expect(second.output).not.toContain('database ready'); // refused before opening the database
    expect(second.output).not.toMatch(/^ {4}at /m);
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    expect((await signUp(first, 'after-refusal@example.com')).data?.signUp.token).toBeTruthy();

    expect(await first.stop('SIGKILL')).toBeNull();
    running.delete(first);
    expect(await lockFiles(dataDir)).toEqual(['bouncer.lock.1']); // left behind by the killed holder

    // Three restarts at once take over the dead holder's lock: exactly one wins, the data is there.
    const startedAt = Date.now();
    const { started, refusals } = await startAtOnce(dataDir, 3);
    expect(started).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(60_000); // at once, not after a staleness timeout
    for (const refusal of refusals) expect(refusal).toContain(`in use by another server process (pid ${started[0]!.child.pid} `);
    const restarted = started[0]!;
    for (const email of ['before-kill@example.com', 'after-refusal@example.com']) {
      expect((await signUp(restarted, email)).errors?.[0]?.extensions.code, email).toBe('CONFLICT');
    }

    expect(await restarted.stop('SIGTERM')).toBe(0);
    running.delete(restarted);
    expect(restarted.output()).toContain('"msg":"stopped"');
    expect(await lockFiles(dataDir)).toEqual([]); // released on graceful shutdown
  });

  it('lets exactly one of several simultaneous starts on a new directory run', { timeout: 180_000 }, async () => {
    const dataDir = await freshDirectory();
    const { started, refusals } = await startAtOnce(dataDir, 4);
    expect(started).toHaveLength(1);
    expect(refusals).toHaveLength(3);
    for (const refusal of refusals) {
      expect(refusal).toContain('server exited with 1');
      expect(refusal).toContain(`in use by another server process (pid ${started[0]!.child.pid} `);
    }
    expect((await signUp(started[0]!, 'only@example.com')).data?.signUp.token).toBeTruthy();
    expect(await started[0]!.stop()).toBe(0);
    running.delete(started[0]!);
  });
});

describe('the data directory lock', () => {
  /** A living process that is not a server: its pid stands for a holder, or for a reused pid. */
  async function withLivingProcess(use: (pid: number) => Promise<void>) {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await once(sleeper, 'spawn');
      await use(sleeper.pid!);
    } finally {
      sleeper.kill('SIGKILL');
    }
  }
  const processStart = async (pid: number) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
  };
  const bootId = async () => (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
  const writeHolder = (dataDir: string, holder: object) =>
    writeFile(path.join(dataDir, 'bouncer.lock.7'), JSON.stringify({ host: hostname(), startedAt: '2026-11-30T00:00:00.000Z', ...holder }));

  it('is refused while the recorded process lives', async () => {
    const dataDir = await freshDirectory();
    await withLivingProcess(async (pid) => {
      await writeHolder(dataDir, { pid, ...(process.platform === 'linux' && { bootId: await bootId(), processStart: await processStart(pid) }) });
      await expect(lockDataDir(dataDir)).rejects.toThrow(new RegExp(`in use by another server process \\(pid ${pid} on host `));
      await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DataDirError);
    });
    expect(await lockFiles(dataDir)).toEqual(['bouncer.lock.7']); // untouched, no draft left behind
  });

  it.runIf(process.platform === 'linux')('is taken over when the pid now belongs to another process (pid reuse)', async () => {
    const dataDir = await freshDirectory();
    await withLivingProcess(async (pid) => {
      await writeHolder(dataDir, { pid, bootId: await bootId(), processStart: String(Number(await processStart(pid)) - 1) });
      const lock = await lockDataDir(dataDir);
      expect(await lockFiles(dataDir)).toEqual(['bouncer.lock.8']);
      await lock.release();
    });
  });

  it('is taken over when the recorded pid is the new process own (a container restarted after a kill)', async () => {
    const dataDir = await freshDirectory();
    await writeHolder(dataDir, { pid: process.pid });
    const lock = await lockDataDir(dataDir);
    expect(JSON.parse(await readFile(path.join(dataDir, 'bouncer.lock.8'), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(await lockFiles(dataDir)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('is taken over after a reboot of this host, and refused for another machine it cannot check', async () => {
    const dataDir = await freshDirectory();
    await writeHolder(dataDir, { pid: 1, bootId: 'an-earlier-boot' });
    const lock = await lockDataDir(dataDir);
    await lock.release();

    await writeHolder(dataDir, { pid: 1, host: 'db-host-2', bootId: 'another-machine' });
    await expect(lockDataDir(dataDir)).rejects.toThrow(/\(pid 1 on host db-host-2, started 2026-11-30T00:00:00.000Z; lock file /);
  });
});
