import { ACCESS_TOKEN_COLUMNS, accessTokenFromJson, accessTokenJson, isLiveMatchSql, type NewAccessToken } from '../auth/access-tokens.js';
import { formatToken, generateSecret, hashSecret, secretHint } from '../auth/tokens.js';
import { auditOrigin, recordAuditEvent, type RequestOrigin } from '../audit/audit-log.js';
import { db, sql, sqlTransaction, type Statement } from '../db/client.js';
import { Prisma, type AccessToken } from '../generated/prisma/client.js';
import { lockOrganization, ORGANIZATION_ROW_LOCK } from '../organizations/lock.js';

/**
 * API tokens of an organization: issue, roll, update, revoke and list (DESIGN.md "API tokens",
 * "Token lifecycle"). Every change runs in a transaction that holds the organization's row lock
 * (so the live-token cap holds under races) and records its audit event in the same transaction.
 * Inputs arrive validated (api-token.ts); answers that depend on stored state come back as outcomes.
 */

type Transaction = Prisma.TransactionClient;
export type Issued = { token: AccessToken; plainTextToken: string };
/** Who makes a change, for the audit log. */
export type Change = { userId: number; origin: RequestOrigin };

const DAY_MS = 86_400_000;

export type NewApiToken = NewAccessToken & { kind: 'API'; organizationId: number };

/** Takes the organization's row lock (organizations/lock.ts) and reads its token policy under it. */
async function lockOrganizationPolicy(tx: Transaction, organizationId: number): Promise<{ maxLifetimeDays: number | null }> {
  const [row] = await tx.$queryRaw<{ maxLifetimeDays: number | null }[]>`
    SELECT token_max_lifetime_days AS "maxLifetimeDays" FROM organizations WHERE id = ${organizationId} ${Prisma.raw(ORGANIZATION_ROW_LOCK)}`;
  return row ?? { maxLifetimeDays: null };
}

/**
 * SQL: whether the organization (placeholder `organization`) holds fewer than `max` live API tokens
 * (not revoked, not expired at `now`). Its count of unrevoked tokens, kept by triggers, answers while
 * it is below `max` (every live token is unrevoked); past it, the live ones are counted (up to `max`).
 * Run under the organization's lock, in a statement of its own snapshot after the lock was granted.
 */
const underLiveTokenCapSql = (organization: string, now: string, max: string) => `CASE
    WHEN (SELECT unrevoked_api_tokens FROM organizations WHERE id = ${organization}) < ${max} THEN true
    ELSE (SELECT count(*) FROM (
            SELECT 1 FROM access_tokens
            WHERE organization_id = ${organization} AND kind = 'API' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})
            LIMIT ${max}) AS live) < ${max}
  END`;

const INSERT_UNDER_CAP = `INSERT INTO access_tokens (kind, mode, name, token, hint, abilities, allowed_ips, organization_id, created_by_id, expires_at)
  SELECT 'API', $1::"TokenMode", $2, $3, $4, $5::text[], $6::text[], $7::int, $8::int, $9::timestamptz
  WHERE ${underLiveTokenCapSql('$7::int', '$10::timestamptz', '$11::int')}
  RETURNING ${ACCESS_TOKEN_COLUMNS}`;

/**
 * Inserts the token unless its organization already holds `maxLive` live ones (not revoked, not
 * expired): then null. Run under the organization's lock, so the check sees every earlier insert.
 */
async function insertUnderCap(
  tx: Transaction,
  data: NewApiToken,
  prefix: string,
  maxLive: number,
  now: Date,
): Promise<Issued | null> {
  const secret = generateSecret(prefix);
  const inserted = await tx.$queryRawUnsafe<AccessToken[]>(
    INSERT_UNDER_CAP,
    data.mode ?? 'LIVE', data.name, hashSecret(secret), secretHint(secret), data.abilities ?? ['*'], data.allowedIps ?? [],
    data.organizationId, data.createdById ?? null, data.expiresAt ?? null, now, maxLive,
  );
  const token = inserted[0];
  return token ? { token, plainTextToken: formatToken(token.id, secret) } : null;
}

/** Small slack for the clocks of dashboards: "90 days" picked in a browser is within a 90-day policy. */
const POLICY_SLACK_MS = 5 * 60_000;

/** Whether an expiry satisfies a policy of at most `maxLifetimeDays` from `now`. */
export function withinPolicy(expiresAt: Date | null, maxLifetimeDays: number | null, now: Date): boolean {
  if (maxLifetimeDays === null) return true;
  return expiresAt !== null && expiresAt.getTime() <= now.getTime() + maxLifetimeDays * DAY_MS + POLICY_SLACK_MS;
}

export type IssueOutcome =
  | { outcome: 'issued'; issued: Issued }
  /** The user is not a member of the organization, or not in one of the roles that may issue. */
  | { outcome: 'not-allowed' }
  | { outcome: 'over-cap' }
  | { outcome: 'outside-policy'; maxLifetimeDays: number };

/** Takes the organization's row lock (organizations/lock.ts), for a member only (no one else may hold up its changes). */
const LOCK_ORGANIZATION_OF_MEMBER = `SELECT organizations.id FROM organizations
  JOIN memberships ON memberships.organization_id = organizations.id AND memberships.user_id = $2
  WHERE organizations.id = $1 ${ORGANIZATION_ROW_LOCK} OF organizations`;

/**
 * Under that lock (a statement of its own: it sees every token committed before the lock was
 * granted), the checks of issueApiToken and, if they all pass, the token and its audit event. One
 * row of checks (none for a non-member) with the token as accessTokenJson, null when not inserted.
 * withinPolicy is withinPolicy()'s twin (milliseconds, as there).
 */
const ISSUE_UNDER_CAP = `WITH checks AS (
    SELECT organizations.token_max_lifetime_days AS "maxLifetimeDays",
      memberships.role::text = ANY($3::text[]) AS manager,
      (organizations.token_max_lifetime_days IS NULL OR ($11::timestamptz IS NOT NULL AND $11::timestamptz
        <= $12::timestamptz + (organizations.token_max_lifetime_days * ${DAY_MS}::bigint + $14::bigint) * interval '1 millisecond')) AS "withinPolicy",
      ${underLiveTokenCapSql('$1', '$12::timestamptz', '$13')} AS "underCap"
    FROM organizations JOIN memberships ON memberships.organization_id = organizations.id AND memberships.user_id = $2
    WHERE organizations.id = $1
  ), token AS (
    INSERT INTO access_tokens (kind, mode, name, token, hint, abilities, allowed_ips, organization_id, created_by_id, expires_at)
    SELECT 'API', $4::"TokenMode", $5, $6, $7, $8::text[], $9::text[], $1, $10::int, $11::timestamptz
    FROM checks WHERE manager AND "withinPolicy" AND "underCap"
    RETURNING ${ACCESS_TOKEN_COLUMNS}
  ), audit AS (
    INSERT INTO audit_events (organization_id, action, actor_type, actor_id, target, ip, user_agent)
    SELECT $1, 'api_token.created', 'user', $2, 'api_token:' || id, $15, $16 FROM token
  )
  SELECT CASE WHEN token.id IS NULL THEN NULL ELSE ${accessTokenJson('token')} END AS token,
    checks.manager AS "checkManager", checks."withinPolicy" AS "checkWithinPolicy",
    checks."underCap" AS "checkUnderCap", checks."maxLifetimeDays" AS "checkMaxLifetimeDays"
  FROM checks LEFT JOIN token ON true`;

type IssueRow = { token: unknown; checkManager: boolean; checkWithinPolicy: boolean; checkUnderCap: boolean; checkMaxLifetimeDays: number | null };

/**
 * issueApiToken's transaction for a new secret: the organization's lock, then ISSUE_UNDER_CAP. Also
 * what the benchmark's createApiToken ceiling runs (bench/ceiling-server.ts), as the same SQL.
 */
export function issueApiTokenStatements(
  data: NewApiToken,
  roles: readonly string[],
  secret: string,
  maxLive: number,
  change: Change,
): Statement[] {
  const origin = auditOrigin(change.origin);
  return [
    { name: 'issue-api-token-lock', text: LOCK_ORGANIZATION_OF_MEMBER, params: [data.organizationId, change.userId] },
    {
      name: 'issue-api-token',
      text: ISSUE_UNDER_CAP,
      params: [
        data.organizationId, change.userId, roles, data.mode ?? 'LIVE', data.name, hashSecret(secret), secretHint(secret),
        data.abilities ?? ['*'], data.allowedIps ?? [], data.createdById ?? null, data.expiresAt ?? null, new Date(), maxLive,
        POLICY_SLACK_MS, origin.ip, origin.userAgent,
      ],
    },
  ];
}

/**
 * Issues a token to a member of the organization in one of `roles`, under the live-token cap and
 * the organization's token policy, with its audit event: one transaction, one round trip.
 */
export async function issueApiToken(
  data: NewApiToken,
  roles: readonly string[],
  prefix: string,
  maxLive: number,
  change: Change,
): Promise<IssueOutcome> {
  const secret = generateSecret(prefix);
  // Waits for the organization's lock: on a connection of its own (db/client.ts Sql).
  const [, rows] = await sqlTransaction(issueApiTokenStatements(data, roles, secret, maxLive, change), { ownConnection: true });
  const row = rows![0] as IssueRow | undefined;
  if (!row?.checkManager) return { outcome: 'not-allowed' };
  if (!row.checkWithinPolicy) return { outcome: 'outside-policy', maxLifetimeDays: row.checkMaxLifetimeDays! };
  if (!row.checkUnderCap) return { outcome: 'over-cap' };
  const token = accessTokenFromJson(row.token);
  return { outcome: 'issued', issued: { token, plainTextToken: formatToken(token.id, secret) } };
}

export type RollOutcome =
  | { outcome: 'rolled'; issued: Issued }
  | { outcome: 'not-found' }
  | { outcome: 'not-live'; reason: 'revoked' | 'expired' | 'already-rolled' }
  | { outcome: 'over-cap' };

/**
 * Rolls a live API token: a successor with the same name, abilities, mode and allowlist, made by the
 * roller; the old token stays valid until `overlapSeconds` from now (sooner if it expired sooner
 * anyway) and then fails like any expired token. The successor lives as long as the old one was meant
 * to (expiresAt − createdAt, from now; never expiring if the old one never did), capped by the policy.
 * A revoked, expired or already rolled token is not rolled: the dashboard creates a new one instead,
 * and a token has one successor.
 */
export async function rollApiToken(
  tokenId: bigint,
  organizationId: number,
  overlapSeconds: number,
  prefix: string,
  maxLive: number,
  change: Change,
): Promise<RollOutcome> {
  return db.$transaction(async (tx): Promise<RollOutcome> => {
    const policy = await lockOrganizationPolicy(tx, organizationId);
    const [old] = await tx.$queryRaw<AccessToken[]>`
      SELECT ${Prisma.raw(ACCESS_TOKEN_COLUMNS)} FROM access_tokens
      WHERE id = ${tokenId} AND organization_id = ${organizationId} AND kind = 'API' FOR UPDATE`;
    if (!old) return { outcome: 'not-found' };
    const now = new Date();
    if (old.revokedAt) return { outcome: 'not-live', reason: 'revoked' };
    if (old.expiresAt && old.expiresAt <= now) return { outcome: 'not-live', reason: 'expired' };
    if (old.replacedById !== null) return { outcome: 'not-live', reason: 'already-rolled' };

    const overlapEnd = new Date(now.getTime() + overlapSeconds * 1000);
    const oldExpiresAt = old.expiresAt && old.expiresAt < overlapEnd ? old.expiresAt : overlapEnd;
    // Expire the old token first: with no overlap it no longer counts against the cap.
    await tx.$executeRaw`UPDATE access_tokens SET expires_at = ${oldExpiresAt} WHERE id = ${old.id}`;

    let expiresAt = old.expiresAt ? new Date(now.getTime() + (old.expiresAt.getTime() - old.createdAt.getTime())) : null;
    if (policy.maxLifetimeDays !== null) {
      const longest = new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS);
      if (!expiresAt || expiresAt > longest) expiresAt = longest;
    }
    const issued = await insertUnderCap(
      tx,
      {
        kind: 'API',
        mode: old.mode,
        name: old.name,
        abilities: old.abilities,
        allowedIps: old.allowedIps,
        organizationId,
        createdById: change.userId,
        expiresAt,
      },
      prefix,
      maxLive,
      now,
    );
    if (!issued) throw OVER_CAP; // undoes the old token's new expiry
    await tx.$executeRaw`UPDATE access_tokens SET replaced_by_id = ${issued.token.id} WHERE id = ${old.id}`;
    await audit(tx, 'api_token.rolled', old, change);
    await audit(tx, 'api_token.created', issued.token, change);
    return { outcome: 'rolled', issued };
  }).catch((error: unknown) => {
    if (error === OVER_CAP) return { outcome: 'over-cap' as const };
    throw error;
  });
}

const OVER_CAP = Symbol('over-cap');

/** What updateApiToken changes: an omitted field keeps its value; `allowedIps: []` allows every address. */
export type TokenChanges = { name?: string; allowedIps?: string[] };

/** Changes a token's name and/or allowlist; null when it is not one of the organization's API tokens. */
export async function updateApiToken(
  tokenId: bigint,
  organizationId: number,
  changes: TokenChanges,
  change: Change,
): Promise<AccessToken | null> {
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const { count } = await tx.accessToken.updateMany({
      where: { id: tokenId, organizationId, kind: 'API' },
      data: changes,
    });
    if (count === 0) return null;
    const token = await tx.accessToken.findUniqueOrThrow({ where: { id: tokenId } });
    await audit(tx, 'api_token.updated', token, change);
    return token;
  });
}

/**
 * Revokes an API token for good; revoking it again keeps the first revocation time and records
 * nothing new. False when it is not one of the organization's API tokens.
 */
export async function revokeApiToken(tokenId: bigint, organizationId: number, change: Change): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const token = await tx.accessToken.findFirst({ where: { id: tokenId, organizationId, kind: 'API' } });
    if (!token) return false;
    const { count } = await tx.accessToken.updateMany({
      where: { id: tokenId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count > 0) await audit(tx, 'api_token.revoked', token, change);
    return true;
  });
}

function audit(
  tx: Transaction,
  action: 'api_token.created' | 'api_token.rolled' | 'api_token.updated' | 'api_token.revoked',
  token: { id: bigint; organizationId: number | null },
  change: Change,
) {
  return recordAuditEvent(tx, {
    organizationId: token.organizationId!,
    action,
    actor: { type: 'user', userId: change.userId },
    target: `api_token:${token.id}`,
    origin: change.origin,
  });
}

/** A page of a token list: at most `first` tokens, those after the token `after` (an id) if given. */
export type TokenPage = { first: number; after: bigint | null };

/**
 * A page of the API tokens of the organization `organizationSql`, newest first (createdAt DESC,
 * id DESC), with the revoked ones if `includeRevokedSql`. Keyset paging: the tokens that sort after
 * the `afterSql` token of the same organization; an `after` that is not one of its API tokens
 * compares with NULL, so the page is empty.
 */
const apiTokenPageOf = (organizationSql: string, includeRevokedSql: string, firstSql: string, afterSql: string) =>
  `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens
   WHERE organization_id = ${organizationSql} AND kind = 'API' AND (${includeRevokedSql} OR revoked_at IS NULL)
     AND (${afterSql}::int8 IS NULL OR (created_at, id) < (
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

/**
 * listApiTokensForMember for the owner of the sign-in token `$1` while it is the presented, live
 * token (digest `$2`, at `$3`; isLiveMatchSql), to run alongside the token's look-up (bearer.ts
 * authenticate): no row when the token is not live; one row with `listMember` false when its user
 * is not a member of the organization `$4`; otherwise `listMember` and the page as one JSON array
 * of accessTokenJson arrays (one value to decode rather than 17 columns of each token: on PGlite,
 * decoding the protocol's fields in JavaScript was the larger part of reading the page).
 */
export function apiTokensOfTokenOwner(
  tokenId: bigint,
  digest: string,
  now: Date,
  organizationId: number,
  includeRevoked: boolean,
  page: TokenPage,
): Statement {
  return { ...API_TOKENS_OF_TOKEN_OWNER, params: [tokenId, digest, now, organizationId, includeRevoked, page.first, page.after] };
}

const API_TOKENS_OF_TOKEN_OWNER = {
  name: 'list-api-tokens-json-for-token-owner',
  text: `SELECT memberships.user_id IS NOT NULL AS "listMember",
      (SELECT coalesce(json_agg(${accessTokenJson('token')} ORDER BY token."createdAt" DESC, token.id DESC), '[]')
       FROM (${apiTokenPageOf('memberships.organization_id', '$5', '$6', '$7')}) token) AS tokens
    FROM (SELECT * FROM (SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE id = $1) AS presented
          WHERE kind = 'USER' AND ${isLiveMatchSql('$2', '$3')}) AS auth
    LEFT JOIN memberships ON memberships.user_id = auth."userId" AND memberships.organization_id = $4`,
};

/** The page from apiTokensOfTokenOwner's rows: null for a non-member; undefined when the token was not live. */
export function apiTokensFromOwnerRows(rows: unknown[]): AccessToken[] | null | undefined {
  const row = rows[0] as { listMember: boolean; tokens: unknown } | undefined;
  if (!row) return undefined;
  if (!row.listMember) return null;
  const tokens = (typeof row.tokens === 'string' ? JSON.parse(row.tokens) : row.tokens) as unknown[];
  return tokens.map(accessTokenFromJson);
}

/** The organization's token policy. */
export async function tokenPolicyOf(organizationId: number): Promise<{ maxLifetimeDays: number | null }> {
  const organization = await db.organization.findUnique({
    where: { id: organizationId },
    select: { tokenMaxLifetimeDays: true },
  });
  return { maxLifetimeDays: organization?.tokenMaxLifetimeDays ?? null };
}

/** Sets the organization's token policy; tokens already issued keep their expiry. */
export async function setTokenPolicy(
  organizationId: number,
  maxLifetimeDays: number | null,
  change: Change,
): Promise<{ maxLifetimeDays: number | null }> {
  return db.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: organizationId }, data: { tokenMaxLifetimeDays: maxLifetimeDays } });
    await recordAuditEvent(tx, {
      organizationId,
      action: 'token_policy.updated',
      actor: { type: 'user', userId: change.userId },
      target: `organization:${organizationId}`,
      origin: change.origin,
    });
    return { maxLifetimeDays };
  });
}
