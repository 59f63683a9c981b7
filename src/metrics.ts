import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), kept whether or not /metrics is turned on: counting
 * is a few additions in memory. Every label takes values from a small fixed set (routes are
 * templates, never raw paths), so the number of series stays bounded. Features count here; only
 * http/metrics-endpoint.ts exposes them.
 */

export const registry = new Registry();

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by route template, method and status code.',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from a request to the end of its answer, by route template and status class (2xx, 4xx…).',
  labelNames: ['route', 'status_class'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const tokenVerifications = new Counter({
  name: 'token_verifications_total',
  help: 'Bearer tokens checked (REST and GraphQL), by outcome: accepted, malformed, unknown, revoked or expired.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Webhook deliveries by outcome (`delivered`, `retried`, `failed`, `refused`…): the webhooks feature counts here. */
export const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

let countPendingWebhooks: (() => Promise<number>) | undefined;

/** Webhook deliveries waiting to be sent, counted when scraped (no work otherwise). */
export const webhookQueueDepth = new Gauge({
  name: 'webhook_queue_depth',
  help: 'Webhook deliveries pending (due or waiting for a retry).',
  registers: [registry],
  async collect() {
    if (countPendingWebhooks) this.set(await countPendingWebhooks());
  },
});

/** How the queue depth is counted: the webhooks feature tells (metrics never reaches into a feature). */
export function measureWebhookQueueWith(count: () => Promise<number>): void {
  countPendingWebhooks = count;
}

export type TokenOutcome = 'accepted' | 'malformed' | 'unknown' | 'revoked' | 'expired';

// Children bound once: counting on the token path is one addition, no label hashing.
const tokenOutcomes = Object.fromEntries(
  (['accepted', 'malformed', 'unknown', 'revoked', 'expired'] as const).map((outcome) => [outcome, tokenVerifications.labels(outcome)]),
) as Record<TokenOutcome, Counter.Internal>;

export function countTokenVerification(outcome: TokenOutcome): void {
  tokenOutcomes[outcome].inc();
}

type RequestSeries = { count: Counter.Internal; duration: Histogram.Internal<'route' | 'status_class'> };
const requestSeries = new Map<string, RequestSeries>();

/** One answered request; `route` must be a template from a fixed set (http/routes.ts). */
export function recordRequest(route: string, method: string, status: number, seconds: number): void {
  const key = `${route} ${method} ${status}`;
  let series = requestSeries.get(key);
  if (!series) {
    series = {
      count: httpRequests.labels(route, method, String(status)),
      duration: httpRequestDuration.labels(route, `${Math.floor(status / 100)}xx`),
    };
    requestSeries.set(key, series);
  }
  series.count.inc();
  series.duration.observe(seconds);
}

let processMetrics = false;
/** Node's own metrics (memory, event-loop delay, CPU, handles): collected only where /metrics is on. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}
