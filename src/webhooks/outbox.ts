import { sql } from '../db/client.js';
import { newUuidV7 } from '../db/ids.js';
import { measureWebhookQueueWith, webhookDeliveries } from '../metrics.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * The webhook outbox (table webhook_deliveries). An event is recorded in the transaction of the
 * session change that raised it, so the two are stored together or not at all; the delivery worker
 * sends it later, whatever happens to the process in between. Each attempt is claimed (counted and
 * leased) in the database before it is sent, so several processes never send the same attempt.
 */

/** The events of DESIGN.md "Webhooks" (Bouncer's names). */
export const SESSION_EVENTS = [
  'validation.page_visited',
  'validation.biometry_started',
  'validation.kyc_started',
  'validation.completed',
  'validation.cancelled',
  'validation.expired',
] as const;
export type SessionEvent = (typeof SESSION_EVENTS)[number];

/** The session as it is after the change that raises the event. */
export type SessionSnapshot = Readonly<{
  id: string;
  status: string;
  success: boolean | null;
  ageTarget: number;
  metadata: readonly string[] | null;
  livemode: boolean;
  webhookUrl: string | null;
  issuedAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}>;

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The JSON body receivers get: the session as it was at the change that raised the event. */
export function sessionEventBody(event: SessionEvent, session: SessionSnapshot): string {
  return JSON.stringify({
    event,
    id: session.id,
    status: session.status,
    success: session.success,
    age_target: session.ageTarget,
    metadata: session.metadata,
    livemode: session.livemode,
    issued_at: unixSeconds(session.issuedAt),
    expires_at: unixSeconds(session.expiresAt),
    completed_at: session.completedAt === null ? null : unixSeconds(session.completedAt),
  });
}

/** An event raised by a session change, for enqueueSessionEvents. */
export type RaisedEvent = Readonly<{ organizationId: number; event: SessionEvent; session: SessionSnapshot }>;

/**
 * Records `event` for delivery to the session's webhook_url, inside `tx`, the transaction that makes
 * the session change (a Prisma interactive transaction: `db.$transaction(async (tx) => …)`, on PGlite
 * and PostgreSQL alike). Does nothing when the session has no webhook_url. Resolves with the
 * delivery's id (also its `webhook-id` header), or null when there is nothing to deliver.
 * The worker picks it up within a second of the commit; nothing here waits on the receiver.
 */
export async function enqueueSessionEvent(tx: Prisma.TransactionClient, raised: RaisedEvent): Promise<string | null> {
  const [id] = await enqueueSessionEvents(tx, [raised]);
  return id ?? null;
}

/** enqueueSessionEvent for several events in one statement: the ids of the deliveries recorded, in order. */
export async function enqueueSessionEvents(tx: Prisma.TransactionClient, raised: readonly RaisedEvent[]): Promise<string[]> {
  const deliveries = raised.filter(({ session }) => session.webhookUrl);
  if (deliveries.length === 0) return [];
  const ids = deliveries.map(() => newUuidV7());
  await tx.$executeRaw`
    INSERT INTO webhook_deliveries (id, organization_id, session_id, event, url, payload, next_attempt_at)
    SELECT id, organization_id, session_id, event, url, payload::json, now()
    FROM unnest(${ids}::uuid[], ${deliveries.map((d) => d.organizationId)}::int[], ${deliveries.map((d) => d.session.id)}::uuid[],
                ${deliveries.map((d) => d.event)}::text[], ${deliveries.map((d) => d.session.webhookUrl)}::text[],
                ${deliveries.map((d) => sessionEventBody(d.event, d.session))}::text[])
      AS delivery(id, organization_id, session_id, event, url, payload)`;
  return ids;
}

/** A claimed attempt: everything needed to send it, and its number for recording the outcome. */
export type ClaimedAttempt = {
  id: string;
  organizationId: number;
  url: string;
  body: string;
  attempt: number;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
};

/**
 * Claims up to `limit` due deliveries: counts the attempt and leases the row for `leaseSeconds` (its
 * next_attempt_at moves past the end of the attempt), in one statement. Rows another process is
 * claiming are skipped (FOR UPDATE SKIP LOCKED), and a claimed row is not due again until its lease
 * ends, so no attempt is sent twice; if the process dies mid-attempt, the row is due again after the
 * lease (at least once). Times are the database's, so processes on several machines agree.
 */
export async function claimDueAttempts(limit: number, leaseSeconds: number): Promise<ClaimedAttempt[]> {
  return sql<ClaimedAttempt>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_deliveries AS d
     SET attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => $2)
     FROM due, organizations AS o
     WHERE d.id = due.id AND o.id = d.organization_id
     RETURNING d.id::text AS id, d.organization_id AS "organizationId", d.url, d.payload::text AS body,
               d.attempts AS attempt, o.webhook_secret AS secret, o.previous_webhook_secret AS "previousSecret",
               o.previous_webhook_secret_expires_at AS "previousSecretExpiresAt"`,
    [limit, leaseSeconds],
    'claim-webhook-attempts',
    { ownConnection: true }, // a background job's: requests' statements do not wait behind it
  );
}

/** How an attempt ended: the receiver's HTTP status, or why none came (never a secret). */
export type AttemptOutcome =
  | { kind: 'response'; status: number }
  | { kind: 'error'; reason: string }
  | { kind: 'refused'; reason: string };

const MAX_ERROR_LENGTH = 200;

/**
 * Records the outcome of attempt number `attempt`: a 2xx delivers; a refused destination fails at
 * once (nothing was sent; retrying would not change the answer until an operator acts); anything
 * else is retried after retryDelaysSeconds[attempt - 1], or fails when the schedule is exhausted.
 * Ignored when the row moved on meanwhile (the lease ended and another attempt was claimed).
 */
export async function recordAttemptOutcome(
  claimed: Pick<ClaimedAttempt, 'id' | 'attempt'>,
  outcome: AttemptOutcome,
  retryDelaysSeconds: readonly number[],
): Promise<void> {
  const delivered = outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
  const retryDelay = delivered || outcome.kind === 'refused' ? undefined : retryDelaysSeconds[claimed.attempt - 1];
  const status = delivered ? 'delivered' : retryDelay === undefined ? 'failed' : 'pending';
  await sql(
    `UPDATE webhook_deliveries
     SET status = $3::webhook_delivery_status, last_response_status = $4, last_error = $5,
         next_attempt_at = CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(secs => $6::int) END
     WHERE id = $1::uuid AND attempts = $2 AND status = 'pending'`,
    [
      claimed.id,
      claimed.attempt,
      status,
      outcome.kind === 'response' ? outcome.status : null,
      outcome.kind === 'response' ? null : outcome.reason.slice(0, MAX_ERROR_LENGTH),
      retryDelay ?? null,
    ],
    'record-webhook-attempt',
  );
  webhookDeliveries.inc({ outcome: outcome.kind === 'refused' ? 'refused' : status === 'pending' ? 'retried' : status });
}

/** Deliveries waiting to be sent (due or waiting for a retry): the queue depth metric. */
export async function countPendingDeliveries(): Promise<number> {
  const [row] = await sql<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM webhook_deliveries WHERE status = 'pending'`,
    [],
    'count-pending-webhooks',
    { ownConnection: true }, // counts every pending row
  );
  return row?.pending ?? 0;
}
measureWebhookQueueWith(countPendingDeliveries);

/**
 * Schedules a delivery again now (the dashboard's "Redeliver"): pending, due at once. Its attempts
 * keep counting, so a delivery whose schedule is exhausted gets exactly one more attempt.
 */
export async function scheduleRedelivery(tx: Prisma.TransactionClient, id: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE id = ${id}::uuid`;
}

