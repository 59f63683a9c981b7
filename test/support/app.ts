import { Readable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { inject } from 'light-my-request';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { closeDatabase, openDatabase } from '../../src/db/client.js';
import { dropSchemaOf, freshDatabaseUrl } from './database.js';

export type TestApp = { app: App; config: Config };

/** Opens a fresh database for this test file and builds the app on it (the whole HTTP pipeline, no port). */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  const testApp = {} as TestApp;
  const databaseUrl = freshDatabaseUrl();
  beforeAll(async () => {
    testApp.config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://bouncer.test', ...env });
    await openDatabase({ databaseUrl, dataDir: 'memory://' });
    testApp.app = createApp(testApp.config);
  });
  afterAll(async () => {
    await closeDatabase();
    await dropSchemaOf(databaseUrl);
  });
  return testApp;
}

let addressCounter = 0;
/** A fresh IPv4 address per call, so requests do not share rate-limit counters unless a test wants them to. */
export function nextAddress(): string {
  addressCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export type CallInit = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

/**
 * Sends a request through the app's whole HTTP pipeline in-process (light-my-request: Node's request
 * and response, no socket) as if it came from `address`, and answers it as a fetch Response.
 */
export async function call(app: App, url: string, init: CallInit = {}, address = nextAddress()): Promise<Response> {
  const { pathname, search } = new URL(url, 'http://bouncer.test');
  const body = init.body;
  const reply = await inject(app.handle, {
    method: (init.method ?? 'GET') as 'GET',
    url: `http://bouncer.test${pathname}${search}`,
    headers: init.headers,
    payload: body instanceof ReadableStream ? Readable.fromWeb(body as never) : (body as string | undefined),
    remoteAddress: address,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    for (const each of Array.isArray(value) ? value : [value]) if (each !== undefined) headers.append(name, String(each));
  }
  const empty = [204, 304].includes(reply.statusCode) || reply.rawPayload.length === 0;
  return new Response(empty ? null : new Uint8Array(reply.rawPayload), { status: reply.statusCode, headers });
}

export type GraphQLResponse<Data> = {
  status: number;
  data?: Data | null;
  errors?: GraphQLFormattedError[];
};

/** Where a request comes from: its client address and User-Agent (fresh address, light-my-request's agent unless given). */
export type RequestFrom = { address?: string; userAgent?: string };

/** Sends a typed operation through the app's HTTP pipeline. */
export async function graphql<Data, Variables>(
  app: App,
  document: TypedDocumentNode<Data, Variables>,
  variables?: Variables,
  token?: string,
  from: RequestFrom = {},
): Promise<GraphQLResponse<Data>> {
  const response = await call(
    app,
    '/graphql',
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(from.userAgent !== undefined && { 'user-agent': from.userAgent }),
      },
      body: JSON.stringify({ query: print(document), variables }),
    },
    from.address,
  );
  return { status: response.status, ...((await response.json()) as object) };
}

/** The error codes of a response, in order. */
export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
