import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically secure random bytes from a pool that one getrandom() system call refills 4 KB at a
 * time, as Node's randomUUID() does for its ids: randomBytes() makes that call for every use, and on
 * the paths that take a few bytes per request (a session's id, a token's secret) the call cost more
 * than its use. Bytes are handed out once and wiped from the pool as they are taken, so the pool
 * never holds bytes that became part of a secret.
 */

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

export function pooledRandomBytes(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size > POOL_BYTES) throw new RangeError(`size must be 0 to ${POOL_BYTES} bytes`);
  if (used + size > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = pool.slice(used, used + size);
  pool.fill(0, used, (used += size));
  return bytes;
}
