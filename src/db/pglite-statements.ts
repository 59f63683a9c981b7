import { messages, types, type PGlite } from '@electric-sql/pglite';
import type { Sql } from './client.js';
import type { Statement } from './pg-statements.js';

/**
 * Raw SQL on PGlite with named prepared statements, as `pg` keeps them on PostgreSQL. PGlite's
 * query() parses and plans every statement anew, which inside this process costs more than running
 * it (the token check + session insert: about 900 µs against 330 µs prepared). A named statement is
 * parsed and described once; each call then sends Bind, Execute and Sync in one message.
 *
 * The messages are written and read here, in PostgreSQL's wire protocol, rather than through PGlite's
 * execProtocol(): its general-purpose protocol layer (three async locks, a copy of every answer, a
 * message object per field list, a Describe and its parse per call) cost more per statement than
 * PostgreSQL's own work on the short statements of the hot paths. Here calls take the one lock that
 * keeps them out of other callers' transactions, run synchronously in PostgreSQL, and decode the
 * answer's rows with PGlite's own type parsers, from the field list read at preparation.
 *
 * Calls are pipelined: those made in one turn of the event loop (the requests that arrived together)
 * go to PostgreSQL in one message, each call's statements ending in a Sync of their own, so each
 * call is still its own transaction with its own answer or error. POST /api/v2/session under load:
 * 1.7–1.9× the requests per second, about half the CPU per request (docs/performance.md).
 */
export function pgliteSql(pglite: PGlite): Sql {
  return pgliteStatements(pglite).sql;
}

type Field = { name: string; type: number };
type Prepared = { text: string; parameterTypes: number[]; fields: Field[] };
type Parser = (text: string, type: number) => unknown;
type Call = { statements: Statement[]; resolve: (results: unknown[][]) => void; reject: (error: unknown) => void };
type Bound = { name: string; values: Array<string | null> };

/** The most calls sent to PostgreSQL in one message (runQueued). */
const MAX_PIPELINED = 32;

/**
 * pgliteSql, and several named statements run as one transaction in one call (see pg-statements.ts:
 * messages up to one Sync are one implicit transaction; each statement takes its own snapshot).
 */
export function pgliteStatements(pglite: PGlite): {
  sql: Sql;
  transaction: (statements: Statement[]) => Promise<unknown[][]>;
  idle: () => Promise<void>;
} {
  const prepared = new Map<string, Prepared>();
  // int8 as bigint, always: PGlite's own parser gives a number below 2^53 and a bigint above.
  const int8 = { [types.INT8]: (text: string) => BigInt(text) };
  const parsers: Record<number, Parser> = { ...pglite.parsers, ...int8 };
  const writer = new MessageWriter();

  /**
   * Sends one message (ending in Sync) and returns PostgreSQL's whole answer. Synchronous inside
   * PostgreSQL; the caller holds PGlite's transaction lock, which its own query(), exec() and
   * transaction() take too, so no one else's statement or open transaction is in between. Both
   * filesystems the server opens (a directory, memory://) write through, so there is nothing to sync.
   */
  async function exchange(message: Uint8Array): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    await pglite.execProtocolRawStream(message, { syncToFs: false, onRawData: (bytes) => void chunks.push(bytes.slice()) });
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  async function prepare({ name, text }: Statement): Promise<Prepared> {
    const known = prepared.get(name);
    if (known) {
      if (known.text !== text) throw new Error(`Prepared statement ${name} is already another statement`);
      return known;
    }
    const answer = new AnswerReader(await exchange(writer.prepare(name, text)));
    const statement: Prepared = { text, parameterTypes: [], fields: [] };
    answer.read({
      parameterDescription: (parameterTypes) => (statement.parameterTypes = parameterTypes),
      rowDescription: (fields) => (statement.fields = fields),
    });
    prepared.set(name, statement);
    return statement;
  }

  /**
   * Runs the statements (each prepared first if it is not yet) up to one Sync: their rows, in order.
   * Calls wait in `queue` until the event loop's turn ends (the other requests that arrived with this
   * one make theirs) or PostgreSQL is free, and are sent together (see runQueued).
   */
  function run(statements: Statement[]): Promise<unknown[][]> {
    return new Promise((resolve, reject) => {
      queue.push({ statements, resolve, reject });
      if (queue.length === 1 && !draining) setImmediate(drain);
    });
  }

  const queue: Call[] = [];
  let draining = false;

  /** Runs the queued calls, MAX_PIPELINED at a time, until none are left. */
  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) await pglite._runExclusiveTransaction(() => runQueued(queue.splice(0, MAX_PIPELINED)));
    } catch (error) {
      // Only the lock itself can fail here (the database closed): every waiting call learns it.
      for (const call of queue.splice(0)) call.reject(error);
    } finally {
      draining = false;
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  const idleWaiters: Array<() => void> = [];
  /** Resolves once every call made so far has its answer (before the database is closed). */
  const idle = (): Promise<void> =>
    queue.length === 0 && !draining ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));

  /**
   * One message for all `calls`: each call's Bind and Execute messages, then its Sync. PostgreSQL
   * answers each Sync with ReadyForQuery and runs the messages up to it as one implicit transaction,
   * so every call is committed, or rolled back by its own error, on its own, exactly as if it had been
   * sent alone; an error skips the rest of its call only. Sent together, the calls share PGlite's
   * per-message work and run back to back in PostgreSQL's WebAssembly.
   */
  async function runQueued(calls: Call[]): Promise<void> {
    try {
      await pglite._checkReady(); // closed meanwhile: an error for each call, not a call into a stopped PostgreSQL
      const sent: Array<{ call: Call; fields: Field[][]; bound: Bound[] }> = [];
      for (const call of calls) {
        try {
          const described: Prepared[] = [];
          for (const statement of call.statements) described.push(await prepare(statement));
          const bound = call.statements.map(({ name, params }, i) => ({
            name,
            values: params.map((value, p) => serialize(value, described[i]!.parameterTypes[p]!)),
          }));
          sent.push({ call, fields: described.map(({ fields }) => fields), bound });
        } catch (error) {
          call.reject(error); // not preparable (a syntax error, a name taken), or a value PGlite cannot serialise
        }
      }
      if (sent.length === 0) return;
      const answer = new AnswerReader(await exchange(writer.execute(sent.map(({ bound }) => bound))));
      for (const { call, fields } of sent) {
        const results: unknown[][] = [];
        let rows: unknown[] = [];
        try {
          answer.read({
            dataRow: (reader) => rows.push(reader.row(fields[results.length]!, parsers)),
            commandComplete: () => {
              results.push(rows);
              rows = [];
            },
          });
          call.resolve(results);
        } catch (error) {
          call.reject(error);
        }
      }
    } catch (error) {
      for (const call of calls) call.reject(error); // the exchange failed: no call has an answer (settled ones stay so)
    }
  }

  function serialize(value: unknown, type: number): string | null {
    if (value === null || value === undefined) return null;
    const serializer = pglite.serializers[type];
    return serializer ? serializer(value) : String(value);
  }

  const sql = async <Row>(text: string, params: unknown[], name?: string) => {
    if (!name) return (await pglite.query<Row>(text, params, { parsers: int8 })).rows;
    return (await run([{ text, params, name }]))[0] as Row[];
  };

  return { sql, transaction: run, idle };
}

const MESSAGE = { parse: 0x50, describe: 0x44, bind: 0x42, execute: 0x45, sync: 0x53 } as const;
const ANSWER = {
  parameterDescription: 0x74,
  rowDescription: 0x54,
  dataRow: 0x44,
  commandComplete: 0x43,
  error: 0x45,
  readyForQuery: 0x5a,
} as const;

/** Frontend messages in one reusable buffer; each message built is valid until the next is begun. */
class MessageWriter {
  private buffer = Buffer.allocUnsafe(4096);
  private length = 0;
  private messageStart = 0;

  /** Parse, Describe (statement) and Sync. */
  prepare(name: string, text: string): Uint8Array {
    this.length = 0;
    this.begin(MESSAGE.parse);
    this.cstring(name);
    this.cstring(text);
    this.int16(0); // parameter types: as PostgreSQL infers them
    this.end();
    this.begin(MESSAGE.describe);
    this.byte(0x53); // 'S': the statement
    this.cstring(name);
    this.end();
    this.sync();
    return this.buffer.subarray(0, this.length);
  }

  /** For each call: Bind (text values, text results) and Execute of each of its statements, then Sync. */
  execute(calls: Bound[][]): Uint8Array {
    this.length = 0;
    for (const statements of calls) {
      for (const { name, values } of statements) {
        this.begin(MESSAGE.bind);
        this.byte(0); // the unnamed portal
        this.cstring(name);
        this.int16(0); // parameter formats: all text
        this.int16(values.length);
        for (const value of values) this.value(value);
        this.int16(0); // result formats: all text
        this.end();
        this.begin(MESSAGE.execute);
        this.byte(0);
        this.int32(0); // no row limit
        this.end();
      }
      this.sync();
    }
    return this.buffer.subarray(0, this.length);
  }

  private sync(): void {
    this.begin(MESSAGE.sync);
    this.end();
  }

  private begin(code: number): void {
    this.reserve(5);
    this.buffer[this.length] = code;
    this.messageStart = this.length + 1;
    this.length += 5;
  }

  private end(): void {
    this.buffer.writeInt32BE(this.length - this.messageStart, this.messageStart);
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  private int16(value: number): void {
    this.reserve(2);
    this.length = this.buffer.writeInt16BE(value, this.length);
  }

  private int32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeInt32BE(value, this.length);
  }

  private cstring(text: string): void {
    this.reserve(Buffer.byteLength(text) + 1);
    this.length += this.buffer.write(text, this.length);
    this.buffer[this.length++] = 0;
  }

  /** A parameter: its length and UTF-8 text, or -1 for NULL. */
  private value(text: string | null): void {
    if (text === null) return this.int32(-1);
    const bytes = Buffer.byteLength(text);
    this.int32(bytes);
    this.reserve(bytes);
    this.length += this.buffer.write(text, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

type AnswerHandlers = {
  parameterDescription?: (types: number[]) => void;
  rowDescription?: (fields: Field[]) => void;
  dataRow?: (reader: AnswerReader) => void;
  commandComplete?: () => void;
};

/**
 * Backend messages of an answer to one or more Syncs. `read` reads one Sync's part (up to its
 * ReadyForQuery) and throws that part's first ErrorResponse, after reading to its end.
 */
class AnswerReader {
  private readonly buffer: Buffer;
  private offset = 0;

  constructor(answer: Uint8Array) {
    this.buffer = Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength);
  }

  read(handlers: AnswerHandlers): void {
    let error: messages.DatabaseError | undefined;
    const { buffer } = this;
    while (this.offset + 5 <= buffer.length) {
      const code = buffer[this.offset]!;
      const length = buffer.readInt32BE(this.offset + 1);
      const next = this.offset + 1 + length;
      this.offset += 5;
      if (code === ANSWER.error) error ??= this.error(length);
      else if (!error) {
        if (code === ANSWER.dataRow) handlers.dataRow?.(this);
        else if (code === ANSWER.commandComplete) handlers.commandComplete?.();
        else if (code === ANSWER.rowDescription) handlers.rowDescription?.(this.fields());
        else if (code === ANSWER.parameterDescription) handlers.parameterDescription?.(this.parameterTypes());
        // ParseComplete, BindComplete, NoData, notices: nothing to read
      }
      this.offset = next;
      if (code === ANSWER.readyForQuery) break;
    }
    if (error) throw error;
  }

  /** The current DataRow as an object keyed by field name, each value through its type's parser. */
  row(fields: Field[], parsers: Record<number, Parser>): Record<string, unknown> {
    const { buffer } = this;
    const count = buffer.readInt16BE(this.offset);
    let at = this.offset + 2;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const length = buffer.readInt32BE(at);
      at += 4;
      const { name, type } = fields[i]!;
      if (length < 0) {
        row[name] = null;
        continue;
      }
      const text = buffer.toString('utf8', at, at + length);
      at += length;
      const parse = parsers[type];
      row[name] = parse ? parse(text, type) : text;
    }
    return row;
  }

  private fields(): Field[] {
    const count = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    const fields: Field[] = [];
    for (let i = 0; i < count; i++) {
      const name = this.cstring();
      const type = this.buffer.readInt32BE(this.offset + 6); // after the table's oid and the column's number
      this.offset += 18;
      fields.push({ name, type });
    }
    return fields;
  }

  private parameterTypes(): number[] {
    const count = this.buffer.readInt16BE(this.offset);
    return Array.from({ length: count }, (_, i) => this.buffer.readInt32BE(this.offset + 2 + 4 * i));
  }

  /** An ErrorResponse as the DatabaseError PGlite itself throws (code, detail, constraint, …). */
  private error(length: number): messages.DatabaseError {
    const fields: Record<string, string> = {};
    for (let code = this.buffer[this.offset++]; code; code = this.buffer[this.offset++]) {
      fields[String.fromCharCode(code)] = this.cstring();
    }
    const error = new messages.DatabaseError(fields.M ?? 'Unknown database error', length, 'error');
    Object.assign(error, {
      severity: fields.S,
      code: fields.C,
      detail: fields.D,
      hint: fields.H,
      position: fields.P,
      internalPosition: fields.p,
      internalQuery: fields.q,
      where: fields.W,
      schema: fields.s,
      table: fields.t,
      column: fields.c,
      dataType: fields.d,
      constraint: fields.n,
      file: fields.F,
      line: fields.L,
      routine: fields.R,
    });
    return error;
  }

  private cstring(): string {
    const end = this.buffer.indexOf(0, this.offset);
    const text = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return text;
  }
}
