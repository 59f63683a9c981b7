import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, parsePostgresUrl, sql, sqlTransaction } from '../src/db/client.js';
import { PgPipeline, PIPELINED_CONNECTIONS } from '../src/db/pg-statements.js';
import { isDatabaseUnavailable } from '../src/security/unavailable.js';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from './support/database.js';

/**
 * The hot paths' statements on PostgreSQL, pipelined on a few shared connections (db/pg-statements.ts
 * PgPipeline): the calls of one turn of the event loop leave in one write to one connection, each
 * still its own transaction.
 */
describe.skipIf(!onPostgres)('PgPipeline', () => {
  const databaseUrl = freshDatabaseUrl()!;
  const { connectionString, schema } = onPostgres ? parsePostgresUrl(databaseUrl) : { connectionString: '', schema: '' };
  const config = { connectionString, options: `-c search_path="${schema}"` };
  const admin = new pg.Client({ connectionString });
  let pipeline: PgPipeline;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE "${schema}".items (id int PRIMARY KEY, name text NOT NULL)`);
    pipeline = new PgPipeline(config, pg.Client, pg.types, PIPELINED_CONNECTIONS);
  });
  afterAll(async () => {
    await pipeline?.close();
    await admin.end();
    await dropSchemaOf(databaseUrl);
  });

  const insert = (id: number, name: string) =>
    pipeline.run([{ text: 'INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id', params: [id, name], name: 'insert-item' }]);
  const backendPid = () => pipeline.run([{ text: 'SELECT pg_backend_pid() AS pid', params: [], name: 'backend-pid' }]);

  it('answers a hundred calls made at once each on its own, on at most PIPELINED_CONNECTIONS connections', async () => {
    const add = (id: number) => ({ text: "INSERT INTO items (id, name) VALUES ($1, 'pair') RETURNING id", params: [id], name: 'add-pair-item' });
    const calls = Array.from({ length: 100 }, (_, i) => {
      const id = 1000 + i;
      if (i % 10 === 3) return insert(1000, 'taken id'); // a unique violation (1000 is the first call's)
      if (i % 10 === 5) return pipeline.run([{ text: 'SELEC nothing', params: [], name: `syntax-error-${i}` }]);
      if (i % 10 === 7) return pipeline.run([add(id), add(1000)]); // rolled back whole, its first insert too
      if (i % 10 === 9) return pipeline.run([{ text: 'SELECT 1 / $1::int AS x', params: [0], name: 'divide' }]);
      return insert(id, `call ${i}`);
    });
    const settled = await Promise.allSettled(calls);
    settled.forEach((outcome, i) => {
      const id = 1000 + i;
      if (i % 10 === 3 || i % 10 === 7) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
      else if (i % 10 === 5) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '42601' } });
      else if (i % 10 === 9) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
      else expect(outcome).toEqual({ status: 'fulfilled', value: [[{ id }]] });
    });
    const { rows } = await admin.query(`SELECT id FROM "${schema}".items WHERE id >= 1000 ORDER BY id`);
    const kept = Array.from({ length: 100 }, (_, i) => i).filter((i) => [0, 1, 2, 4, 6, 8].includes(i % 10));
    expect(rows.map((row) => row.id)).toEqual(kept.map((i) => 1000 + i));

    // The statements that failed before are prepared anew and answer.
    expect(await pipeline.run([{ text: 'SELECT 1 / $1::int AS x', params: [1], name: 'divide' }])).toEqual([[{ x: 1 }]]);
    // A pool would have given these calls ten connections.
    const pids = await Promise.all(Array.from({ length: 100 }, backendPid));
    expect(new Set(pids.map(([[row]]: any) => row.pid)).size).toBeLessThanOrEqual(PIPELINED_CONNECTIONS);
  });

  it('fails the calls on a connection that is lost, as an outage, and answers the next ones on a new one', async () => {
    const sleeping = pipeline.run([{ text: 'SELECT pg_sleep(5)', params: [], name: 'sleep' }]);
    const behind = insert(2000, 'behind the sleep');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows: running } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)'`);
    expect(running).toHaveLength(1);
    await admin.query('SELECT pg_terminate_backend($1)', [running[0].pid]);
    for (const outcome of await Promise.allSettled([sleeping, behind])) {
      expect(outcome.status).toBe('rejected');
      expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(await insert(2001, 'after')).toEqual([[{ id: 2001 }]]);
    const pids = await Promise.all(Array.from({ length: 10 }, backendPid));
    expect(pids.map(([[row]]: any) => row.pid)).not.toContain(running[0].pid);
  });

  it('gives up on a statement past query_timeout and goes on with a new connection', async () => {
    const impatient = new PgPipeline({ ...config, query_timeout: 300 }, pg.Client, pg.types, 1);
    try {
      const startedAt = Date.now();
      const slow = impatient.run([{ text: 'SELECT pg_sleep(3)', params: [], name: 'sleep' }]);
      await expect(slow).rejects.toSatisfy(isDatabaseUnavailable);
      expect(Date.now() - startedAt).toBeLessThan(2000);
      expect(await impatient.run([{ text: 'SELECT 1 AS one', params: [], name: '' }])).toEqual([[{ one: 1 }]]);
    } finally {
      await impatient.close();
    }
  });

  it('closes once the calls already made are answered, and refuses the ones after', async () => {
    const own = new PgPipeline(config, pg.Client, pg.types, PIPELINED_CONNECTIONS);
    const before = Array.from({ length: 3 }, () => own.run([{ text: 'SELECT 1 AS one', params: [], name: 'one' }]));
    await own.close();
    for (const call of before) expect(await call).toEqual([[{ one: 1 }]]);
    await expect(own.run([{ text: 'SELECT 1 AS one', params: [], name: 'one' }])).rejects.toSatisfy(isDatabaseUnavailable);
  });
});

describe.skipIf(!onPostgres)('statements on a connection of their own', () => {
  const databaseUrl = freshDatabaseUrl();
  beforeAll(() => openDatabase({ databaseUrl }));
  afterAll(async () => {
    await closeDatabase();
    await dropSchemaOf(databaseUrl);
  });

  it('hold up no pipelined call: one waiting for a lock, and one sorting many rows', async () => {
    const [organization] = await sql<{ id: number }>(`INSERT INTO organizations (name) VALUES ('Locked') RETURNING id`, []);
    const id = organization!.id;
    const { connectionString, schema } = parsePostgresUrl(databaseUrl!);
    const holder = new pg.Client({ connectionString, options: `-c search_path="${schema}"` });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM organizations WHERE id = $1 FOR UPDATE', [id]);
      // Made in the same turn: pipelined, the quick call would wait behind the lock.
      const waiting = sqlTransaction([{ text: 'SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', params: [id], name: 'lock-org' }], { ownConnection: true });
      const quick = sql<{ one: number }>('SELECT 1 AS one', [], 'one');
      let waited = false;
      void waiting.then(() => (waited = true));
      expect(await quick).toEqual([{ one: 1 }]);
      expect(waited).toBe(false);
      await holder.query('COMMIT');
      expect(await waiting).toEqual([[{ id }]]);
    } finally {
      await holder.end();
    }
    const slow = sql('SELECT pg_sleep(1)', [], 'sleep', { ownConnection: true });
    const startedAt = Date.now();
    expect(await sql<{ one: number }>('SELECT 1 AS one', [], 'one')).toEqual([{ one: 1 }]);
    expect(Date.now() - startedAt).toBeLessThan(500);
    await slow;
  });
});
