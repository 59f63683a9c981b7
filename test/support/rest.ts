import type { App } from '../../src/app.js';
import { call } from './app.js';

export type RestResponse = { status: number; headers: Headers; body: any };

/** Calls the REST API through the app's HTTP pipeline. `body` is sent as JSON; `rawBody` as is. */
export async function rest(
  app: App,
  method: string,
  path: string,
  options: { token?: string; authorization?: string; body?: unknown; rawBody?: string } = {},
): Promise<RestResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await call(app, path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export const validSession = { age_target: 18, redirect_url: 'https://shop.example/checkout/done' };
