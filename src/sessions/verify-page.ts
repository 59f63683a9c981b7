import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { serverSecret } from '../db/server-secrets.js';
import { logger } from '../logger.js';
import { readBodyText } from '../http/body.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../security/unavailable.js';
import { runTransitions, type TransitionName } from './lifecycle.js';
import { findSessionForPage, UUID, type SessionRecord } from './sessions.js';

/**
 * The hosted verify page at `verify_url` (GET /verify/{id}), a server-rendered page that works
 * without JavaScript. Opening it moves a `created` session to `pending`. Test sessions offer the
 * outcomes as plain form POSTs (Approve, Decline, Require KYC, Cancel); after a final outcome the
 * browser goes (303) to the session's own redirect_url with `session_id` and `status` added. Live
 * sessions get the same shell, which says that Bouncer's verification service performs them.
 *
 * Forms carry a per-session HMAC token (keyed by a server secret in the database, so any process
 * accepts any process's page) and cross-site POSTs are refused by Sec-Fetch-Site / Origin: no
 * cookies are involved. Pages are never cached and send no referrer.
 */

export const VERIFY_PATH_PREFIX = '/verify/';
const MAX_FORM_BYTES = 4 * 1024;
const CSRF_FIELD = 'csrf_token';

/** The buttons of the test page: action value → label (testers' scripts find them by these labels). */
const ACTIONS = {
  approve: { label: 'Approve', transition: 'approve' },
  decline: { label: 'Decline', transition: 'decline' },
  require_kyc: { label: 'Require KYC', transition: 'requireKyc' },
  cancel: { label: 'Cancel', transition: 'cancel' },
} as const satisfies Record<string, { label: string; transition: TransitionName }>;
type Action = keyof typeof ACTIONS;

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; background: #f4f5f7; color: #1b1f24; line-height: 1.5; }
main { max-width: 32rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
header p { margin: 0; color: #4a5361; font-size: .95rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
.badge { display: inline-block; padding: .1rem .6rem; border-radius: 999px; background: #fff3c4; color: #5c4400; font-weight: 600; font-size: .85rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border-radius: 8px; border: 2px solid #1b1f24; background: #fff; color: #1b1f24; cursor: pointer; }
button[value="approve"] { background: #0b6b2f; border-color: #0b6b2f; color: #fff; }
button[value="decline"] { background: #a1141c; border-color: #a1141c; color: #fff; }
button:focus-visible, a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
a { color: #1d4ed8; }
footer { margin-top: 2rem; color: #4a5361; font-size: .85rem; }
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** Only the inline stylesheet above; forms may post here and lead (by redirect) to the session's redirect_url only. */
function pageCsp(formTarget: string | null): string {
  const formAction = formTarget ? `'self' ${formTarget}` : "'none'";
  return `default-src 'none'; style-src ${STYLE_HASH}; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Page = { status: number; title: string; body: string; formTarget?: string | null; headers?: Record<string, string> };

function send(response: ServerResponse, method: string, page: Page): void {
  if (response.destroyed) return;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${page.body}
<footer>Age verification by Bouncer</footer>
</main>
</body>
</html>
`;
  response.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': pageCsp(page.formTarget ?? null),
    ...page.headers,
  });
  response.end(method === 'HEAD' ? undefined : html);
}

const message = (status: number, title: string, text: string, headers?: Record<string, string>): Page => ({
  status,
  title,
  body: `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`,
  ...(headers && { headers }),
});

const notFound = () => message(404, 'Verification not found', 'This verification link is not valid. Ask the site that sent you here for a new one.');
const forbidden = () => message(403, 'Request refused', 'This form was not sent from this verification page. Open the verification link again.');

async function csrfToken(sessionId: string): Promise<string> {
  const key = await serverSecret('verify-page-csrf');
  return createHmac('sha256', key).update(`verify-page:${sessionId}`).digest('base64url');
}

async function isValidCsrfToken(sessionId: string, presented: string | null): Promise<boolean> {
  if (!presented) return false;
  const expected = Buffer.from(await csrfToken(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether a POST can come from our own page: browsers that send Sec-Fetch-Site must say same-origin;
 * an Origin, when it is not `null` (which this page's no-referrer policy makes browsers send), must
 * be this server's. The HMAC token is checked besides.
 */
function isSameOriginPost(request: IncomingMessage, config: Config): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return true;
  const ownOrigins = [new URL(config.publicUrl).origin];
  const host = request.headers.host;
  if (host) ownOrigins.push(`http://${host}`, `https://${host}`);
  return ownOrigins.includes(origin);
}

/** The session's redirect_url with `session_id` and `status` set (its own query and fragment kept). */
export function outcomeUrl(session: Pick<SessionRecord, 'id' | 'status' | 'redirectUrl'>): string {
  const url = new URL(session.redirectUrl);
  url.searchParams.set('session_id', session.id);
  url.searchParams.set('status', session.status);
  return url.toString();
}

type PageSession = SessionRecord & { organizationName: string };

function sessionPage(session: PageSession, token: string): Page {
  const organization = escapeHtml(session.organizationName);
  const heading = `<header><p>${organization}</p><h1>Age verification</h1></header>`;
  const intro = `<p>${organization} asks you to confirm that you are at least ${session.ageTarget} years old.</p>`;
  const title = `Age verification — ${session.organizationName}`;
  const back = (text: string) =>
    `<p><a href="${escapeHtml(outcomeUrl(session))}">${escapeHtml(text)}</a></p>`;

  switch (session.status) {
    case 'completed':
      return {
        status: 200,
        title,
        body: `${heading}<p role="status">This verification is complete: ${session.success ? 'approved' : 'declined'}.</p>${back(`Return to ${session.organizationName}`)}`,
      };
    case 'cancelled':
      return { status: 200, title, body: `${heading}<p role="status">This verification was cancelled.</p>${back(`Return to ${session.organizationName}`)}` };
    case 'expired':
      return {
        status: 200,
        title,
        body: `${heading}<p role="status">This verification link has expired. Ask ${organization} for a new one.</p>${back(`Return to ${session.organizationName}`)}`,
      };
  }

  if (session.livemode) {
    return {
      status: 200,
      title,
      body: `${heading}${intro}<p role="status">Live verification is performed by Bouncer's verification service and cannot be completed from this page.</p>`,
    };
  }

  const kyc = session.status === 'verification_kyc';
  const actions: Action[] = kyc ? ['approve', 'decline', 'cancel'] : ['approve', 'decline', 'require_kyc', 'cancel'];
  const explanation = kyc
    ? 'An identity check (KYC) is required. Choose its outcome.'
    : `Choose the outcome of this test verification. ${organization} receives it as it would from a real one.`;
  return {
    status: 200,
    title: `Test: ${title}`,
    formTarget: new URL(session.redirectUrl).origin,
    body: `${heading}<p><span class="badge">Test mode</span></p>${intro}
<form method="post" action="${VERIFY_PATH_PREFIX}${session.id}" aria-describedby="explanation">
<p id="explanation" role="status">${explanation}</p>
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">
<div class="actions">
${actions.map((action) => `<button type="submit" name="action" value="${action}">${ACTIONS[action].label}</button>`).join('\n')}
</div>
</form>`,
  };
}

async function showPage(method: string, id: string): Promise<Page> {
  let session = await findSessionForPage(id);
  if (!session) return notFound();
  // Opening the page (not a HEAD request) moves the session to pending.
  if (method === 'GET' && session.status === 'created') {
    const opened = await runTransitions(session.id, ['open']);
    session = opened ? { ...opened.session, organizationName: session.organizationName } : ((await findSessionForPage(id)) ?? session);
  }
  return sessionPage(session, session.livemode ? '' : await csrfToken(session.id));
}

/** A tester's choice: the transitions it takes from the session's status (through verification_started). */
function transitionsFor(action: Action, status: SessionRecord['status']): TransitionName[] {
  const transition = ACTIONS[action].transition;
  if (action === 'cancel' || status !== 'pending') return [transition];
  return ['startVerification', transition];
}

type Outcome = { page: Page } | { location: string };

async function choose(request: IncomingMessage, config: Config, id: string): Promise<Outcome> {
  const text = await readBodyText(request, request.headers['content-length'], MAX_FORM_BYTES);
  if (text === null) return { page: message(413, 'Request too large', 'This form sent more than a verification page ever does.') };
  if (!isSameOriginPost(request, config)) return { page: forbidden() };
  const session = await findSessionForPage(id);
  if (!session) return { page: notFound() };
  const form = new URLSearchParams(text);
  if (!(await isValidCsrfToken(session.id, form.get(CSRF_FIELD)))) return { page: forbidden() };
  if (session.livemode) {
    return { page: message(403, 'Live verification', "Live verification is performed by Bouncer's verification service and cannot be completed from this page.") };
  }
  const action = form.get('action');
  if (!action || !Object.hasOwn(ACTIONS, action)) {
    return { page: message(400, 'Unknown choice', 'Choose one of the buttons on the verification page.') };
  }
  const result = await runTransitions(session.id, transitionsFor(action as Action, session.status));
  // Refused (the session moved on, or expired meanwhile): the page shows where it stands now.
  const pageUrl = `${VERIFY_PATH_PREFIX}${session.id}`;
  if (!result) return { location: pageUrl };
  const { status } = result.session;
  return { location: status === 'completed' || status === 'cancelled' ? outcomeUrl(result.session) : pageUrl };
}

const VERIFY_ITEM_PATH = /^\/verify\/([^/]+)$/;

export const isVerifyPath = (path: string) => path.startsWith(VERIFY_PATH_PREFIX);

/** Answers GET/HEAD/POST /verify/{id}; every failure is a page, never a stack trace. */
export function createVerifyPage(config: Config) {
  async function answer(request: IncomingMessage, path: string): Promise<Outcome> {
    const method = request.method ?? 'GET';
    const id = VERIFY_ITEM_PATH.exec(path)?.[1];
    if (!id || !UUID.test(id)) return { page: notFound() };
    if (method === 'GET' || method === 'HEAD') return { page: await showPage(method, id.toLowerCase()) };
    if (method === 'POST') return choose(request, config, id.toLowerCase());
    return { page: message(405, 'Method not allowed', 'This page answers GET and POST only.', { allow: 'GET, HEAD, POST' }) };
  }

  return (request: IncomingMessage, response: ServerResponse, path: string): void => {
    const method = request.method ?? 'GET';
    void answer(request, path)
      .catch((error: unknown): Outcome => {
        if (isDatabaseUnavailable(error)) {
          logger.warn({ err: error, path }, 'database unavailable');
          return { page: message(503, 'Try again shortly', 'The verification service is busy. Reload this page in a few seconds.', { 'retry-after': String(RETRY_AFTER_SECONDS) }) };
        }
        logger.error({ err: error, path }, 'unexpected error on the verify page');
        return { page: message(500, 'Something went wrong', 'Reload this page; if it keeps failing, go back to the site that sent you here.') };
      })
      .then((outcome) => {
        if ('page' in outcome) return send(response, method, outcome.page);
        if (response.destroyed) return;
        response.writeHead(303, { location: outcome.location, 'cache-control': 'no-store', 'content-length': '0' }).end();
      });
  };
}
