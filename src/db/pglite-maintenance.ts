import type { PGlite } from '@electric-sql/pglite';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { logger } from '../logger.js';

/**
 * Autovacuum for the embedded database. PGlite runs PostgreSQL in single-user mode, where the
 * autovacuum launcher never starts: tables were never analysed, so the planner guessed their sizes
 * (listing 20 of an organization's 1,000 sessions sorted all 1,000 instead of reading 21 from the
 * index: 2–5 ms against 0.1 ms), and never vacuumed, so updated rows (session statuses, token
 * last uses, webhook attempts) stayed as dead rows for good. Every CHECK_EVERY_MS this applies
 * autovacuum's default thresholds to PostgreSQL's own table statistics: VACUUM (ANALYZE) a table
 * with more than 50 + 20 % dead rows, ANALYZE one with more than 50 + 10 % rows changed since its
 * last analysis. Each runs in the database's turn like any statement; a failure is logged and
 * tried again at the next check.
 */

const CHECK_EVERY_MS = 60_000;

/** Tables over autovacuum's thresholds (autovacuum_vacuum_threshold/_scale_factor, analyze likewise). */
const TABLES_DUE = `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS "table",
    n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum
  FROM pg_stat_user_tables
  WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup
  ORDER BY relname`;

/** One round of checks: what was vacuumed or analysed (for tests and the debug log). */
export async function maintainPglite(pglite: PGlite): Promise<string[]> {
  const { rows } = await pglite.query<{ table: string; vacuum: boolean }>(TABLES_DUE);
  const done: string[] = [];
  for (const { table, vacuum } of rows) {
    await pglite.exec(`${vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${table}`);
    done.push(`${vacuum ? 'vacuum' : 'analyze'} ${table}`);
    // The requests' turn between tables: PGlite's statements never wait for I/O, and one VACUUM of
    // a large table holds the event loop for up to a few hundred ms already.
    await nextTurn();
  }
  return done;
}

/**
 * Checks every CHECK_EVERY_MS until stopped (the timer does not keep the process alive); `stop`
 * resolves once a check under way has finished, so the database is not closed under it.
 */
export function startPgliteMaintenance(pglite: PGlite): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= maintainPglite(pglite)
      .then((done) => void (done.length > 0 && logger.debug({ done }, 'embedded database maintained')))
      .catch((error: unknown) => logger.warn({ err: error }, 'embedded database maintenance failed; tried again in a minute'))
      .finally(() => (running = undefined));
  }, CHECK_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
