import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, Rate } from '../config.js';
import { logger } from '../logger.js';

/**
 * The rate limits of sign-in, sign-up, failed bearer authentications, leaked-token reports and test
 * webhooks (rate-limiter-flexible).
 * Counters live in Redis when REDIS_URL is set, so that the limits hold across server processes,
 * and in this process's memory otherwise. Should Redis fail, each process falls back to counting in
 * its own memory (the library's insurance limiter) rather than letting everyone through or no one.
 */

export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export const LEAK_REPORTS_MESSAGE = 'Too many leaked-token reports from this address. Try again later.';

const KEY_PREFIX = 'bouncer:rl';
const BLOCKS_CHANNEL = `${KEY_PREFIX}:bearer-blocks`;
/** Beyond this many blocked addresses, expired ones are swept before another is added. */
const MAX_LOCAL_BLOCKS = 100_000;

type Limiter = RateLimiterAbstract;

function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Counts one attempt under `key`; throws RateLimitedError once the limit is exceeded. */
async function consume(limiter: Limiter | null, key: string, message: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(message, retryAfterSeconds(rejection));
    // Both the store and the insurance limiter failed: limiting must not take the service down.
    logger.error({ err: rejection }, 'rate limiter unavailable; request let through');
  }
}

/** Emails are keyed by a digest: counters in a shared store should not spell out who signs in. */
const emailKey = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 22);

export class RateLimits {
  private readonly signInPerEmail: Limiter | null;
  private readonly signInPerAddress: Limiter | null;
  private readonly signUpPerAddress: Limiter | null;
  private readonly bearerFailures: Limiter | null;
  private readonly leakReportsPerAddress: Limiter | null;
  private readonly webhookTestsPerOrganization: Limiter | null;
  /** Addresses this process knows are blocked for failed bearer authentications, until when (epoch ms). */
  private readonly blockedAddresses = new Map<string, number>();
  private readonly redis: Redis | undefined;
  private readonly subscriber: Redis | undefined;
  private readonly redisOutage = new RedisOutage();

  constructor(config: Config) {
    if (config.redisUrl) {
      // Fail fast (to the in-memory insurance limiter) instead of queueing commands while disconnected.
      const failFast = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 };
      this.redis = connect(config.redisUrl, 'rate limits', failFast, this.redisOutage);
      this.subscriber = connect(config.redisUrl, 'rate-limit blocks', {}, this.redisOutage);
      this.subscriber.subscribe(BLOCKS_CHANNEL).catch(() => {}); // queued until connected; renewed on reconnects
      this.subscriber.on('message', (_channel: string, message: string) => this.receiveBlock(message));
    }
    const limits = config.rateLimits;
    this.signInPerEmail = this.limiter('sign-in:email', limits.signInPerEmail);
    this.signInPerAddress = this.limiter('sign-in:address', limits.signInPerAddress);
    this.signUpPerAddress = this.limiter('sign-up:address', limits.signUpPerAddress);
    this.bearerFailures = this.limiter('bearer-failures:address', limits.bearerFailuresPerAddress);
    this.leakReportsPerAddress = this.limiter('leak-reports:address', limits.leakReportsPerAddress);
    this.webhookTestsPerOrganization = this.limiter('webhook-tests:organization', limits.webhookTestsPerOrganization);
  }

  private limiter(name: string, rate: Rate): Limiter | null {
    if (!rate) return null;
    const options = { keyPrefix: `${KEY_PREFIX}:${name}`, points: rate.points, duration: rate.durationSeconds };
    if (!this.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** Counts a sign-in attempt for the email and for the address; before the password is checked. */
  async signInAttempt(email: string, address: string | null): Promise<void> {
    const message = 'Too many sign-in attempts. Try again later.';
    await consume(this.signInPerEmail, emailKey(email), message);
    if (address) await consume(this.signInPerAddress, address, message);
  }

  /** A successful sign-in clears the email's count: the limit is on consecutive failures. */
  async signInSucceeded(email: string): Promise<void> {
    await this.signInPerEmail?.delete(emailKey(email)).catch(() => {});
  }

  async signUpAttempt(address: string | null): Promise<void> {
    if (address) await consume(this.signUpPerAddress, address, 'Too many sign-ups from this address. Try again later.');
  }

  /** Counts a leaked-token report (anonymous, and each may name 1000 tokens) for the address. */
  async leakReportAttempt(address: string | null): Promise<void> {
    if (address) await consume(this.leakReportsPerAddress, address, LEAK_REPORTS_MESSAGE);
  }

  /** Counts a test webhook sent for the organization (each is a request to a URL a member chose). */
  async webhookTestAttempt(organizationId: number): Promise<void> {
    await consume(this.webhookTestsPerOrganization, String(organizationId), 'Too many test webhooks for this organization. Try again later.');
  }

  /** Whether this process knows of any blocked address (the success path's only question, usually no). */
  anyBearerBlocks(): boolean {
    return this.blockedAddresses.size > 0;
  }

  /**
   * Seconds until the address may present bearer tokens again, or 0. Consults only this process's
   * memory, so it costs a successful request one Map look-up (none while nothing is blocked).
   */
  bearerBlockedFor(address: string | null): number {
    if (!address || this.blockedAddresses.size === 0) return 0;
    const until = this.blockedAddresses.get(address);
    if (until === undefined) return 0;
    const remaining = until - Date.now();
    if (remaining > 0) return Math.ceil(remaining / 1000);
    this.blockedAddresses.delete(address);
    return 0;
  }

  /**
   * Counts a failed bearer authentication (the only time the shared store is asked); when it exceeds
   * the limit, blocks the address here and tells the other processes, and returns the seconds to wait.
   */
  /** Whether refused bearer tokens are counted at all (the limit may be configured `off`). */
  get countsBearerFailures(): boolean {
    return this.bearerFailures !== null;
  }

  async bearerFailed(address: string | null): Promise<number> {
    if (!address || !this.bearerFailures) return 0;
    try {
      await this.bearerFailures.consume(address);
      return 0;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        logger.error({ err: rejection }, 'rate limiter unavailable; failed authentication not counted');
        return 0;
      }
      this.block(address, rejection.msBeforeNext);
      this.redis?.publish(BLOCKS_CHANNEL, JSON.stringify({ address, ms: rejection.msBeforeNext })).catch(() => {});
      return retryAfterSeconds(rejection);
    }
  }

  private block(address: string, ms: number): void {
    if (this.blockedAddresses.size >= MAX_LOCAL_BLOCKS) {
      const now = Date.now();
      for (const [key, until] of this.blockedAddresses) if (until <= now) this.blockedAddresses.delete(key);
      if (this.blockedAddresses.size >= MAX_LOCAL_BLOCKS) return; // the shared counter still refuses it
    }
    const until = Date.now() + ms;
    if ((this.blockedAddresses.get(address) ?? 0) < until) this.blockedAddresses.set(address, until);
  }

  private receiveBlock(message: string): void {
    try {
      const { address, ms } = JSON.parse(message) as { address: unknown; ms: unknown };
      if (typeof address === 'string' && typeof ms === 'number' && ms > 0) this.block(address, ms);
    } catch {
      // not ours
    }
  }

  async close(): Promise<void> {
    this.redisOutage.stop();
    await Promise.all([this.redis, this.subscriber].map((client) => client?.quit().catch(() => {})));
  }
}

/**
 * Logs a Redis outage once when it starts and once when it ends, however many connections fail in
 * between: a Redis that accepts and then resets connections fails and "recovers" many times a second.
 * It counts as back only after its connections have stayed up for RECOVERED_AFTER_MS.
 */
const RECOVERED_AFTER_MS = 3_000;

class RedisOutage {
  private down = false;
  private recovery: NodeJS.Timeout | undefined;

  failed(error: Error): void {
    clearTimeout(this.recovery);
    this.recovery = undefined;
    if (this.down) return;
    this.down = true;
    logger.warn({ err: error }, 'Redis unavailable; rate limits are counted per process meanwhile');
  }

  ready(): void {
    if (!this.down || this.recovery) return;
    this.recovery = setTimeout(() => {
      this.recovery = undefined;
      this.down = false;
      logger.info('Redis reachable again');
    }, RECOVERED_AFTER_MS);
    this.recovery.unref();
  }

  stop(): void {
    clearTimeout(this.recovery);
  }
}

function connect(url: string, purpose: string, options: RedisOptions, outage: RedisOutage): Redis {
  const client = new Redis(url, { ...options, connectionName: `bouncer-${purpose.replaceAll(' ', '-')}` });
  client.on('error', (error: Error) => outage.failed(error));
  client.on('ready', () => outage.ready());
  return client;
}
