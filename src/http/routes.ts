/**
 * The route template of a path, for metrics labels: a small fixed set, never the raw path (an id in
 * a label would make one series per session). Constant work per request: one Map look-up, then a
 * few prefix tests.
 */

const EXACT = new Map(
  [
    '/',
    '/health',
    '/ready',
    '/metrics',
    '/graphql',
    '/api/v2/session',
    '/api/v2/sessions',
    '/api/v2/tokens/revoke',
    '/api/v2/openapi.json',
    '/openapi.json',
  ].map((path) => [path, path]),
);

const SESSION_ITEM = '/api/v2/session/';

export function routeOf(path: string): string {
  const exact = EXACT.get(path);
  if (exact !== undefined) return exact;
  if (path.startsWith(SESSION_ITEM)) {
    return path.endsWith('/cancel') ? '/api/v2/session/{id}/cancel' : '/api/v2/session/{id}';
  }
  if (path.startsWith('/api/')) return '/api/{unknown}';
  if (path.startsWith('/graphql/assets/')) return '/graphql/assets/{file}';
  if (path === '/dashboard' || path.startsWith('/dashboard/')) return '/dashboard/{page}';
  if (path.startsWith('/verify/')) return '/verify/{id}';
  return '{unknown}';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The method as a label: any other (made-up) method is OTHER. */
export const methodOf = (method: string | undefined): string => (method !== undefined && METHODS.has(method) ? method : 'OTHER');
