import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pgliteSql, pgliteStatements } from '../src/db/pglite-statements.js';
import { onPostgres } from './support/database.js';

/** Named prepared statements on PGlite (the hot paths' raw SQL on the embedded database). */
describe.skipIf(onPostgres)('pgliteSql', () => {
  let pglite: PGlite;
  let sql: ReturnType<typeof pgliteSql>;
  let transaction: ReturnType<typeof pgliteStatements>['transaction'];
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    await pglite.exec('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, tags text[], at timestamptz)');
    ({ sql, transaction } = pgliteStatements(pglite));
  });
  afterAll(() => pglite.close());

  const insert = (id: number, name: string) =>
    sql<{ id: number }>('INSERT INTO items (id, name, tags, at) VALUES ($1, $2, $3, $4) RETURNING id', [id, name, ['a', 'b'], new Date(0)], 'insert-item');

  it('gives the same rows, typed the same way, as PGlite query()', async () => {
    await insert(1, 'one');
    const text = 'SELECT id, name, tags, at FROM items WHERE id = $1';
    const named = await sql(text, [1], 'item-by-id');
    expect(named).toEqual((await pglite.query(text, [1])).rows);
    expect(named).toEqual([{ id: 1, name: 'one', tags: ['a', 'b'], at: new Date(0) }]);
    expect(await sql(text, [2], 'item-by-id')).toEqual([]);
  });

  it('reports a failing execution and stays usable, the statement still prepared', async () => {
    await insert(2, 'two');
    await expect(insert(2, 'again')).rejects.toMatchObject({ code: '23505' });
    await expect(sql('SELECT 1 / $1::int AS x', [0], 'divide')).rejects.toMatchObject({ code: '22012' });
    expect(await sql('SELECT 1 / $1::int AS x', [1], 'divide')).toEqual([{ x: 1 }]);
    expect(await insert(3, 'three')).toEqual([{ id: 3 }]);
  });

  it('never runs inside a transaction someone else has open', async () => {
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = pglite.transaction(async (tx) => {
      await tx.query("INSERT INTO items (id, name) VALUES (10, 'in the transaction')");
      inside();
      await released;
      await tx.rollback();
    });
    await holding;
    const outside = insert(11, 'outside');
    release();
    await transaction;
    expect(await outside).toEqual([{ id: 11 }]);
    const names = await sql<{ name: string }>('SELECT name FROM items WHERE id IN (10, 11)', [], 'names');
    expect(names).toEqual([{ name: 'outside' }]); // kept, though the transaction rolled back
  });

  it('runs several statements as one transaction: the rows of each in order, all rolled back when one fails', async () => {
    const add = (id: number) => ({ text: "INSERT INTO items (id, name) VALUES ($1, 'batch') RETURNING id", params: [id], name: 'add-batch-item' });
    const count = { text: "SELECT count(*) AS n FROM items WHERE name = 'batch'", params: [], name: 'count-batch-items' };
    expect(await transaction([add(20), count, add(21), count])).toEqual([[{ id: 20 }], [{ n: 1n }], [{ id: 21 }], [{ n: 2n }]]);
    await expect(transaction([add(22), add(20)])).rejects.toMatchObject({ code: '23505', constraint: 'items_pkey', table: 'items' });
    expect(await sql("SELECT id FROM items WHERE name = 'batch' ORDER BY id", [], 'batch-ids')).toEqual([{ id: 20 }, { id: 21 }]);
  });

  it('carries NULLs, multi-byte text and an answer larger than PGlite writes at once', async () => {
    const name = 'Zoë — 東京 🚀'.repeat(50);
    await sql('INSERT INTO items (id, name, tags, at) VALUES ($1, $2, $3, $4)', [30, name, null, null], 'insert-nullable-item');
    expect(await sql('SELECT name, tags, at FROM items WHERE id = $1', [30], 'item-30')).toEqual([{ name, tags: null, at: null }]);
    const rows = await sql<{ n: number; text: string }>(
      "SELECT n, repeat('é', 500) || n AS text FROM generate_series(1, $1::int) AS n",
      [2000],
      'many-rows',
    );
    expect(rows).toHaveLength(2000);
    expect(rows[1999]).toEqual({ n: 2000, text: `${'é'.repeat(500)}2000` });
  });

  it('answers calls made at once each on its own: a failing one takes nothing of the others with it', async () => {
    // Made in one turn of the event loop, these calls reach PostgreSQL in one message (MAX_PIPELINED
    // at a time): each call is still its own transaction, with its own rows or its own error.
    const add = (id: number) => ({ text: "INSERT INTO items (id, name) VALUES ($1, 'pipelined') RETURNING id", params: [id], name: 'add-pipelined-item' });
    const exchanges = vi.spyOn(pglite, 'execProtocolRawStream');
    const calls = Array.from({ length: 100 }, (_, i) => {
      const id = 1000 + i;
      if (i % 10 === 3) return insert(1000, 'taken id'); // a unique violation (1000 is the first call's)
      if (i % 10 === 5) return sql('SELEC nothing', [], `syntax-error-${i}`); // cannot be prepared
      if (i % 10 === 7) return transaction([add(id), add(1000)]); // rolled back whole, its first insert too
      if (i % 10 === 9) return sql('SELECT 1 / $1::int AS x', [0], 'divide');
      return insert(id, `call ${i}`);
    });
    const settled = await Promise.allSettled(calls);
    // 100 calls in a handful of messages: ten failed preparations, one preparation, ⌈100 / 32⌉ runs.
    expect(exchanges.mock.calls.length).toBeLessThanOrEqual(15);
    exchanges.mockRestore();
    settled.forEach((outcome, i) => {
      const id = 1000 + i;
      if (i % 10 === 3) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
      else if (i % 10 === 5) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '42601' } });
      else if (i % 10 === 7) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
      else if (i % 10 === 9) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
      else expect(outcome).toEqual({ status: 'fulfilled', value: [{ id }] });
    });
    const stored = await sql<{ id: number }>('SELECT id FROM items WHERE id >= 1000 ORDER BY id', [], 'pipelined-ids');
    const kept = Array.from({ length: 100 }, (_, i) => i).filter((i) => [0, 1, 2, 4, 6, 8].includes(i % 10));
    expect(stored.map((row) => row.id)).toEqual(kept.map((i) => 1000 + i));
  });

  it('answers calls made before closing, once idle, and refuses the ones after', async () => {
    const own = await PGlite.create('memory://');
    const { sql: ownSql, idle } = pgliteStatements(own);
    const before = Array.from({ length: 3 }, () => ownSql('SELECT 1 AS one', [], 'one'));
    await idle(); // as closeDatabase does before closing
    await own.close();
    for (const call of before) expect(await call).toEqual([{ one: 1 }]);
    await expect(ownSql('SELECT 1 AS one', [], 'one')).rejects.toThrow('PGlite is closed');
  });

  it('refuses, rather than runs or leaves waiting, calls that find the database closing', async () => {
    const own = await PGlite.create('memory://');
    const { sql: ownSql } = pgliteStatements(own);
    const waiting = Array.from({ length: 3 }, () => ownSql('SELECT 1 AS one', [], 'one'));
    await own.close();
    const settled = await Promise.allSettled(waiting);
    for (const outcome of settled) expect(outcome).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/PGlite is clos/) } });
  });

  it('refuses a statement name already prepared for another text', async () => {
    await sql('SELECT 1 AS one', [], 'taken-name');
    await expect(sql('SELECT 2 AS two', [], 'taken-name')).rejects.toThrow(/already another statement/);
    expect(await sql('SELECT 1 AS one', [], 'taken-name')).toEqual([{ one: 1 }]);
  });
});
