import type { IncomingMessage } from 'node:http';
import { tokenCan, type Ability } from '../auth/access-tokens.js';
import { authenticate, type ApiTokenPrincipal } from '../auth/bearer.js';
import { clientIp } from '../security/client-address.js';
import type { Step } from './json-body.js';
import * as respond from './responses.js';

/** Reading REST requests: who asks (401/403) and what they sent (400/413), in Laravel's order and shapes. */

export type { Step };

export const MAX_BODY_BYTES = 64 * 1024;

export const authorization = (request: IncomingMessage) => request.headers.authorization ?? null;

/** The API token principal allowed to `ability` from this client's address, or the 401/403 to send. */
export async function authorize(
  request: IncomingMessage,
  ability: Ability,
  trustProxy: number,
): Promise<Step<ApiTokenPrincipal>> {
  const auth = await authenticate(authorization(request), clientIp(request, trustProxy));
  if (auth.status === 'address-refused') return { ok: false, reply: respond.addressRefused() };
  if (auth.status !== 'authenticated') return { ok: false, reply: respond.unauthenticated() };
  const { principal } = auth;
  if (principal.type !== 'apiToken' || !tokenCan(principal.abilities, ability)) {
    return { ok: false, reply: respond.unauthorized() };
  }
  return { ok: true, value: principal };
}

/** The query parameters of a request's URL. */
export function queryOf(request: IncomingMessage): URLSearchParams {
  const url = request.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
