import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenCan, type Ability } from '../auth/access-tokens.js';
import { authenticate, readBearer, type ApiTokenPrincipal } from '../auth/bearer.js';
import type { ParsedToken } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { BEARER_MESSAGE, tooManyRequests } from '../security/abuse.js';
import type { SecurityHeaders } from '../security/headers.js';
import type { RateLimits } from '../security/rate-limits.js';
import { isDatabaseUnavailable, unavailableReply } from '../security/unavailable.js';
import {
  createSession,
  createSessionWithToken,
  findSession,
  verifyUrl,
  type CreatedSession,
  type SessionView,
} from '../sessions/sessions.js';
import { summarizeErrors, validateSessionInput, type SessionInput } from '../sessions/validation.js';
import { readBodyText } from './body.js';
import { OPENAPI_PATHS, openApiDocument } from './openapi.js';
import * as respond from './responses.js';

/**
 * The public Bouncer API v2 for integrators, on Node's own request and response (the hot path pays
 * for no framework):
 *   POST /api/v2/session       needs an API token with `session:create`
 *   GET  /api/v2/session/{id}  needs an API token with `session:read`
 *   GET  /api/v2/openapi.json  this contract, without a token
 * As in Laravel, authentication comes first (401), then the ability (403), then validation (422).
 */

const MAX_BODY_BYTES = 64 * 1024;
const SESSION_PATH = '/api/v2/session';
const SESSION_ITEM_PATH = /^\/api\/v2\/session\/([^/]+)$/;

export const isRestPath = (path: string) => path.startsWith('/api/') || OPENAPI_PATHS.includes(path);

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Either what a step yields, or the answer that ends the request. */
type Step<T> = { ok: true; value: T } | { ok: false; reply: respond.Reply };

const authorization = (request: IncomingMessage) => request.headers.authorization ?? null;

/** The API token principal allowed to `ability`, or the 401/403 to send. */
async function authorize(request: IncomingMessage, ability: Ability): Promise<Step<ApiTokenPrincipal>> {
  const auth = await authenticate(authorization(request));
  if (auth.status !== 'authenticated') return { ok: false, reply: respond.unauthenticated() };
  const { principal } = auth;
  if (principal.type !== 'apiToken' || !tokenCan(principal.abilities, ability)) {
    return { ok: false, reply: respond.unauthorized() };
  }
  return { ok: true, value: principal };
}

async function readJsonObject(request: IncomingMessage): Promise<Step<Record<string, unknown>>> {
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

/** The session a request asks for, or its 400/413/422 answer. */
async function readSessionInput(request: IncomingMessage): Promise<Step<SessionInput>> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const validation = validateSessionInput(body.value);
  if (validation.ok) return { ok: true, value: validation.input };
  const { errors } = validation;
  return { ok: false, reply: respond.json({ message: summarizeErrors(errors), errors }, 422) };
}

/**
 * The integrators' hot path. The token's shape is checked before anything else, synchronously (no
 * database work, not even a promise, for malformed tokens); a valid body with an `<id>|<secret>` token then takes one round trip, the token
 * verified and the session inserted by one statement. Anything else is answered step by step.
 */
function postSession(request: IncomingMessage, config: Config): respond.Reply | Promise<respond.Reply> {
  const credentials = readBearer(authorization(request));
  if (credentials === null || credentials === 'invalid') return respond.unauthenticated();
  return createFor(request, credentials, config);
}

async function createFor(request: IncomingMessage, credentials: ParsedToken, config: Config): Promise<respond.Reply> {
  const input = await readSessionInput(request);

  let session: CreatedSession;
  if (input.ok && credentials.id !== null) {
    const result = await createSessionWithToken({ ...credentials, id: credentials.id }, input.value);
    if (result.outcome === 'unauthenticated') return respond.unauthenticated();
    if (result.outcome === 'forbidden') return respond.unauthorized();
    session = result.session;
  } else {
    const principal = await authorize(request, 'session:create');
    if (!principal.ok) return principal.reply;
    if (!input.ok) return input.reply;
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

async function getSession(request: IncomingMessage, id: string): Promise<respond.Reply> {
  const principal = await authorize(request, 'session:read');
  if (!principal.ok) return principal.reply;
  const session = await findSession(principal.value.organizationId, id);
  return session ? respond.json({ data: presentSession(session) }) : respond.sessionNotFound();
}

export type RestApi = (request: IncomingMessage, response: ServerResponse, path: string) => void;

/**
 * Every outcome is an answer in the API's shape: a refused token counts against its client address
 * (and becomes a 429 once that address failed too often), a database outage is a 503, anything else
 * a logged 500.
 */
export function createRestApi(
  config: Config,
  limits: RateLimits,
  clientAddress: (request: IncomingMessage) => string | null,
  security: SecurityHeaders,
): RestApi {
  const openApi = openApiDocument();

  function route(request: IncomingMessage, path: string): respond.Reply | Promise<respond.Reply> {
    const method = request.method ?? '';
    if (path === SESSION_PATH) {
      return method === 'POST' ? postSession(request, config) : respond.methodNotAllowed(method, path, ['POST']);
    }
    const item = SESSION_ITEM_PATH.exec(path);
    if (item) {
      return method === 'GET' || method === 'HEAD'
        ? getSession(request, item[1]!)
        : respond.methodNotAllowed(method, path, ['GET', 'HEAD']);
    }
    return respond.routeNotFound();
  }

  /** A refused token counts against its client address; past the limit the answer is a 429. */
  async function countRefusal(request: IncomingMessage, reply: respond.Reply): Promise<respond.Reply> {
    const wait = await limits.bearerFailed(clientAddress(request));
    return wait > 0 ? tooManyRequests(true, BEARER_MESSAGE, wait) : reply;
  }

  function failed(request: IncomingMessage, path: string, error: unknown): respond.Reply {
    if (request.readableAborted) return respond.serverError(); // the client left mid-body: no one to answer
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, path }, 'database unavailable');
      return unavailableReply();
    }
    logger.error({ err: error, path }, 'unexpected error in the REST API');
    return respond.serverError();
  }

  /** Answers that need no I/O (malformed tokens, unknown routes) are ready at once, without a promise. */
  function answer(request: IncomingMessage, path: string): respond.Reply | Promise<respond.Reply> {
    let reply: respond.Reply | Promise<respond.Reply>;
    try {
      reply = route(request, path);
    } catch (error) {
      return failed(request, path, error);
    }
    if (limits.countsBearerFailures && request.headers.authorization !== undefined) {
      reply = Promise.resolve(reply).then((done) => (done.status === 401 ? countRefusal(request, done) : done));
    }
    return reply instanceof Promise ? reply.catch((error: unknown) => failed(request, path, error)) : reply;
  }

  return (request, response, path) => {
    if (OPENAPI_PATHS.includes(path)) return openApi(request, response, path, security);
    const reply = answer(request, path);
    if (reply instanceof Promise) void reply.then((done) => respond.send(response, done, security));
    else respond.send(response, reply, security);
  };
}
