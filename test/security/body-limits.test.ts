import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../support/file-server.js';
import { PASSWORD } from '../support/fixtures.js';

/**
 * Bodies over the limit, over real sockets (the transport is what failed: a chunked GraphQL body over
 * GRAPHQL_MAX_BODY_BYTES got the connection dropped instead of its 413). Fast and slow senders,
 * chunked and declared, on /graphql and on the REST API.
 */

const GRAPHQL_LIMIT = 100 * 1024;
const REST_LIMIT = 64 * 1024;

const running = useServer({
  LOG_LEVEL: 'debug',
  GRAPHQL_MAX_BODY_BYTES: String(GRAPHQL_LIMIT),
});
let sessionToken: string;

beforeAll(async () => {
  const graphql = async (query: string, variables: object, token?: string) => {
    const response = await fetch(`${running.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: any }).data;
  };
  const { signUp } = await graphql(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { memberships { organization { id } } } } }',
    { input: { email: 'limits@example.com', password: PASSWORD, organizationName: 'Limits' } },
  );
  const { createApiToken } = await graphql(
    'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { plainTextToken } }',
    { input: { organizationId: signUp.user.memberships[0].organization.id, name: 'Limits', abilities: ['session:create'] } },
    signUp.token,
  );
  sessionToken = createApiToken.plainTextToken;
}, 120_000);

/** Node's client with `agent: false` sends `Connection: close`: the server closes right after answering. */
type Upload = { path: string; bytes: number; chunk: number; pauseMs: number; declared?: boolean; token?: string };

/** Sends `bytes` of JSON-ish body in `chunk`-sized writes, pausing between them; resolves with the answer. */
function upload({ path, bytes, chunk, pauseMs, declared, token }: Upload): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${running.server.url}${path}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        ...(declared && { 'content-length': String(bytes) }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
    });
    let answered = false;
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (part: string) => (text += part));
      response.on('end', () => {
        answered = true;
        resolve({ status: response.statusCode!, body: JSON.parse(text) });
      });
    });
    // Once the answer is in, what happens to the rest of the upload does not matter to the client.
    outgoing.on('error', (error) => answered || reject(error));
    const piece = Buffer.from('{"query":"' + 'x'.repeat(chunk), 'utf8').subarray(0, chunk);
    let sent = 0;
    const writeMore = () => {
      while (sent < bytes && !answered && !outgoing.destroyed) {
        const size = Math.min(chunk, bytes - sent);
        sent += size;
        const more = outgoing.write(piece.subarray(0, size));
        if (pauseMs > 0) return void setTimeout(writeMore, pauseMs);
        if (!more) return void outgoing.once('drain', writeMore);
      }
      outgoing.end();
    };
    writeMore();
  });
}

describe('bodies over the limit, over a socket', () => {
  const senders = {
    'a fast chunked sender (1 MiB)': { bytes: 1024 * 1024, chunk: 16 * 1024, pauseMs: 0 },
    'a slow chunked sender (300 KiB in 4 KiB pieces)': { bytes: 300 * 1024, chunk: 4 * 1024, pauseMs: 2 },
    'a declared Content-Length (1 MiB)': { bytes: 1024 * 1024, chunk: 64 * 1024, pauseMs: 0, declared: true },
  };

  for (const [name, sender] of Object.entries(senders)) {
    it(`answers GraphQL's 413 to ${name}`, async () => {
      const response = await upload({ path: '/graphql', ...sender });
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        errors: [
          { message: `The request body must not be larger than ${GRAPHQL_LIMIT} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } },
        ],
      });
    });

    it(`answers the REST API's 413 to ${name}`, async () => {
      const response = await upload({ path: '/api/v2/session', token: sessionToken, ...sender });
      expect(response.status).toBe(413);
      expect(response.body).toEqual({ message: `The request body must not be larger than ${REST_LIMIT / 1024} KB.` });
    });
  }

  it('keeps serving afterwards, and logs none of it at error level', async () => {
    for (let round = 0; round < 3; round++) {
      const [graphql, rest] = await Promise.all([
        upload({ path: '/graphql', bytes: 512 * 1024, chunk: 8 * 1024, pauseMs: 0 }),
        upload({ path: '/api/v2/session', token: sessionToken, bytes: 512 * 1024, chunk: 8 * 1024, pauseMs: 0 }),
      ]);
      expect([graphql.status, rest.status]).toEqual([413, 413]);
    }
    expect((await fetch(`${running.server.url}/health`)).status).toBe(200);
    const levels = running.server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });
});
