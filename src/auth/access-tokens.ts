import ipaddr from 'ipaddr.js';
import { db, sql } from '../db/client.js';
import type { AccessToken, TokenKind, TokenMode } from '../generated/prisma/client.js';
import { formatToken, generateSecret, hashSecret, secretHint, secretMatchesHash, type ParsedToken } from './tokens.js';

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
  /** Normalised CIDRs (see parseAllowedIps); empty or omitted: anywhere. */
  allowedIps?: string[];
};

/** Stores a new token and returns it with its plaintext — the only time the plaintext exists. */
export async function issueAccessToken(
  data: NewAccessToken,
  prefix: string,
): Promise<{ token: AccessToken; plainTextToken: string }> {
  const secret = generateSecret(prefix);
  const token = await db.accessToken.create({ data: { ...data, tokenHash: hashSecret(secret), hint: secretHint(secret) } });
  return { token, plainTextToken: formatToken(token.id, secret) };
}

/** The access_tokens columns under the model's field names, for raw queries on the hot paths. */
export const ACCESS_TOKEN_COLUMNS = `id, kind::text AS kind, mode::text AS mode, name, token AS "tokenHash", abilities,
  organization_id AS "organizationId", user_id AS "userId", created_by_id AS "createdById",
  created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt",
  hint, last_used_ip AS "lastUsedIp", coalesce(allowed_ips, '{}') AS "allowedIps", replaced_by_id AS "replacedById"`;

/**
 * A row of ACCESS_TOKEN_COLUMNS named `row` as one JSON array (read back by accessTokenFromJson), for
 * lists read as one value: positional `json` costs PostgreSQL a third of what `to_jsonb` objects did
 * (a page of 20: about 150 against 420 µs), and its text is shorter to parse. Bigint ids are JSON
 * strings: a JSON number loses digits past 2^53.
 */
export const accessTokenJson = (row: string) =>
  `json_build_array(${row}.id::text, ${row}.kind, ${row}.mode, ${row}.name, ${row}."tokenHash", ${row}.abilities,
    ${row}."organizationId", ${row}."userId", ${row}."createdById", ${row}."createdAt", ${row}."lastUsedAt",
    ${row}."expiresAt", ${row}."revokedAt", ${row}.hint, ${row}."lastUsedIp", ${row}."allowedIps", ${row}."replacedById"::text)`;

type AccessTokenJson = [
  string, AccessToken['kind'], AccessToken['mode'], string, string, string[], number | null, number | null, number | null,
  string, string | null, string | null, string | null, string, string | null, string[], string | null,
];

const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** The AccessToken an accessTokenJson value stands for. */
export function accessTokenFromJson(value: unknown): AccessToken {
  const [id, kind, mode, name, tokenHash, abilities, organizationId, userId, createdById, createdAt, lastUsedAt, expiresAt,
    revokedAt, hint, lastUsedIp, allowedIps, replacedById] = value as AccessTokenJson;
  return {
    id: BigInt(id),
    kind,
    mode,
    name,
    tokenHash,
    abilities,
    organizationId,
    userId,
    createdById,
    createdAt: new Date(createdAt),
    lastUsedAt: dateOrNull(lastUsedAt),
    expiresAt: dateOrNull(expiresAt),
    revokedAt: dateOrNull(revokedAt),
    hint,
    lastUsedIp,
    allowedIps,
    replacedById: replacedById === null ? null : BigInt(replacedById),
  };
}

/**
 * What verifying a presented token reads of its row (bearer.ts principalFor): the look-ups on every
 * request select only these, since each column is work for both the database and the driver.
 */
export type TokenCheckRow = Pick<
  AccessToken,
  'id' | 'kind' | 'mode' | 'tokenHash' | 'abilities' | 'organizationId' | 'userId' | 'lastUsedAt' | 'expiresAt' | 'revokedAt' | 'allowedIps'
>;

/** The TokenCheckRow columns, for raw queries; isLiveMatchSql and addressAllowedSql apply to them too. */
export const TOKEN_CHECK_COLUMNS = `id, kind::text AS kind, mode::text AS mode, token AS "tokenHash", abilities,
  organization_id AS "organizationId", user_id AS "userId", last_used_at AS "lastUsedAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt", coalesce(allowed_ips, '{}') AS "allowedIps"`;

/**
 * A row of TOKEN_CHECK_COLUMNS as one JSON array (read back by tokenCheckRow): the drivers' cost
 * grows with every column of a result (pg builds a parser per field and PGlite decodes each in
 * JavaScript), and one JSON value took half the driver's CPU of the eleven columns it replaces.
 */
export const TOKEN_CHECK_JSON = `json_build_array(id::text, kind, mode, "tokenHash", abilities, "organizationId", "userId",
  "lastUsedAt", "expiresAt", "revokedAt", "allowedIps")`;

type TokenCheckJson = [string, AccessToken['kind'], AccessToken['mode'], string, string[], number | null, number | null, string | null, string | null, string | null, string[]];

/** The TokenCheckRow a TOKEN_CHECK_JSON value stands for (null for no row). */
export function tokenCheckRow(value: unknown): TokenCheckRow | null {
  if (value === null || value === undefined) return null;
  const [id, kind, mode, tokenHash, abilities, organizationId, userId, lastUsedAt, expiresAt, revokedAt, allowedIps] =
    value as TokenCheckJson;
  return {
    id: BigInt(id),
    kind,
    mode,
    tokenHash,
    abilities,
    organizationId,
    userId,
    lastUsedAt: dateOrNull(lastUsedAt),
    expiresAt: dateOrNull(expiresAt),
    revokedAt: dateOrNull(revokedAt),
    allowedIps,
  };
}

/** The look-up of a token by `where` (over access_tokens), as one `token` column of TOKEN_CHECK_JSON. */
const tokenCheckWhere = (where: string) =>
  `SELECT ${TOKEN_CHECK_JSON} AS token FROM (SELECT ${TOKEN_CHECK_COLUMNS} FROM access_tokens WHERE ${where}) AS t`;

/** The stored token a parsed bearer string names (by id, or by hash for id-less Sanctum tokens). */
export async function findTokenRow(parsed: ParsedToken): Promise<TokenCheckRow | null> {
  const rows =
    parsed.id === null
      ? await sql<{ token: unknown }>(TOKEN_BY_HASH.text, [hashSecret(parsed.secret)], TOKEN_BY_HASH.name)
      : await sql<{ token: unknown }>(TOKEN_BY_ID.text, [parsed.id], TOKEN_BY_ID.name);
  return tokenCheckRow(rows[0]?.token);
}

/** The look-up of a token by id (parameter $1), as findTokenRow runs it: one prepared statement. */
export const TOKEN_BY_ID = { name: 'token-by-id', text: tokenCheckWhere('id = $1') };
const TOKEN_BY_HASH = { name: 'token-by-hash', text: tokenCheckWhere('token = $1') };

/**
 * Whether a stored token is the one presented (constant-time comparison of the SHA-256 digests) and
 * is live at `now`: not revoked, not expired.
 */
export function isLiveMatch(token: TokenCheckRow, secret: string, now: Date): boolean {
  return verifyTokenRow(token, secret, now) === 'accepted';
}

/** isLiveMatch with the reason of a refusal (for metrics): no such token, revoked or expired. */
export function verifyTokenRow(token: TokenCheckRow | null, secret: string, now: Date): 'accepted' | 'unknown' | 'revoked' | 'expired' {
  if (!token || !secretMatchesHash(secret, token.tokenHash)) return 'unknown';
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'accepted';
}

/**
 * SQL twin of isLiveMatch over a row with TOKEN_CHECK_COLUMNS (or ACCESS_TOKEN_COLUMNS), for statements that must act only
 * for a live token in the same round trip (the digest is compared by the database there; the
 * response is still decided by isLiveMatch).
 */
export const isLiveMatchSql = (hashParam: string, nowParam: string) =>
  `"tokenHash" = ${hashParam} AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${nowParam})`;

/**
 * Whether a client address may use a token restricted to `allowedIps` (normalised CIDRs; empty:
 * anywhere). An unknown address is refused by a restricted token.
 */
export function addressAllowed(allowedIps: readonly string[], clientIp: string | null): boolean {
  if (allowedIps.length === 0) return true;
  if (clientIp === null || !ipaddr.isValid(clientIp)) return false;
  const address = ipaddr.process(clientIp); // IPv4-mapped IPv6 as IPv4, as clientIp gives it
  return allowedIps.some((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return network.kind() === address.kind() && address.match(network, bits);
  });
}

/** SQL twin of addressAllowed over a row with TOKEN_CHECK_COLUMNS, the client address as parameter `$n` (text). */
export const addressAllowedSql = (ipParam: string) =>
  `(cardinality("allowedIps") = 0 OR ${ipParam}::inet <<= ANY("allowedIps"::inet[]))`;

/** Revokes a token for good; revoking it again keeps the first revocation time. */
export async function revokeAccessToken(id: bigint): Promise<void> {
  await db.accessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}
