import { GraphQLError } from 'graphql';

/** The expected errors of the GraphQL API, each with its `extensions.code`. Anything else is masked. */

export function unauthenticated(message = 'Authentication required: send a valid bearer token.') {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message = 'You are not allowed to do this.') {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function notFound(what: string) {
  return new GraphQLError(`${what} not found.`, { extensions: { code: 'NOT_FOUND' } });
}

export function badUserInput(message: string, field?: string) {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field && { field }) } });
}

export function conflict(message: string) {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT' } });
}
