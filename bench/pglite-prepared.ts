import { parse, protocol, types, type PGlite } from '@electric-sql/pglite';

/**
 * Named prepared statements on PGlite through its own public protocol API — `execProtocol()` and
 * PGlite's message parser and row decoding — as the ceilings' database layer: PGlite as shipped,
 * preparing like `pg`'s `name` does for the PostgreSQL ceilings (PGlite's query() parses and plans
 * every call). The server has its own, leaner layer (src/db/pglite-statements.ts); this is the
 * layer it had before, kept here unchanged so the ceilings measure the library, not our code.
 */
export function pglitePrepared(pglite: PGlite) {
  const parameterTypes = new Map<string, number[]>();
  const parsers = { ...pglite.parsers, [types.INT8]: (text: string) => BigInt(text) };
  const exclusive = <T>(fn: () => Promise<T>) => pglite._runExclusiveTransaction(() => pglite.runExclusive(fn));

  async function prepare(name: string, text: string): Promise<number[]> {
    const { messages } = await pglite.execProtocol(
      Buffer.concat([protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
    );
    const found = parse.parseDescribeStatementResults(messages);
    parameterTypes.set(name, found);
    return found;
  }

  return async <Row>(text: string, params: unknown[], name: string): Promise<Row[]> =>
    exclusive(async () => {
      const found = parameterTypes.get(name) ?? (await prepare(name, text));
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serialize = pglite.serializers[found[i]!];
        return serialize ? serialize(value) : String(value);
      });
      const { serialize } = protocol;
      const { messages } = await pglite.execProtocol(
        Buffer.concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      );
      return parse.parseResults(messages, parsers)[0]!.rows as Row[];
    });
}
