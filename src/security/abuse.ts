import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { clientAddress } from './client-address.js';
import { RateLimitedError, RateLimits } from './rate-limits.js';

/**
 * Rate limits at the HTTP edge. Failed bearer authentications are counted per client address: a
 * request presenting a token is refused with 429 up front only while its address is blocked in this
 * process's memory (no store round trip on the success path); the shared counter is consulted when a
 * token is refused (401), and that answer becomes a 429 once the address has failed too often.
 */

const BEARER_MESSAGE = 'Too many failed authentication attempts. Try again later.';

/** GraphQL requests whose bearer token the context refused (REST refusals are recognised by their 401). */
const refusedBearers = new WeakSet<Request>();

export function noteRefusedBearer(request: Request): void {
  refusedBearers.add(request);
}

export function rateLimitedError(error: RateLimitedError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: error.retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) } },
    },
  });
}

/** 429 in the surface's own shape: Laravel's `{"message"}` for REST, a GraphQL error otherwise. */
export function tooManyRequests(pathname: string, message: string, retryAfterSeconds: number): Response {
  const body = pathname.startsWith('/api/')
    ? { message }
    : { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds } }] };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': String(retryAfterSeconds) },
  });
}

export function useBearerFailureLimit(config: Config, limits: RateLimits): Plugin {
  return {
    onRequest({ request, serverContext, url, endResponse }) {
      if (!limits.anyBearerBlocks() || !request.headers.has('authorization')) return;
      const wait = limits.bearerBlockedFor(clientAddress(request, serverContext, config.trustProxy));
      if (wait > 0) endResponse(tooManyRequests(url.pathname, BEARER_MESSAGE, wait));
    },
    onResponse({ request, serverContext, response, setResponse }) {
      if (!limits.countsBearerFailures || response.status !== 401 || !request.headers.has('authorization')) return;
      const { pathname } = new URL(request.url);
      // The REST API answers 401 to a request with credentials only when its token is refused.
      if (!pathname.startsWith('/api/') && !refusedBearers.has(request)) return;
      return limits.bearerFailed(clientAddress(request, serverContext, config.trustProxy)).then((wait) => {
        if (wait > 0) setResponse(tooManyRequests(pathname, BEARER_MESSAGE, wait));
      });
    },
    async onDispose() {
      await limits.close();
    },
  };
}

/** What the sign-in and sign-up resolvers need: the limits bound to the request's client address. */
export type RequestLimits = Readonly<{
  signInAttempt(email: string): Promise<void>;
  signInSucceeded(email: string): Promise<void>;
  signUpAttempt(): Promise<void>;
}>;

export function requestLimits(limits: RateLimits, address: string | null): RequestLimits {
  const graphqlErrors = async (attempt: Promise<void>) => {
    try {
      await attempt;
    } catch (error) {
      throw error instanceof RateLimitedError ? rateLimitedError(error) : error;
    }
  };
  return {
    signInAttempt: (email) => graphqlErrors(limits.signInAttempt(email, address)),
    signInSucceeded: (email) => limits.signInSucceeded(email),
    signUpAttempt: () => graphqlErrors(limits.signUpAttempt(address)),
  };
}
