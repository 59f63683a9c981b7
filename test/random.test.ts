import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../src/random.js';
import { generateSecret, checksum } from '../src/auth/tokens.js';

describe('pooledRandomBytes', () => {
  it('hands out fresh bytes of the asked size, across refills of the pool', () => {
    const seen = new Set<string>();
    // 3 × 4 KB: every call after the first crosses or follows a refill at some point.
    for (let i = 0; i < 300; i++) {
      const bytes = pooledRandomBytes(41);
      expect(bytes).toHaveLength(41);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(300);
  });

  it('gives copies: changing what was handed out changes nothing later', () => {
    const first = pooledRandomBytes(16);
    first.fill(0);
    const zeros = Array.from({ length: 50 }, () => pooledRandomBytes(16)).filter((bytes) => bytes.every((byte) => byte === 0));
    expect(zeros).toHaveLength(0);
  });

  it('looks uniform: every byte value turns up in 64 KB', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 16; i++) for (const byte of pooledRandomBytes(4096)) counts[byte]!++;
    expect(Math.min(...counts)).toBeGreaterThan(150); // 256 expected per value
    expect(Math.max(...counts)).toBeLessThan(380);
  });

  it('refuses sizes the pool cannot give at once', () => {
    expect(() => pooledRandomBytes(4097)).toThrow(RangeError);
    expect(() => pooledRandomBytes(-1)).toThrow(RangeError);
    expect(pooledRandomBytes(0)).toHaveLength(0);
  });
});

it('secrets drawn from the pool are 40 alphanumerics and their CRC32, all different', () => {
  const secrets = new Set(Array.from({ length: 500 }, () => generateSecret('bouncer_')));
  expect(secrets.size).toBe(500);
  for (const secret of secrets) {
    const [, entropy, crc] = /^bouncer_([A-Za-z0-9]{40})([0-9a-f]{8})$/.exec(secret)!;
    expect(checksum(entropy!)).toBe(crc);
  }
});
