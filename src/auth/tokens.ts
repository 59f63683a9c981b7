import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Laravel Sanctum's token format: `<id>|<secret>`, where the secret is an optional prefix (for secret
 * scanning), 40 random characters [A-Za-z0-9] and the 8-hex-digit CRC32 (crc32b) of those 40.
 * Only the SHA-256 hex digest of the secret is stored, exactly as Sanctum stores it.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const ENTROPY_LENGTH = 40;
/** The largest multiple of 62 below 256: bytes at or above it are discarded, so every character is equally likely. */
const UNBIASED_BYTE_LIMIT = 256 - (256 % ALPHABET.length);

function randomAlphanumeric(length: number): string {
  let result = '';
  while (result.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < UNBIASED_BYTE_LIMIT && result.length < length) result += ALPHABET[byte % ALPHABET.length];
    }
  }
  return result;
}

export function checksum(entropy: string): string {
  return crc32(entropy).toString(16).padStart(8, '0');
}

/** A new secret: prefix + 40 random characters + their CRC32. */
export function generateSecret(prefix = ''): string {
  const entropy = randomAlphanumeric(ENTROPY_LENGTH);
  return `${prefix}${entropy}${checksum(entropy)}`;
}

/** What people see to tell tokens apart: the secret's last 4 characters (of its CRC32, so they reveal nothing of the 40 random ones). */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function formatToken(id: number, secret: string): string {
  return `${id}|${secret}`;
}

/** Compares a stored SHA-256 hex digest with the digest of a presented secret in constant time. */
export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/**
 * For secret scanners: finds candidate Bouncer tokens (`<id>|` optional) made with `prefix` in any
 * text. Group 1 is the 40 random characters and group 2 their CRC32; a candidate is a Bouncer token
 * when `checksum(group 1) === group 2` (see isBouncerToken), which rules out random 48-character runs.
 * With TOKEN_PREFIX=bouncer_ the pattern is
 * `(?<![A-Za-z0-9_-])(?:[1-9][0-9]{0,9}\|)?bouncer_([A-Za-z0-9]{40})([0-9a-f]{8})(?![A-Za-z0-9_-])`.
 */
export function tokenPattern(prefix = ''): RegExp {
  if (!/^[A-Za-z0-9_-]{0,32}$/.test(prefix)) throw new Error('invalid token prefix');
  return new RegExp(
    `(?<![A-Za-z0-9_-])(?:[1-9][0-9]{0,9}\\|)?${prefix}([A-Za-z0-9]{40})([0-9a-f]{8})(?![A-Za-z0-9_-])`,
    'g',
  );
}

/** The pattern for tokens made without a prefix (TOKEN_PREFIX unset); prefer tokenPattern(prefix). */
export const TOKEN_PATTERN = tokenPattern('');

/** Whether `text`, as a whole, is a token made with `prefix`: the shape and the CRC32 check. */
export function isBouncerToken(text: string, prefix = ''): boolean {
  const match = new RegExp(`^${tokenPattern(prefix).source}$`).exec(text);
  return match !== null && checksum(match[1]!) === match[2];
}

/** Every Bouncer token (shape and checksum) made with `prefix` that occurs in `text`. */
export function findBouncerTokens(text: string, prefix = ''): string[] {
  return [...text.matchAll(tokenPattern(prefix))].filter((m) => checksum(m[1]!) === m[2]).map((m) => m[0]);
}

export type ParsedToken = { id: number | null; secret: string };

const MAX_TOKEN_ID = 2_147_483_647;
/** Any prefix (it may have changed since the token was made), the 40 characters and their checksum. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{0,32}([A-Za-z0-9]{40})([0-9a-f]{8})$/;
/** Sanctum 2 made bare 40-character secrets; imported ones keep working. */
const LEGACY_SECRET_SHAPE = /^[A-Za-z0-9]{40}$/;

/**
 * Splits a presented token into its ID and secret and checks its shape and checksum, so that
 * malformed or mistyped tokens are refused without a database look-up. A token without `<id>|`
 * is accepted as Sanctum accepts it (looked up by its hash). Returns null for anything malformed.
 */
export function parseToken(token: string): ParsedToken | null {
  const pipe = token.indexOf('|');
  let id: number | null = null;
  let secret = token;
  if (pipe !== -1) {
    const idText = token.slice(0, pipe);
    if (!/^[1-9][0-9]{0,9}$/.test(idText)) return null;
    id = Number(idText);
    if (id > MAX_TOKEN_ID) return null;
    secret = token.slice(pipe + 1);
  }
  if (LEGACY_SECRET_SHAPE.test(secret)) return { id, secret };
  const shape = SECRET_SHAPE.exec(secret);
  if (!shape || shape[2] !== checksum(shape[1]!)) return null;
  return { id, secret };
}
