import { useEffect, useState } from 'preact/hooks';

/** The dashboard's few pages, as paths under /dashboard/ (the server answers each with the app). */

export const BASE = '/dashboard';

export type Route =
  | { page: 'sign-in' }
  | { page: 'sign-up' }
  | { page: 'organization-settings'; organizationId: string }
  /** The organization's sessions, or one of them with `sessionId`. */
  | { page: 'sessions'; organizationId: string; sessionId?: string }
  | { page: 'invitation'; token: string }
  | { page: 'home' };

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path === '/sign-in') return { page: 'sign-in' };
  if (path === '/sign-up') return { page: 'sign-up' };
  const match = /^\/organizations\/([^/]+)\/settings\/?$/.exec(path);
  if (match) return { page: 'organization-settings', organizationId: decodeURIComponent(match[1]!) };
  const sessions = /^\/organizations\/([^/]+)\/sessions(?:\/([^/]+))?\/?$/.exec(path);
  if (sessions) {
    const organizationId = decodeURIComponent(sessions[1]!);
    return sessions[2] ? { page: 'sessions', organizationId, sessionId: decodeURIComponent(sessions[2]) } : { page: 'sessions', organizationId };
  }
  const invitation = /^\/invitations\/([^/]+)\/?$/.exec(path);
  if (invitation) return { page: 'invitation', token: decodeURIComponent(invitation[1]!) };
  return { page: 'home' };
}

export function pathOf(route: Route): string {
  switch (route.page) {
    case 'organization-settings':
      return `${BASE}/organizations/${encodeURIComponent(route.organizationId)}/settings`;
    case 'sessions': {
      const sessions = `${BASE}/organizations/${encodeURIComponent(route.organizationId)}/sessions`;
      return route.sessionId ? `${sessions}/${encodeURIComponent(route.sessionId)}` : sessions;
    }
    case 'invitation':
      return `${BASE}/invitations/${encodeURIComponent(route.token)}`;
    case 'home':
      return `${BASE}/`;
    default:
      return `${BASE}/${route.page}`;
  }
}

const listeners = new Set<() => void>();

/** The organization a page belongs to, if any. */
export const organizationOf = (route: Route): string | null => ('organizationId' in route ? route.organizationId : null);

export function navigate(route: Route, { replace = false } = {}): void {
  const path = pathOf(route);
  if (path !== location.pathname) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
