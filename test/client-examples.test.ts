import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from './support/file-server.js';
import { PASSWORD } from './support/fixtures.js';
import { CreateApiToken, SignUp } from './support/operations.js';

/**
 * The client examples integrators copy from docs/examples/ (curl, JavaScript fetch, Python
 * requests), run unchanged against a real server process with only BOUNCER_URL and BOUNCER_TOKEN set.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC_URL = 'https://verify.bouncer.test';

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const hasCurlAndJq = runs('curl', ['--version']) && runs('jq', ['--version']);
const hasPythonRequests = runs('python3', ['-c', 'import requests']);

const examples = [
  { name: 'curl', command: 'sh', file: 'docs/examples/create-session.sh', missing: hasCurlAndJq ? null : 'curl or jq is not installed' },
  { name: 'JavaScript fetch', command: process.execPath, file: 'docs/examples/create-session.mjs', missing: null },
  {
    name: 'Python requests',
    command: 'python3',
    file: 'docs/examples/create_session.py',
    missing: hasPythonRequests ? null : 'python3 with the requests package is not installed',
  },
];

function runExample(command: string, file: string, env: Record<string, string>) {
  const { BOUNCER_URL: _url, BOUNCER_TOKEN: _token, ...inherited } = process.env;
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, [file], { cwd: ROOT, env: { ...inherited, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const running = useServer({ PUBLIC_URL });
let token: string;

async function graphql(document: Parameters<typeof print>[0], variables: object, bearer?: string) {
  const response = await fetch(`${running.server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  return body.data;
}

beforeAll(async () => {
  const { signUp } = await graphql(SignUp, {
    input: { email: 'integrator@shop.example', password: PASSWORD, organizationName: 'Shop' },
  });
  const { createApiToken } = await graphql(
    CreateApiToken,
    {
      input: {
        organizationId: signUp.user.memberships[0].organization.id,
        name: 'Examples',
        abilities: ['session:create', 'session:read'],
      },
    },
    signUp.token,
  );
  token = createApiToken.plainTextToken;
});

describe.each(examples)('the $name example ($file)', ({ command, file, missing }) => {
  it.skipIf(missing !== null)(`creates a session, prints its verify_url and reads back its status${missing ? ` — skipped: ${missing}` : ''}`, async () => {
    const { code, stdout, stderr } = await runExample(command, file, { BOUNCER_URL: running.server.url, BOUNCER_TOKEN: token });
    expect(code, `${stderr}\n${running.server.output()}`).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const verifyUrl = /^verify_url: (\S+)$/.exec(lines[0]!)?.[1];
    expect(verifyUrl, stdout).toMatch(new RegExp(`^${PUBLIC_URL}/verify/[0-9a-f-]{36}$`));
    expect(lines[1]).toBe('status: created');

    const id = verifyUrl!.slice(`${PUBLIC_URL}/verify/`.length);
    const response = await fetch(`${running.server.url}/api/v2/session/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data).toMatchObject({
      id,
      status: 'created',
      age_target: 18,
      redirect_url: 'https://shop.example/checkout/done',
      metadata: ['order:1234'],
    });
  });

  it.skipIf(missing !== null)(`fails with the API's message for a refused token, and asks for a missing one${missing ? ` — skipped: ${missing}` : ''}`, async () => {
    const refused = await runExample(command, file, { BOUNCER_URL: running.server.url, BOUNCER_TOKEN: '1|not-a-real-token' });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).not.toContain('verify_url');
    expect(refused.stderr).toContain('Unauthenticated.');

    const missingToken = await runExample(command, file, { BOUNCER_URL: running.server.url });
    expect(missingToken.code).not.toBe(0);
    expect(missingToken.stderr).toContain('Set BOUNCER_TOKEN');
  });
});
