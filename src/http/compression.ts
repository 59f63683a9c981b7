import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/**
 * Compression of text answers worth it, with Node's zlib: brotli or gzip, as the client's
 * Accept-Encoding allows. Small bodies (under MIN_COMPRESSIBLE_BYTES: most API answers, every REST
 * refusal) and types that are already compressed are sent as they are — compressing them costs CPU
 * and saves nothing. Static files are compressed once (http/static-file.ts); GraphQL answers per
 * request (below).
 */

export type Encoding = 'br' | 'gzip';

/** Below about one TCP packet, compression saves no round trip and costs CPU on every answer. */
export const MIN_COMPRESSIBLE_BYTES = 1024;

const COMPRESSIBLE_TYPES = new Set([
  'text/html',
  'text/css',
  'text/javascript',
  'text/plain',
  'application/javascript',
  'application/json',
  'application/graphql-response+json',
  'image/svg+xml',
  'image/x-icon',
]);

/** Text types that are sent whole (not streams such as text/event-stream, not images or fonts). */
export function isCompressibleType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  return COMPRESSIBLE_TYPES.has((semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase());
}

/**
 * The encoding to answer with: brotli if the client accepts it, else gzip, else none. Honours q=0
 * ("not this one") and `*`; other q-values only rank brotli and gzip when both are accepted, and brotli
 * wins ties (smaller at comparable cost).
 */
export function acceptedEncoding(acceptEncoding: string | null | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  let br = -1;
  let gz = -1;
  let any = -1;
  for (const part of acceptEncoding.split(',')) {
    const [token = '', ...params] = part.split(';');
    const name = token.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value) || 0;
    }
    if (name === 'br') br = q;
    else if (name === 'gzip' || name === 'x-gzip') gz = q;
    else if (name === '*') any = q;
  }
  if (br === -1) br = any;
  if (gz === -1) gz = any;
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses on libuv's worker threads (the event loop keeps serving). `once`: a file compressed one
 * time and served many times, worth brotli's higher levels (quality 11 takes seconds per megabyte,
 * 9 a tenth of that for nearly the same size); per request: quality 4, about gzip's speed, smaller.
 */
export function compress(body: Buffer, encoding: Encoding, effort: 'once' | 'per-request'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: effort === 'once' ? 9 : 6 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: effort === 'once' ? 9 : 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

/**
 * Compresses Yoga's large text answers (big GraphQL results, GraphiQL's page) as the client accepts.
 * Answers under MIN_COMPRESSIBLE_BYTES are left alone without a promise, so small GraphQL answers cost
 * nothing more; so are streams (no content-length), HEAD answers and answers already encoded.
 */
export function useCompression(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      const length = response.headers.get('content-length');
      if (length === null || Number(length) < MIN_COMPRESSIBLE_BYTES || request.method === 'HEAD') return;
      if (response.headers.has('content-encoding') || !isCompressibleType(response.headers.get('content-type'))) return;
      const encoding = acceptedEncoding(request.headers.get('accept-encoding'));
      if (!encoding) {
        // Sent as it is: only the Vary header is added, in place (a new Response cost ~2 % of a request).
        response.headers.append('vary', 'accept-encoding');
        return;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'accept-encoding');
      return response.arrayBuffer().then(async (body) => {
        const encoded = await compress(Buffer.from(body), encoding, 'per-request');
        headers.set('content-encoding', encoding);
        headers.set('content-length', String(encoded.length));
        setResponse(new fetchAPI.Response(encoded as Uint8Array<ArrayBuffer>, { status: response.status, headers }));
      });
    },
  };
}
