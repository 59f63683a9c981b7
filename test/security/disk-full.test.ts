import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/database.js';
import { PASSWORD } from '../support/fixtures.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/**
 * The embedded database's disk filling up under a running server, on a small tmpfs of the test's own:
 * writes are answered 503 (not 500) and /ready reports not ready; once space is freed the server
 * writes again, by itself. Needs root to mount; PostgreSQL's own disk is not the test's to fill.
 */

const run = promisify(execFile);
const UNAVAILABLE = { message: 'The service is temporarily unavailable. Try again shortly.' };

/** A 64 MB tmpfs (PGlite's data directory takes about 40 MB), or why there is none. */
async function mountSmallDisk(): Promise<{ dir: string } | { reason: string }> {
  if (onPostgres) return { reason: 'the embedded database only' };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bouncer-disk-full-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { timeout: 10_000 });
    return { dir };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})` };
  }
}

const disk = await mountSmallDisk();
if ('reason' in disk) console.warn(`disk-full.test.ts skipped: ${disk.reason}`);
const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  if ('dir' in disk) {
    await run('umount', [disk.dir], { timeout: 10_000 });
    await rm(disk.dir, { recursive: true, force: true });
  }
});

/** Fills the file system with filler files until it refuses more; returns a function that frees it. */
async function fill(dir: string): Promise<() => Promise<void>> {
  const filler = path.join(dir, 'filler');
  await rm(filler, { recursive: true, force: true });
  await run('mkdir', [filler]);
  for (let i = 0; ; i++) {
    const { bavail, bsize } = await statfs(dir);
    const size = Math.min(bavail * bsize, 4 << 20);
    if (size === 0) break;
    await writeFile(path.join(filler, String(i)), Buffer.alloc(size)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOSPC') throw error;
    });
  }
  return () => rm(filler, { recursive: true, force: true });
}

type Answer = { status: number; body: any; retryAfter: string | null };

async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json');
  return { status: response.status, body: json ? JSON.parse(text) : text, retryAfter: response.headers.get('retry-after') };
}

async function eventually(attempt: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await attempt()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe.skipIf('reason' in disk)('a full disk under the embedded database', () => {
  it('answers 503 and reports not ready while writes fail, and recovers once space is freed', async () => {
    const dataDir = path.join((disk as { dir: string }).dir, 'pglite');
    const server = await startServer({ DATA_DIR: dataDir });
    servers.push(server);

    const graphql = (query: string, variables: object, token?: string) =>
      request(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ query, variables }),
      });
    const signUp = await graphql(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }',
      { input: { email: 'disk@example.com', password: PASSWORD, organizationName: 'Disk' } },
    );
    const { token: userToken, user } = signUp.body.data.signUp;
    const organizationId = user.memberships[0].organization.id;
    const createToken = () =>
      graphql(
        'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
        { input: { organizationId, name: 'API' } },
        userToken,
      );
    const apiToken = (await createToken()).body.data.createApiToken.plainTextToken;
    const postSession = () =>
      request(`${server.url}/api/v2/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
        body: JSON.stringify({ age_target: 18, redirect_url: 'https://shop.example/done' }),
      });
    const before = await postSession();
    expect(before.status).toBe(201);

    const free = await fill((disk as { dir: string }).dir);
    const outputBefore = server.output().length;
    // Rows still fit in pages already allocated for a while; the first one that needs a new page fails.
    const answers: Answer[] = [];
    for (let i = 0; i < 400 && answers.at(-1)?.status !== 503; i++) answers.push(await postSession());
    expect(answers.filter((answer) => answer.status !== 201 && answer.status !== 503)).toEqual([]);
    expect(answers.at(-1)).toEqual({ status: 503, body: UNAVAILABLE, retryAfter: '5' });
    expect((await request(`${server.url}/ready`)).status).toBe(503);
    // Reading still works; writing through GraphQL is refused the same way.
    expect((await request(`${server.url}/api/v2/session/${before.body.data.id}`, { headers: { authorization: `Bearer ${apiToken}` } })).status).toBe(200);
    const graphqlAnswers: Answer[] = [];
    for (let i = 0; i < 100 && graphqlAnswers.at(-1)?.status !== 503; i++) graphqlAnswers.push(await createToken());
    expect(graphqlAnswers.filter((answer) => answer.status !== 200 && answer.status !== 503)).toEqual([]);
    expect(graphqlAnswers.at(-1)!.status).toBe(503);
    expect(graphqlAnswers.at(-1)!.body.errors.map((error: any) => error.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    // Logged as warnings, not as unexpected errors with their stacks.
    expect(server.output().slice(outputBefore)).not.toContain('unexpected error');

    await free();
    expect(await eventually(async () => (await postSession()).status === 201, 10_000)).toBe(true);
    expect(await eventually(async () => (await request(`${server.url}/ready`)).status === 200, 10_000)).toBe(true);

    // Stopping while the disk is full: the process still exits, and the data survives it.
    const freeAgain = await fill((disk as { dir: string }).dir);
    for (let i = 0; i < 400 && (await postSession()).status !== 503; i++);
    const stoppingAt = Date.now();
    expect(await server.stop()).toBe(0);
    expect(Date.now() - stoppingAt).toBeLessThan(15_000);
    await freeAgain();
    const restarted = await startServer({ DATA_DIR: dataDir });
    servers.push(restarted);
    const kept = await request(`${restarted.url}/api/v2/session/${before.body.data.id}`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(kept.status).toBe(200);
    expect(await restarted.stop()).toBe(0);
  }, 240_000);
});
