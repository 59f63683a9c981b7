import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REVALIDATE, serveStatic, StaticFile } from '../http/static-file.js';
import { methodNotAllowed, send } from './responses.js';

/**
 * The REST API's contract, schema/openapi.json, served at GET /api/v2/openapi.json (and
 * /openapi.json) without a token, compressed as the client accepts, with an ETag. The file is read
 * once, when the app is built.
 */

export const OPENAPI_PATHS = ['/api/v2/openapi.json', '/openapi.json'];
const DEFAULT_FILE = new URL('../../schema/openapi.json', import.meta.url);

export type OpenApiHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  security: Readonly<Record<string, string>>,
) => void;

export function openApiDocument(file: URL | string = DEFAULT_FILE): OpenApiHandler {
  const text = readFileSync(file);
  JSON.parse(text.toString('utf8')); // a broken document stops the start-up rather than being served
  const document = new StaticFile(text, 'application/json; charset=utf-8', REVALIDATE);

  return (request, response, path, security) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, methodNotAllowed(request.method ?? '', path, ['GET', 'HEAD']), security);
    }
    void serveStatic(request, response, document, security);
  };
}
