import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, maskError as defaultMaskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from '../auth/bearer.js';
import type { Config } from '../config.js';
import { pingDatabase } from '../db/client.js';
import { GRAPHIQL_OPTIONS, type GraphiQL } from '../graphiql.js';
import { useCompression } from '../http/compression.js';
import { logger } from '../logger.js';
import { BEARER_MESSAGE, rateLimitedError, requestLimits } from '../security/abuse.js';
import { graphqlHardening } from '../security/graphql.js';
import type { RateLimits } from '../security/rate-limits.js';
import { clientIp } from '../security/client-address.js';
import { isDatabaseUnavailable, resourcesRecentlyFailed, unavailableError } from '../security/unavailable.js';
import type { Context } from './builder.js';
import { unauthenticated } from './errors.js';
import { schema } from './schema.js';
import { apiTokensAlongside } from '../tokens/api-token-prefetch.js';
import { useJitForRepeatedDocuments } from './jit.js';
import { useStorableStrings } from './storable-strings.js';

export type NodeContext = { req: IncomingMessage; res: ServerResponse };
export type GraphqlServer = YogaServerInstance<NodeContext, Context>;

/** Yoga with the dashboard's API at /graphql (and GraphiQL); it also answers /ready. */
export function createGraphqlServer(
  config: Config,
  graphiql: GraphiQL,
  limits: RateLimits,
  clientAddress: (request: IncomingMessage) => string | null,
): GraphqlServer {
  return createYoga<NodeContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphql.graphiql && GRAPHIQL_OPTIONS,
    renderGraphiQL: graphiql.render,
    cors: false, // the edge answers CORS (security/headers.ts)
    batching: false,
    // graphqlHardening's body limit enforces GRAPHQL_MAX_BODY_BYTES; Yoga's own 25 MB limit would
    // pipe every body through a second, looser counting stream.
    maxRequestBodySize: false,
    landingPage: false,
    // Yoga reports at error level every error that maskError replaced: maskError has already
    // logged the bugs among them, and a database outage is one warning per request (below), so
    // Yoga's copy is debug only.
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.debug({ yoga: args }, 'error reported by Yoga (logged by maskError if unexpected)'),
    },
    maskedErrors: {
      maskError(error, message) {
        if (isDatabaseUnavailable(error)) return unavailableError(error);
        const masked = defaultMaskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while handling a request');
        return masked;
      },
    },
    // A presented token that is not valid refuses the whole request with 401 (429 once its client
    // address failed too often), before any resolver runs.
    // A plain apiTokens query reads its page in the same round trip (api-token-prefetch.ts).
    context: async ({ req, params }) => {
      const ip = clientIp(req, config.trustProxy);
      const prefetch = req.headers.authorization ? apiTokensAlongside(params) : null;
      const auth = await authenticate(req.headers.authorization ?? null, ip, prefetch?.alongside);
      const address = clientAddress(req);
      if (auth.status === 'invalid') {
        const wait = await limits.bearerFailed(address);
        throw wait > 0 ? rateLimitedError(BEARER_MESSAGE, wait) : unauthenticated('Invalid, expired or revoked bearer token.');
      }
      return {
        principal: auth.status === 'authenticated' ? auth.principal : null,
        origin: { ip, userAgent: req.headers['user-agent'] ?? null },
        config,
        limits: requestLimits(limits, address),
        ...(auth.status === 'authenticated' && auth.principal.type === 'user' && auth.alongside && { prefetched: prefetch!.prefetched(auth.alongside) }),
      };
    },
    plugins: [
      graphiql.plugin,
      ...graphqlHardening(config),
      useStorableStrings(),
      useJitForRepeatedDocuments(),
      readinessCheck({
        // Ready when the database answers within DATABASE_TIMEOUT_MS and no write failed for lack of
        // space lately. The reason goes to the log, not to whoever asks.
        check: async () => {
          if (resourcesRecentlyFailed()) return readiness(false);
          try {
            await pingDatabase();
            return readiness(true);
          } catch (error) {
            logger.warn({ err: error }, 'not ready: the database does not answer');
            return readiness(false);
          }
        },
      }),
      warnOncePerUnavailableRequest(),
      useCompression(), // last: it sends the headers that the plugins before it set
    ],
  });
}

/**
 * Answers /ready with `check`'s response. Yoga's useReadinessCheck did the same, but matched every
 * other request against a URLPattern too (about 1.5 % of a GraphQL request's CPU).
 */
function readinessCheck({ check }: { check: () => Promise<Response> }): Plugin {
  return {
    onRequest({ url, endResponse }) {
      if (url.pathname === '/ready') return check().then(endResponse);
    },
  };
}

/** /ready's answer: a small JSON body a person or a probe can read, never cached. */
function readiness(ready: boolean): Response {
  return Response.json(ready ? { status: 'ready' } : { status: 'unavailable' }, {
    status: ready ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}

/** A request that found the database away is one warning, however many of its fields failed. */
function warnOncePerUnavailableRequest(): Plugin {
  return {
    onExecutionResult({ result }) {
      if (!result || !('errors' in result)) return;
      const unavailable = result.errors?.find((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (unavailable) logger.warn({ err: unavailable.originalError }, 'database unavailable');
    },
  };
}
