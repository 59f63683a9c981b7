import { findLiveToken } from './access-tokens.js';
import { recordTokenUse } from './token-usage.js';

/** Who is asking: a signed-in dashboard user or an organization's API token. */
export type UserPrincipal = Readonly<{ type: 'user'; userId: number; tokenId: number }>;
export type ApiTokenPrincipal = Readonly<{
  type: 'apiToken';
  tokenId: number;
  organizationId: number;
  abilities: readonly string[];
}>;
export type Principal = UserPrincipal | ApiTokenPrincipal;

export type Authentication =
  | { status: 'anonymous' }
  /** Credentials were presented but are not valid: the request is refused with 401. */
  | { status: 'invalid' }
  | { status: 'authenticated'; principal: Principal };

const ANONYMOUS: Authentication = { status: 'anonymous' };
const INVALID: Authentication = { status: 'invalid' };

/** Longer than any token we issue (id, pipe, 32-character prefix, 48 characters) with room to spare. */
const MAX_HEADER_LENGTH = 256;
const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/**
 * The one bearer-token resolver for every request, GraphQL and REST: reads `Authorization: Bearer
 * <token>` (scheme case-insensitive), verifies the token and yields the principal. Each use of a
 * valid token is recorded for `lastUsedAt`.
 */
export async function authenticate(authorization: string | null): Promise<Authentication> {
  if (authorization === null) return ANONYMOUS;
  if (authorization.length > MAX_HEADER_LENGTH) return INVALID;
  const presented = BEARER.exec(authorization)?.[1];
  if (!presented) return INVALID;
  const token = await findLiveToken(presented);
  if (!token) return INVALID;
  recordTokenUse(token.id, token.lastUsedAt);
  if (token.kind === 'USER' && token.userId !== null) {
    return { status: 'authenticated', principal: { type: 'user', userId: token.userId, tokenId: token.id } };
  }
  if (token.kind === 'API' && token.organizationId !== null) {
    return {
      status: 'authenticated',
      principal: {
        type: 'apiToken',
        tokenId: token.id,
        organizationId: token.organizationId,
        abilities: token.abilities,
      },
    };
  }
  return INVALID;
}
