import { GraphQLError } from 'graphql';
import { json, type Reply } from '../rest/responses.js';

/**
 * The one place that decides whether an error means "the database cannot be reached right now" (as
 * opposed to a bug), for the REST API and for GraphQL alike. Such requests are answered with 503 and
 * Retry-After; the connection pool reconnects by itself once the database is back.
 */

export const RETRY_AFTER_SECONDS = 5;

/** Prisma's codes for an unreachable server, a timeout, a closed connection, an exhausted pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver adapter error kinds (`meta.driverAdapterError.cause.kind`) with the same meaning. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown,
 * cannot connect now: the server is stopping or starting), 53300 (too many connections).
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
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
/** node-postgres reports lost connections with plain Errors and these messages. */
const PG_MESSAGES =
  /Connection terminated|not queryable|Connection ended|timeout exceeded when trying to connect|Client was closed/i;

type ErrorLike = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
};

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 6 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && (PRISMA_CODES.has(e.code) || NODE_CODES.has(e.code) || SQLSTATE.test(e.code))) {
    return true;
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
  const nested = [e.cause, e.originalError, e.meta?.driverAdapterError?.cause, e.meta?.driverAdapterError];
  if (Array.isArray(e.errors)) nested.push(...(e.errors as unknown[]));
  return nested.some((inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1));
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
