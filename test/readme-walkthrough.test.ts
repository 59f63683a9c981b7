import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useServer } from './support/file-server.js';

/**
 * The README's shell walk-through, pasted top to bottom by a newcomer: every ```sh walkthrough block,
 * in order, run by bash against a real server with nothing set but BOUNCER_URL.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const walkthroughBlocks = [...README.matchAll(/^```sh walkthrough\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;

/** After each block, a line saying it finished (bash -e stops at the first failing command). */
const blockDone = (index: number) => `== walkthrough block ${index + 1} done`;

const running = useServer();

describe("the README's shell walk-through", () => {
  it('covers sign-up, API tokens, sessions and sign-out', () => {
    const all = walkthroughBlocks.join('\n');
    for (const step of ['signUp', 'createApiToken', 'apiTokens', 'revokeApiToken', 'signIn', 'signOut', '/api/v2/session']) {
      expect(all).toContain(step);
    }
  });

  it.skipIf(!hasCurl)(`runs top to bottom, each block exiting 0${hasCurl ? '' : ' — skipped: curl is not installed'}`, async () => {
    const script = walkthroughBlocks.map((block, index) => `${block}\necho '${blockDone(index)}'\n`).join('\n');
    const { BOUNCER_URL: _url, BOUNCER_TOKEN: _token, ...inherited } = process.env;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'bash',
        ['-euo', 'pipefail', '-c', script],
        { cwd: tmpdir(), env: { ...inherited, BOUNCER_URL: running.server.url }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });
    const context = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    expect(code, context).toBe(0);
    walkthroughBlocks.forEach((_, index) => expect(stdout, context).toContain(blockDone(index)));
    expect(stderr, context).toBe('');

    expect(stdout).toMatch(/"signUp":\{"token":"\d+\|[A-Za-z0-9]{48}"/);
    expect(stdout).toMatch(/"plainTextToken":"\d+\|[A-Za-z0-9]{48}","apiToken":\{"id":"\d+","name":"Production API","abilities":\["session:create","session:read"\]/);
    expect(stdout).toMatch(/"revokeApiToken":\{"id":"\d+","name":"Old key","revokedAt":"\d{4}-/);
    expect(stdout).toContain('{"data":{"signOut":true}}');
    const sessionId = /"verify_url":"[^"]+\/verify\/([0-9a-f-]{36})"/.exec(stdout)?.[1];
    expect(sessionId, context).toBeDefined();
    expect(stdout).toMatch(new RegExp(`"id":"${sessionId}","status":"created","success":null,"age_target":18`));
  });
});

describe("the README's production unit", () => {
  it("runs node with the environment and flags of package.json's start script", () => {
    const start = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    const startFlags = /\bnode ((?:--\S+ )*)dist\/server\.js/.exec(start)?.[1];
    const mallocSettings = start.match(/\bMALLOC_\w+=\d+/g) ?? [];
    expect(startFlags).toBeTruthy();
    expect(mallocSettings).toContain('MALLOC_ARENA_MAX=2');
    expect(README).toContain(`ExecStart=/usr/bin/node ${startFlags}dist/server.js`);
    for (const setting of mallocSettings) expect(README).toMatch(new RegExp(`^Environment=.*\\b${setting}\\b`, 'm'));
  });
});
