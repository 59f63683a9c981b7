import { hash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { pooledRandomBytes } from '../random.js';

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
    for (const byte of pooledRandomBytes(length)) {
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
  return hash('sha256', secret, 'hex');
}

export function formatToken(id: bigint | number, secret: string): string {
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
 * `(?<![A-Za-z0-9_-])(?:[1-9][0-9]{0,18}\|)?bouncer_([A-Za-z0-9]{40})([0-9a-f]{8})(?![A-Za-z0-9_-])`.
 */
export function tokenPattern(prefix = ''): RegExp {
  if (!/^[A-Za-z0-9_-]{0,32}$/.test(prefix)) throw new Error('invalid token prefix');
  return new RegExp(
    `(?<![A-Za-z0-9_-])(?:[1-9][0-9]{0,18}\\|)?${prefix}([A-Za-z0-9]{40})([0-9a-f]{8})(?![A-Za-z0-9_-])`,
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

export type ParsedToken = { id: bigint | null; secret: string };

/** Sanctum's ids are bigint: 1 to 2^63-1. */
export const MAX_TOKEN_ID = 9_223_372_036_854_775_807n;
const MAX_TOKEN_ID_TEXT = MAX_TOKEN_ID.toString();
/** Longer than any secret Sanctum issues with a sane token_prefix; keeps refusals cheap. */
export const MAX_SECRET_LENGTH = 255;
/** The whole `<id>|<secret>`, leading zeros of the id included. */
export const MAX_TOKEN_LENGTH = 320;

/**
 * Every secret Sanctum issues (checked against its source):
 * - 3.2.6 and later, 4.x: config('sanctum.token_prefix') (any string; here printable ASCII, no
 *   whitespace) + Str::random(40) + an 8-hex checksum of those 40: hash('crc32b') since 3.3.0 (what
 *   we issue), hash('crc32') in 3.2.6 to 3.2.x;
 * - 2.6 to 3.2.5: Str::random(40);  before 2.6: Str::random(80).
 * A prefix always came with the checksum, so the checksum is what refuses mistyped tokens early.
 */
const PREFIX = /^[\x21-\x7e]*$/;
const CHECKSUMMED = /^[A-Za-z0-9]{40}[0-9a-f]{8}$/;
const BARE_SECRET = /^(?:[A-Za-z0-9]{40}){1,2}$/;
const DIGITS = /^[0-9]+$/;

/** Whether a secret has a shape Sanctum issues (see above), its checksum included. */
export function isSanctumSecret(secret: string): boolean {
  if (secret.length > MAX_SECRET_LENGTH) return false;
  if (BARE_SECRET.test(secret)) return true;
  const tail = secret.slice(-48);
  if (!CHECKSUMMED.test(tail) || !PREFIX.test(secret.slice(0, -48))) return false;
  const entropy = tail.slice(0, 40);
  const sum = tail.slice(40);
  return sum === checksum(entropy) || sum === phpCrc32(entropy);
}

/** A token id from its decimal text, leading zeros allowed as Sanctum's find() allows them; null out of 1..2^63-1. */
export function parseTokenId(text: string): bigint | null {
  if (!DIGITS.test(text)) return null;
  let start = 0;
  while (start < text.length - 1 && text.charCodeAt(start) === 48) start++;
  const digits = start === 0 ? text : text.slice(start);
  if (digits.length > MAX_TOKEN_ID_TEXT.length || (digits.length === MAX_TOKEN_ID_TEXT.length && digits > MAX_TOKEN_ID_TEXT)) {
    return null;
  }
  const id = BigInt(digits);
  return id === 0n ? null : id;
}

/**
 * Splits a presented token into its ID and secret and checks their shapes (the checksum included),
 * so that malformed or mistyped tokens are refused without a database look-up. As Sanctum's
 * findToken: the id is what precedes the first pipe; a token without a pipe is looked up by the hash
 * of the whole. Returns null for anything malformed.
 */
export function parseToken(token: string): ParsedToken | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const pipe = token.indexOf('|');
  let id: bigint | null = null;
  let secret = token;
  if (pipe !== -1) {
    id = parseTokenId(token.slice(0, pipe));
    if (id === null) return null;
    secret = token.slice(pipe + 1);
  }
  return isSanctumSecret(secret) ? { id, secret } : null;
}

/**
 * PHP's hash('crc32'), which Sanctum 3.2.6 to 3.2.x used: the CRC-32/BZIP2 polynomial (MSB first),
 * its bytes written least significant first. '123456789' gives '181989fc'.
 */
export function phpCrc32(text: string): string {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = (crc << 8) ^ BZIP2_TABLE[((crc >>> 24) ^ text.charCodeAt(i)) & 0xff]!;
  crc = ~crc >>> 0;
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(crc);
  return bytes.toString('hex');
}

const BZIP2_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c;
});
