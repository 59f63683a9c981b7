import { db } from '../db/client.js';

/**
 * Keeps `access_tokens.last_used_at` current to within about a minute without a write per request:
 * uses are collected in memory and written in one batched UPDATE every few seconds, and only for
 * tokens whose stored value is older than FRESH_FOR_MS.
 */

const FRESH_FOR_MS = 60_000;
const FLUSH_EVERY_MS = 10_000;

const pending = new Map<number, Date>();

export function recordTokenUse(tokenId: number, storedLastUsedAt: Date | null, now = new Date()): void {
  if (storedLastUsedAt && now.getTime() - storedLastUsedAt.getTime() < FRESH_FOR_MS) return;
  pending.set(tokenId, now);
}

export async function flushTokenUses(): Promise<void> {
  if (pending.size === 0) return;
  const batch = [...pending];
  pending.clear();
  try {
    await db.$executeRaw`
      UPDATE access_tokens AS t SET last_used_at = u.used_at
      FROM unnest(${batch.map(([id]) => id)}::int[], ${batch.map(([, at]) => at)}::timestamptz[]) AS u(id, used_at)
      WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.used_at)`;
  } catch (error) {
    // Keep the uses for the next attempt, unless a newer use of the same token arrived meanwhile.
    for (const [id, at] of batch) if (!pending.has(id)) pending.set(id, at);
    throw error;
  }
}

/** Flushes periodically until the returned function is called; that one flushes a last time. */
export function startTokenUseFlusher(onError: (error: unknown) => void): () => Promise<void> {
  const timer = setInterval(() => flushTokenUses().catch(onError), FLUSH_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flushTokenUses();
  };
}

/** The stored last use, or a newer one this process has not written yet. */
export function latestTokenUse(tokenId: number, storedLastUsedAt: Date | null): Date | null {
  const pendingUse = pending.get(tokenId);
  return pendingUse && (!storedLastUsedAt || pendingUse > storedLastUsedAt) ? pendingUse : storedLastUsedAt;
}
