import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, sql, sqlTransaction } from '../src/db/client.js';
import { dropSchemaOf, freshDatabaseUrl } from './support/database.js';

/** Several named statements as one transaction in one round trip (db/pg-statements.ts, pglite-statements.ts). */
describe('sqlTransaction', () => {
  const databaseUrl = freshDatabaseUrl();
  beforeAll(async () => {
    await openDatabase({ databaseUrl, dataDir: 'memory://' });
    await sql('CREATE TABLE tx_items (id int PRIMARY KEY, name text NOT NULL, at timestamptz)', []);
  });
  afterAll(async () => {
    await closeDatabase();
    await dropSchemaOf(databaseUrl);
  });

  const insert = (id: number, name: string) => ({
    name: 'tx-insert',
    text: 'INSERT INTO tx_items (id, name, at) VALUES ($1, $2, $3) RETURNING id, name, at',
    params: [id, name, new Date(0)],
  });
  const count = { name: 'tx-count', text: 'SELECT count(*)::int AS n FROM tx_items', params: [] };

  it("gives each statement's rows in order; a later statement sees the earlier ones' writes", async () => {
    const results = await sqlTransaction([insert(1, 'one'), insert(2, 'two'), count]);
    expect(results).toEqual([[{ id: 1, name: 'one', at: new Date(0) }], [{ id: 2, name: 'two', at: new Date(0) }], [{ n: 2 }]]);
    // Prepared now: the same statements again.
    expect(await sqlTransaction([insert(3, 'three'), count])).toEqual([[{ id: 3, name: 'three', at: new Date(0) }], [{ n: 3 }]]);
  });

  it('rolls back every statement when one fails, and stays usable', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(sqlTransaction([insert(10, 'ten'), insert(1, 'duplicate'), count])).rejects.toMatchObject({ code: '23505' });
    }
    // A statement first prepared in a failed batch.
    await expect(
      sqlTransaction([insert(11, 'eleven'), { name: 'tx-divide', text: 'SELECT 1 / $1::int AS x', params: [0] }]),
    ).rejects.toMatchObject({ code: '22012' });
    expect(await sqlTransaction([{ name: 'tx-divide', text: 'SELECT 1 / $1::int AS x', params: [1] }, count])).toEqual([[{ x: 1 }], [{ n: 3 }]]);
    expect(await sql('SELECT id FROM tx_items ORDER BY id', [])).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
