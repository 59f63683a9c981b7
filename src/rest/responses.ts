import { Response } from '@whatwg-node/fetch';

/**
 * JSON answers in the shapes of Laravel, which Bouncer integrators already parse. The Response class
 * is the one Yoga itself uses on Node (far cheaper to build than Node's global one).
 */

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...headers } });
}

export const unauthenticated = () => json({ message: 'Unauthenticated.' }, 401);
export const unauthorized = () => json({ message: 'This action is unauthorized.' }, 403);
export const sessionNotFound = () => json({ message: 'Session not found.' }, 404);
export const routeNotFound = () => json({ message: 'Not found.' }, 404);

export function methodNotAllowed(method: string, path: string, allowed: string[]): Response {
  return json(
    {
      message: `The ${method} method is not supported for route ${path.replace(/^\//, '')}. Supported methods: ${allowed.join(', ')}.`,
    },
    405,
    { allow: allowed.join(', ') },
  );
}
