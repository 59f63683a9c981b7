import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../src/webhooks/delivery-worker.js';
import { useTestApp } from './support/app.js';
import { signUp } from './support/fixtures.js';
import { deliveryRow, raiseEvent, startReceiver, waitFor, type Receiver } from './support/webhooks.js';

const testApp = useTestApp();

let worker: DeliveryWorker | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await worker?.stop();
  await receiver?.close();
  worker = receiver = undefined;
});

function startWorker(options: Partial<DeliveryWorkerOptions> = {}) {
  const errors: unknown[] = [];
  worker = startDeliveryWorker({
    retryDelaysSeconds: [1, 1, 2],
    allowPrivateNetworks: true,
    pollIntervalMs: 100,
    onError: (error) => errors.push(error),
    ...options,
  });
  return errors;
}

async function newOrganization() {
  return Number((await signUp(testApp.app)).organizationId);
}

async function secretOf(organizationId: number) {
  return (await db.organization.findUniqueOrThrow({ where: { id: organizationId } })).webhookSecret!;
}

describe('webhook delivery', () => {
  it('POSTs the frozen session as JSON, signed per Standard Webhooks (verified by the library and by hand)', async () => {
    receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { session, deliveryId } = await raiseEvent(organizationId, receiver.url);
    // Changing the session afterwards does not change what was raised.
    await db.verificationSession.update({ where: { id: session.id }, data: { ageTarget: 21 } });
    const errors = startWorker();
    const [webhook] = await waitFor('the delivery', () => (receiver!.received.length ? receiver!.received : undefined));
    await waitFor('delivered', async () => ((await deliveryRow(deliveryId!)).status === 'delivered' ? true : undefined));

    const secret = await secretOf(organizationId);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const payload = new Webhook(secret).verify(webhook!.body, webhook!.headers as Record<string, string>);
    expect(payload).toEqual({
      event: 'validation.completed',
      id: session.id,
      status: 'completed',
      success: true,
      age_target: 18,
      metadata: ['order:42'],
      livemode: false,
      issued_at: session.issuedAt.getTime() / 1000,
      expires_at: session.expiresAt.getTime() / 1000,
      completed_at: session.completedAt!.getTime() / 1000,
    });
    expect(Object.keys(JSON.parse(webhook!.body))[0]).toBe('event');
    expect(webhook!.headers['webhook-id']).toBe(deliveryId);
    expect(webhook!.headers['content-type']).toBe('application/json');
    // The specification's construction, without the library: HMAC-SHA256 of "<id>.<timestamp>.<body>".
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signed = `${webhook!.headers['webhook-id']}.${webhook!.headers['webhook-timestamp']}.${webhook!.body}`;
    expect(webhook!.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update(signed).digest('base64')}`);
    expect(Math.abs(Number(webhook!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);

    const row = await deliveryRow(deliveryId!);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastResponseStatus: 200, nextAttemptAt: null, url: receiver.url });
    expect(errors).toEqual([]);
  });

  it('records nothing for a session without a webhook_url, and nothing when the transaction rolls back', async () => {
    const organizationId = await newOrganization();
    expect((await raiseEvent(organizationId, null)).deliveryId).toBeNull();
    const { createSessionRow } = await import('./support/webhooks.js');
    const { enqueueSessionEvent } = await import('../src/webhooks/outbox.js');
    const session = await createSessionRow(organizationId, 'https://hooks.example/x');
    await expect(
      db.$transaction(async (tx) => {
        await enqueueSessionEvent(tx, { organizationId, event: 'validation.cancelled', session });
        throw new Error('the status change failed');
      }),
    ).rejects.toThrow('the status change failed');
    expect(await db.webhookDelivery.count({ where: { organizationId } })).toBe(0);
  });

  it('retries a failing receiver on the configured schedule (1,1,2 s), then marks the delivery failed', async () => {
    receiver = await startReceiver();
    receiver.respond((_request, response) => void response.writeHead(500).end('no'));
    const organizationId = await newOrganization();
    const { deliveryId } = await raiseEvent(organizationId, receiver.url);
    startWorker({ retryDelaysSeconds: [1, 1, 2] });
    const row = await waitFor('failed', async () => {
      const row = await deliveryRow(deliveryId!);
      return row.status === 'failed' ? row : undefined;
    });
    expect(row).toMatchObject({ attempts: 4, lastResponseStatus: 500, nextAttemptAt: null });
    const times = receiver.received.map((webhook) => webhook.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((at, index) => (at - times[index]!) / 1000);
    // Each wait at least its delay (the database clock and this one may differ by a few ms).
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThan([1, 1, 2][index]! - 0.1));
    expect(new Set(receiver.received.map((webhook) => webhook.headers['webhook-id']))).toEqual(new Set([deliveryId]));
  });

  it('delivers, and marks delivered exactly once, when a failing receiver recovers', async () => {
    receiver = await startReceiver();
    let answered = 0;
    receiver.respond((_request, response) => void response.writeHead(++answered <= 2 ? 503 : 204).end());
    const organizationId = await newOrganization();
    const { deliveryId } = await raiseEvent(organizationId, receiver.url);
    startWorker({ retryDelaysSeconds: [1, 1, 2] });
    await waitFor('delivered', async () => ((await deliveryRow(deliveryId!)).status === 'delivered' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than any retry delay left
    expect(receiver.received).toHaveLength(3);
    expect(await deliveryRow(deliveryId!)).toMatchObject({ status: 'delivered', attempts: 3, lastResponseStatus: 204 });
  });

  it('counts an attempt without an answer within the timeout as failed, and retries it', async () => {
    receiver = await startReceiver();
    let answered = 0;
    receiver.respond((_request, response) => {
      if (++answered > 1) response.end('ok'); // the first one never gets an answer
    });
    const organizationId = await newOrganization();
    const { deliveryId } = await raiseEvent(organizationId, receiver.url);
    startWorker({ timeoutMs: 500, retryDelaysSeconds: [1] });
    const first = await waitFor('the first attempt to time out', async () => {
      const row = await deliveryRow(deliveryId!);
      return row.lastError ? row : undefined;
    });
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null, lastError: 'no answer within 500 ms' });
    await waitFor('delivered', async () => ((await deliveryRow(deliveryId!)).status === 'delivered' ? true : undefined));
    expect(await deliveryRow(deliveryId!)).toMatchObject({ attempts: 2, lastError: null, lastResponseStatus: 200 });
  });

  it('refuses loopback, metadata and names resolving to loopback at send time: failed, nothing sent', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const organizationId = await newOrganization();
    const urls = [receiver.url, 'http://169.254.169.254/latest/meta-data/', `http://localhost:${port}/hooks`, `http://[::1]:${port}/`];
    const ids = await Promise.all(urls.map(async (url) => (await raiseEvent(organizationId, url)).deliveryId!));
    startWorker({ allowPrivateNetworks: false });
    for (const [index, id] of ids.entries()) {
      const row = await waitFor(urls[index]!, async () => {
        const row = await deliveryRow(id);
        return row.status === 'failed' ? row : undefined;
      });
      expect(row, urls[index]).toMatchObject({ attempts: 1, lastResponseStatus: null, nextAttemptAt: null });
      expect(row.lastError, urls[index]).toMatch(/is not a public address/);
    }
    expect(receiver.connections()).toBe(0);
  });

  it('stops gracefully: no new attempts, the attempt in flight finishes and is recorded', async () => {
    receiver = await startReceiver();
    receiver.respond((_request, response) => void setTimeout(() => response.end('ok'), 500));
    const organizationId = await newOrganization();
    const { deliveryId } = await raiseEvent(organizationId, receiver.url);
    startWorker();
    await waitFor('the attempt to start', () => (receiver!.received.length ? true : undefined));
    const stopping = worker!.stop();
    const { deliveryId: later } = await raiseEvent(organizationId, receiver.url);
    await stopping;
    worker = undefined;
    expect(await deliveryRow(deliveryId!)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await deliveryRow(later!)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
