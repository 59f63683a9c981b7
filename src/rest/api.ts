import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { BEARER_MESSAGE, tooManyRequests } from '../security/abuse.js';
import { clientIp } from '../security/client-address.js';
import type { SecurityHeaders } from '../security/headers.js';
import type { RateLimits } from '../security/rate-limits.js';
import { isDatabaseUnavailable, unavailableReply } from '../security/unavailable.js';
import { cancelSession, getSession, listSessionsRoute, postSession } from '../sessions/routes.js';
import { LEAK_REPORT_PATH, reportLeakedTokens } from '../tokens/leaks-rest.js';
import { OPENAPI_PATHS, openApiDocument } from './openapi.js';
import * as respond from './responses.js';

/**
 * The public Bouncer API v2 for integrators, on Node's own request and response (the hot path pays
 * for no framework). This is its router and its failure handling; the routes live with their
 * feature (sessions/routes.ts):
 *   POST /api/v2/session              GET /api/v2/session/{id}
 *   POST /api/v2/session/{id}/cancel  GET /api/v2/sessions
 *   POST /api/v2/tokens/revoke        leaked-token reports, without a token (tokens/leaks-rest.ts)
 *   GET  /api/v2/openapi.json         this contract, without a token
 */

const SESSION_PATH = '/api/v2/session';
const SESSIONS_PATH = '/api/v2/sessions';
const SESSION_ITEM_PATH = /^\/api\/v2\/session\/([^/]+)$/;
const SESSION_CANCEL_PATH = /^\/api\/v2\/session\/([^/]+)\/cancel$/;

export const isRestPath = (path: string) => path.startsWith('/api/') || OPENAPI_PATHS.includes(path);

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

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
      return isRead(method) ? getSession(request, item[1]!, config) : respond.methodNotAllowed(method, path, ['GET', 'HEAD']);
    }
    const cancel = SESSION_CANCEL_PATH.exec(path);
    if (cancel) {
      return method === 'POST' ? cancelSession(request, cancel[1]!, config) : respond.methodNotAllowed(method, path, ['POST']);
    }
    if (path === SESSIONS_PATH) {
      return isRead(method) ? listSessionsRoute(request, config) : respond.methodNotAllowed(method, path, ['GET', 'HEAD']);
    }
    if (path === LEAK_REPORT_PATH) {
      if (method !== 'POST') return respond.methodNotAllowed(method, path, ['POST']);
      const origin = { ip: clientIp(request, config.trustProxy), userAgent: request.headers['user-agent'] ?? null };
      return reportLeakedTokens(request, limits, clientAddress(request), origin);
    }
    return respond.routeNotFound();
  }

  /**
   * A refused token (401, or 403 for an address outside its allowlist) counts against its client
   * address; past the limit the answer is a 429.
   */
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
      reply = Promise.resolve(reply).then((done) =>
        done.status === 401 || respond.isAddressRefused(done) ? countRefusal(request, done) : done,
      );
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
