import { GraphQLError } from 'graphql';
import { json, type Reply } from '../rest/responses.js';
import { RateLimitedError, RateLimits } from './rate-limits.js';

/**
 * Rate limits at the HTTP edge. Failed bearer authentications are counted per client address: a
 * request presenting a token is refused with 429 up front only while its address is blocked in this
 * process's memory (no store round trip on the success path); the shared counter is consulted when a
 * token is refused, and that refusal becomes a 429 once the address has failed too often.
 */

export const BEARER_MESSAGE = 'Too many failed authentication attempts. Try again later.';

export function rateLimitedError(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

/** 429 in the surface's own shape: Laravel's `{"message"}` for REST, a GraphQL error otherwise. */
export function tooManyRequests(isRest: boolean, message: string, retryAfterSeconds: number): Reply {
  const body = isRest
    ? { message }
    : { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds } }] };
  return json(body, 429, { 'retry-after': String(retryAfterSeconds) });
}

/** What the resolvers need: the limits, bound to the request's client address where they count per address. */
export type RequestLimits = Readonly<{
  signInAttempt(email: string): Promise<void>;
  signInSucceeded(email: string): Promise<void>;
  signUpAttempt(): Promise<void>;
  webhookTestAttempt(organizationId: number): Promise<void>;
}>;

export function requestLimits(limits: RateLimits, address: string | null): RequestLimits {
  const graphqlErrors = async (attempt: Promise<void>) => {
    try {
      await attempt;
    } catch (error) {
      throw error instanceof RateLimitedError ? rateLimitedError(error.message, error.retryAfterSeconds) : error;
    }
  };
  return {
    signInAttempt: (email) => graphqlErrors(limits.signInAttempt(email, address)),
    signInSucceeded: (email) => limits.signInSucceeded(email),
    signUpAttempt: () => graphqlErrors(limits.signUpAttempt(address)),
    webhookTestAttempt: (organizationId) => graphqlErrors(limits.webhookTestAttempt(organizationId)),
  };
}
