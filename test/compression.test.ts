import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useServer } from './support/file-server.js';

/**
 * Compression and caching as a client sees them over a real socket: what goes over the wire, with
 * which Content-Encoding, Vary, Cache-Control and ETag.
 */

const running = useServer();

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** One request as sent, the answer's bytes as received (fetch would decompress them). */
function raw(pathname: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Raw>((resolve, reject) => {
    const request = httpRequest(`${running.server.url}${pathname}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const decode = (answer: Raw) =>
  answer.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(answer.body)
    : answer.headers['content-encoding'] === 'gzip'
      ? gunzipSync(answer.body)
      : answer.body;

const BROWSER = 'gzip, deflate, br, zstd';
const DASHBOARD = path.resolve('dashboard/dist');

async function dashboardScript(): Promise<{ url: string; bytes: Buffer }> {
  const index = await readFile(path.join(DASHBOARD, 'index.html'), 'utf8');
  const url = /<script[^>]+src="([^"]+\.js)"/.exec(index)![1]!;
  return { url, bytes: await readFile(path.join(DASHBOARD, url.replace(/^\/dashboard\//, ''))) };
}

describe('compression', () => {
  it('sends the dashboard script with brotli or gzip as accepted, the same bytes once decoded, cacheable for a year', async () => {
    const { url, bytes } = await dashboardScript();
    expect(bytes.length).toBeGreaterThan(1024);
    for (const [accept, encoding] of [
      [BROWSER, 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', undefined],
    ] as const) {
      const answer = await raw(url, { headers: { 'accept-encoding': accept } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(decode(answer).equals(bytes)).toBe(true);
      if (encoding) expect(answer.body.length).toBeLessThan(bytes.length / 2);
    }
  });

  it('answers HEAD with the GET headers and no body, and a known ETag with 304', async () => {
    const { url } = await dashboardScript();
    const get = await raw(url, { headers: { 'accept-encoding': 'br' } });
    const head = await raw(url, { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-encoding', 'content-length', 'etag', 'vary', 'content-type']) {
      expect(head.headers[name]).toBe(get.headers[name]);
    }
    const revalidated = await raw(url, { headers: { 'accept-encoding': 'br', 'if-none-match': String(get.headers.etag) } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers.etag).toBe(get.headers.etag);
  });

  it('keeps the dashboard page itself revalidated on every visit', async () => {
    const page = await raw('/dashboard/', { headers: { 'accept-encoding': BROWSER } });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(decode(page).toString()).toContain('<script');
  });

  it('compresses the OpenAPI document and large GraphQL answers', async () => {
    const openapi = await raw('/api/v2/openapi.json', { headers: { 'accept-encoding': BROWSER } });
    expect(openapi.headers['content-encoding']).toBe('br');
    expect(openapi.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(decode(openapi).toString()).openapi).toMatch(/^3\.1/);

    const introspection = JSON.stringify({ query: '{ __schema { types { name description fields { name description } } } }' });
    const large = await raw('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: introspection,
    });
    expect(large.status).toBe(200);
    expect(large.headers['content-encoding']).toBe('gzip');
    expect(large.headers.vary).toMatch(/accept-encoding/i);
    // The same answer to a client that accepts no encoding: as it is, and it varies all the same.
    const plain = await raw('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: introspection });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(plain.body.toString()).data.__schema.types.length).toBeGreaterThan(10);
    const decoded = decode(large);
    expect(decoded.length).toBeGreaterThan(large.body.length * 2);
    expect(JSON.parse(decoded.toString()).data.__schema.types.length).toBeGreaterThan(10);
  });

  it('leaves small answers alone: health, REST refusals, small GraphQL answers', async () => {
    const answers = await Promise.all([
      raw('/health', { headers: { 'accept-encoding': BROWSER } }),
      raw('/api/v2/session', {
        method: 'POST',
        headers: { 'accept-encoding': BROWSER, authorization: 'Bearer nope', 'content-type': 'application/json' },
        body: '{}',
      }),
      raw('/graphql', {
        method: 'POST',
        headers: { 'accept-encoding': BROWSER, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 200]);
    for (const answer of answers) {
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers.vary ?? '').not.toMatch(/accept-encoding/i);
      expect(JSON.parse(answer.body.toString())).toBeTruthy();
    }
  });
});
