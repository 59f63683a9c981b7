import type { ServerResponse } from 'node:http';

/**
 * The REST API's answers, in the shapes of Laravel, which Bouncer integrators already parse. Handlers
 * return a Reply; `send` writes it.
 */

export type Reply = Readonly<{ status: number; body: string | null; headers?: Readonly<Record<string, string>> }>;

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { ...JSON_HEADERS, ...headers } };
}

/**
 * Writes a reply in one writeHead with the security headers (`base`); with its length declared, the
 * answer leaves in one write (otherwise Node would send it chunked). Node leaves the body out of
 * answers to HEAD by itself.
 */
export function send(response: ServerResponse, reply: Reply, base: Readonly<Record<string, string>>): void {
  if (response.destroyed) return; // the client went away
  const headers: Record<string, string> = { ...base, ...reply.headers };
  if (reply.body !== null) headers['content-length'] = String(Buffer.byteLength(reply.body));
  response.writeHead(reply.status, headers).end(reply.body ?? undefined);
}

const message = (text: string, status: number) => {
  const reply = json({ message: text }, status);
  return () => reply;
};

export const unauthenticated = message('Unauthenticated.', 401);
export const unauthorized = message('This action is unauthorized.', 403);
/** The same answer as `unauthorized`, kept apart so that the edge can count it as a refused token use. */
const ADDRESS_REFUSED_REPLY = json({ message: 'This action is unauthorized.' }, 403);
export const addressRefused = () => ADDRESS_REFUSED_REPLY;
export const isAddressRefused = (reply: Reply) => reply === ADDRESS_REFUSED_REPLY;
export const sessionNotFound = message('Session not found.', 404);
export const sessionCannotBeCancelled = message('Session can no longer be cancelled.', 409);
export const routeNotFound = message('Not found.', 404);
export const serverError = message('Server Error', 500);

export function methodNotAllowed(method: string, path: string, allowed: string[]): Reply {
  return json(
    {
      message: `The ${method} method is not supported for route ${path.replace(/^\//, '')}. Supported methods: ${allowed.join(', ')}.`,
    },
    405,
    { allow: allowed.join(', ') },
  );
}
