import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * Webhook signing per the Standard Webhooks specification, with the organization's signing secret
 * `whsec_<base64 of 32 random bytes>`. The secret is stored as is (organizations.webhook_secret),
 * not hashed: the server needs it to sign, and OWNERs and ADMINs may read it in the dashboard.
 * After a roll, the previous secret keeps signing alongside the new one for PREVIOUS_SECRET_OVERLAP_MS,
 * so receivers can switch without losing a delivery.
 */

export const PREVIOUS_SECRET_OVERLAP_MS = 24 * 3_600_000;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export type SigningSecrets = Readonly<{ current: string; previous: string | null; previousExpiresAt: Date | null }>;

/** The secrets that sign at `now`: the current one, and the previous one until its overlap ends. */
export function activeSecrets(secrets: SigningSecrets, now: Date): string[] {
  const previousActive = secrets.previous !== null && secrets.previousExpiresAt !== null && secrets.previousExpiresAt > now;
  return previousActive ? [secrets.current, secrets.previous!] : [secrets.current];
}

/** The three Standard Webhooks headers of one attempt; one `v1,…` signature per active secret, space-separated. */
export function signatureHeaders(messageId: string, body: string, secrets: readonly string[], now: Date) {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, now, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

type Transaction = Prisma.TransactionClient;

/** The organization's signing secret, created on first use (one statement, so concurrent first uses agree). */
export async function ensureWebhookSecret(tx: Transaction, organizationId: number): Promise<string> {
  const [row] = await tx.$queryRaw<{ secret: string }[]>`
    UPDATE organizations SET webhook_secret = COALESCE(webhook_secret, ${newWebhookSecret()})
    WHERE id = ${organizationId} RETURNING webhook_secret AS secret`;
  if (!row) throw new Error(`Organization ${organizationId} does not exist`);
  return row.secret;
}

/**
 * Replaces the signing secret; the one it replaces signs too for PREVIOUS_SECRET_OVERLAP_MS. A second
 * roll within that time drops the oldest secret at once (only two ever sign). Resolves with the new one.
 */
export async function rollWebhookSecret(tx: Transaction, organizationId: number, now = new Date()): Promise<string> {
  const secret = newWebhookSecret();
  const previousExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_OVERLAP_MS);
  const [row] = await tx.$queryRaw<{ id: number }[]>`
    UPDATE organizations SET
      previous_webhook_secret = webhook_secret,
      previous_webhook_secret_expires_at = CASE WHEN webhook_secret IS NULL THEN NULL ELSE ${previousExpiresAt}::timestamptz END,
      webhook_secret = ${secret}
    WHERE id = ${organizationId} RETURNING id`;
  if (!row) throw new Error(`Organization ${organizationId} does not exist`);
  return secret;
}

/** An organization's secrets as stored (the current one may not exist yet). */
export type StoredSecrets = Readonly<{ secret: string | null; previousSecret: string | null; previousSecretExpiresAt: Date | null }>;

/** The headers of one attempt, signed at send time (receivers reject stale timestamps) with every secret active now. */
export async function signedHeaders(
  tx: Transaction,
  organizationId: number,
  messageId: string,
  body: string,
  stored: StoredSecrets,
): Promise<Record<string, string>> {
  const now = new Date();
  const current = stored.secret ?? (await ensureWebhookSecret(tx, organizationId));
  const secrets = activeSecrets({ current, previous: stored.previousSecret, previousExpiresAt: stored.previousSecretExpiresAt }, now);
  return signatureHeaders(messageId, body, secrets, now);
}
