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
import { summarizeErrors, validateSessionInput } from '../sessions/validation.js';
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

/** Yields the API token principal allowed to `ability`, or the refusal to send. */
async function authorize(request: Request, ability: Ability): Promise<ApiTokenPrincipal | Response> {
  const auth = await authenticate(request.headers.get('authorization'));
  if (auth.status !== 'authenticated') return respond.unauthenticated();
  const { principal } = auth;
  if (principal.type !== 'apiToken' || !tokenCan(principal.abilities, ability)) return respond.unauthorized();
  return principal;
}

async function readJsonObject(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) {
    return respond.json({ message: `The request body must not be larger than ${MAX_BODY_BYTES / 1024} KB.` }, 413);
  }
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return respond.json({ message: 'The request body must be valid JSON.' }, 400);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return respond.json({ message: 'The request body must be a JSON object.' }, 400);
  }
  return body as Record<string, unknown>;
}

/**
 * The integrators' hot path. The token's shape is checked before anything else (no database work for
 * malformed tokens); a valid body with an `<id>|<secret>` token then takes one round trip, the token
 * verified and the session inserted by one statement. Anything else is answered step by step.
 */
async function postSession(request: Request, config: Config): Promise<Response> {
  const credentials = readBearer(request.headers.get('authorization'));
  if (credentials === null || credentials === 'invalid') return respond.unauthenticated();
  const body = await readJsonObject(request);
  const validation = body instanceof Response ? undefined : validateSessionInput(body);

  let session: CreatedSession;
  if (validation?.ok && credentials.id !== null) {
    const result = await createSessionWithToken({ ...credentials, id: credentials.id }, validation.input);
    if (result.outcome === 'unauthenticated') return respond.unauthenticated();
    if (result.outcome === 'forbidden') return respond.unauthorized();
    session = result.session;
  } else {
    const principal = await authorize(request, 'session:create');
    if (principal instanceof Response) return principal;
    if (!validation) return body as Response; // the body is not a JSON object: its 4xx answer
    if (!validation.ok) {
      return respond.json({ message: summarizeErrors(validation.errors), errors: validation.errors }, 422);
    }
    session = await createSession(principal, validation.input);
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
  if (principal instanceof Response) return principal;
  const session = await findSession(principal.organizationId, id);
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
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith('/api/')) return;
      try {
        endResponse(await route(request, url.pathname, config));
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          logger.warn({ err: error, path: url.pathname }, 'database unavailable');
          return endResponse(unavailableResponse());
        }
        logger.error({ err: error, path: url.pathname }, 'unexpected error in the REST API');
        endResponse(respond.json({ message: 'Server Error' }, 500));
      }
    },
  };
}
