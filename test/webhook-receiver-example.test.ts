import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import { startDeliveryWorker } from '../src/webhooks/delivery-worker.js';
import { useTestApp } from './support/app.js';
import { signUp } from './support/fixtures.js';
import { raiseEvent, waitFor } from './support/webhooks.js';

/** docs/examples/webhook-receiver.mjs, run as integrators run it, receiving this server's deliveries. */

const testApp = useTestApp();
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => children.forEach((child) => child.kill()));

async function startExample(secret: string) {
  const child = spawn(process.execPath, ['docs/examples/webhook-receiver.mjs'], {
    env: { PATH: process.env.PATH, WEBHOOK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const port = await waitFor('the example to listen', () => /listening on (\d+)/.exec(output)?.[1], 10_000);
  return { url: `http://127.0.0.1:${port}/webhooks`, output: () => output, child };
}

describe('docs/examples/webhook-receiver.mjs', () => {
  it('accepts this server\'s signed deliveries and refuses tampered or unsigned ones', async () => {
    const organizationId = Number((await signUp(testApp.app)).organizationId);
    const { webhookSecret } = await db.organization.update({ where: { id: organizationId }, data: { webhookSecret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` } });
    const example = await startExample(webhookSecret!);
    const worker = startDeliveryWorker({ retryDelaysSeconds: [], allowPrivateNetworks: true, pollIntervalMs: 100, onError: () => {} });
    try {
      const { session, deliveryId } = await raiseEvent(organizationId, example.url);
      const line = await waitFor('the example to print the event', () => example.output().split('\n').find((each) => each.startsWith('{')));
      expect(JSON.parse(line)).toEqual({ webhookId: deliveryId, event: 'validation.completed', session: session.id, status: 'completed' });
      await waitFor('delivered', async () => ((await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } })).status === 'delivered' ? true : undefined));
    } finally {
      await worker.stop();
    }
    // Signed by the Standard Webhooks library itself: accepted; the body changed afterwards, or no signature: 400.
    const body = JSON.stringify({ event: 'validation.cancelled', id: 'x', status: 'cancelled' });
    const now = new Date();
    const signature = new Webhook(webhookSecret!).sign('msg_1', now, body);
    const send = (payload: string, headers: Record<string, string>) =>
      fetch(example.url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } }).then((response) => response.status);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
    expect(await send(body, headers)).toBe(204);
    expect(await send(body.replace('cancelled', 'completed'), headers)).toBe(400);
    expect(await send(body, { ...headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${signature}` })).toBe(204);
    expect(await send(body, { ...headers, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000) - 3600) })).toBe(400);
    expect(await send(body, {})).toBe(400);
    example.child.kill();
    await once(example.child, 'exit');
  });
});
