import type { CORSOptions, Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

/**
 * Security headers on every response (set unless the handler chose its own, as the dashboard does
 * for its Content-Security-Policy), and CORS per surface: dashboard origins for GraphQL, integrator
 * origins for the REST API. Without configured origins no CORS headers are sent at all (browsers then
 * allow same-origin calls only: the dashboard at /dashboard is same-origin).
 */

/** Same-origin scripts, styles, images and calls only; never framed. Works for the dashboard and JSON. */
const DEFAULT_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

const policy = (directives: Readonly<Record<string, string>>) =>
  Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources}`)
    .join('; ');

export const DEFAULT_CSP = policy(DEFAULT_DIRECTIVES);

/** For answers that are not pages (JSON, text): nothing may load, nothing may frame them (OWASP's REST advice). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * GraphiQL's page: its one inline script by hash; inline styles (its editor, Monaco, injects them at
 * run time), editor workers from blob: URLs, data: fonts and icons.
 */
export function graphiqlCsp(scriptHash: string): string {
  return policy({
    ...DEFAULT_DIRECTIVES,
    'script-src': `'self' ${scriptHash}`,
    'style-src': "'self' 'unsafe-inline'",
    'font-src': "'self' data:",
    'worker-src': "'self' blob:",
  });
}

export function useSecurityHeaders(config: Config, graphiqlScriptHash: () => string): Plugin {
  const hsts = config.publicUrl.startsWith('https://');
  return {
    onResponse({ request, response, setResponse }) {
      let headers = response.headers;
      try {
        headers.set('x-content-type-options', 'nosniff');
      } catch {
        // Response.redirect() and Response.error() make responses whose headers cannot change.
        const copy = new Response(response.body, response);
        setResponse(copy);
        headers = copy.headers;
        headers.set('x-content-type-options', 'nosniff');
      }
      headers.set('x-frame-options', 'DENY');
      if (!headers.has('referrer-policy')) headers.set('referrer-policy', 'no-referrer');
      headers.set('cross-origin-opener-policy', 'same-origin');
      if (hsts) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
      if (!headers.has('content-security-policy')) {
        const isPage = (headers.get('content-type') ?? '').startsWith('text/html');
        const isGraphiql = isPage && new URL(request.url).pathname === '/graphql';
        headers.set(
          'content-security-policy',
          isGraphiql ? graphiqlCsp(graphiqlScriptHash()) : isPage ? DEFAULT_CSP : API_CSP,
        );
      }
    },
  };
}

/**
 * Yoga's CORS option: decided per request by the surface it addresses; simply off (no work per
 * request) when no origin is configured for either.
 */
export function corsPolicy(config: Config): false | ((request: Request) => CORSOptions) {
  const { graphqlOrigins, apiOrigins } = config.cors;
  if (graphqlOrigins.length === 0 && apiOrigins.length === 0) return false;
  const api: CORSOptions = apiOrigins.length
    ? {
        origin: [...apiOrigins],
        methods: ['GET', 'HEAD', 'POST'],
        allowedHeaders: ['authorization', 'content-type', 'accept'],
        exposedHeaders: ['retry-after'],
        credentials: false,
        maxAge: 600,
      }
    : false;
  const graphql: CORSOptions = graphqlOrigins.length
    ? {
        origin: [...graphqlOrigins],
        methods: ['GET', 'POST'],
        allowedHeaders: ['authorization', 'content-type', 'accept'],
        exposedHeaders: ['retry-after'],
        credentials: false,
        maxAge: 600,
      }
    : false;
  // Called for every response: requests without Origin (servers, curl) are answered without parsing the URL.
  return (request) =>
    !request.headers.has('origin') ? false : new URL(request.url).pathname.startsWith('/api/') ? api : graphql;
}
