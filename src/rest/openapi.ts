import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { methodNotAllowed, type Reply } from './responses.js';

/**
 * The REST API's contract, schema/openapi.json, served at GET /api/v2/openapi.json (and
 * /openapi.json) without a token. The file is read once, when the app is built.
 */

export const OPENAPI_PATHS = ['/api/v2/openapi.json', '/openapi.json'];
const DEFAULT_FILE = new URL('../../schema/openapi.json', import.meta.url);

export function openApiDocument(file: URL | string = DEFAULT_FILE): (request: IncomingMessage, path: string) => Reply {
  const text = readFileSync(file, 'utf8');
  JSON.parse(text); // a broken document stops the start-up rather than being served
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag };

  return (request, path) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return methodNotAllowed(request.method ?? '', path, ['GET', 'HEAD']);
    }
    if (request.headers['if-none-match'] === etag) {
      return { status: 304, body: null, headers: { etag, 'cache-control': 'no-cache' } };
    }
    return { status: 200, body: text, headers };
  };
}
