import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_HOME, type EdgeHandler } from './http/front-door.js';
import { IMMUTABLE, REVALIDATE, serveStatic, StaticFile } from './http/static-file.js';
import { logger } from './logger.js';
import { DEFAULT_CSP } from './security/headers.js';

/**
 * Serves the dashboard (the single-page app built from dashboard/ into dashboard/dist by `npm install`)
 * under /dashboard: its files with their content types, and index.html for every other page path, so
 * that the app's own routes survive a reload. Nothing outside the build folder is ever served. Files
 * are read once and kept in memory with their compressed forms (http/static-file.ts); a rebuilt file
 * (another size or modification time) is read again.
 */

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

export function dashboardFiles(root: string = DEFAULT_ROOT): EdgeHandler {
  const base = path.resolve(root);
  const cache = new Map<string, { version: string; file: StaticFile }>();

  /** The file at `file` as served, or null when there is no such regular file. */
  async function load(file: string, relative: string): Promise<StaticFile | null> {
    const stats = await stat(file).catch(() => null);
    if (!stats?.isFile()) return null;
    const version = `${stats.size}:${stats.mtimeMs}`;
    const cached = cache.get(file);
    if (cached?.version === version) return cached.file;
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const loaded = new StaticFile(
      await readFile(file),
      type,
      // Vite puts a content hash in every file name under assets/; index.html must always be fresh.
      relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
      // The other security headers come from the app's edge (security/headers.ts).
      type.startsWith('text/html') ? { 'content-security-policy': DEFAULT_CSP } : {},
    );
    cache.set(file, { version, file: loaded });
    return loaded;
  }

  async function respond(request: IncomingMessage, response: ServerResponse, pathname: string, search: string) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return text(response, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    }
    if (pathname === DASHBOARD_HOME) {
      response.writeHead(308, { location: `${DASHBOARD_HOME}/${search}`, 'content-length': '0' }).end();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(DASHBOARD_HOME.length + 1));
    } catch {
      return notFound(response);
    }
    if (relative.includes('\0')) return notFound(response);
    const file = path.resolve(base, relative);
    // Resolving removes every "..": a path that then lies outside the build folder asked for something else.
    if (file !== base && !file.startsWith(base + path.sep)) return notFound(response);

    const found = relative ? await load(file, relative) : null;
    if (found) return serveStatic(request, response, found);
    // A missing file (it has an extension) is a 404; any other path is one of the app's pages.
    if (path.extname(relative)) return notFound(response);
    const index = await load(path.join(base, 'index.html'), 'index.html');
    if (!index) return text(response, 503, 'The dashboard has not been built. Run: npm run build:dashboard\n');
    return serveStatic(request, response, index);
  }

  return (request, response, pathname) => {
    if (pathname !== DASHBOARD_HOME && !pathname.startsWith(`${DASHBOARD_HOME}/`)) return false;
    const url = request.url ?? '';
    const query = url.indexOf('?');
    respond(request, response, pathname, query === -1 ? '' : url.slice(query)).catch((error: unknown) => {
      logger.error({ err: error, path: pathname }, 'could not serve a dashboard file');
      if (!response.headersSent) text(response, 500, 'Server Error');
      else response.destroy();
    });
    return true;
  };
}

function text(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) })
    .end(body);
}

const notFound = (response: ServerResponse) => text(response, 404, 'Not Found');
