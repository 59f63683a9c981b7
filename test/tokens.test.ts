import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checksum,
  formatToken,
  generateSecret,
  hashSecret,
  parseToken,
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
    expect(parseToken(`17|${secret}`)).toEqual({ id: 17, secret });
  });

  it('accepts a secret without id, as Sanctum does, and bare 40-character Sanctum 2 secrets', () => {
    expect(parseToken(secret)).toEqual({ id: null, secret });
    const legacy = secret.slice(0, 40);
    expect(parseToken(`3|${legacy}`)).toEqual({ id: 3, secret: legacy });
  });

  it('accepts a known-good token', () => {
    expect(parseToken(`1|${'B'.repeat(40)}90a9464f`)).toEqual({ id: 1, secret: `${'B'.repeat(40)}90a9464f` });
  });

  it('accepts prefixed secrets, whatever the prefix is now configured to be', () => {
    const prefixed = generateSecret('bnc_');
    expect(parseToken(`5|${prefixed}`)).toEqual({ id: 5, secret: prefixed });
  });

  it.each([
    ['an empty string', ''],
    ['a bad checksum', `1|${secret.slice(0, 40)}00000000`],
    ['a flipped character', `1|${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`],
    ['an upper-case checksum', `1|${'B'.repeat(40)}90A9464F`],
    ['a truncated secret', `1|${secret.slice(0, -1)}`],
    ['a zero id', `0|${secret}`],
    ['a negative id', `-1|${secret}`],
    ['a leading-zero id', `01|${secret}`],
    ['an id beyond the column', `2147483648|${secret}`],
    ['a non-numeric id', `abc|${secret}`],
    ['two pipes', `1|2|${secret}`],
    ['an empty secret', '1|'],
    ['spaces', `1| ${secret}`],
    ['non-ASCII', `1|${secret.slice(0, 39)}é${secret.slice(40)}`],
    ['a 39-character bare secret', secret.slice(0, 39)],
    ['a too long prefix', `1|${'p'.repeat(33)}${secret}`],
  ])('refuses %s', (_label, token) => {
    expect(parseToken(token)).toBeNull();
  });
});
