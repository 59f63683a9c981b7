import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_CSP } from './security/headers.js';

/**
 * Serves the dashboard (the single-page app built from dashboard/ into dashboard/dist by `npm install`)
 * under /dashboard: its files with their content types, and index.html for every other page path, so
 * that the app's own routes survive a reload. Nothing outside the build folder is ever served.
 */

export const DASHBOARD_PATH = '/dashboard';
const DEFAULT_ROOT = fileURLToPath(new URL('../dashboard/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function useDashboard(root: string = DEFAULT_ROOT): Plugin {
  const base = path.resolve(root);
  return {
    // Synchronous for other paths: an async hook would cost every request a promise.
    onRequest({ url, request, endResponse }) {
      if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return;
      return respond(base, url, request.method).then(endResponse);
    },
  };
}

async function respond(base: string, url: URL, method: string): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') {
    return new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  if (url.pathname === DASHBOARD_PATH) {
    return new Response(null, { status: 308, headers: { location: `${DASHBOARD_PATH}/${url.search}` } });
  }

  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(DASHBOARD_PATH.length + 1));
  } catch {
    return notFound();
  }
  if (relative.includes('\0')) return notFound();
  const file = path.resolve(base, relative);
  // Resolving removes every "..": a path that then lies outside the build folder asked for something else.
  if (file !== base && !file.startsWith(base + path.sep)) return notFound();

  if (relative && (await isFile(file))) return serveFile(file, method, relative.startsWith('assets/'));
  // A missing file (it has an extension) is a 404; any other path is one of the app's pages.
  if (path.extname(relative)) return notFound();
  const index = path.join(base, 'index.html');
  if (!(await isFile(index))) {
    return new Response('The dashboard has not been built. Run: npm run build:dashboard\n', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return serveFile(index, method, false);
}

async function serveFile(file: string, method: string, immutable: boolean): Promise<Response> {
  const body = await readFile(file);
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(method === 'HEAD' ? null : body, {
    status: 200,
    headers: {
      'content-type': type,
      'content-length': String(body.length),
      // Vite puts a content hash in every file name under assets/; index.html must always be fresh.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      // The other security headers come from the app's edge (security/headers.ts).
      ...(type.startsWith('text/html') && { 'content-security-policy': DEFAULT_CSP }),
    },
  });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function notFound(): Response {
  return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
