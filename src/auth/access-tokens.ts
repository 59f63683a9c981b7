import { db } from '../db/client.js';
import type { AccessToken, TokenKind } from '../generated/prisma/client.js';
import { formatToken, generateSecret, hashSecret, parseToken, secretMatchesHash } from './tokens.js';

/** Abilities an API token can hold; `*` grants every ability. */
export const ABILITIES = ['*', 'session:create', 'session:read'] as const;
export type Ability = (typeof ABILITIES)[number];

export function isAbility(value: string): value is Ability {
  return (ABILITIES as readonly string[]).includes(value);
}

export function tokenCan(abilities: readonly string[], ability: Ability): boolean {
  return abilities.includes('*') || abilities.includes(ability);
}

export type NewAccessToken = {
  kind: TokenKind;
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
 * The token a presented bearer string names, if it is genuine, unrevoked and unexpired; otherwise
 * null. Malformed strings and bad checksums are refused without touching the database.
 */
export async function findLiveToken(presented: string, now = new Date()): Promise<AccessToken | null> {
  const parsed = parseToken(presented);
  if (!parsed) return null;
  const token =
    parsed.id === null
      ? await db.accessToken.findUnique({ where: { tokenHash: hashSecret(parsed.secret) } })
      : await db.accessToken.findUnique({ where: { id: parsed.id } });
  if (!token || !secretMatchesHash(parsed.secret, token.tokenHash)) return null;
  if (token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  return token;
}

/** Revokes a token for good; revoking it again keeps the first revocation time. */
export async function revokeAccessToken(id: number): Promise<void> {
  await db.accessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}
