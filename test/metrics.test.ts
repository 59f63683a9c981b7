import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startDeliveryWorker } from '../src/webhooks/delivery-worker.js';
import { call, useTestApp } from './support/app.js';
import { createApiToken, signUp } from './support/fixtures.js';
import { rest, validSession } from './support/rest.js';
import { deliveryRow, raiseEvent, startReceiver, waitFor } from './support/webhooks.js';

/** GET /metrics as Prometheus scrapes it, through the whole HTTP pipeline, while traffic flows. */

const METRICS_TOKEN = 'scrape-secret-0123456789';
const testApp = useTestApp({ METRICS: 'on', METRICS_TOKEN, RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: 'off' });

async function scrape(): Promise<string> {
  const response = await call(testApp.app, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series (0 when absent), e.g. value(text, 'http_requests_total', {route: '/health'}). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([label, wanted]) => line.includes(`${label}="${wanted}"`))) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

describe('GET /metrics', () => {
  it('needs the METRICS_TOKEN bearer', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const response = await call(testApp.app, '/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthenticated.' });
    }
  });

  it('counts requests by route template and status, their latency, and token verifications by outcome', async () => {
    const owner = await signUp(testApp.app);
    const { plainTextToken } = await createApiToken(testApp.app, owner);
    const before = await scrape();

    const created = await rest(testApp.app, 'POST', '/api/v2/session', { token: plainTextToken, body: validSession });
    expect(created.status).toBe(201);
    const read = await rest(testApp.app, 'GET', `/api/v2/session/${created.body.data.id}`, { token: plainTextToken });
    expect(read.status).toBe(200);
    expect((await rest(testApp.app, 'POST', '/api/v2/session', { token: 'malformed', body: validSession })).status).toBe(401);
    const unknown = `999999|${plainTextToken.split('|')[1]}`;
    expect((await rest(testApp.app, 'GET', `/api/v2/session/${created.body.data.id}`, { token: unknown })).status).toBe(401);
    expect((await call(testApp.app, '/health')).status).toBe(200);
    expect((await call(testApp.app, '/no/such/page')).status).toBe(404);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(moved('http_requests_total', { route: '/api/v2/session', method: 'POST', status: '201' })).toBe(1);
    expect(moved('http_requests_total', { route: '/api/v2/session', method: 'POST', status: '401' })).toBe(1);
    expect(moved('http_requests_total', { route: '/api/v2/session/{id}', method: 'GET', status: '200' })).toBe(1);
    expect(moved('http_requests_total', { route: '/api/v2/session/{id}', method: 'GET', status: '401' })).toBe(1);
    expect(moved('http_requests_total', { route: '/health', status: '200' })).toBe(1);
    expect(moved('http_requests_total', { route: '{unknown}', status: '404' })).toBe(1);
    expect(moved('http_request_duration_seconds_count', { route: '/api/v2/session', status_class: '2xx' })).toBe(1);
    expect(moved('http_request_duration_seconds_bucket', { route: '/api/v2/session', status_class: '2xx', le: '+Inf' })).toBe(1);
    expect(moved('token_verifications_total', { outcome: 'accepted' })).toBe(2);
    expect(moved('token_verifications_total', { outcome: 'malformed' })).toBe(1);
    expect(moved('token_verifications_total', { outcome: 'unknown' })).toBe(1);
    // Labels are templates: no session id, no raw path ever becomes a series.
    expect(after).not.toContain(created.body.data.id);
    expect(after).not.toContain('/no/such/page');
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts webhook deliveries by outcome and the queue depth as deliveries are raised and sent', async () => {
    const receiver = await startReceiver();
    const organizationId = Number((await signUp(testApp.app)).organizationId);
    const before = await scrape();
    const { deliveryId } = await raiseEvent(organizationId, receiver.url);
    const { deliveryId: refusedId } = await raiseEvent(organizationId, 'http://169.254.169.254/latest/meta-data/');
    const pending = await scrape();
    expect(value(pending, 'webhook_queue_depth')).toBe(value(before, 'webhook_queue_depth') + 2);

    const worker = startDeliveryWorker({ retryDelaysSeconds: [1], allowPrivateNetworks: false, pollIntervalMs: 100, onError: () => {} });
    try {
      // The receiver is on loopback: with private networks refused, both attempts are refused.
      for (const id of [deliveryId!, refusedId!]) {
        await waitFor('a final status', async () => ((await deliveryRow(id)).status === 'pending' ? undefined : true));
      }
    } finally {
      await worker.stop();
      await receiver.close();
    }
    const after = await scrape();
    expect(value(after, 'webhook_deliveries_total', { outcome: 'refused' }) - value(before, 'webhook_deliveries_total', { outcome: 'refused' })).toBe(2);
    expect(value(after, 'webhook_queue_depth')).toBe(value(before, 'webhook_queue_depth'));
  });

  it('is a 404 in the REST shape unless METRICS=on', async () => {
    const off = createApp(loadConfig({ NODE_ENV: 'test' }));
    try {
      const response = await call(off, '/metrics');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not found.' });
    } finally {
      await off.dispose();
    }
  });
});
