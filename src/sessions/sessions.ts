import { createHash } from 'node:crypto';
import { newUuidV7 } from '../db/ids.js';
import {
  addressAllowedSql,
  isLiveMatchSql,
  tokenCan,
  tokenCanSql,
  TOKEN_CHECK_COLUMNS,
  TOKEN_CHECK_JSON,
  tokenCheckRow,
} from '../auth/access-tokens.js';
import { ADDRESS_REFUSED, principalFor, type ApiTokenPrincipal } from '../auth/bearer.js';
import { hashSecret, type ParsedToken } from '../auth/tokens.js';
import { sql } from '../db/client.js';
import type { SessionInput } from './validation.js';

/**
 * Verification sessions' storage: created by an organization's API token, read back by the same
 * organization. The create and read paths are the integrators' hot paths, so they use raw SQL (see
 * `sql` in db/client.ts). Status changes live in lifecycle.ts.
 */

export type CreatedSession = { id: string; issuedAt: number; expiresAt: number; livemode: boolean };

export const SESSION_STATUSES = [
  'created',
  'pending',
  'verification_started',
  'verification_kyc',
  'completed',
  'cancelled',
  'expired',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Statuses a session can still leave; past expires_at such a session is expired. */
export const OPEN_STATUSES = ['created', 'pending', 'verification_started', 'verification_kyc'] as const;

/** A session as the API, the hosted page and webhooks see it. */
export type SessionRecord = {
  id: string;
  organizationId: number;
  status: SessionStatus;
  success: boolean | null;
  ageTarget: number;
  redirectUrl: string;
  metadata: string[] | null;
  webhookUrl: string | null;
  livemode: boolean;
  issuedAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
};

const OPEN_STATUSES_SQL = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * The status as of now: an open session past expires_at is `expired` at once, before the sweep
 * (lifecycle.ts) persists it. Every read goes through this expression.
 */
export const CURRENT_STATUS_SQL = `CASE WHEN status IN (${OPEN_STATUSES_SQL}) AND expires_at <= now() THEN 'expired' ELSE status::text END`;

/** The verification_sessions columns as a SessionRecord (for SELECT and RETURNING). */
export const SESSION_RECORD_COLUMNS = `id, organization_id AS "organizationId", ${CURRENT_STATUS_SQL} AS status, success,
  age_target AS "ageTarget", redirect_url AS "redirectUrl", metadata, webhook_url AS "webhookUrl", livemode,
  issued_at AS "issuedAt", expires_at AS "expiresAt", completed_at AS "completedAt"`;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row of a new session; times are whole seconds, since the API reports Unix seconds. */
function newSessionRow(input: SessionInput, now: Date) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const id = newUuidV7();
  const values = [
    id,
    input.ageTarget,
    input.redirectUrl,
    input.forceKyc,
    input.forceVerification,
    input.metadata === null ? null : JSON.stringify(input.metadata),
    input.webhookUrl,
    new Date(issuedAt * 1000),
    new Date((issuedAt + input.expirationTime) * 1000),
  ];
  const session = (livemode: boolean): CreatedSession => ({ id, issuedAt, expiresAt: issuedAt + input.expirationTime, livemode });
  return { session, values };
}

const SESSION_COLUMNS =
  'id, age_target, redirect_url, force_kyc, force_verification, metadata, webhook_url, issued_at, expires_at, organization_id, api_token_id, livemode';
const SESSION_VALUES = '$1::uuid, $2, $3, $4, $5, $6::jsonb, $7, $8, $9';

const isLive = (principal: ApiTokenPrincipal) => principal.mode === 'LIVE';

export async function createSession(principal: ApiTokenPrincipal, input: SessionInput): Promise<CreatedSession> {
  const { session, values } = newSessionRow(input, new Date());
  await sql(
    `INSERT INTO verification_sessions (${SESSION_COLUMNS}) VALUES (${SESSION_VALUES}, $10, $11, $12)`,
    [...values, principal.organizationId, principal.tokenId, isLive(principal)],
    'insert-session',
  );
  return session(isLive(principal));
}

export type CreateOutcome =
  | { outcome: 'unauthenticated' }
  | { outcome: 'forbidden' }
  /** A live token used from outside its allowlist (403, counted as a refused use). */
  | { outcome: 'address-refused' }
  | { outcome: 'created'; session: CreatedSession };

/**
 * Verifies the bearer token and creates the session in one round trip: the statement reads the token
 * row and inserts the session only if that row is the presented token, live, and allowed to
 * `session:create` from `clientIp` — the same rules principalFor and tokenCan apply to the row it
 * returns, at the same `now`, which decide the answer. Immediate revocation holds: the token row is
 * read in the statement. The token's mode decides the session's livemode (TEST tokens make test
 * sessions).
 */
export async function createSessionWithToken(
  credentials: ParsedToken & { id: bigint },
  input: SessionInput,
  clientIp: string | null,
): Promise<CreateOutcome> {
  const now = new Date();
  const { session, values } = newSessionRow(input, now);
  const rows = await sql<{ token: unknown; created: number }>(
    `WITH token AS (SELECT ${TOKEN_CHECK_COLUMNS} FROM access_tokens WHERE id = $10),
     created AS (
       INSERT INTO verification_sessions (${SESSION_COLUMNS})
       SELECT ${SESSION_VALUES}, "organizationId", id, mode = 'LIVE' FROM token
       WHERE kind = 'API' AND ${isLiveMatchSql('$11', '$12')} AND ${tokenCanSql("'session:create'")}
         AND ${addressAllowedSql('$13')}
       RETURNING 1
     )
     SELECT ${TOKEN_CHECK_JSON} AS token, (SELECT count(*) FROM created)::int AS created FROM token`,
    [...values, credentials.id, hashSecret(credentials.secret), now, clientIp],
    'verify-and-insert-session',
  );
  const row = tokenCheckRow(rows[0]?.token);
  const principal = principalFor(row, credentials, now, clientIp);
  const allowed =
    typeof principal === 'object' && principal?.type === 'apiToken' && tokenCan(principal.abilities, 'session:create');
  if (allowed !== (rows[0]?.created === 1)) {
    throw new Error('Token verification and the session insert disagreed');
  }
  if (!principal) return { outcome: 'unauthenticated' };
  if (principal === ADDRESS_REFUSED) return { outcome: 'address-refused' };
  return allowed ? { outcome: 'created', session: session(isLive(principal)) } : { outcome: 'forbidden' };
}

/** How long an Idempotency-Key answers with the session it first created (Stripe's 24 hours). */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

export type IdempotentOutcome =
  | { outcome: 'created' | 'replayed'; session: CreatedSession }
  /** The key was used, within the window, for another request. */
  | { outcome: 'conflict' };

/**
 * The request's fingerprint: its validated input and the token's mode (a LIVE token retrying a TEST
 * token's key is another request, not a replay of a test session).
 */
export function requestHash(principal: ApiTokenPrincipal, input: SessionInput): string {
  return createHash('sha256').update(JSON.stringify([principal.mode, input])).digest('hex');
}

/**
 * Creates the session unless the organization's key was already used: then the first session
 * (`replayed`) if the request is the same, or `conflict`. Concurrent duplicates make one session: the
 * unique (organization, key) index decides which insert wins, and the loser reads the winner's row
 * once its transaction has committed (ON CONFLICT waits for it). A key older than the window is
 * released from its old session and used anew.
 */
export async function createSessionIdempotently(
  principal: ApiTokenPrincipal,
  input: SessionInput,
  key: string,
): Promise<IdempotentOutcome> {
  const hash = requestHash(principal, input);
  for (let attempt = 0; attempt < 3; attempt++) {
    const { session, values } = newSessionRow(input, new Date());
    const inserted = await sql(
      `INSERT INTO verification_sessions (${SESSION_COLUMNS}, idempotency_key, request_hash)
       VALUES (${SESSION_VALUES}, $10, $11, $12, $13, $14)
       ON CONFLICT (organization_id, idempotency_key) DO NOTHING RETURNING 1`,
      [...values, principal.organizationId, principal.tokenId, isLive(principal), key, hash],
      'insert-session-idempotently',
    );
    if (inserted.length === 1) return { outcome: 'created', session: session(isLive(principal)) };

    const [first] = await sql<{ id: string; issuedAt: Date; expiresAt: Date; livemode: boolean; requestHash: string; fresh: boolean }>(
      `SELECT id, issued_at AS "issuedAt", expires_at AS "expiresAt", livemode, request_hash AS "requestHash",
              issued_at > now() - make_interval(secs => $3) AS fresh
       FROM verification_sessions WHERE organization_id = $1 AND idempotency_key = $2`,
      [principal.organizationId, key, IDEMPOTENCY_WINDOW_SECONDS],
      'find-session-by-idempotency-key',
    );
    if (first?.fresh) {
      if (first.requestHash !== hash) return { outcome: 'conflict' };
      const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
      return {
        outcome: 'replayed',
        session: { id: first.id, issuedAt: seconds(first.issuedAt), expiresAt: seconds(first.expiresAt), livemode: first.livemode },
      };
    }
    if (first) {
      await sql(
        `UPDATE verification_sessions SET idempotency_key = NULL WHERE id = $1::uuid AND idempotency_key = $2`,
        [first.id, key],
        'release-idempotency-key',
      );
    }
  }
  throw new Error('The idempotency key stayed taken by a session outside the window');
}

/** The organization's session with this id; null for unknown ids, malformed ids and other organizations' sessions. */
export async function findSession(organizationId: number, id: string): Promise<SessionRecord | null> {
  if (!UUID.test(id)) return null;
  const rows = await sql<SessionRecord>(
    `SELECT ${SESSION_RECORD_COLUMNS} FROM verification_sessions WHERE id = $1::uuid AND organization_id = $2`,
    [id.toLowerCase(), organizationId],
    'find-session',
  );
  return rows[0] ?? null;
}

export const MAX_LIST_LIMIT = 100;
export const DEFAULT_LIST_LIMIT = 20;

export type SessionListQuery = { status: SessionStatus | null; limit: number; startingAfter: string | null };

/**
 * A page of the organization's sessions of one mode, newest first (UUIDv7 ids sort by creation time),
 * optionally of one status as of now, after the session `startingAfter`; `hasMore` says whether
 * another page follows.
 */
export async function listSessions(
  organizationId: number,
  livemode: boolean,
  query: SessionListQuery,
): Promise<{ sessions: SessionRecord[]; hasMore: boolean }> {
  const rows = await sql<SessionRecord>(
    `SELECT ${SESSION_RECORD_COLUMNS} FROM verification_sessions
     WHERE organization_id = $1 AND livemode = $2
       AND ($3::text IS NULL OR ${CURRENT_STATUS_SQL} = $3::text)
       AND ($4::uuid IS NULL OR id < $4::uuid)
     ORDER BY id DESC LIMIT $5`,
    [organizationId, livemode, query.status, query.startingAfter?.toLowerCase() ?? null, query.limit + 1],
    'list-sessions',
  );
  return { sessions: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
}

/** One entry of a session's timeline: a status it reached, and when. */
export type StatusChange = { status: SessionStatus; at: Date };

/**
 * The session's status changes, oldest first: `created` at issued_at (creation writes no row), then
 * those the lifecycle recorded, then `expired` at expires_at for a session the sweep has not reached
 * yet (reads say expired at once). A session never returns to a status: at most one entry each.
 */
export async function sessionTimeline(session: SessionRecord): Promise<StatusChange[]> {
  const recorded = await sql<StatusChange>(
    // The lifecycle only moves forward in the enum's order, which is therefore the order of events
    // (also of those of one transaction, which share now()).
    `SELECT status::text AS status, at FROM session_events WHERE session_id = $1::uuid ORDER BY session_events.status`,
    [session.id],
    'session-timeline',
  );
  const timeline: StatusChange[] = [{ status: 'created', at: session.issuedAt }, ...recorded];
  if (session.status === 'expired' && !recorded.some((change) => change.status === 'expired')) {
    timeline.push({ status: 'expired', at: session.expiresAt });
  }
  return timeline;
}

/** A session with its organization's name, for the hosted verify page (which anyone with the link may open). */
export async function findSessionForPage(id: string): Promise<(SessionRecord & { organizationName: string }) | null> {
  if (!UUID.test(id)) return null;
  const rows = await sql<SessionRecord & { organizationName: string }>(
    `SELECT ${SESSION_RECORD_COLUMNS}, (SELECT name FROM organizations WHERE id = organization_id) AS "organizationName"
     FROM verification_sessions WHERE id = $1::uuid`,
    [id.toLowerCase()],
    'find-session-for-page',
  );
  return rows[0] ?? null;
}

/**
 * The oldest `limit` of each open status, in the order of the (status, expires_at) index, merged: an
 * `IN` over the statuses would have the index give every overdue session, to be sorted (107 ms for a
 * backlog of 232,000; this reads at most `limit` rows per status).
 */
const OVERDUE_SESSIONS_SQL = `SELECT id FROM (${OPEN_STATUSES.map(
  (status) => `(SELECT id, expires_at FROM verification_sessions
     WHERE status = '${status}' AND expires_at <= now() ORDER BY expires_at LIMIT $1)`,
).join(' UNION ALL ')}) AS overdue ORDER BY expires_at LIMIT $1`;

/** Ids of open sessions past expires_at, oldest first, at most `limit` (the expiry sweep's batch). */
export async function findOverdueSessionIds(limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>(OVERDUE_SESSIONS_SQL, [limit], 'find-overdue-sessions', {
    ownConnection: true, // a background job's: the requests' statements do not wait behind it
  });
  return rows.map((row) => row.id);
}

export function verifyUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl}/verify/${sessionId}`;
}
