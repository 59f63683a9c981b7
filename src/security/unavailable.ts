import { GraphQLError } from 'graphql';
import { json, type Reply } from '../rest/responses.js';

/**
 * The one place that decides whether an error means "the database cannot be reached right now" (as
 * opposed to a bug), for the REST API and for GraphQL alike. Such requests are answered with 503 and
 * Retry-After; the connection pool reconnects by itself once the database is back. A database that
 * answers but cannot write (a full disk) is unavailable too, and /ready reports it for a while (below).
 */

export const RETRY_AFTER_SECONDS = 5;

/**
 * Prisma's codes for an unreachable server, a timeout, a closed connection, an exhausted pool, and a
 * transaction that could not start or finish within its bounds (maxWait, timeout).
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** Driver adapter error kinds (`meta.driverAdapterError.cause.kind`) with the same meaning. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown,
 * cannot connect now: the server is stopping or starting), 57014 (a statement cancelled, by
 * statement_timeout: DATABASE_TIMEOUT_MS).
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|57014)$/;
/**
 * The database answers but cannot do its work: class 53 (insufficient resources: 53100 disk full,
 * 53200 out of memory, 53300 too many connections, ...) and 58030 (I/O error) from PostgreSQL and from PGlite, which reports its
 * data directory's ENOSPC the same way; the file system's own codes, should one surface raw.
 */
const RESOURCE_SQLSTATE = /^(53[0-9A-Z]{3}|58030)$/;
const RESOURCE_NODE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO']);
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/** node-postgres reports lost connections and its own timeouts with plain Errors and these messages. */
const PG_MESSAGES =
  /Connection terminated|not queryable|Connection ended|timeout exceeded when trying to connect|Client was closed|Query read timeout/i;

type ErrorLike = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
};

type Failure = 'unreachable' | 'resources';

/**
 * Whether `error` means the database is unavailable right now. A resource failure (a full disk) is
 * also remembered for /ready: nothing else tells it, since a probe may well succeed where the next
 * real write fails (a row fits in a page already allocated; the disk is full for the next one).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const failure = classify(error);
  if (failure === 'resources') lastResourceFailureAt = Date.now();
  return failure !== undefined;
}

let lastResourceFailureAt = -Infinity;

/** True for Retry-After after a request failed for lack of resources: /ready then reports not ready. */
export function resourcesRecentlyFailed(now = Date.now()): boolean {
  return now - lastResourceFailureAt < RETRY_AFTER_SECONDS * 1000;
}

function classify(error: unknown, depth = 0): Failure | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (typeof e.code === 'string') {
    if (RESOURCE_SQLSTATE.test(e.code) || RESOURCE_NODE_CODES.has(e.code)) return 'resources';
    if (PRISMA_CODES.has(e.code) || NODE_CODES.has(e.code) || SQLSTATE.test(e.code)) return 'unreachable';
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return 'unreachable';
  if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return 'unreachable';
  const nested = [e.cause, e.originalError, e.meta?.driverAdapterError?.cause, e.meta?.driverAdapterError];
  if (Array.isArray(e.errors)) nested.push(...(e.errors as unknown[]));
  for (const inner of nested) {
    const failure = inner === error ? undefined : classify(inner, depth + 1);
    if (failure) return failure;
  }
  return undefined;
}

const MESSAGE = 'The service is temporarily unavailable. Try again shortly.';

/** The REST answer, in the Laravel shape the other errors have. */
export const unavailableReply = (): Reply => json({ message: MESSAGE }, 503, { 'retry-after': String(RETRY_AFTER_SECONDS) });

/** The GraphQL answer: HTTP 503 with code SERVICE_UNAVAILABLE; `cause` is kept for the log, never sent. */
export function unavailableError(cause?: unknown): GraphQLError {
  return new GraphQLError(MESSAGE, {
    ...(cause instanceof Error && { originalError: cause }),
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      http: { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
    },
  });
}
