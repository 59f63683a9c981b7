import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * Several named prepared statements on one `pg` connection as one transaction in one round trip. They
 * are written together (Bind, Describe, Execute each, then a single Sync): PostgreSQL runs messages up
 * to a Sync as one implicit transaction, so an error in any statement rolls back all of them, while
 * each statement still takes its own snapshot (READ COMMITTED), so the rows a statement locks are seen
 * by the next one as the lock holder sees them (a count after a row lock counts every insert
 * committed before the lock was granted).
 *
 * A pg "submittable" (the interface pg-cursor uses): pg's own queries send one Sync each.
 */

const require = createRequire(import.meta.url);
// pg's row parsing and value serialisation, exactly as its own queries use them.
const Result = require('pg/lib/result.js') as new (rowMode: string | undefined, types: unknown) => PgResult;
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

type PgResult = { rows: unknown[]; addFields(fields: unknown): void; parseRow(fields: unknown): unknown; addRow(row: unknown): void };
type Connection = {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(query: { text: string; name: string }): void;
  bind(config: { statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  close(message: { type: 'S'; name: string }): void;
  sync(): void;
};

export type Statement = { text: string; params: unknown[]; name: string };

class StatementBatch {
  callback: ((error: Error | null, results?: unknown[][]) => void) | undefined;
  /** pg gives a query its type parsers here (client.query sets `_result._types`). */
  _result: { _types: unknown } = { _types: undefined };
  private readonly results: PgResult[] = [];
  private current: PgResult | undefined;
  private failed: Error | undefined;
  private connection: Connection | undefined;

  constructor(private readonly statements: Statement[]) {}

  submit(connection: Connection): null {
    this.connection = connection;
    connection.stream.cork?.();
    try {
      for (const { text, params, name } of this.statements) {
        if (connection.parsedStatements[name] !== text) {
          // Not known to be prepared on this connection: a batch that failed may or may not have
          // prepared it, and closing a statement that does not exist is no error.
          connection.close({ type: 'S', name });
          connection.parse({ text, name });
        }
        connection.bind({ statement: name, values: params, valueMapper: prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: unknown }): void {
    this.current = new Result(undefined, this._result._types);
    this.current.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown }): void {
    if (this.failed) return;
    try {
      this.current!.addRow(this.current!.parseRow(message.fields));
    } catch (error) {
      this.failed = error as Error;
    }
  }

  handleCommandComplete(): void {
    this.results.push(this.current ?? new Result(undefined, this._result._types));
    this.current = undefined;
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(): void {}

  handleCopyData(): void {}

  handleError(error: Error): void {
    this.callback?.(this.failed ?? error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return this.handleError(this.failed);
    for (const { name, text } of this.statements) this.connection!.parsedStatements[name] = text;
    this.callback?.(null, this.results.map((result) => result.rows));
  }
}

/** Runs `statements` in one transaction and one round trip on a connection of `pool`; each one's rows, parsed with `types` (pg's own by default). */
export async function pgTransaction(pool: pg.Pool, statements: Statement[], types?: pg.CustomTypesConfig): Promise<unknown[][]> {
  const client = await pool.connect();
  return new Promise<unknown[][]>((resolve, reject) => {
    const batch = new StatementBatch(statements);
    if (types) batch._result._types = types;
    batch.callback = (error, results) => {
      // A statement's error leaves the connection usable; anything else (a timeout, a lost
      // connection) does not, and the pool drops it.
      client.release(error && !isDatabaseError(error) ? error : undefined);
      if (error) reject(error);
      else resolve(results!);
    };
    client.query(batch as unknown as pg.QueryConfig);
  });
}

const isDatabaseError = (error: Error) => 'severity' in error && 'code' in error;
