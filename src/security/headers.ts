import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Config } from '../config.js';

/**
 * Security headers on every response, and CORS per surface: dashboard origins for GraphQL, integrator
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
 * GraphiQL's page (src/graphiql.ts): scripts and workers from its own files only; inline styles (its
 * editor, Monaco, injects them at run time) and data: fonts (in its style sheet).
 */
export const GRAPHIQL_CSP = policy({
  ...DEFAULT_DIRECTIVES,
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'worker-src': "'self'",
});

export type SecurityHeaders = Readonly<Record<string, string>>;

/**
 * The security headers every answer carries. The edge sets them before Yoga runs (a handler that
 * writes its own, the dashboard and GraphiQL pages their Content-Security-Policy, replaces them); the
 * REST API writes them with its answer's own headers in one writeHead.
 */
export function securityHeaders(config: Config): SecurityHeaders {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'content-security-policy': API_CSP,
    ...(config.publicUrl.startsWith('https://') && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  });
}

/**
 * CORS per surface (the `cors` middleware), for requests that carry an Origin: the integrators'
 * origins for the REST API, the dashboard's for everything else. Preflights are answered here. Null
 * when no origin is configured: nothing to do per request.
 */
export function corsPolicy(config: Config): CorsHandler | null {
  const { graphqlOrigins, apiOrigins } = config.cors;
  if (graphqlOrigins.length === 0 && apiOrigins.length === 0) return null;
  const forOrigins = (origins: readonly string[], methods: string[]) =>
    origins.length === 0
      ? null
      : cors({
          origin: origins.includes('*') ? '*' : [...origins],
          methods,
          allowedHeaders: ['authorization', 'content-type', 'accept'],
          exposedHeaders: ['retry-after'],
          credentials: false,
          maxAge: 600,
        });
  const api = forOrigins(apiOrigins, ['GET', 'HEAD', 'POST']);
  const graphql = forOrigins(graphqlOrigins, ['GET', 'POST']);
  return (request, response, isRest, next) => {
    const handler = isRest ? api : graphql;
    if (request.headers.origin === undefined || !handler) return next();
    handler(request, response, next);
  };
}

export type CorsHandler = (request: IncomingMessage, response: ServerResponse, isRest: boolean, next: () => void) => void;
