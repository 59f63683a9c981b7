import { parse, protocol, types, type PGlite } from '@electric-sql/pglite';
import type { Sql } from './client.js';
import type { Statement } from './pg-statements.js';

/**
 * Raw SQL on PGlite with named prepared statements, as `pg` keeps them on PostgreSQL. PGlite's
 * query() parses and plans every statement anew, which inside this process costs more than running
 * it (the token check + session insert: about 900 µs against 330 µs prepared). A named statement is
 * parsed once; each call then sends Bind, Describe, Execute and Sync in one message.
 */
export function pgliteSql(pglite: PGlite): Sql {
  return pgliteStatements(pglite).sql;
}

/**
 * pgliteSql, and several named statements run as one transaction in one call (see pg-statements.ts:
 * messages up to one Sync are one implicit transaction; each statement takes its own snapshot).
 */
export function pgliteStatements(pglite: PGlite): { sql: Sql; transaction: (statements: Statement[]) => Promise<unknown[][]> } {
  const parameterTypes = new Map<string, number[]>();
  // int8 as bigint, always: PGlite's own parser gives a number below 2^53 and a bigint above.
  const int8 = { [types.INT8]: (text: string) => BigInt(text) };
  const parsers = { ...pglite.parsers, ...int8 };

  /** Under the same two locks PGlite's own query() takes: never inside someone else's transaction. */
  const exclusive = <T>(fn: () => Promise<T>) => pglite._runExclusiveTransaction(() => pglite.runExclusive(fn));

  async function prepare(name: string, text: string): Promise<number[]> {
    const { messages } = await pglite.execProtocol(
      concat(protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()),
    );
    const types = parse.parseDescribeStatementResults(messages);
    parameterTypes.set(name, types);
    return types;
  }

  /** Bind, Describe and Execute of a prepared statement (prepared first if it is not yet). */
  async function execute({ text, params, name }: Statement): Promise<Uint8Array[]> {
    const types = parameterTypes.get(name) ?? (await prepare(name, text));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = pglite.serializers[types[i]!];
      return serialize ? serialize(value) : String(value);
    });
    const { serialize } = protocol;
    return [serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({})];
  }

  const sql = async <Row>(text: string, params: unknown[], name?: string) => {
    if (!name) return (await pglite.query<Row>(text, params, { parsers: int8 })).rows;
    return exclusive(async () => {
      const { messages } = await pglite.execProtocol(concat(...(await execute({ text, params, name })), protocol.serialize.sync()));
      return parse.parseResults(messages, parsers)[0]!.rows as Row[];
    });
  };

  const transaction = (statements: Statement[]) =>
    exclusive(async () => {
      const parts: Uint8Array[] = [];
      for (const statement of statements) parts.push(...(await execute(statement)));
      const { messages } = await pglite.execProtocol(concat(...parts, protocol.serialize.sync()));
      return parse.parseResults(messages, parsers).map((result) => result.rows);
    });

  return { sql, transaction };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
