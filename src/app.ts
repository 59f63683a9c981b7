import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Config } from './config.js';
import { dashboardFiles } from './dashboard.js';
import { graphiql } from './graphiql.js';
import { createGraphqlServer } from './graphql/yoga.js';
import { frontDoor, type EdgeHandler } from './http/front-door.js';
import { metricsEndpoint, observeRequest } from './http/metrics-endpoint.js';
import { createRestApi, isRestPath } from './rest/api.js';
import { send } from './rest/responses.js';
import { BEARER_MESSAGE, tooManyRequests } from './security/abuse.js';
import { clientAddress } from './security/client-address.js';
import { corsPolicy, securityHeaders } from './security/headers.js';
import { RateLimits } from './security/rate-limits.js';
import { createVerifyPage, isVerifyPath } from './sessions/verify-page.js';

export type App = Readonly<{ handle: RequestListener; dispose(): Promise<void> }>;

/**
 * The whole HTTP application; it never listens (see server.ts). Its edge answers CORS, refuses
 * clients blocked for failed tokens, then hands the request to the REST API (/api/…, on Node's
 * request and response), the hosted verify page (/verify/…, likewise), answers the front door (`/`,
 * /health; http/front-door.ts) and the dashboard's files itself, or hands the request to Yoga
 * (GraphQL, GraphiQL, /ready); every answer carries the security headers.
 */
export function createApp(config: Config): App {
  const limits = new RateLimits(config);
  const addressOf = (request: IncomingMessage) => clientAddress(request, config.trustProxy);
  const graphiqlPage = graphiql(config.graphql.graphiql);
  const graphql = createGraphqlServer(config, graphiqlPage, limits, addressOf);
  const security = securityHeaders(config);
  const rest = createRestApi(config, limits, addressOf, security);
  const cors = corsPolicy(config);
  const verifyPage = createVerifyPage(config);
  const metricsOn = config.metrics.enabled;
  // Answered before Yoga, on Node's request and response; each returns false for paths not its own.
  const edgeHandlers: EdgeHandler[] = [frontDoor(), metricsEndpoint(config), dashboardFiles(), graphiqlPage.assets];
  const edge: EdgeHandler = (request, response, path) => edgeHandlers.some((handler) => handler(request, response, path));

  function dispatch(request: IncomingMessage, response: ServerResponse, path: string, isRest: boolean): void {
    // Blocked addresses are known in memory: no store round trip for anyone else.
    if (limits.anyBearerBlocks() && request.headers.authorization !== undefined) {
      const wait = limits.bearerBlockedFor(addressOf(request));
      if (wait > 0) return send(response, tooManyRequests(isRest, BEARER_MESSAGE, wait), security);
    }
    if (isRest) rest(request, response, path);
    else if (isVerifyPath(path)) verifyPage(request, response, path);
    else if (!edge(request, response, path)) void graphql(request, response);
  }

  return {
    handle(request, response) {
      const url = request.url ?? '/';
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      const isRest = isRestPath(path);
      if (metricsOn) observeRequest(request, response, path);
      // REST answers write the security headers along with their own (one writeHead); CORS preflights
      // and Yoga's answers get them here.
      if (!isRest || request.method === 'OPTIONS') {
        for (const name in security) response.setHeader(name, security[name]!);
      }
      if (cors) cors(request, response, isRest, () => dispatch(request, response, path, isRest));
      else dispatch(request, response, path, isRest);
    },
    async dispose() {
      await graphql.dispose();
      await limits.close();
    },
  };
}
