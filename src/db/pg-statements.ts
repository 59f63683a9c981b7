import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * Named prepared statements on `pg` connections, several as one transaction in one round trip. They
 * are written together (Bind, Describe, Execute each, then a single Sync): PostgreSQL runs messages up
 * to a Sync as one implicit transaction, so an error in any statement rolls back all of them, while
 * each statement still takes its own snapshot (READ COMMITTED), so the rows a statement locks are seen
 * by the next one as the lock holder sees them (a count after a row lock counts every insert
 * committed before the lock was granted).
 *
 * Such a batch is a pg Query of its own kind (the submittable interface pg-cursor uses), which pg
 * sends on a pool's connection (pgTransaction) or pipelines on a shared one (PgPipeline).
 */

const require = createRequire(import.meta.url);
// pg's row parsing, value serialisation and query class, exactly as its own queries use them.
const Result = require('pg/lib/result.js') as new (rowMode: string | undefined, types: unknown) => PgResult;
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };
// pg's pipeline mode takes Query instances only (it refuses submittables that hold a portal open
// across round trips; a batch does not).
const PgQuery = require('pg/lib/query.js') as new (config: object) => object;

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

/** A statement with its parameters; `name` keeps it prepared on the connection ('' : parsed each time). */
export type Statement = { text: string; params: unknown[]; name: string };

const asIs = (value: unknown) => value;

class StatementBatch extends (PgQuery as new (config: object) => object) {
  callback: ((error: Error | null, results?: unknown[][]) => void) | undefined;
  /** pg gives a query its type parsers here (client.query sets `_result._types`). */
  _result: { _types: unknown } = { _types: undefined };
  private readonly results: PgResult[] = [];
  private current: PgResult | undefined;
  private failed: Error | undefined;
  private connection: Connection | undefined;

  constructor(private readonly statements: Statement[]) {
    super({});
  }

  /** Writes the batch; a value that cannot be sent fails it before anything is written. */
  submit(connection: Connection): Error | null {
    this.connection = connection;
    let values: unknown[][];
    try {
      values = this.statements.map((statement) => statement.params.map(prepareValue));
    } catch (error) {
      return error as Error;
    }
    connection.stream.cork?.();
    try {
      this.statements.forEach(({ text, name }, index) => {
        // Not known to be prepared on this connection: a batch that failed (or one still on its way)
        // may or may not have prepared it, and closing a statement that does not exist is no error.
        if (name === '') connection.parse({ text, name });
        else if (connection.parsedStatements[name] !== text) {
          connection.close({ type: 'S', name });
          connection.parse({ text, name });
        }
        connection.bind({ statement: name, values: values[index]!, valueMapper: asIs });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      });
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
    // Which of its statements this batch left prepared is not known: they are prepared anew.
    for (const { name } of this.statements) delete this.connection?.parsedStatements[name];
    this.callback?.(this.failed ?? error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return this.handleError(this.failed);
    for (const { name, text } of this.statements) if (name !== '') this.connection!.parsedStatements[name] = text;
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
      client.release(error && breaksConnection(error) ? error : undefined); // the pool drops it
      if (error) reject(error);
      else resolve(results!);
    };
    client.query(batch as unknown as pg.QueryConfig);
  });
}

/**
 * Whether an error leaves its connection unusable: a statement's error (PostgreSQL's, with a
 * severity and a code) does not; anything else (a timeout, a lost connection) does.
 */
const breaksConnection = (error: Error) => !('severity' in error && 'code' in error);

/**
 * Pipelined connections per process, besides the pool's (Prisma's, and statements that may take
 * long: db/client.ts Sql `ownConnection`); a turn's calls go to the one with the fewest calls in
 * flight. Two let PostgreSQL run a process's statements on two cores; one or four measured the same
 * within noise on two cores (docs/performance.md, seventh pass).
 */
export const PIPELINED_CONNECTIONS = 2;

/**
 * Statements on a few connections shared by every caller, pipelined (pg's pipeline mode): the calls
 * made in one turn of the event loop (the requests that arrived together) are written to one
 * connection in one write, each call's statements ending in a Sync of their own, so each call is
 * still its own transaction with its own answer or error, and PostgreSQL answers them in order. A
 * round trip per request costs each side a write, a read and a wake-up; here they are shared
 * (docs/performance.md, seventh pass).
 *
 * A call waits behind the ones written before it on its connection: statements that may take long
 * (a lock wait, a sort of many rows, a background job's) run on a pool connection instead
 * (pgTransaction; db/client.ts Sql `ownConnection`). A connection that fails or times out (pg destroys a pipelined connection
 * when a statement's query_timeout passes: its answers can no longer be told apart) fails the calls
 * on it and is replaced by the next call.
 */
export class PgPipeline {
  private readonly connections: PipelinedConnection[] = [];
  /** Where this turn's calls go; cleared when the turn's write is sent. */
  private current: PipelinedConnection | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly Client: typeof pg.Client,
    private readonly types: pg.CustomTypesConfig,
    private readonly maxConnections: number,
  ) {}

  /** Runs `statements` as one transaction; each one's rows, in order. */
  run(statements: Statement[]): Promise<unknown[][]> {
    if (this.closed) return Promise.reject(new Error('Client was closed and is not queryable'));
    const connection = this.current ?? this.connectionForThisTurn();
    return connection.run(statements);
  }

  /** Waits for the calls already made (each bounded by query_timeout), then closes the connections. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.connections.map((connection) => connection.close()));
  }

  /**
   * The connection with the fewest calls in flight, or a new one when every connection has calls in
   * flight and there may be more. Its socket is corked until the turn ends, so that this turn's
   * calls leave in one write.
   */
  private connectionForThisTurn(): PipelinedConnection {
    for (let i = this.connections.length - 1; i >= 0; i--) if (this.connections[i]!.broken) this.connections.splice(i, 1);
    let chosen = this.connections.reduce<PipelinedConnection | undefined>((best, c) => (!best || c.inFlight < best.inFlight ? c : best), undefined);
    if (!chosen || (chosen.inFlight > 0 && this.connections.length < this.maxConnections)) {
      chosen = new PipelinedConnection(new this.Client({ ...this.config, pipeline: true } as pg.ClientConfig), this.types);
      this.connections.push(chosen);
    }
    this.current = chosen;
    const uncork = chosen.cork();
    setImmediate(() => {
      this.current = undefined;
      uncork();
    });
    return chosen;
  }
}

class PipelinedConnection {
  inFlight = 0;
  broken = false;
  private readonly connected: Promise<unknown>;
  private idle: (() => void) | undefined;

  constructor(
    private readonly client: pg.Client,
    private readonly types: pg.CustomTypesConfig,
  ) {
    const broken = () => void (this.broken = true);
    client.on('error', broken); // reported to the calls on it by pg
    client.on('end', broken);
    this.connected = client.connect().catch(broken);
  }

  run(statements: Statement[]): Promise<unknown[][]> {
    this.inFlight++;
    return new Promise<unknown[][]>((resolve, reject) => {
      const batch = new StatementBatch(statements);
      batch._result._types = this.types;
      batch.callback = (error, results) => {
        if (error && breaksConnection(error)) this.broken = true; // the next turn's calls go elsewhere
        if (--this.inFlight === 0) this.idle?.();
        if (error) reject(error);
        else resolve(results!);
      };
      // pg queues the batch until the connection is ready, and fails it if connecting fails.
      this.client.query(batch as unknown as pg.QueryConfig);
    });
  }

  /** Holds back writes to the socket until the returned function is called (pg swaps it for TLS while connecting). */
  cork(): () => void {
    const { stream } = (this.client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection;
    stream.cork();
    return () => stream.uncork();
  }

  async close(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.connected;
    if (!this.broken) await this.client.end();
  }
}
