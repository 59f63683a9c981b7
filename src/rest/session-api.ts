import type { Plugin } from 'graphql-yoga';
import { tokenCan, type Ability } from '../auth/access-tokens.js';
import { authenticate, readBearer, type ApiTokenPrincipal } from '../auth/bearer.js';
import type { Config } from '../config.js';
import {
  createSession,
  createSessionWithToken,
  findSession,
  verifyUrl,
  type CreatedSession,
  type SessionView,
} from '../sessions/sessions.js';
import { summarizeErrors, validateSessionInput, type SessionInput } from '../sessions/validation.js';
import { logger } from '../logger.js';
import { isDatabaseUnavailable, unavailableResponse } from '../security/unavailable.js';
import { readBodyText } from './body.js';
import * as respond from './responses.js';

/**
 * The public Bouncer API v2 for integrators, inside the Yoga server (one pipeline, one bearer
 * resolver):
 *   POST /api/v2/session       needs an API token with `session:create`
 *   GET  /api/v2/session/{id}  needs an API token with `session:read`
 * As in Laravel, authentication comes first (401), then the ability (403), then validation (422).
 */

const MAX_BODY_BYTES = 64 * 1024;
const SESSION_PATH = '/api/v2/session';
const SESSION_ITEM_PATH = /^\/api\/v2\/session\/([^/]+)$/;

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Either what a step yields, or the answer that ends the request. */
type Step<T> = { ok: true; value: T } | { ok: false; response: Response };

/** The API token principal allowed to `ability`, or the 401/403 to send. */
async function authorize(request: Request, ability: Ability): Promise<Step<ApiTokenPrincipal>> {
  const auth = await authenticate(request.headers.get('authorization'));
  if (auth.status !== 'authenticated') return { ok: false, response: respond.unauthenticated() };
  const { principal } = auth;
  if (principal.type !== 'apiToken' || !tokenCan(principal.abilities, ability)) {
    return { ok: false, response: respond.unauthorized() };
  }
  return { ok: true, value: principal };
}

async function readJsonObject(request: Request): Promise<Step<Record<string, unknown>>> {
  const refuse = (status: number, message: string) => ({ ok: false as const, response: respond.json({ message }, status) });
  const text = await readBodyText(request, MAX_BODY_BYTES);
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

/** The session a request asks for, or its 400/413/422 answer. */
async function readSessionInput(request: Request): Promise<Step<SessionInput>> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const validation = validateSessionInput(body.value);
  if (validation.ok) return { ok: true, value: validation.input };
  const { errors } = validation;
  return { ok: false, response: respond.json({ message: summarizeErrors(errors), errors }, 422) };
}

/**
 * The integrators' hot path. The token's shape is checked before anything else (no database work for
 * malformed tokens); a valid body with an `<id>|<secret>` token then takes one round trip, the token
 * verified and the session inserted by one statement. Anything else is answered step by step.
 */
async function postSession(request: Request, config: Config): Promise<Response> {
  const credentials = readBearer(request.headers.get('authorization'));
  if (credentials === null || credentials === 'invalid') return respond.unauthenticated();
  const input = await readSessionInput(request);

  let session: CreatedSession;
  if (input.ok && credentials.id !== null) {
    const result = await createSessionWithToken({ ...credentials, id: credentials.id }, input.value);
    if (result.outcome === 'unauthenticated') return respond.unauthenticated();
    if (result.outcome === 'forbidden') return respond.unauthorized();
    session = result.session;
  } else {
    const principal = await authorize(request, 'session:create');
    if (!principal.ok) return principal.response;
    if (!input.ok) return input.response;
    session = await createSession(principal.value, input.value);
  }
  return respond.json(
    {
      data: {
        id: session.id,
        verify_url: verifyUrl(config.publicUrl, session.id),
        issued_at: session.issuedAt,
        expires_at: session.expiresAt,
      },
    },
    201,
  );
}

function presentSession(session: SessionView) {
  return {
    id: session.id,
    status: session.status,
    success: session.success,
    age_target: session.ageTarget,
    redirect_url: session.redirectUrl,
    metadata: session.metadata ?? null,
    issued_at: unixSeconds(session.issuedAt),
    expires_at: unixSeconds(session.expiresAt),
  };
}

async function getSession(request: Request, id: string): Promise<Response> {
  const principal = await authorize(request, 'session:read');
  if (!principal.ok) return principal.response;
  const session = await findSession(principal.value.organizationId, id);
  return session ? respond.json({ data: presentSession(session) }) : respond.sessionNotFound();
}

async function route(request: Request, path: string, config: Config): Promise<Response> {
  if (path === SESSION_PATH) {
    return request.method === 'POST'
      ? postSession(request, config)
      : respond.methodNotAllowed(request.method, path, ['POST']);
  }
  const item = SESSION_ITEM_PATH.exec(path);
  if (item) {
    return request.method === 'GET' || request.method === 'HEAD'
      ? getSession(request, item[1]!)
      : respond.methodNotAllowed(request.method, path, ['GET', 'HEAD']);
  }
  return respond.routeNotFound();
}

export function useSessionApi(config: Config): Plugin {
  /** Every outcome is an answer in the API's shape; a database outage is a 503, anything else a logged 500. */
  async function answer(request: Request, url: URL): Promise<Response> {
    try {
      return await route(request, url.pathname, config);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        logger.warn({ err: error, path: url.pathname }, 'database unavailable');
        return unavailableResponse();
      }
      logger.error({ err: error, path: url.pathname }, 'unexpected error in the REST API');
      return respond.json({ message: 'Server Error' }, 500);
    }
  }

  return {
    // Synchronous for other paths: an async hook would cost every request a promise.
    onRequest({ request, url, endResponse }) {
      if (url.pathname.startsWith('/api/')) return answer(request, url).then(endResponse);
    },
  };
}
