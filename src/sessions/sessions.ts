import { v7 as uuidv7 } from 'uuid';
import {
  ACCESS_TOKEN_COLUMNS,
  addressAllowedSql,
  isLiveMatchSql,
  tokenCan,
  tokenCanSql,
} from '../auth/access-tokens.js';
import { ADDRESS_REFUSED, principalFor, type ApiTokenPrincipal } from '../auth/bearer.js';
import { hashSecret, type ParsedToken } from '../auth/tokens.js';
import { sql } from '../db/client.js';
import type { AccessToken } from '../generated/prisma/client.js';
import type { SessionInput } from './validation.js';

/**
 * Verification sessions: created by an organization's API token, read back by the same organization.
 * These are the integrators' hot paths, so they use raw SQL (see `sql` in db/client.ts).
 */

export type CreatedSession = { id: string; issuedAt: number; expiresAt: number };

export type SessionView = {
  id: string;
  status: string;
  success: boolean | null;
  ageTarget: number;
  redirectUrl: string;
  metadata: string[] | null;
  issuedAt: Date;
  expiresAt: Date;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row of a new session; times are whole seconds, since the API reports Unix seconds. */
function newSessionRow(input: SessionInput, now: Date) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const session: CreatedSession = { id: uuidv7(), issuedAt, expiresAt: issuedAt + input.expirationTime };
  const values = [
    session.id,
    input.ageTarget,
    input.redirectUrl,
    input.forceKyc,
    input.forceVerification,
    input.metadata === null ? null : JSON.stringify(input.metadata),
    input.webhookUrl,
    new Date(session.issuedAt * 1000),
    new Date(session.expiresAt * 1000),
  ];
  return { session, values };
}

const SESSION_COLUMNS =
  'id, age_target, redirect_url, force_kyc, force_verification, metadata, webhook_url, issued_at, expires_at, organization_id, api_token_id';
const SESSION_VALUES = '$1::uuid, $2, $3, $4, $5, $6::jsonb, $7, $8, $9';

export async function createSession(principal: ApiTokenPrincipal, input: SessionInput): Promise<CreatedSession> {
  const { session, values } = newSessionRow(input, new Date());
  await sql(
    `INSERT INTO verification_sessions (${SESSION_COLUMNS}) VALUES (${SESSION_VALUES}, $10, $11)`,
    [...values, principal.organizationId, principal.tokenId],
    'insert-session',
  );
  return session;
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
 * read in the statement.
 */
export async function createSessionWithToken(
  credentials: ParsedToken & { id: number },
  input: SessionInput,
  clientIp: string | null,
): Promise<CreateOutcome> {
  const now = new Date();
  const { session, values } = newSessionRow(input, now);
  const rows = await sql<AccessToken & { created: number }>(
    `WITH token AS (SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE id = $10),
     created AS (
       INSERT INTO verification_sessions (${SESSION_COLUMNS})
       SELECT ${SESSION_VALUES}, "organizationId", id FROM token
       WHERE kind = 'API' AND ${isLiveMatchSql('$11', '$12')} AND ${tokenCanSql("'session:create'")}
         AND ${addressAllowedSql('$13')}
       RETURNING 1
     )
     SELECT token.*, (SELECT count(*) FROM created)::int AS created FROM token`,
    [...values, credentials.id, hashSecret(credentials.secret), now, clientIp],
    'verify-and-insert-session',
  );
  const row = rows[0] ?? null;
  const principal = principalFor(row, credentials, now, clientIp);
  const allowed =
    typeof principal === 'object' && principal?.type === 'apiToken' && tokenCan(principal.abilities, 'session:create');
  if (allowed !== (row?.created === 1)) {
    throw new Error('Token verification and the session insert disagreed');
  }
  if (!principal) return { outcome: 'unauthenticated' };
  if (principal === ADDRESS_REFUSED) return { outcome: 'address-refused' };
  return allowed ? { outcome: 'created', session } : { outcome: 'forbidden' };
}

/** The organization's session with this id; null for unknown ids, malformed ids and other organizations' sessions. */
export async function findSession(organizationId: number, id: string): Promise<SessionView | null> {
  if (!UUID.test(id)) return null;
  const rows = await sql<SessionView>(
    `SELECT id, status::text AS status, success, age_target AS "ageTarget", redirect_url AS "redirectUrl",
            metadata, issued_at AS "issuedAt", expires_at AS "expiresAt"
     FROM verification_sessions WHERE id = $1::uuid AND organization_id = $2`,
    [id.toLowerCase(), organizationId],
    'find-session',
  );
  return rows[0] ?? null;
}

export function verifyUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl}/verify/${sessionId}`;
}
