import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { call, useTestApp } from '../support/app.js';
import { createApiToken, signUp } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';

/** The hosted verify page through the app's HTTP pipeline: states, headers, CSRF, redirects. */

const testApp = useTestApp();

async function session(mode: 'LIVE' | 'TEST', body: object = validSession) {
  const account = await signUp(testApp.app, 'Shop <Example> & Co');
  const { plainTextToken: token } = await createApiToken(testApp.app, account, { mode });
  const created = await rest(testApp.app, 'POST', '/api/v2/session', { token, body });
  const { id, verify_url } = created.body.data;
  expect(verify_url).toBe(`https://bouncer.test/verify/${id}`);
  return { id: id as string, token, path: new URL(verify_url).pathname };
}

const status = async (token: string, id: string) => (await rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token })).body.data;

async function open(path: string) {
  const response = await call(testApp.app, path);
  return { response, html: await response.text() };
}

const csrfOf = (html: string) => /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];

function choose(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(testApp.app, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: 'null', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('GET /verify/{id}', () => {
  it('shows a test session’s choices, branded and escaped, and moves it to pending', async () => {
    const { id, token, path } = await session('TEST');
    const { response, html } = await open(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('Shop &lt;Example&gt; &amp; Co');
    expect(html).not.toContain('<Example>');
    for (const label of ['Approve', 'Decline', 'Require KYC', 'Cancel']) expect(html).toContain(`>${label}</button>`);
    expect(html).not.toContain('<script');
    expect(await status(token, id)).toMatchObject({ status: 'pending' });
  });

  it('sends strict headers: no cache, no referrer, a CSP without scripts, never framed', async () => {
    const { path } = await session('TEST', { ...validSession, redirect_url: 'https://shop.example:8443/done' });
    const { response } = await open(path);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(csp).toMatch(/form-action 'self' https:\/\/shop\.example:8443;/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('HEAD does not open the session', async () => {
    const { id, token, path } = await session('TEST');
    const response = await call(testApp.app, path, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect((await status(token, id)).status).toBe('created');
  });

  it('shows live sessions the same shell, without choices', async () => {
    const { id, token, path } = await session('LIVE');
    const { response, html } = await open(path);
    expect(response.status).toBe(200);
    expect(html).toContain("Live verification is performed by Bouncer's verification service and cannot be completed from this page.");
    expect(html).not.toContain('<form');
    expect((await status(token, id)).status).toBe('pending');
  });

  it('says when a session is expired, cancelled or completed, and never 404s while it exists', async () => {
    for (const [change, text] of [
      [{ expiresAt: new Date(Date.now() - 1000) }, 'This verification link has expired.'],
      [{ status: 'cancelled' }, 'This verification was cancelled.'],
      [{ status: 'completed', success: true }, 'This verification is complete: approved.'],
    ] as const) {
      const { id, path } = await session('TEST');
      await db.verificationSession.update({ where: { id }, data: change as never });
      const { response, html } = await open(path);
      expect(response.status).toBe(200);
      expect(html).toContain(text);
      expect(html).not.toContain('<form');
    }
  });

  it('answers unknown and malformed ids with a 404 page', async () => {
    for (const path of ['/verify/00000000-0000-7000-8000-000000000000', '/verify/nope', '/verify/a/b', '/verify/']) {
      const { response, html } = await open(path);
      expect(response.status, path).toBe(404);
      expect(html).toContain('Verification not found');
    }
  });
});

describe('POST /verify/{id}', () => {
  it('approves: 303 to redirect_url with its own query kept and session_id and status added', async () => {
    const { id, token, path } = await session('TEST', { ...validSession, redirect_url: 'https://shop.example/done?order=42#top' });
    const csrf = csrfOf((await open(path)).html)!;
    const response = await choose(path, { action: 'approve', csrf_token: csrf });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`https://shop.example/done?order=42&session_id=${id}&status=completed#top`);
    expect(await status(token, id)).toMatchObject({ status: 'completed', success: true });
  });

  it('requires KYC, then offers Approve and Decline again; declining completes with success false', async () => {
    const { id, token, path } = await session('TEST');
    const csrf = csrfOf((await open(path)).html)!;
    const kyc = await choose(path, { action: 'require_kyc', csrf_token: csrf });
    expect(kyc.status).toBe(303);
    expect(kyc.headers.get('location')).toBe(path);
    expect((await status(token, id)).status).toBe('verification_kyc');
    const { html } = await open(path);
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Decline</button>');
    expect(html).not.toContain('>Require KYC</button>');
    const declined = await choose(path, { action: 'decline', csrf_token: csrfOf(html)! });
    expect(declined.headers.get('location')).toBe(`https://shop.example/checkout/done?session_id=${id}&status=completed`);
    expect(await status(token, id)).toMatchObject({ status: 'completed', success: false });
  });

  it('cancels: 303 with status=cancelled; a later choice changes nothing', async () => {
    const { id, token, path } = await session('TEST');
    const csrf = csrfOf((await open(path)).html)!;
    const cancelled = await choose(path, { action: 'cancel', csrf_token: csrf });
    expect(cancelled.headers.get('location')).toBe(`https://shop.example/checkout/done?session_id=${id}&status=cancelled`);
    const late = await choose(path, { action: 'approve', csrf_token: csrf });
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe(path);
    expect((await status(token, id)).status).toBe('cancelled');
  });

  it('refuses a POST without, or with a wrong or another session’s, CSRF token (403), and changes nothing', async () => {
    const { id, token, path } = await session('TEST');
    const other = await session('TEST');
    await open(path);
    const otherCsrf = csrfOf((await open(other.path)).html)!;
    for (const fields of [{ action: 'approve' } as Record<string, string>, { action: 'approve', csrf_token: 'x'.repeat(43) }, { action: 'approve', csrf_token: otherCsrf }]) {
      const response = await choose(path, fields);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Request refused');
    }
    expect((await status(token, id)).status).toBe('pending');
  });

  it('refuses cross-site POSTs even with a valid token', async () => {
    const { id, token, path } = await session('TEST');
    const csrf = csrfOf((await open(path)).html)!;
    for (const headers of [{ 'sec-fetch-site': 'cross-site' } as Record<string, string>, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }]) {
      const response = await choose(path, { action: 'approve', csrf_token: csrf }, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await status(token, id)).status).toBe('pending');
    // The server's own origin is fine.
    expect((await choose(path, { action: 'approve', csrf_token: csrf }, { origin: 'https://bouncer.test' })).status).toBe(303);
  });

  it('refuses live sessions, unknown actions and expired sessions', async () => {
    const live = await session('LIVE');
    await open(live.path);
    // A live page has no token; a test page's token does not fit another session.
    expect((await choose(live.path, { action: 'approve', csrf_token: 'x' })).status).toBe(403);

    const { id, token, path } = await session('TEST');
    const csrf = csrfOf((await open(path)).html)!;
    expect((await choose(path, { action: 'approve!', csrf_token: csrf })).status).toBe(400);
    await db.verificationSession.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await choose(path, { action: 'approve', csrf_token: csrf });
    expect(late.headers.get('location')).toBe(path);
    expect((await status(token, id)).status).toBe('expired');
  });

  it('refuses other methods with 405', async () => {
    const { path } = await session('TEST');
    const response = await call(testApp.app, path, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
