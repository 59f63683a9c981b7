import { recordAuditEvents, type RequestOrigin } from '../audit/audit-log.js';
import { isLiveMatch } from '../auth/access-tokens.js';
import { hashSecret, parseToken, secretMatchesHash, type ParsedToken } from '../auth/tokens.js';
import { db, sql } from '../db/client.js';
import type { AccessToken } from '../generated/prisma/client.js';
import { logger } from '../logger.js';

/**
 * Leaked-token reports (DESIGN.md "Leaked tokens"), as GitHub's credential-revocation API: anyone who
 * finds tokens of this server (a secret scanner, a stranger) sends them, and every one that is a live
 * token is revoked at once. The reporter learns nothing: the answer is the same whatever was found.
 *
 * The work does not depend on what matches either. Values that fail the shape and CRC32 check are
 * dropped without database work (which values those are, the reporter knows already). Every
 * well-formed value then costs the same: its SHA-256 digest is computed and compared in constant time
 * with a stored digest — the row's, or a stand-in when no row has its id — after one look-up for the
 * whole batch; then one revoking statement runs (with an empty list when nothing matched) in a
 * transaction that also records, for each revoked API token, `api_token.revoked_by_leak_report` in
 * its organization's audit log. Dashboard sign-ins (USER tokens) found this way are revoked too, since a
 * leaked sign-in is as dangerous as a leaked API token, but belong to no organization, so no audit
 * log records them (the server's log does, by token id).
 */

/** What a well-formed value is compared with when no stored token has its id: same length as a real digest. */
const STAND_IN_HASH = hashSecret('no stored token has this id');

type StoredToken = Pick<AccessToken, 'id' | 'tokenHash' | 'revokedAt' | 'expiresAt'>;
type RevokedToken = { id: bigint; kind: 'API' | 'USER'; organizationId: number | null };

/** Revokes every live token among `values`; resolves with how many were revoked (for the server's own use). */
export async function revokeLeakedTokens(values: readonly string[], origin: RequestOrigin): Promise<number> {
  const presented = [...new Set(values)].map(parseToken).filter((parsed): parsed is ParsedToken => parsed !== null);
  if (presented.length === 0) return 0;

  const ids = presented.flatMap((token) => (token.id === null ? [] : [token.id]));
  const hashes = presented.flatMap((token) => (token.id === null ? [hashSecret(token.secret)] : []));
  const stored = await sql<StoredToken>(
    `SELECT id, token AS "tokenHash", revoked_at AS "revokedAt", expires_at AS "expiresAt" FROM access_tokens
     WHERE id = ANY($1::int8[]) OR token = ANY($2::bpchar[])`,
    [ids, hashes],
    'leaked-token-candidates',
    { ownConnection: true }, // up to a thousand look-ups: integrators' statements do not wait behind it
  );
  const byId = new Map(stored.map((token) => [token.id, token]));
  const byHash = new Map(stored.map((token) => [token.tokenHash, token]));

  const now = new Date();
  const live = new Set<bigint>();
  for (const token of presented) {
    const row = token.id === null ? byHash.get(hashSecret(token.secret)) : byId.get(token.id);
    if (row && isLiveMatch(row as AccessToken, token.secret, now)) live.add(row.id);
    else if (!row) secretMatchesHash(token.secret, STAND_IN_HASH); // the same digest and comparison as a match
  }

  const revoked = await db.$transaction(async (tx) => {
    // Live when revoked: a token revoked or expired meanwhile is left as it is, and recorded once.
    const rows = await tx.$queryRaw<RevokedToken[]>`
      UPDATE access_tokens SET revoked_at = now()
      WHERE id = ANY(${[...live]}::int8[]) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
      RETURNING id, kind::text AS kind, organization_id AS "organizationId"`;
    await recordAuditEvents(
      tx,
      rows.flatMap((token) =>
        token.kind === 'API' && token.organizationId !== null
          ? [
              {
                organizationId: token.organizationId,
                action: 'api_token.revoked_by_leak_report' as const,
                actor: { type: 'leak-report' as const },
                target: `api_token:${token.id}`,
                origin,
              },
            ]
          : [],
      ),
    );
    return rows;
  });
  if (revoked.length > 0) {
    logger.warn({ tokenIds: revoked.map((token) => String(token.id)), ip: origin.ip }, 'tokens revoked by a leak report');
  }
  return revoked.length;
}
