import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGLITE_START_PARAMS } from '../src/db/client.js';
import { applyMigrations, readMigrations } from '../src/db/migrate.js';
import { maintainPglite } from '../src/db/pglite-maintenance.js';
import { CURRENT_STATUS_SQL, SESSION_RECORD_COLUMNS } from '../src/sessions/sessions.js';
import { countTurnsDuring } from './support/event-loop.js';

/** listSessions' statement (GET /api/v2/sessions), as the server prepares it. */
const LIST_SESSIONS = `SELECT ${SESSION_RECORD_COLUMNS} FROM verification_sessions
  WHERE organization_id = $1 AND livemode = $2
    AND ($3::text IS NULL OR ${CURRENT_STATUS_SQL} = $3::text) AND ($4::uuid IS NULL OR id < $4::uuid)
  ORDER BY id DESC LIMIT $5`;

describe('the embedded database without autovacuum', () => {
  let pglite: PGlite;

  /** Makes the statistics of what just ran visible (PostgreSQL flushes them at most once a second). */
  const flushStatistics = async () => {
    await pglite.query('SELECT pg_stat_force_next_flush()');
    await pglite.query('SELECT 1');
  };

  /** The plan of a page of organization 2's sessions, as the prepared statement's generic plan. */
  const listPlan = async () => {
    await pglite.exec('SET plan_cache_mode = force_generic_plan');
    const { rows } = await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE list(2, true, NULL, NULL, 21)`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  beforeAll(async () => {
    pglite = await PGlite.create('memory://', { startParams: PGLITE_START_PARAMS }); // the server's settings
    await applyMigrations(
      { query: (text, params) => pglite.query(text, params), exec: async (script) => void (await pglite.exec(script)) },
      await readMigrations(),
    );
    await pglite.exec(`
      INSERT INTO organizations (id, name) VALUES (1, 'Busy'), (2, 'Small');
      INSERT INTO verification_sessions (id, organization_id, age_target, redirect_url, issued_at, expires_at)
        SELECT gen_random_uuid(), 1 + (g % 10 = 0)::int, 18, 'https://shop.example/done', now(), now() + interval '1 hour'
        FROM generate_series(1, 10000) g;
      PREPARE list(int, bool, text, uuid, int) AS ${LIST_SESSIONS};`);
    await flushStatistics();
  });

  afterAll(async () => {
    await pglite?.close();
  });

  it('analyses changed tables, so a page of sessions reads 21 rows from the index instead of sorting them all', async () => {
    expect(await listPlan()).toMatch(/Sort/); // the planner's guess before any analysis
    // Only tables past the thresholds: the two organizations are below autovacuum's 50 rows.
    expect(await maintainPglite(pglite)).toEqual(['analyze public.verification_sessions']);
    const plan = await listPlan();
    expect(plan).toMatch(/Index Scan using verification_sessions_organization_id_livemode_id_idx/);
    expect(plan).not.toMatch(/Sort/);
    expect(await maintainPglite(pglite)).toEqual([]); // nothing changed since
  });

  it("analyses with the server's statistics target: 10 values per column", async () => {
    // The table was analysed by the first test (the one before, which found the index plan with them).
    const { rows } = await pglite.query<{ values: number }>(
      `SELECT max(array_length(histogram_bounds::text::text[], 1))::int AS values FROM pg_stats
       WHERE tablename = 'verification_sessions' AND attname = 'id'`,
    );
    expect(rows[0]!.values).toBe(11); // 10 buckets (100 with PostgreSQL's default)
  });

  it('vacuums a table whose updates left more than a fifth of its rows dead', async () => {
    await pglite.exec(`UPDATE verification_sessions SET status = 'cancelled' WHERE organization_id = 1 AND random() < 0.5`);
    await flushStatistics();
    expect(await maintainPglite(pglite)).toEqual(['vacuum public.verification_sessions']);
    await flushStatistics();
    const { rows } = await pglite.query<{ dead: number }>(
      `SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = 'verification_sessions'`,
    );
    expect(rows[0]!.dead).toBe(0);
  });

  it('lets the requests run between the tables it maintains', async () => {
    await pglite.exec(`
      INSERT INTO audit_events (organization_id, action, actor_type) SELECT 1, 'test', 'system' FROM generate_series(1, 100);
      UPDATE verification_sessions SET status = 'expired' WHERE organization_id = 1 AND status = 'created' AND random() < 0.5`);
    await flushStatistics();
    const { result: done, turns } = await countTurnsDuring(() => maintainPglite(pglite));
    expect(done).toEqual(['analyze public.audit_events', 'vacuum public.verification_sessions']);
    expect(turns).toBeGreaterThanOrEqual(done.length);
  });
});
