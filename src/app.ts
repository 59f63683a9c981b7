import { createYoga, maskError as defaultMaskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from './auth/bearer.js';
import type { Config } from './config.js';
import { db } from './db/client.js';
import { useDashboard } from './dashboard.js';
import type { Context } from './graphql/builder.js';
import { unauthenticated } from './graphql/errors.js';
import { schema } from './graphql/schema.js';
import { logger } from './logger.js';
import { useSessionApi } from './rest/session-api.js';

export type App = YogaServerInstance<Record<string, never>, Context>;

/** The whole HTTP application (GraphQL, REST, health); it never listens — see server.ts. */
export function createApp(config: Config): App {
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Bouncer API' },
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.error(args),
    },
    maskedErrors: {
      maskError(error, message) {
        const masked = defaultMaskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while handling a request');
        return masked;
      },
    },
    // A presented token that is not valid refuses the whole request with 401, before any resolver runs.
    context: async ({ request }) => {
      const auth = await authenticate(request.headers.get('authorization'));
      if (auth.status === 'invalid') throw unauthenticated('Invalid, expired or revoked bearer token.');
      return { principal: auth.status === 'authenticated' ? auth.principal : null, config };
    },
    plugins: [
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
