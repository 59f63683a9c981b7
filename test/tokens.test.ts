import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checksum,
  formatToken,
  generateSecret,
  hashSecret,
  parseToken,
  parseTokenId,
  phpCrc32,
  secretMatchesHash,
} from '../src/auth/tokens.js';

describe('token format (Sanctum)', () => {
  it('uses CRC32b, the checksum PHP calls crc32b', () => {
    expect(checksum('123456789')).toBe('cbf43926'); // the standard CRC-32 check value
    expect(checksum('a')).toBe('e8b7be43');
  });

  it('makes secrets of 40 alphanumerics and their checksum', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    expect(secret.slice(40)).toBe(checksum(secret.slice(0, 40)));
  });

  it('puts the configured prefix in front', () => {
    const secret = generateSecret('bouncer_');
    expect(secret).toMatch(/^bouncer_[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    expect(secret.slice(-8)).toBe(checksum(secret.slice(8, 48)));
  });

  it('never repeats a secret and uses the whole alphabet', () => {
    const secrets = Array.from({ length: 2000 }, () => generateSecret().slice(0, 40));
    expect(new Set(secrets).size).toBe(secrets.length);
    const seen = new Set(secrets.join(''));
    expect(seen.size).toBe(62);
  });

  it('stores the SHA-256 hex of the secret, as Sanctum does', () => {
    const secret = generateSecret();
    expect(hashSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(secretMatchesHash(secret, hashSecret(secret))).toBe(true);
    expect(secretMatchesHash(`${secret.slice(0, -1)}x`, hashSecret(secret))).toBe(false);
    expect(secretMatchesHash(secret, 'not a hash')).toBe(false);
  });

  it('formats `<id>|<secret>`', () => {
    expect(formatToken(42, 'abc')).toBe('42|abc');
  });
});

describe('parseToken', () => {
  const secret = generateSecret();

  it('reads the id and the secret', () => {
    expect(parseToken(`17|${secret}`)).toEqual({ id: 17n, secret });
  });

  it('accepts a secret without id, as Sanctum does, and bare 40-character Sanctum 2 secrets', () => {
    expect(parseToken(secret)).toEqual({ id: null, secret });
    const legacy = secret.slice(0, 40);
    expect(parseToken(`3|${legacy}`)).toEqual({ id: 3n, secret: legacy });
  });

  it('accepts a known-good token', () => {
    expect(parseToken(`1|${'B'.repeat(40)}90a9464f`)).toEqual({ id: 1n, secret: `${'B'.repeat(40)}90a9464f` });
  });

  it('accepts prefixed secrets, whatever the prefix is now configured to be', () => {
    const prefixed = generateSecret('bnc_');
    expect(parseToken(`5|${prefixed}`)).toEqual({ id: 5n, secret: prefixed });
  });

  it.each([
    ['an empty string', ''],
    ['a bad checksum', `1|${secret.slice(0, 40)}00000000`],
    ['a flipped character', `1|${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`],
    ['an upper-case checksum', `1|${'B'.repeat(40)}90A9464F`],
    ['a truncated secret', `1|${secret.slice(0, -1)}`],
    ['a zero id', `0|${secret}`],
    ['a negative id', `-1|${secret}`],
    ['a zero id with leading zeros', `000|${secret}`],
    ['an id beyond bigint', `9223372036854775808|${secret}`],
    ['an id beyond bigint, with leading zeros', `009223372036854775808|${secret}`],
    ['a 20-digit id', `10000000000000000000|${secret}`],
    ['a decimal id', `1.5|${secret}`],
    ['an id with a sign', `+1|${secret}`],
    ['a non-numeric id', `abc|${secret}`],
    ['a pipe inside the 40 characters', `1|${secret.slice(0, 20)}|${secret.slice(21)}`],
    ['an 81-character bare secret', `1|${'a'.repeat(81)}`],
    ['a 79-character bare secret', `1|${'a'.repeat(79)}`],
    ['a prefix with a space', `1|my prefix_${secret}`],
    ['a prefix with a control character', `1|pre\tfix_${secret}`],
    ['a secret over 255 characters', `1|${'p'.repeat(208)}${secret}`],
    ['an empty secret', '1|'],
    ['spaces', `1| ${secret}`],
    ['non-ASCII', `1|${secret.slice(0, 39)}é${secret.slice(40)}`],
    ['a 39-character bare secret', secret.slice(0, 39)],
    ['a prefix on a secret without checksum', `1|bnc_${secret.slice(0, 40)}`],
  ])('refuses %s', (_label, token) => {
    expect(parseToken(token)).toBeNull();
  });
});

/** Every secret shape Sanctum has issued, made as its HasApiTokens does (see isSanctumSecret). */
describe('parseToken accepts every token Sanctum issues', () => {
  const entropy = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7n';
  const eighty = `${entropy}${entropy.split('').reverse().join('')}`;

  it("computes PHP's hash('crc32') (Sanctum 3.2.6 to 3.2.x), whose check value is 181989fc", () => {
    expect(phpCrc32('123456789')).toBe('181989fc');
    expect(checksum('123456789')).toBe('cbf43926'); // hash('crc32b'), for comparison
  });

  it.each([
    ['4.x, no prefix', `1|${entropy}${checksum(entropy)}`, 1n],
    ['4.x, a prefix with dots, longer than 32', `2|acme.production.integrations.key.v2.${entropy}${checksum(entropy)}`, 2n],
    ['4.x, a prefix of punctuation', `3|!#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~${entropy}${checksum(entropy)}`, 3n],
    ['4.x, a prefix holding a pipe', `4|a|b_${entropy}${checksum(entropy)}`, 4n],
    ['3.2.6, hash("crc32")', `5|legacy_${entropy}${phpCrc32(entropy)}`, 5n],
    ['2.6 to 3.2.5, 40 characters', `6|${entropy}`, 6n],
    ['before 2.6, 80 characters', `7|${eighty}`, 7n],
    ['leading zeros', `007|${eighty}`, 7n],
    ['an id past 2^31-1', `2147483648|${entropy}`, 2147483648n],
    ['an id past 2^53', `9007199254740993|${entropy}`, 9007199254740993n],
    ['the largest bigint', `9223372036854775807|${entropy}`, 9223372036854775807n],
    ['the largest bigint with leading zeros', `0009223372036854775807|${entropy}`, 9223372036854775807n],
  ])('%s', (_label, token, id) => {
    const parsed = parseToken(token);
    expect(parsed).toEqual({ id, secret: token.slice(token.indexOf('|') + 1) });
  });

  it('reads ids as Sanctum finds them', () => {
    expect(parseTokenId('0042')).toBe(42n);
    expect(parseTokenId('0')).toBeNull();
    expect(parseTokenId('')).toBeNull();
    expect(parseTokenId('9223372036854775808')).toBeNull();
  });
});
