import type { IncomingMessage } from 'node:http';
import { readBearer } from '../auth/bearer.js';
import type { ParsedToken } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { clientIp } from '../security/client-address.js';
import { readJsonObject } from '../rest/json-body.js';
import { authorization, authorize, MAX_BODY_BYTES, queryOf, type Step } from '../rest/request.js';
import * as respond from '../rest/responses.js';
import { validationFailed, type ValidationErrors } from '../rest/validation.js';
import { runTransition } from './lifecycle.js';
import {
  createSession,
  createSessionIdempotently,
  createSessionWithToken,
  DEFAULT_LIST_LIMIT,
  findSession,
  listSessions,
  MAX_LIST_LIMIT,
  UUID,
  verifyUrl,
  type CreatedSession,
  type SessionRecord,
} from './sessions.js';
import {
  IDEMPOTENCY_KEY_REUSED,
  validateIdempotencyKey,
  validateListQuery,
  validateSessionInput,
  type SessionInput,
} from './validation.js';

/**
 * The sessions' REST routes (the router is rest/api.ts):
 *   POST /api/v2/session              session:create   (Idempotency-Key optional)
 *   GET  /api/v2/session/{id}         session:read
 *   POST /api/v2/session/{id}/cancel  session:create
 *   GET  /api/v2/sessions             session:read     (the token's mode only)
 * As in Laravel, authentication comes first (401), then the ability (403), then validation (422).
 */

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The session a request asks for, or its 400/413/422 answer; `extraErrors` join the body's (the header's). */
async function readSessionInput(request: IncomingMessage, extraErrors: ValidationErrors = {}): Promise<Step<SessionInput>> {
  const body = await readJsonObject(request, MAX_BODY_BYTES);
  if (!body.ok) return body;
  const validation = validateSessionInput(body.value);
  if (validation.ok && Object.keys(extraErrors).length === 0) return { ok: true, value: validation.input };
  return { ok: false, reply: validationFailed({ ...(validation.ok ? {} : validation.errors), ...extraErrors }) };
}

function createdReply(config: Config, session: CreatedSession): respond.Reply {
  return respond.json(
    {
      data: {
        id: session.id,
        verify_url: verifyUrl(config.publicUrl, session.id),
        issued_at: session.issuedAt,
        expires_at: session.expiresAt,
        livemode: session.livemode,
      },
    },
    201,
  );
}

/**
 * The integrators' hot path. The token's shape is checked before anything else, synchronously (no
 * database work, not even a promise, for malformed tokens); a valid body with an `<id>|<secret>` token
 * and no Idempotency-Key then takes one round trip, the token verified and the session inserted by
 * one statement. Anything else is answered step by step.
 */
export function postSession(request: IncomingMessage, config: Config): respond.Reply | Promise<respond.Reply> {
  const credentials = readBearer(authorization(request));
  if (credentials === null || credentials === 'invalid') return respond.unauthenticated();
  if (request.headers['idempotency-key'] !== undefined) return createIdempotently(request, config);
  return createFor(request, credentials, config);
}

async function createFor(request: IncomingMessage, credentials: ParsedToken, config: Config): Promise<respond.Reply> {
  const input = await readSessionInput(request);
  if (input.ok && credentials.id !== null) {
    const address = clientIp(request, config.trustProxy);
    const result = await createSessionWithToken({ ...credentials, id: credentials.id }, input.value, address);
    if (result.outcome === 'unauthenticated') return respond.unauthenticated();
    if (result.outcome === 'address-refused') return respond.addressRefused();
    if (result.outcome === 'forbidden') return respond.unauthorized();
    return createdReply(config, result.session);
  }
  const principal = await authorize(request, 'session:create', config.trustProxy);
  if (!principal.ok) return principal.reply;
  if (!input.ok) return input.reply;
  return createdReply(config, await createSession(principal.value, input.value));
}

/** Stripe's idempotent requests: the same key and body answer the first 201 again; another body is a 422. */
async function createIdempotently(request: IncomingMessage, config: Config): Promise<respond.Reply> {
  const header = validateIdempotencyKey(request.headers['idempotency-key']);
  const input = await readSessionInput(request, header.errors.length > 0 ? { idempotency_key: header.errors } : {});
  const principal = await authorize(request, 'session:create', config.trustProxy);
  if (!principal.ok) return principal.reply;
  if (!input.ok) return input.reply;
  const result = await createSessionIdempotently(principal.value, input.value, header.key!);
  if (result.outcome === 'conflict') return validationFailed({ idempotency_key: [IDEMPOTENCY_KEY_REUSED] });
  return createdReply(config, result.session);
}

export function presentSession(session: SessionRecord) {
  return {
    id: session.id,
    status: session.status,
    success: session.success,
    age_target: session.ageTarget,
    redirect_url: session.redirectUrl,
    metadata: session.metadata ?? null,
    issued_at: unixSeconds(session.issuedAt),
    expires_at: unixSeconds(session.expiresAt),
    livemode: session.livemode,
    completed_at: session.completedAt ? unixSeconds(session.completedAt) : null,
  };
}

export async function getSession(request: IncomingMessage, id: string, config: Config): Promise<respond.Reply> {
  const principal = await authorize(request, 'session:read', config.trustProxy);
  if (!principal.ok) return principal.reply;
  const session = await findSession(principal.value.organizationId, id);
  return session ? respond.json({ data: presentSession(session) }) : respond.sessionNotFound();
}

export async function cancelSession(request: IncomingMessage, id: string, config: Config): Promise<respond.Reply> {
  const principal = await authorize(request, 'session:create', config.trustProxy);
  if (!principal.ok) return principal.reply;
  const { organizationId } = principal.value;
  if (!UUID.test(id)) return respond.sessionNotFound();
  const cancelled = await runTransition(id.toLowerCase(), 'cancel', organizationId);
  if (cancelled) return respond.json({ data: presentSession(cancelled.session) });
  // Not cancelled: either not this organization's session, or no longer open.
  return (await findSession(organizationId, id)) ? respond.sessionCannotBeCancelled() : respond.sessionNotFound();
}

export async function listSessionsRoute(request: IncomingMessage, config: Config): Promise<respond.Reply> {
  const principal = await authorize(request, 'session:read', config.trustProxy);
  if (!principal.ok) return principal.reply;
  const query = validateListQuery(queryOf(request), { defaultLimit: DEFAULT_LIST_LIMIT, maxLimit: MAX_LIST_LIMIT });
  if (!query.ok) return validationFailed(query.errors);
  const livemode = principal.value.mode === 'LIVE';
  const page = await listSessions(principal.value.organizationId, livemode, query.query);
  return respond.json({ data: page.sessions.map(presentSession), has_more: page.hasMore });
}
