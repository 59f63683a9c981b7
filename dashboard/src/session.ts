/**
 * The sign-in token lives in sessionStorage: it is gone when the tab or browser closes, so a
 * dashboard left on a shared computer does not stay signed in, and it never travels with requests
 * by itself (no cookie, so no cross-site request forgery). The server also expires it.
 */
const KEY = 'bouncer.signInToken';

export function signInToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeSignInToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
