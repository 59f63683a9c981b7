import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptedEncoding, compress, isCompressibleType, MIN_COMPRESSIBLE_BYTES, type Encoding } from './compression.js';

/** Hashed file names never change content: browsers and proxies keep them for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages naming those files: always revalidated (a 304 when unchanged), so a new build is seen at once. */
export const REVALIDATE = 'no-cache';

/**
 * A file served from memory: its bytes, its type, its cache policy, a strong ETag, and its brotli and
 * gzip encodings, each made once, on the first request that accepts it. The ETag is the content's,
 * the same for every encoding (as nginx's gzip_static does): Vary: Accept-Encoding keeps caches from
 * mixing encodings.
 */
export class StaticFile {
  readonly etag: string;
  readonly compressible: boolean;
  readonly #encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(
    readonly body: Buffer,
    readonly type: string,
    readonly cacheControl: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.compressible = body.length >= MIN_COMPRESSIBLE_BYTES && isCompressibleType(type);
  }

  /** The body in `encoding`, or the plain body when encoding does not make it smaller. */
  encoded(encoding: Encoding): Promise<Buffer> {
    let encoded = this.#encoded.get(encoding);
    if (!encoded) {
      encoded = compress(this.body, encoding, 'once').then(
        (bytes) => (bytes.length < this.body.length ? bytes : this.body),
        () => this.body, // zlib failing (out of memory): the plain body still serves
      );
      this.#encoded.set(encoding, encoded);
    }
    return encoded;
  }
}

/**
 * Answers GET or HEAD with `file`: 304 when If-None-Match names its ETag, otherwise the encoding the
 * client accepts. `extra` headers (the REST API's security headers) go into the same writeHead.
 */
export function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  file: StaticFile,
  extra: Readonly<Record<string, string>> = {},
): void | Promise<void> {
  const headers: Record<string, string> = { ...extra, ...file.headers, 'cache-control': file.cacheControl, etag: file.etag };
  if (file.compressible) headers.vary = 'accept-encoding';
  if (ifNoneMatch(request.headers['if-none-match'], file.etag)) {
    response.writeHead(304, headers).end();
    return;
  }
  headers['content-type'] = file.type;
  const encoding = file.compressible ? acceptedEncoding(request.headers['accept-encoding']) : null;
  if (!encoding) return write(response, headers, file.body);
  return file.encoded(encoding).then((body) => {
    if (body !== file.body) headers['content-encoding'] = encoding;
    write(response, headers, body);
  });
}

function write(response: ServerResponse, headers: Record<string, string>, body: Buffer): void {
  if (response.destroyed) return;
  headers['content-length'] = String(body.length);
  // Node leaves the body out of an answer to HEAD by itself, keeping the headers of the GET.
  response.writeHead(200, headers).end(body);
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
