import { db } from '../db/client.js';
import { newUuidV7 } from '../db/ids.js';
import { DELIVERY_TIMEOUT_MS } from './delivery-worker.js';
import { sessionEventBody } from './outbox.js';
import { createPoster } from './post.js';
import { signedHeaders } from './signing.js';

/**
 * "Send a test event" (the dashboard's Webhooks section): one signed POST to a URL of the member's
 * choice, sent at once and not recorded, so an integrator can check a receiver before any session
 * exists. Like Stripe's test webhooks, it is a real event (`validation.completed`) with sample data:
 * `livemode: false` and the all-zero session id, which no session ever has, so a receiver can tell it
 * apart and its usual code path runs. It is signed, sent and refused exactly as deliveries are (same
 * signing secrets, same SSRF guard, same 10 s timeout), but neither retried nor logged as a delivery.
 */

export const TEST_EVENT_SESSION_ID = '00000000-0000-0000-0000-000000000000';

export type TestEventResult = { ok: boolean; responseStatus: number | null; error: string | null; durationMs: number };

export function testEventBody(now = new Date()): string {
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return sessionEventBody('validation.completed', {
    id: TEST_EVENT_SESSION_ID,
    status: 'completed',
    success: true,
    ageTarget: 18,
    metadata: ['test:true'],
    livemode: false,
    webhookUrl: null,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + 300_000),
    completedAt: issuedAt,
  });
}

export async function sendTestEvent(
  organizationId: number,
  url: string,
  options: { allowPrivateNetworks: boolean; timeoutMs?: number },
): Promise<TestEventResult> {
  const organization = await db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { webhookSecret: true, previousWebhookSecret: true, previousWebhookSecretExpiresAt: true },
  });
  const body = testEventBody();
  const headers = await signedHeaders(db, organizationId, newUuidV7(), body, {
    secret: organization.webhookSecret,
    previousSecret: organization.previousWebhookSecret,
    previousSecretExpiresAt: organization.previousWebhookSecretExpiresAt,
  });
  const poster = createPoster({ allowPrivateNetworks: options.allowPrivateNetworks, timeoutMs: options.timeoutMs ?? DELIVERY_TIMEOUT_MS, maxSockets: 1 });
  const startedAt = performance.now();
  try {
    const outcome = await poster.post(url, body, headers);
    const durationMs = Math.round(performance.now() - startedAt);
    if (outcome.kind === 'response') {
      const ok = outcome.status >= 200 && outcome.status < 300;
      return { ok, responseStatus: outcome.status, error: ok ? null : `answered ${outcome.status}`, durationMs };
    }
    return { ok: false, responseStatus: null, error: outcome.kind === 'refused' ? `refused: ${outcome.reason}` : outcome.reason, durationMs };
  } finally {
    poster.close();
  }
}
