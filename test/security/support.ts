import type { App } from '../../src/app.js';

/** Calls the app in-process as if over a socket from `address` (rate limits key on it). */
export async function fetchFrom(
  app: App,
  address: string,
  path: string,
  init: FetchInit = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const serverContext = { req: { socket: { remoteAddress: address } } } as unknown as Record<string, never>;
  const response = await app.fetch(`http://bouncer.test${path}`, init, serverContext);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (GraphiQL's page)
  }
  return { status: response.status, headers: response.headers, body };
}

export type FetchInit = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

export function graphqlBody(query: string, variables?: object, token?: string): FetchInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  };
}

let counter = 0;
/** A fresh IPv4 address per call, so tests do not share rate-limit counters. */
export function nextAddress(): string {
  counter += 1;
  return `10.${(process.pid >> 8) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
}

export const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(input: {email: $email, password: $password}) { token } }`;
export const SIGN_UP = `mutation ($email: String!, $password: String!) { signUp(input: {email: $email, password: $password, organizationName: "Org"}) { token } }`;
