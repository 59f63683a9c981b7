import { unwrittenRequests, utcDay } from '../auth/token-usage.js';
import { sql } from '../db/client.js';

/** Requests per UTC day of an API token (DESIGN.md "Token lifecycle": `usage(days)`). */

export const DEFAULT_USAGE_DAYS = 30;
export const MAX_USAGE_DAYS = 90;

export type UsageDay = { date: string; requests: number };

/**
 * The last `days` UTC days up to today, oldest first, days without use as 0: the stored counts of
 * every process plus the ones this process has not written yet.
 */
export async function tokenUsage(tokenId: bigint, days: number, now = new Date()): Promise<UsageDay[]> {
  const rows = await sql<{ date: string; requests: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS date, requests FROM token_usage_days
     WHERE token_id = $1 AND day > $2::date - $3::int AND day <= $2::date`,
    [tokenId, utcDay(now), days],
    'token-usage-days',
  );
  const stored = new Map(rows.map((row) => [row.date, Number(row.requests)]));
  const unwritten = unwrittenRequests(tokenId);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, index) => {
    const date = utcDay(new Date(today - (days - 1 - index) * 86_400_000));
    return { date, requests: (stored.get(date) ?? 0) + (unwritten.get(date) ?? 0) };
  });
}
