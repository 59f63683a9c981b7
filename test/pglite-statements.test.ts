import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteSql } from '../src/db/pglite-statements.js';
import { onPostgres } from './support/database.js';

/** Named prepared statements on PGlite (the hot paths' raw SQL on the embedded database). */
describe.skipIf(onPostgres)('pgliteSql', () => {
  let pglite: PGlite;
  let sql: ReturnType<typeof pgliteSql>;
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    await pglite.exec('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, tags text[], at timestamptz)');
    sql = pgliteSql(pglite);
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
});
