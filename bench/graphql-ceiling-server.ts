import { createServer } from 'node:http';
import SchemaBuilder from '@pothos/core';
import { DateTimeResolver } from 'graphql-scalars';
import { createYoga } from 'graphql-yoga';
import { useJitForRepeatedDocuments } from '../src/graphql/jit.js';

/**
 * The GraphQL ceiling: the same Yoga + Pothos stack answering `apiTokens` from constant data, with
 * no authentication and no database, a document run again executed by graphql-jit as the server's
 * are (src/graphql/jit.ts). It prints {"msg":"listening","port":N} like the real server.
 */

type Token = { id: number; name: string; abilities: string[]; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null };

// No plugins here; the cast is only because the project's plugins declare their options globally.
const builder = new SchemaBuilder<{ Scalars: { DateTime: { Input: Date; Output: Date } } }>({} as never);
builder.addScalarType('DateTime', DateTimeResolver);
const ApiToken = builder.objectRef<Token>('ApiToken').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    abilities: t.exposeStringList('abilities'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});
const tokens: Token[] = Array.from({ length: 20 }, (_, i) => ({
  id: 20 - i,
  name: `Token ${20 - i}`,
  abilities: ['*'],
  createdAt: new Date(Date.now() - i * 60_000),
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
}));
builder.queryType({
  fields: (t) => ({
    apiTokens: t.field({
      type: [ApiToken],
      args: { organizationId: t.arg.id({ required: true }), includeRevoked: t.arg.boolean({ defaultValue: false }) },
      resolve: () => tokens,
    }),
  }),
});

const yoga = createYoga({ schema: builder.toSchema(), logging: false, graphiql: false, plugins: [useJitForRepeatedDocuments()] });
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => process.exit(0));
