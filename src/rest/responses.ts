import type { ServerResponse } from 'node:http';

/**
 * The REST API's answers, in the shapes of Laravel, which Bouncer integrators already parse. Handlers
 * return a Reply; `send` writes it in one writeHead (the security headers the edge set are kept).
 */

export type Reply = Readonly<{ status: number; body: string | null; headers?: Readonly<Record<string, string>> }>;

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { ...JSON_HEADERS, ...headers } };
}

/**
 * With its length declared, the answer leaves in one write (otherwise Node would send it chunked).
 * Node leaves the body out of answers to HEAD by itself.
 */
export function send(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return; // the client went away
  if (reply.body !== null) response.setHeader('content-length', Buffer.byteLength(reply.body));
  response.writeHead(reply.status, reply.headers).end(reply.body ?? undefined);
}

const message = (text: string, status: number) => {
  const reply = json({ message: text }, status);
  return () => reply;
};

export const unauthenticated = message('Unauthenticated.', 401);
export const unauthorized = message('This action is unauthorized.', 403);
export const sessionNotFound = message('Session not found.', 404);
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
