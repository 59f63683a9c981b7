import { createYoga, maskError as defaultMaskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from './auth/bearer.js';
import type { Config } from './config.js';
import { db } from './db/client.js';
import { useDashboard } from './dashboard.js';
import type { Context } from './graphql/builder.js';
import { unauthenticated } from './graphql/errors.js';
import { schema } from './graphql/schema.js';
import { logger } from './logger.js';
import { useOpenApiDocument } from './rest/openapi.js';
import { useSessionApi } from './rest/session-api.js';
import { noteRefusedBearer, requestLimits, useBearerFailureLimit } from './security/abuse.js';
import { clientAddress } from './security/client-address.js';
import { graphiqlPage, graphqlHardening } from './security/graphql.js';
import { corsPolicy, useSecurityHeaders } from './security/headers.js';
import { RateLimits } from './security/rate-limits.js';
import { isDatabaseUnavailable, unavailableError } from './security/unavailable.js';

export type App = YogaServerInstance<Record<string, never>, Context>;

/** The whole HTTP application (GraphQL, REST, health); it never listens — see server.ts. */
export function createApp(config: Config): App {
  const limits = new RateLimits(config);
  const graphiql = graphiqlPage();
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphql.graphiql && { title: 'Bouncer API' },
    renderGraphiQL: graphiql.render,
    cors: corsPolicy(config),
    batching: false,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.error(args),
    },
    maskedErrors: {
      maskError(error, message) {
        if (isDatabaseUnavailable(error)) return unavailableError();
        const masked = defaultMaskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while handling a request');
        return masked;
      },
    },
    // A presented token that is not valid refuses the whole request with 401, before any resolver runs.
    context: async (initialContext) => {
      const { request } = initialContext;
      const auth = await authenticate(request.headers.get('authorization'));
      if (auth.status === 'invalid') {
        noteRefusedBearer(request);
        throw unauthenticated('Invalid, expired or revoked bearer token.');
      }
      return {
        principal: auth.status === 'authenticated' ? auth.principal : null,
        config,
        limits: requestLimits(limits, clientAddress(request, initialContext, config.trustProxy)),
      };
    },
    plugins: [
      useSecurityHeaders(config, graphiql.scriptHash),
      useBearerFailureLimit(config, limits),
      ...graphqlHardening(config),
      useOpenApiDocument(),
      useSessionApi(config),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          await db.$queryRaw`SELECT 1`;
        },
      }),
      useDashboard(),
    ],
  });
}
