import { setImmediate as nextTurn } from 'node:timers/promises';
import { db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { logger } from '../logger.js';
import { enqueueSessionEvents, type SessionEvent } from '../webhooks/outbox.js';
import {
  findOverdueSessionIds,
  OPEN_STATUSES,
  SESSION_RECORD_COLUMNS,
  type SessionRecord,
  type SessionStatus,
} from './sessions.js';

/**
 * A session's lifecycle, in one place (DESIGN.md "Sessions: a lifecycle that completes"):
 *
 *   created → pending (the verify page was opened) → verification_started → verification_kyc
 *     (only when KYC is needed) → completed (success true or false)
 *   any open status → cancelled, or → expired once expires_at has passed
 *
 * Every transition is one conditional UPDATE (which also records the change for the session's
 * timeline, table session_events): it changes the row only if the session is in one of
 * the transition's allowed statuses (and not past expires_at, or, for `expire`, past it). The
 * database decides, so a transition that is not allowed cannot happen, also under concurrent
 * requests and across processes: of two racing final transitions exactly one changes the row; the
 * other finds it changed and changes nothing.
 */

export type { SessionEvent };

type Transition = Readonly<{
  from: readonly SessionStatus[];
  to: SessionStatus;
  event: SessionEvent;
  /** `success` once completed; null for every other status. */
  success?: boolean;
  /** `expire` applies only past expires_at; every other transition only before it. */
  overdue?: boolean;
}>;

export const TRANSITIONS = {
  open: { from: ['created'], to: 'pending', event: 'validation.page_visited' },
  startVerification: { from: ['created', 'pending'], to: 'verification_started', event: 'validation.biometry_started' },
  requireKyc: {
    from: ['created', 'pending', 'verification_started'],
    to: 'verification_kyc',
    event: 'validation.kyc_started',
  },
  approve: {
    from: ['pending', 'verification_started', 'verification_kyc'],
    to: 'completed',
    success: true,
    event: 'validation.completed',
  },
  decline: {
    from: ['pending', 'verification_started', 'verification_kyc'],
    to: 'completed',
    success: false,
    event: 'validation.completed',
  },
  cancel: { from: OPEN_STATUSES, to: 'cancelled', event: 'validation.cancelled' },
  expire: { from: OPEN_STATUSES, to: 'expired', event: 'validation.expired', overdue: true },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** What a transition hands to webhooks: the session as it is after the change, and the event it raises. */
export type TransitionResult = { session: SessionRecord; event: SessionEvent };

/**
 * Applies one transition inside the transaction `tx`, or nothing (null) when the session is not in
 * an allowed status, not in the organization `organizationId` (when given), or on the wrong side of
 * expires_at.
 */
export async function applyTransition(
  tx: Prisma.TransactionClient,
  sessionId: string,
  name: TransitionName,
  organizationId: number | null = null,
): Promise<TransitionResult | null> {
  const [result] = await applyTransitionToEach(tx, [sessionId], name, organizationId);
  return result ?? null;
}

/**
 * applyTransition to each of `sessionIds` at once: the results of the sessions it applied to. The
 * only place a session's status changes.
 */
async function applyTransitionToEach(
  tx: Prisma.TransactionClient,
  sessionIds: readonly string[],
  name: TransitionName,
  organizationId: number | null = null,
): Promise<TransitionResult[]> {
  const transition: Transition = TRANSITIONS[name];
  // The changes and their timeline entries in one statement; `expired` is dated at expires_at, when it began.
  const sessions = await tx.$queryRawUnsafe<SessionRecord[]>(
    `WITH changed AS (
       UPDATE verification_sessions
       SET status = $2::session_status, success = $3::boolean,
           completed_at = CASE WHEN $2 = 'completed' THEN date_trunc('second', now()) END
       WHERE id = ANY($1::uuid[]) AND status::text = ANY($4::text[])
         AND ${transition.overdue ? 'expires_at <= now()' : 'expires_at > now()'}
         AND ($5::int IS NULL OR organization_id = $5::int)
       RETURNING ${SESSION_RECORD_COLUMNS}
     ), recorded AS (
       INSERT INTO session_events (session_id, status, at)
       SELECT id, $2::session_status, ${transition.overdue ? '"expiresAt"' : 'now()'} FROM changed
       -- The lifecycle never re-enters a status; should a row be there anyway, the change still applies.
       ON CONFLICT (session_id, status) DO NOTHING
     )
     SELECT * FROM changed`,
    sessionIds,
    transition.to,
    transition.success ?? null,
    transition.from,
    organizationId,
  );
  const results = sessions.map((session) => ({ session, event: transition.event }));
  // The webhooks are recorded with the changes they report: both are stored, or neither.
  await enqueueSessionEvents(tx, results.map(({ session, event }) => ({ organizationId: session.organizationId, event, session })));
  return results;
}

/** Thrown to roll back a sequence of transitions when one of them does not apply. */
class TransitionRefused extends Error {}

/**
 * Applies `names` in order in one transaction, all or none: the result of the last one, or null if
 * any did not apply (then nothing changed).
 */
export async function runTransitions(
  sessionId: string,
  names: readonly TransitionName[],
  organizationId: number | null = null,
): Promise<TransitionResult | null> {
  try {
    return await db.$transaction(async (tx) => {
      let result: TransitionResult | null = null;
      for (const name of names) {
        result = await applyTransition(tx, sessionId, name, organizationId);
        if (!result) throw new TransitionRefused();
      }
      return result;
    });
  } catch (error) {
    if (error instanceof TransitionRefused) return null;
    throw error;
  }
}

export const runTransition = (sessionId: string, name: TransitionName, organizationId: number | null = null) =>
  runTransitions(sessionId, [name], organizationId);

export const EXPIRY_SWEEP_BATCH = 100;
/**
 * 10,000 sessions a sweep, every 30 s: `validation.expired` keeps its minute for up to about 330
 * sessions expiring a second. A batch of 100 takes about 30 ms (half of them with a webhook, on
 * PGlite and PostgreSQL alike), so a sweep with that many to do works about 3 s.
 */
const EXPIRY_SWEEP_MAX_BATCHES = 100;

/**
 * Persists `expired` for open sessions past expires_at, a bounded batch at a time (at most
 * EXPIRY_SWEEP_MAX_BATCHES per call), each batch in one transaction, so that `validation.expired`
 * is raised once per session. Several processes may sweep at once: the conditional update lets one
 * of them expire each session. Returns how many it expired.
 */
export async function expireOverdueSessions(batch = EXPIRY_SWEEP_BATCH): Promise<number> {
  let expired = 0;
  for (let round = 0; round < EXPIRY_SWEEP_MAX_BATCHES; round++) {
    const ids = await findOverdueSessionIds(batch);
    if (ids.length > 0) expired += (await db.$transaction((tx) => applyTransitionToEach(tx, ids, 'expire'))).length;
    // The requests' turn between batches: on PGlite a transaction never waits for I/O, and the
    // sweep's batches would otherwise run as one chain of promises, holding the event loop.
    await nextTurn();
    if (ids.length < batch) break;
  }
  return expired;
}

export const EXPIRY_SWEEP_INTERVAL_MS = 30_000;

/** Sweeps every `intervalMs` (30 s: `validation.expired` leaves within a minute); returns a stop function. */
export function startExpirySweeper(intervalMs = EXPIRY_SWEEP_INTERVAL_MS): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return; // the previous sweep is still at work: no second one beside it
    running = expireOverdueSessions()
      .catch((error: unknown) => logger.error({ err: error }, 'could not expire overdue sessions; will retry'))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
