import { db, sql } from '../db/client.js';
import { Prisma, type AccessToken, type TokenKind, type TokenMode } from '../generated/prisma/client.js';
import { formatToken, generateSecret, hashSecret, secretMatchesHash, type ParsedToken } from './tokens.js';

/** Abilities an API token can hold; `*` grants every ability. */
export const ABILITIES = ['*', 'session:create', 'session:read'] as const;
export type Ability = (typeof ABILITIES)[number];

export function isAbility(value: string): value is Ability {
  return (ABILITIES as readonly string[]).includes(value);
}

export function tokenCan(abilities: readonly string[], ability: Ability): boolean {
  return abilities.includes('*') || abilities.includes(ability);
}

/** SQL twin of tokenCan for `abilities` of a row, with the ability as parameter `$n`. */
export const tokenCanSql = (abilityParam: string) => `abilities && ARRAY['*', ${abilityParam}]::text[]`;

export type NewAccessToken = {
  kind: TokenKind;
  mode?: TokenMode;
  name: string;
  abilities?: string[];
  organizationId?: number;
  userId?: number;
  createdById?: number;
  expiresAt?: Date | null;
};

/** Stores a new token and returns it with its plaintext — the only time the plaintext exists. */
export async function issueAccessToken(
  data: NewAccessToken,
  prefix: string,
): Promise<{ token: AccessToken; plainTextToken: string }> {
  const secret = generateSecret(prefix);
  const token = await db.accessToken.create({ data: { ...data, tokenHash: hashSecret(secret) } });
  return { token, plainTextToken: formatToken(token.id, secret) };
}

/**
 * Stores a new API token unless its organization already holds `maxLive` live ones (not revoked,
 * not expired): then null. One transaction of two statements: the organization's row is locked
 * first, so concurrent creations for one organization count one after the other, and the insert
 * counts (at most `maxLive` rows) in a snapshot taken after the lock.
 */
export async function issueApiToken(
  data: NewAccessToken & { kind: 'API'; organizationId: number },
  prefix: string,
  maxLive: number,
): Promise<{ token: AccessToken; plainTextToken: string } | null> {
  const secret = generateSecret(prefix);
  const [, inserted] = await db.$transaction([
    db.$queryRaw`SELECT id FROM organizations WHERE id = ${data.organizationId} FOR UPDATE`,
    db.$queryRaw<AccessToken[]>`
      INSERT INTO access_tokens (kind, mode, name, token, abilities, organization_id, created_by_id, expires_at)
      SELECT 'API', ${data.mode ?? 'LIVE'}::"TokenMode", ${data.name}, ${hashSecret(secret)}, ${data.abilities ?? ['*']}::text[], ${data.organizationId},
             ${data.createdById ?? null}::int, ${data.expiresAt ?? null}::timestamptz
      WHERE (SELECT count(*) FROM (
               SELECT 1 FROM access_tokens
               WHERE organization_id = ${data.organizationId} AND kind = 'API'
                 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
               LIMIT ${maxLive}) AS live) < ${maxLive}
      RETURNING ${Prisma.raw(ACCESS_TOKEN_COLUMNS)}`,
  ]);
  const token = inserted[0];
  return token ? { token, plainTextToken: formatToken(token.id, secret) } : null;
}

/** The access_tokens columns under the model's field names, for raw queries on the hot paths. */
export const ACCESS_TOKEN_COLUMNS = `id, kind::text AS kind, mode::text AS mode, name, token AS "tokenHash", abilities,
  organization_id AS "organizationId", user_id AS "userId", created_by_id AS "createdById",
  created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

/** The stored token a parsed bearer string names (by id, or by hash for id-less Sanctum tokens). */
export async function findTokenRow(parsed: ParsedToken): Promise<AccessToken | null> {
  const rows =
    parsed.id === null
      ? await sql<AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE token = $1`, [hashSecret(parsed.secret)], 'token-by-hash')
      : await sql<AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE id = $1`, [parsed.id], 'token-by-id');
  return rows[0] ?? null;
}

/**
 * Whether a stored token is the one presented (constant-time comparison of the SHA-256 digests) and
 * is live at `now`: not revoked, not expired.
 */
export function isLiveMatch(token: AccessToken, secret: string, now: Date): boolean {
  return verifyTokenRow(token, secret, now) === 'accepted';
}

/** isLiveMatch with the reason of a refusal (for metrics): no such token, revoked or expired. */
export function verifyTokenRow(token: AccessToken | null, secret: string, now: Date): 'accepted' | 'unknown' | 'revoked' | 'expired' {
  if (!token || !secretMatchesHash(secret, token.tokenHash)) return 'unknown';
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'accepted';
}

/**
 * SQL twin of isLiveMatch over a row with ACCESS_TOKEN_COLUMNS, for statements that must act only
 * for a live token in the same round trip (the digest is compared by the database there; the
 * response is still decided by isLiveMatch).
 */
export const isLiveMatchSql = (hashParam: string, nowParam: string) =>
  `"tokenHash" = ${hashParam} AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${nowParam})`;

/** A page of a token list: at most `first` tokens, those after the token `after` (an id) if given. */
export type TokenPage = { first: number; after: number | null };

/**
 * A page of the API tokens of the organization `organizationSql`, newest first (createdAt DESC,
 * id DESC), with the revoked ones if `includeRevokedSql`. Keyset paging: the tokens that sort after
 * the `afterSql` token of the same organization; an `after` that is not one of its API tokens
 * compares with NULL, so the page is empty.
 */
const apiTokenPageOf = (organizationSql: string, includeRevokedSql: string, firstSql: string, afterSql: string) =>
  `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens
   WHERE organization_id = ${organizationSql} AND kind = 'API' AND (${includeRevokedSql} OR revoked_at IS NULL)
     AND (${afterSql}::int IS NULL OR (created_at, id) < (
       SELECT created_at, id FROM access_tokens WHERE id = ${afterSql} AND organization_id = ${organizationSql} AND kind = 'API'))
   ORDER BY created_at DESC, id DESC LIMIT ${firstSql}`;

/** A page of an organization's API tokens, newest first, optionally with the revoked ones. */
export function listApiTokens(organizationId: number, includeRevoked: boolean, page: TokenPage): Promise<AccessToken[]> {
  return sql<AccessToken>(
    apiTokenPageOf('$1', '$2', '$3', '$4'),
    [organizationId, includeRevoked, page.first, page.after],
    'list-api-tokens-page',
  );
}

/**
 * The same page, for a user who must be a member of the organization: null when they are not. One
 * round trip: the membership row joined with the tokens (one row of nulls when there are none).
 */
export async function listApiTokensForMember(
  userId: number,
  organizationId: number,
  includeRevoked: boolean,
  page: TokenPage,
): Promise<AccessToken[] | null> {
  const rows = await sql<AccessToken>(
    `SELECT token.* FROM memberships
     LEFT JOIN LATERAL (${apiTokenPageOf('memberships.organization_id', '$3', '$4', '$5')}) token ON true
     WHERE memberships.user_id = $1 AND memberships.organization_id = $2
     ORDER BY token."createdAt" DESC, token.id DESC`,
    [userId, organizationId, includeRevoked, page.first, page.after],
    'list-api-tokens-page-for-member',
  );
  if (rows.length === 0) return null;
  return rows[0]!.id === null ? [] : rows;
}

/** Revokes a token for good; revoking it again keeps the first revocation time. */
export async function revokeAccessToken(id: number): Promise<void> {
  await db.accessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}
