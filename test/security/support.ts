import type { App } from '../../src/app.js';
import { call, type CallInit } from '../support/app.js';

export { nextAddress } from '../support/app.js';

/** Calls the app in-process as if over a socket from `address` (rate limits key on it). */
export async function fetchFrom(
  app: App,
  address: string,
  path: string,
  init: FetchInit = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await call(app, path, init, address);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (GraphiQL's page)
  }
  return { status: response.status, headers: response.headers, body };
}

export type FetchInit = CallInit;

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

export const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(input: {email: $email, password: $password}) { token } }`;
export const SIGN_UP = `mutation ($email: String!, $password: String!) { signUp(input: {email: $email, password: $password, organizationName: "Org"}) { token } }`;
