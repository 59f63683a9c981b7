import type { IncomingMessage } from 'node:http';
import { tokenCan, type Ability } from '../auth/access-tokens.js';
import { authenticate, type ApiTokenPrincipal } from '../auth/bearer.js';
import { clientIp } from '../security/client-address.js';
import { readBodyText } from './body.js';
import * as respond from './responses.js';

/** Reading REST requests: who asks (401/403) and what they sent (400/413), in Laravel's order and shapes. */

/** Either what a step yields, or the answer that ends the request. */
export type Step<T> = { ok: true; value: T } | { ok: false; reply: respond.Reply };

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

export async function readJsonObject(request: IncomingMessage): Promise<Step<Record<string, unknown>>> {
  const refuse = (status: number, message: string) => ({ ok: false as const, reply: respond.json({ message }, status) });
  const text = await readBodyText(request, request.headers['content-length'], MAX_BODY_BYTES);
  if (text === null) return refuse(413, `The request body must not be larger than ${MAX_BODY_BYTES / 1024} KB.`);
  if (text.trim() === '') return { ok: true, value: {} };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, 'The request body must be valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse(400, 'The request body must be a JSON object.');
  }
  return { ok: true, value: body as Record<string, unknown> };
}

/** The query parameters of a request's URL. */
export function queryOf(request: IncomingMessage): URLSearchParams {
  const url = request.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
