import { db } from '../db/client.js';
import { claimDueAttempts, recordAttemptOutcome, type ClaimedAttempt } from './outbox.js';
import { createPoster, type Poster } from './post.js';
import { signedHeaders } from './signing.js';

/**
 * Sends the outbox's due deliveries: claims a small batch, sends it concurrently, records each
 * outcome, and goes on at once while batches come back full, or polls again after a pause. Several
 * processes may run one each on the same database (see claimDueAttempts). Requests never wait on it.
 */

export type DeliveryWorkerOptions = {
  retryDelaysSeconds: readonly number[];
  allowPrivateNetworks: boolean;
  /** An attempt without an answer within this is a failed attempt (DESIGN: 10 s). */
  timeoutMs?: number;
  /** Deliveries claimed, and sent at once, per round. */
  batchSize?: number;
  pollIntervalMs?: number;
  onError: (error: unknown) => void;
};

export type DeliveryWorker = {
  /** Stops claiming; resolves once the attempts in flight have finished or timed out and are recorded. */
  stop: () => Promise<void>;
};

export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed attempt is not due again for its timeout plus this, time to record its outcome. */
const LEASE_MARGIN_SECONDS = 5;

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { retryDelaysSeconds, onError, timeoutMs = DELIVERY_TIMEOUT_MS, batchSize = 20, pollIntervalMs = 1000 } = options;
  const leaseSeconds = Math.ceil(timeoutMs / 1000) + LEASE_MARGIN_SECONDS;
  const poster = createPoster({ allowPrivateNetworks: options.allowPrivateNetworks, timeoutMs, maxSockets: batchSize });
  let stopping = false;
  let wake: () => void = () => {};

  const deliverOne = async (claimed: ClaimedAttempt) => {
    const outcome = await poster.post(claimed.url, claimed.body, await signedHeaders(db, claimed.organizationId, claimed.id, claimed.body, claimed));
    await recordAttemptOutcome(claimed, outcome, retryDelaysSeconds);
  };

  const loop = async () => {
    while (!stopping) {
      let claimed: ClaimedAttempt[] = [];
      try {
        claimed = await claimDueAttempts(batchSize, leaseSeconds);
        // A failure of one (the database while recording) leaves that row to its lease; not the others.
        const results = await Promise.allSettled(claimed.map(deliverOne));
        for (const result of results) if (result.status === 'rejected') onError(result.reason);
      } catch (error) {
        onError(error);
      }
      if (claimed.length < batchSize && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const running = loop();

  return {
    stop: async () => {
      stopping = true;
      wake();
      await running;
      poster.close();
    },
  };
}
