import http from 'node:http';
import https from 'node:https';
import { checkDestination, guardedLookup, RefusedDestinationError } from './destination.js';
import type { AttemptOutcome } from './outbox.js';

/**
 * One webhook attempt over HTTP: a POST of the JSON body, answered by a status or not at all within
 * `timeoutMs`. Only public destinations are reached unless private networks are allowed (see
 * destination.ts); redirects are not followed (a 3xx is a failed attempt), so a receiver cannot
 * point the server elsewhere. At most MAX_RESPONSE_BYTES of the answer are read, then the
 * connection is dropped.
 */

const MAX_RESPONSE_BYTES = 4096;

export type Poster = {
  post: (url: string, body: string, headers: Record<string, string>) => Promise<AttemptOutcome>;
  /** Closes idle kept-alive connections. */
  close: () => void;
};

export function createPoster(options: { allowPrivateNetworks: boolean; timeoutMs: number; maxSockets: number }): Poster {
  const { allowPrivateNetworks, timeoutMs } = options;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  const post = async (url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> => {
    const refused = await checkDestination(url, allowPrivateNetworks);
    if (refused) return { kind: 'refused', reason: refused.message };
    const target = new URL(url);
    const request = target.protocol === 'https:' ? https.request : http.request;
    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      const outgoing = request(target, {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        lookup: guardedLookup(allowPrivateNetworks),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Bouncer-Webhooks/1',
        },
      });
      // One deadline for the whole attempt: connecting, sending, the answer and reading its start.
      const timer = setTimeout(() => {
        settle({ kind: 'error', reason: `no answer within ${timeoutMs} ms` });
        outgoing.destroy();
      }, timeoutMs);
      outgoing.on('response', (response) => {
        settle({ kind: 'response', status: response.statusCode ?? 0 });
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('close', () => clearTimeout(timer));
        response.on('error', () => {});
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        settle(
          error instanceof RefusedDestinationError || error.code === 'EREFUSED_DESTINATION'
            ? { kind: 'refused', reason: error.message }
            : { kind: 'error', reason: `request failed: ${error.code ?? 'connection error'}` },
        );
      });
      outgoing.end(body);
    });
  };

  return {
    post,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
