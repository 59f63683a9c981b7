import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What `npm start` runs (package.json): its environment assignments and node's arguments, so that
 * tests and the benchmark run the server as operators do.
 */
const START = (() => {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name, value] = words.shift()!.split('=') as [string, string];
    env[name] = value;
  }
  if (words[0] === 'exec') words.shift(); // the shell hands its place to node (signals reach node)
  const [command, ...args] = words;
  if (command !== 'node') throw new Error('package.json: `start` is expected to run node');
  return { env, args };
})();

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr. */
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/**
 * Runs the server as `npm start` does (or, given `script`, another server script printing the same
 * "listening" line), on a free port, and waits until it listens.
 */
export async function startServer(
  env: Record<string, string | undefined>,
  script?: string,
): Promise<ServerProcess> {
  const spawned = spawnNode(script ? ['--import', 'tsx', script] : START.args, {
    ...(script ? {} : START.env),
    HOST: '127.0.0.1',
    PORT: '0',
    ...env,
  });
  return untilListening(spawned);
}

/**
 * `npm start` itself (npm from PATH, in the project folder: prestart's build, then the server), on
 * a free port; resolves once the server listens. `child` is the npm process.
 */
export async function startWithNpm(env: Record<string, string>): Promise<ServerProcess> {
  const spawned = spawnProcess('npm', ['start'], { HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', ...env });
  return untilListening(spawned);
}

async function untilListening({ child, output, exited }: Spawned): Promise<ServerProcess> {
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output()}`)), 120_000);
    child.stdout!.on('data', () => {
      const port = listeningPort(output());
      if (port) {
        clearTimeout(timer);
        resolve(port);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function listeningPort(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('"listening"')) continue;
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    if (entry.msg === 'listening') return entry.port;
  }
  return undefined;
}

/**
 * Runs the server expecting it to refuse to start; resolves with its exit code (null: killed after
 * `timeoutMs` without exiting), its output and how long it took. `as` runs it under another user
 * (the tests run as root, whom permission bits do not stop).
 */
export async function runServerExpectingFailure(
  env: Record<string, string>,
  { as, timeoutMs = 60_000 }: { as?: { uid: number; gid: number }; timeoutMs?: number } = {},
) {
  const startedAt = Date.now();
  const { child, output, exited } = spawnNode(START.args, { ...START.env, ...env }, as);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output(), ms: Date.now() - startedAt };
}

type Spawned = ReturnType<typeof spawnProcess>;

/** Node with `args` in the project folder, with only PATH from this environment; collects what it prints. */
function spawnNode(args: string[], env: Record<string, string | undefined>, as?: { uid: number; gid: number }) {
  return spawnProcess(process.execPath, args, env, as);
}

function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  as?: { uid: number; gid: number },
) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

/** Sends a GraphQL operation to a running server; resolves with its data, throws on any error. */
export async function graphqlOn(server: ServerProcess, query: string, variables: object, bearer?: string): Promise<any> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
