import { db } from '../db/client.js';

/**
 * Token use bookkeeping without a write per request (DESIGN.md "Token lifecycle"):
 * - `access_tokens.last_used_at` and `last_used_ip`, current to within about a minute: written only
 *   for tokens whose stored value is older than FRESH_FOR_MS;
 * - requests per API token per UTC day (`token_usage_days`): every use is counted in memory and the
 *   counts are added to the stored ones (requests = requests + n), so processes sharing a database
 *   add up.
 * Both are written by one transaction every FLUSH_EVERY_MS, and a last time at shutdown.
 */

const FRESH_FOR_MS = 60_000;
const FLUSH_EVERY_MS = 10_000;

type LastUse = { at: Date; ip: string | null };

const pendingLastUses = new Map<bigint, LastUse>();
/** Requests not yet written, by token id and then UTC day (YYYY-MM-DD). */
const pendingCounts = new Map<bigint, Map<string, number>>();

const DAY_MS = 86_400_000;
/** The last day utcDay formatted, and its bounds: every request of a day asks for the same one. */
let lastDay = { from: 0, to: 0, text: '' };

/** The UTC day of `date`, YYYY-MM-DD. */
export function utcDay(date: Date): string {
  const time = date.getTime();
  if (time < lastDay.from || time >= lastDay.to) {
    const from = Math.floor(time / DAY_MS) * DAY_MS;
    lastDay = { from, to: from + DAY_MS, text: date.toISOString().slice(0, 10) };
  }
  return lastDay.text;
}

/** Counts one use of a token; `countsRequests` for API tokens (sign-in tokens keep only their last use). */
export function recordTokenUse(
  tokenId: bigint,
  storedLastUsedAt: Date | null,
  ip: string | null,
  countsRequests: boolean,
  now = new Date(),
): void {
  if (countsRequests) addCount(tokenId, utcDay(now), 1);
  if (storedLastUsedAt && now.getTime() - storedLastUsedAt.getTime() < FRESH_FOR_MS) return;
  pendingLastUses.set(tokenId, { at: now, ip });
}

function addCount(tokenId: bigint, day: string, requests: number): void {
  let days = pendingCounts.get(tokenId);
  if (!days) pendingCounts.set(tokenId, (days = new Map()));
  days.set(day, (days.get(day) ?? 0) + requests);
}

export async function flushTokenUses(): Promise<void> {
  if (pendingLastUses.size === 0 && pendingCounts.size === 0) return;
  const lastUses = [...pendingLastUses];
  const counts = [...pendingCounts].flatMap(([id, days]) => [...days].map(([day, n]) => ({ id, day, n })));
  pendingLastUses.clear();
  pendingCounts.clear();
  try {
    await db.$transaction([
      db.$executeRaw`
        UPDATE access_tokens AS t SET last_used_at = u.used_at, last_used_ip = u.ip
        FROM unnest(${lastUses.map(([id]) => id)}::int8[], ${lastUses.map(([, use]) => use.at)}::timestamptz[],
                    ${lastUses.map(([, use]) => use.ip)}::text[]) AS u(id, used_at, ip)
        WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.used_at)`,
      // Joined with access_tokens: a token deleted meanwhile (its organization was) is skipped, not an error.
      db.$executeRaw`
        INSERT INTO token_usage_days (token_id, day, requests)
        SELECT u.id, u.day, u.n
        FROM unnest(${counts.map((c) => c.id)}::int8[], ${counts.map((c) => c.day)}::date[], ${counts.map((c) => c.n)}::int[]) AS u(id, day, n)
        JOIN access_tokens ON access_tokens.id = u.id
        ON CONFLICT (token_id, day) DO UPDATE SET requests = token_usage_days.requests + EXCLUDED.requests`,
    ]);
  } catch (error) {
    // Keep everything for the next attempt: counts add to newer ones, a newer last use wins.
    for (const [id, use] of lastUses) if (!pendingLastUses.has(id)) pendingLastUses.set(id, use);
    for (const { id, day, n } of counts) addCount(id, day, n);
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
export function latestTokenUse(
  tokenId: bigint,
  stored: { lastUsedAt: Date | null; lastUsedIp: string | null },
): { lastUsedAt: Date | null; lastUsedIp: string | null } {
  const pendingUse = pendingLastUses.get(tokenId);
  return pendingUse && (!stored.lastUsedAt || pendingUse.at > stored.lastUsedAt)
    ? { lastUsedAt: pendingUse.at, lastUsedIp: pendingUse.ip }
    : stored;
}

/** Requests of a token this process counted but has not written yet, by UTC day. */
export function unwrittenRequests(tokenId: bigint): ReadonlyMap<string, number> {
  return pendingCounts.get(tokenId) ?? new Map();
}
