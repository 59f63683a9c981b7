import type { TypedDocumentString } from './graphql/graphql.js';
import { signInToken } from './session.js';

/** Sends GraphQL operations to the server that serves the dashboard, with the sign-in token. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type GraphQLErrorBody = { message: string; extensions?: { code?: string; field?: string } };

/** Called when the server says the sign-in token is no longer good (expired, revoked). */
let onSignedOut: () => void = () => {};
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

export async function request<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  const token = signInToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.', 'NETWORK');
  }
  let body: { data?: Result | null; errors?: GraphQLErrorBody[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered unexpectedly (HTTP ${response.status}). Please try again.`, 'HTTP');
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code === 'UNAUTHENTICATED' && token) onSignedOut();
    throw new ApiError(plainWords(code, error.message, error.extensions?.field), code, error.extensions?.field);
  }
  if (!body.data) throw new ApiError('The server sent no answer. Please try again.', 'HTTP');
  return body.data;
}

/**
 * The server's message where it is written for people, in the dashboard's words; a plain sentence
 * where it is not. Never a bare code ("CONFLICT") or an enum value ("OWNER").
 */
function plainWords(code: string, message: string, field?: string): string {
  switch (code) {
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'FORBIDDEN':
      return sentence(fieldWords(roleWords(message), field));
    case 'RATE_LIMITED':
    case 'SERVICE_UNAVAILABLE':
      return message;
    case 'UNAUTHENTICATED':
      return message === 'Invalid email or password.' ? message : 'Your session has ended. Please sign in again.';
    case 'NOT_FOUND':
      return `${sentence(message)} It may have been removed, or you no longer have access to it.`;
    default:
      return 'Something went wrong on our side. Please try again in a moment.';
  }
}

/** The API names roles as its enum does; people read "owner". */
function roleWords(message: string): string {
  return message.replace(/\b(OWNER|ADMIN|MEMBER)\b/g, (role) => role.toLowerCase());
}

/** The API's messages open with the input field's name ("organizationName must not be blank."). */
const FIELD_WORDS: Record<string, string> = {
  organizationName: 'organization name',
  expiresAt: 'expiry date',
  allowedIps: 'allowed IP addresses',
};

function fieldWords(message: string, field?: string): string {
  const words = field && FIELD_WORDS[field];
  return words && message.startsWith(`${field} `) ? `${words}${message.slice(field.length)}` : message;
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
}
