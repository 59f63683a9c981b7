import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, send } from '../rest/responses.js';

/**
 * What the edge answers itself, before Yoga: `/` sends people to the dashboard, and `/health` says the
 * process is up (it touches nothing else, the database included). The security headers are already
 * on the response (app.ts). Returns false for every other path.
 */

export const DASHBOARD_HOME = '/dashboard';

const HEALTHY = json({ status: 'ok' });

export type EdgeHandler = (request: IncomingMessage, response: ServerResponse, path: string) => boolean;

export function frontDoor(): EdgeHandler {
  return (request, response, path) => {
    switch (path) {
      case '/':
        if (request.method !== 'GET' && request.method !== 'HEAD') return false;
        // 302, not 308: browsers cache a permanent redirect for good, and the home page may change.
        response.writeHead(302, { location: DASHBOARD_HOME, 'cache-control': 'no-cache', 'content-length': '0' }).end();
        return true;
      case '/health':
        send(response, HEALTHY, {});
        return true;
      default:
        return false;
    }
  };
}

/** The URLs a person opens first, for the start-up log: the dashboard, GraphiQL and the REST API. */
export function entryPoints(baseUrl: string): { dashboard: string; graphql: string; api: string } {
  return { dashboard: `${baseUrl}${DASHBOARD_HOME}`, graphql: `${baseUrl}/graphql`, api: `${baseUrl}/api/v2` };
}

/** http://host:port of a listening address; "any address" hosts become localhost, IPv6 gets brackets. */
export function listeningUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
