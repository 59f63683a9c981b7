import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
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

export type GraphQLResponse<Data> = {
  status: number;
  data?: Data | null;
  errors?: GraphQLFormattedError[];
};

/** Sends a typed operation through the app's HTTP pipeline. */
export async function graphql<Data, Variables>(
  app: App,
  document: TypedDocumentNode<Data, Variables>,
  variables?: Variables,
  token?: string,
): Promise<GraphQLResponse<Data>> {
  const response = await app.fetch('http://bouncer.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The error codes of a response, in order. */
export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
