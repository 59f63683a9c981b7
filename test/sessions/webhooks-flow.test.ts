import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { expireOverdueSessions } from '../../src/sessions/lifecycle.js';
import { startDeliveryWorker, type DeliveryWorker } from '../../src/webhooks/delivery-worker.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, signUp } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhooks.js';

/**
 * The integrator's whole flow: a test session made over REST with a webhook_url, completed on the
 * hosted page, raises each status change as a signed webhook, recorded in the transaction of the change.
 */

const testApp = useTestApp();

let worker: DeliveryWorker | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await worker?.stop();
  await receiver?.close();
  worker = receiver = undefined;
});

async function testSession(webhookUrl: string, body: object = {}) {
  const account = await signUp(testApp.app, 'Webhook Shop');
  const { plainTextToken: token } = await createApiToken(testApp.app, account, { mode: 'TEST' });
  const created = await rest(testApp.app, 'POST', '/api/v2/session', { token, body: { ...validSession, webhook_url: webhookUrl, ...body } });
  expect(created.status).toBe(201);
  return { id: created.body.data.id as string, token, organizationId: Number(account.organizationId) };
}

async function choose(path: string, action: string) {
  const html = await (await call(testApp.app, path)).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
  return call(testApp.app, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ csrf_token: csrf, action }).toString(),
  });
}

const eventsOf = (received: Receiver['received'], secret: string) =>
  received.map((webhook) => new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>) as { event: string; status: string; success: boolean | null });

describe('a test session’s webhooks', () => {
  it('arrive signed for each step from opening the page to approval, each with the session as it was then', async () => {
    receiver = await startReceiver();
    const { id, organizationId } = await testSession(receiver.url);
    const path = `/verify/${id}`;
    const approved = await choose(path, 'approve');
    expect(approved.status).toBe(303);

    worker = startDeliveryWorker({ retryDelaysSeconds: [1], allowPrivateNetworks: true, pollIntervalMs: 100, onError: () => {} });
    await waitFor('three webhooks', () => (receiver!.received.length >= 3 ? true : undefined));
    const { webhookSecret } = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    const events = eventsOf(receiver.received, webhookSecret!).sort((a, b) => ORDER.indexOf(a.event) - ORDER.indexOf(b.event));
    expect(events.map(({ event, status, success }) => ({ event, status, success }))).toEqual([
      { event: 'validation.page_visited', status: 'pending', success: null },
      { event: 'validation.biometry_started', status: 'verification_started', success: null },
      { event: 'validation.completed', status: 'completed', success: true },
    ]);
    const deliveries = await db.webhookDelivery.findMany({ where: { sessionId: id } });
    expect(deliveries).toHaveLength(3);
  });

  it('raises validation.cancelled for a cancel over REST, and validation.expired once the sweep finds it overdue', async () => {
    receiver = await startReceiver();
    const cancelled = await testSession(receiver.url);
    expect((await rest(testApp.app, 'POST', `/api/v2/session/${cancelled.id}/cancel`, { token: cancelled.token })).status).toBe(200);
    const overdue = await testSession(receiver.url);
    await db.verificationSession.update({ where: { id: overdue.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expireOverdueSessions();

    const events = await db.webhookDelivery.findMany({ where: { sessionId: { in: [cancelled.id, overdue.id] } } });
    expect(events.map((delivery) => [delivery.sessionId, delivery.event]).sort()).toEqual(
      [
        [cancelled.id, 'validation.cancelled'],
        [overdue.id, 'validation.expired'],
      ].sort(),
    );
  });

  it('records nothing for a session without a webhook_url', async () => {
    const account = await signUp(testApp.app);
    const { plainTextToken: token } = await createApiToken(testApp.app, account, { mode: 'TEST' });
    const { id } = (await rest(testApp.app, 'POST', '/api/v2/session', { token, body: validSession })).body.data;
    await choose(`/verify/${id}`, 'approve');
    expect(await db.webhookDelivery.count({ where: { sessionId: id } })).toBe(0);
  });
});

const ORDER = ['validation.page_visited', 'validation.biometry_started', 'validation.kyc_started', 'validation.completed'];
