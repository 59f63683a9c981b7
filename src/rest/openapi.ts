import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Response } from '@whatwg-node/fetch';
import type { Plugin } from 'graphql-yoga';
import { methodNotAllowed } from './responses.js';

/**
 * Serves the REST API's contract, schema/openapi.json, at GET /api/v2/openapi.json (and
 * /openapi.json), without a token. The file is read once, when the app is built; it must come
 * before useSessionApi in the plugin list, which answers every other /api/ path.
 */

export const OPENAPI_PATHS = ['/api/v2/openapi.json', '/openapi.json'];
const DEFAULT_FILE = new URL('../../schema/openapi.json', import.meta.url);

export function useOpenApiDocument(file: URL | string = DEFAULT_FILE): Plugin {
  const text = readFileSync(file, 'utf8');
  JSON.parse(text); // a broken document stops the start-up rather than being served
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag };

  return {
    onRequest({ request, url, endResponse }) {
      if (!OPENAPI_PATHS.includes(url.pathname)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(methodNotAllowed(request.method, url.pathname, ['GET', 'HEAD']));
      } else if (request.headers.get('if-none-match') === etag) {
        endResponse(new Response(null, { status: 304, headers: { etag, 'cache-control': 'no-cache' } }));
      } else {
        endResponse(new Response(request.method === 'HEAD' ? null : text, { status: 200, headers }));
      }
    },
  };
}
