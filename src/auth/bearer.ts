import type { TokenMode } from '../generated/prisma/client.js';
import { countTokenVerification } from '../metrics.js';
import { sqlTransaction, type Statement } from '../db/client.js';
import { addressAllowed, findTokenRow, TOKEN_BY_ID, tokenCheckRow, verifyTokenRow, type TokenCheckRow } from './access-tokens.js';
import { recordTokenUse } from './token-usage.js';
import { MAX_TOKEN_LENGTH, parseToken, type ParsedToken } from './tokens.js';

/** Who is asking: a signed-in dashboard user or an organization's API token. */
export type UserPrincipal = Readonly<{ type: 'user'; userId: number; tokenId: bigint }>;
export type ApiTokenPrincipal = Readonly<{
  type: 'apiToken';
  tokenId: bigint;
  organizationId: number;
  abilities: readonly string[];
  /** TEST tokens create test sessions. */
  mode: TokenMode;
}>;
export type Principal = UserPrincipal | ApiTokenPrincipal;

export type Authentication =
  | { status: 'anonymous' }
  /** Credentials were presented but are not valid: the request is refused with 401. */
  | { status: 'invalid' }
  /** A live API token used from an address outside its allowlist: REST answers 403. */
  | { status: 'address-refused' }
  | { status: 'authenticated'; principal: Principal };

const ANONYMOUS: Authentication = { status: 'anonymous' };
const INVALID: Authentication = { status: 'invalid' };

/** `Bearer `, the longest token parseToken accepts, and room for spaces. */
const MAX_HEADER_LENGTH = 16 + MAX_TOKEN_LENGTH;
const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/**
 * Reads `Authorization: Bearer <token>` (scheme case-insensitive) without touching the database:
 * null when the header is absent, 'invalid' when it cannot hold a token of ours.
 */
export function readBearer(authorization: string | null): ParsedToken | null | 'invalid' {
  if (authorization === null) return null;
  const parsed = authorization.length <= MAX_HEADER_LENGTH && parseToken(BEARER.exec(authorization)?.[1] ?? '');
  if (parsed) return parsed;
  countTokenVerification('malformed');
  return 'invalid';
}

/** A live token presented from an address its allowlist does not hold (see addressAllowed). */
export const ADDRESS_REFUSED = 'address-refused';

/**
 * The principal a stored token stands for, if it is the one presented, live at `now` and allowed
 * from `clientIp`; records the use (lastUsedAt, lastUsedIp, requests per day). Every way of
 * verifying a token ends here. A refused address is no use of the token.
 */
export function principalFor(
  token: TokenCheckRow | null,
  credentials: ParsedToken,
  now: Date,
  clientIp: string | null,
): Principal | typeof ADDRESS_REFUSED | null {
  const outcome = verifyTokenRow(token, credentials.secret, now);
  countTokenVerification(outcome);
  if (outcome !== 'accepted' || !token) return null;
  if (!addressAllowed(token.allowedIps, clientIp)) return ADDRESS_REFUSED;
  recordTokenUse(token.id, token.lastUsedAt, clientIp, token.kind === 'API', now);
  if (token.kind === 'USER' && token.userId !== null) {
    return { type: 'user', userId: token.userId, tokenId: token.id };
  }
  if (token.kind === 'API' && token.organizationId !== null) {
    return {
      type: 'apiToken',
      tokenId: token.id,
      organizationId: token.organizationId,
      abilities: token.abilities,
      mode: token.mode,
    };
  }
  return null;
}

const ADDRESS_REFUSAL: Authentication = { status: 'address-refused' };

/**
 * A statement to run in the same round trip as the token look-up (sqlTransaction), given the
 * presented credentials and the `now` the token is verified at. It must act only for the token's
 * owner while that token is live (isLiveMatchSql with the digest of the presented secret): it runs
 * whatever the verdict, and its rows are handed over only with an `authenticated` answer.
 */
export type Alongside = (credentials: ParsedToken & { id: bigint }, now: Date) => Statement | null;

/**
 * The one bearer-token resolver for every request, GraphQL and REST: reads the Authorization
 * header, verifies the token and yields the principal. `clientIp` is the request's client address
 * (security/client-address.ts clientIp); unknown, it passes only tokens without an allowlist.
 * `alongside` (optional) is run in the same round trip; its rows come back as `alongside`.
 */
export async function authenticate(
  authorization: string | null,
  clientIp: string | null = null,
  alongside?: Alongside,
): Promise<Authentication & { alongside?: unknown[] }> {
  const credentials = readBearer(authorization);
  if (credentials === null) return ANONYMOUS;
  if (credentials === 'invalid') return INVALID;
  const now = new Date();
  const extra = credentials.id === null ? null : alongside?.(credentials as ParsedToken & { id: bigint }, now);
  let row: TokenCheckRow | null;
  let rows: unknown[] | undefined;
  if (extra) {
    const [tokens, extraRows] = await sqlTransaction([{ ...TOKEN_BY_ID, params: [credentials.id] }, extra]);
    row = tokenCheckRow((tokens![0] as { token: unknown } | undefined)?.token);
    rows = extraRows;
  } else {
    row = await findTokenRow(credentials);
  }
  const principal = principalFor(row, credentials, now, clientIp);
  if (principal === ADDRESS_REFUSED) return ADDRESS_REFUSAL;
  return principal ? { status: 'authenticated', principal, ...(rows && { alongside: rows }) } : INVALID;
}
