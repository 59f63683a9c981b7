import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { collectProcessMetrics, recordRequest, registry } from '../metrics.js';
import { json, routeNotFound, send } from '../rest/responses.js';
import type { EdgeHandler } from './front-door.js';
import { methodOf, routeOf } from './routes.js';

/**
 * GET /metrics in Prometheus's text format. Off unless METRICS=on (then 404, as any unknown path);
 * with METRICS_TOKEN set, the scraper must send `Authorization: Bearer <METRICS_TOKEN>` (401
 * otherwise; compared in constant time).
 */

export const METRICS_PATH = '/metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function metricsEndpoint(config: Config): EdgeHandler {
  const { enabled, token } = config.metrics;
  if (enabled) collectProcessMetrics();
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  const expected = token === undefined ? null : digest(`Bearer ${token}`);
  const unauthenticated = json({ message: 'Unauthenticated.' }, 401, { 'www-authenticate': 'Bearer realm="metrics"' });

  return (request, response, path) => {
    if (path !== METRICS_PATH) return false;
    if (!enabled) return send(response, routeNotFound(), {}), true;
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return send(response, unauthenticated, {}), true;
    }
    registry.metrics().then(
      (text) => send(response, { status: 200, body: text, headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }, {}),
      (error: unknown) => {
        logger.error({ err: error }, 'could not collect the metrics');
        send(response, json({ message: 'Server Error' }, 500), {});
      },
    );
    return true;
  };
}

/** Counts the request and times it once its answer is sent (only where metrics are on). */
export function observeRequest(request: IncomingMessage, response: ServerResponse, path: string): void {
  const started = performance.now();
  response.once('finish', () => {
    recordRequest(routeOf(path), methodOf(request.method), response.statusCode, (performance.now() - started) / 1000);
  });
}
