import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver } from 'graphql-scalars';
import type { RequestOrigin } from '../audit/audit-log.js';
import type { Principal, UserPrincipal } from '../auth/bearer.js';
import type { Prefetched } from '../tokens/api-token-prefetch.js';
import type { Config } from '../config.js';
import type { RequestLimits } from '../security/abuse.js';
import { db } from '../db/client.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { forbidden, unauthenticated } from './errors.js';

/**
 * Per request and read-only: who is asking and from where (for the audit log), the server's
 * settings, and the rate limits of the asker.
 */
export type Context = Readonly<{
  principal: Principal | null;
  origin: RequestOrigin;
  config: Config;
  limits: RequestLimits;
  /** Data read in the round trip of the authentication (tokens/api-token-prefetch.ts). */
  prefetched?: Prefetched;
}>;
export type UserContext = Context & Readonly<{ principal: UserPrincipal }>;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { user: boolean };
  AuthContexts: { user: UserContext };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string | number };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin],
  // Fields declare their cost (paged lists: per item of the page, see paging.ts); the limit is
  // enforced before execution by security/graphql.ts, not in the root resolvers.
  complexity: { disabled: true },
  scopeAuth: {
    // The dashboard API is for signed-in users; API tokens are for the REST API.
    authScopes: (context) => ({ user: context.principal?.type === 'user' }),
    unauthorizedError: (_parent, context) =>
      context.principal
        ? forbidden('API tokens cannot use the dashboard API; sign in as a user.')
        : unauthenticated(),
  },
  // New lists are Relay connections (DESIGN.md "Lists are bounded"). No global `node` queries:
  // every object is reached through the viewer's organizations, where access is checked.
  relay: { clientMutationId: 'omit', cursorType: 'String', nodeQueryOptions: false, nodesQueryOptions: false },
  prisma: {
    client: () => db, // a function: `db` is assigned once the database is open
    dmmf: getDatamodel(),
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.queryType({});
builder.mutationType({});
