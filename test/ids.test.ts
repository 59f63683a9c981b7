import { validate, version } from 'uuid';
import { describe, expect, it, vi } from 'vitest';
import { newUuidV7 } from '../src/db/ids.js';

describe('newUuidV7', () => {
  it('carries the creation time in its first 48 bits', () => {
    const before = Date.now();
    const id = newUuidV7();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now());
  });

  it('makes valid, unique version-7 UUIDs, beyond one fill of its random pool', () => {
    const ids = Array.from({ length: 2000 }, newUuidV7);
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(id[19]).toMatch(/[89ab]/); // RFC 9562 variant
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Random bits differ between ids (not one pooled slice handed out twice).
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });

  // Last: the module's clock stays in 2030 afterwards (ids never go back).
  it('orders ids by creation, within one millisecond too', () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z'), toFake: ['Date'] });
    try {
      const sameMillisecond = Array.from({ length: 600 }, newUuidV7);
      vi.setSystemTime(new Date('2030-01-01T00:00:00.001Z'));
      const next = Array.from({ length: 10 }, newUuidV7);
      const ids = [...sameMillisecond, ...next];
      expect([...ids].sort()).toEqual(ids);
      const millisecond = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(sameMillisecond.every((id) => millisecond(id) === Date.parse('2030-01-01T00:00:00.000Z'))).toBe(true);
      expect(millisecond(next[0]!)).toBe(Date.parse('2030-01-01T00:00:00.001Z'));
      // A clock set back does not make ids go back.
      vi.setSystemTime(new Date('2030-01-01T00:00:00.000Z'));
      expect(newUuidV7() > next.at(-1)!).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
