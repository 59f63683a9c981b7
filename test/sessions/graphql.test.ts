import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { db } from '../../src/db/client.js';
import { expireOverdueSessions } from '../../src/sessions/lifecycle.js';
import { startDeliveryWorker } from '../../src/webhooks/delivery-worker.js';
import type { SessionStatus } from '../graphql/graphql.js';
import { graphql as gql } from '../graphql/index.js';
import { call, errorCodes, graphql, useTestApp } from '../support/app.js';
import { addMember, createApiToken, signUp, type Account } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhooks.js';

/**
 * Sessions in the dashboard API (src/sessions/graphql.ts): the list (order, filters, pages, bounds,
 * cost, who may read it), a session's timeline as the hosted page, REST and the expiry sweep make
 * it, its webhook deliveries; and sendTestWebhook (src/webhooks/test-event.ts).
 */

const Sessions = gql(`
  query Sessions($id: ID!, $first: Int, $after: String, $status: SessionStatus, $livemode: Boolean) {
    organization(id: $id) {
      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {
        edges { cursor node { id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
const SessionDetail = gql(`
  query SessionDetail($id: ID!, $sessionId: String!) {
    organization(id: $id) {
      session(id: $sessionId) {
        id status success completedAt issuedAt expiresAt
        timeline { status at }
        webhookDeliveries(first: 10) { edges { node { id event status lastResponseStatus sessionId } } pageInfo { hasNextPage } }
      }
    }
  }
`);
const CostlySessions = gql(`
  query CostlySessions($id: ID!) {
    organization(id: $id) {
      sessions(first: 100) { edges { node { id webhookDeliveries(first: 100) { edges { node { id event url status } } } } } }
    }
  }
`);
const SessionTimelines = gql(`
  query SessionTimelines($id: ID!) {
    organization(id: $id) { sessions(first: 100) { edges { node { id timeline { status at } } } } }
  }
`);
const SendTestWebhook = gql(`
  mutation SendTestWebhook($organizationId: ID!, $url: String!) {
    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }
  }
`);

const testApp = useTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
let owner: Account;
let admin: Account;
let member: Account;
let stranger: Account;
let testToken: string;
let liveToken: string;

beforeAll(async () => {
  owner = await signUp(testApp.app, 'Session Shop');
  admin = await signUp(testApp.app, 'Admin’s own');
  member = await signUp(testApp.app, 'Member’s own');
  stranger = await signUp(testApp.app, 'Elsewhere');
  await addMember(admin, owner.organizationId, 'ADMIN');
  await addMember(member, owner.organizationId, 'MEMBER');
  testToken = (await createApiToken(testApp.app, owner, { mode: 'TEST' })).plainTextToken;
  liveToken = (await createApiToken(testApp.app, owner, { mode: 'LIVE' })).plainTextToken;
});

async function createSession(token: string, body: object = {}): Promise<string> {
  const created = await rest(testApp.app, 'POST', '/api/v2/session', { token, body: { ...validSession, ...body } });
  expect(created.status).toBe(201);
  return created.body.data.id as string;
}

/** A tester's choice on the hosted verify page, as a browser posts it. */
async function choose(sessionId: string, action: string): Promise<void> {
  const path = `/verify/${sessionId}`;
  const html = await (await call(testApp.app, path)).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
  const answer = await call(testApp.app, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ csrf_token: csrf, action }).toString(),
  });
  expect(answer.status).toBe(303);
}

type ListArgs = { first?: number; after?: string | null; status?: SessionStatus; livemode?: boolean };
const list = (variables: ListArgs = {}, account = owner) =>
  graphql(testApp.app, Sessions, { id: owner.organizationId, ...variables }, account.token);
const ids = (response: Awaited<ReturnType<typeof list>>) => response.data!.organization!.sessions.edges.map((edge) => edge.node.id);
const detail = (sessionId: string, account = owner) =>
  graphql(testApp.app, SessionDetail, { id: owner.organizationId, sessionId }, account.token);

describe('Organization.sessions', () => {
  let testIds: string[] = [];
  let liveIds: string[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 5; index++) testIds.push(await createSession(testToken, { metadata: [`order:${index}`] }));
    for (let index = 0; index < 2; index++) liveIds.push(await createSession(liveToken));
    testIds = testIds.reverse(); // newest first
    liveIds = liveIds.reverse();
    await rest(testApp.app, 'POST', `/api/v2/session/${testIds[1]}/cancel`, { token: testToken });
  });

  it('lists live sessions by default and test sessions with livemode: false, newest first, shaped as REST shows them', async () => {
    const live = await list();
    expect(live.errors).toBeUndefined();
    expect(ids(live)).toEqual(liveIds);
    const test = await list({ livemode: false });
    expect(ids(test)).toEqual(testIds);
    const rested = await rest(testApp.app, 'GET', `/api/v2/session/${testIds[0]}`, { token: testToken });
    const node = test.data!.organization!.sessions.edges[0]!.node;
    expect(node).toMatchObject({
      id: rested.body.data.id,
      status: rested.body.data.status,
      success: null,
      livemode: false,
      ageTarget: 18,
      redirectUrl: validSession.redirect_url,
      webhookUrl: null,
      metadata: rested.body.data.metadata,
      completedAt: null,
    });
    expect(Date.parse(node.issuedAt) / 1000).toBe(rested.body.data.issued_at);
    expect(Date.parse(node.expiresAt) / 1000).toBe(rested.body.data.expires_at);
  });

  it('filters by status as of now', async () => {
    const cancelled = await list({ livemode: false, status: 'cancelled' });
    expect(ids(cancelled)).toEqual([testIds[1]]);
    expect(cancelled.data!.organization!.sessions.edges[0]!.node.status).toBe('cancelled');
    expect(ids(await list({ livemode: false, status: 'created' }))).toEqual(testIds.filter((id) => id !== testIds[1]));
    expect(ids(await list({ status: 'cancelled' }))).toEqual([]);
  });

  it('pages with first and after (the endCursor), without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await list({ livemode: false, first: 2, after });
      expect(page.errors).toBeUndefined();
      const connection = page.data!.organization!.sessions;
      seen.push(...connection.edges.map((edge) => edge.node.id));
      expect(connection.edges.map((edge) => edge.cursor)).toEqual(connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor!;
    }
    expect(seen).toEqual(testIds);
  });

  it('refuses out-of-range pages and foreign cursors as BAD_USER_INPUT', async () => {
    for (const first of [0, -1, 101]) expect(errorCodes(await list({ first })), `first: ${first}`).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await list({ after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(ids(await list({ first: 100 }))).toEqual(liveIds);
  });

  it('counts the page sizes in the cost limit: nested full pages are refused before running', async () => {
    const refused = await graphql(testApp.app, CostlySessions, { id: owner.organizationId }, owner.token);
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COSTLY']);
    expect(refused.data).toBeUndefined();
    const timelines = await graphql(testApp.app, SessionTimelines, { id: owner.organizationId }, owner.token);
    expect(timelines.errors).toBeUndefined();
  });

  it('is for OWNERs and ADMINs: MEMBERs are FORBIDDEN, strangers NOT_FOUND, other organizations’ sessions NOT_FOUND', async () => {
    expect(ids(await list({}, admin))).toEqual(liveIds);
    expect(errorCodes(await list({}, member))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await list({}, stranger))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await detail(testIds[0]!, member))).toEqual(['FORBIDDEN']);

    const strangerToken = (await createApiToken(testApp.app, stranger, { mode: 'TEST' })).plainTextToken;
    const foreign = await createSession(strangerToken);
    // Through one's own organization, another's session does not exist; through theirs, nor does the organization.
    expect(errorCodes(await detail(foreign))).toEqual(['NOT_FOUND']);
    const viaTheirs = await graphql(testApp.app, SessionDetail, { id: stranger.organizationId, sessionId: foreign }, owner.token);
    expect(errorCodes(viaTheirs)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await detail('not-a-uuid'))).toEqual(['NOT_FOUND']);
  });
});

describe('a session’s timeline and deliveries', () => {
  const timelineOf = async (sessionId: string) => {
    const response = await detail(sessionId);
    expect(response.errors).toBeUndefined();
    return response.data!.organization!.session;
  };

  it('shows each status reached on the hosted page, in order, and the webhooks with their answers', async () => {
    const receiver: Receiver = await startReceiver();
    const worker = startDeliveryWorker({ retryDelaysSeconds: [1], allowPrivateNetworks: true, pollIntervalMs: 100, onError: () => {} });
    try {
      const id = await createSession(testToken, { webhook_url: receiver.url });
      await choose(id, 'require_kyc');
      await choose(id, 'approve');
      const session = await timelineOf(id);
      expect(session).toMatchObject({ status: 'completed', success: true });
      // Require KYC from the opened page passes through verification_started (in the same transaction).
      expect(session.timeline.map((change) => change.status)).toEqual(['created', 'pending', 'verification_started', 'verification_kyc', 'completed']);
      expect(session.timeline[0]!.at).toBe(session.issuedAt);
      const times = session.timeline.map((change) => Date.parse(change.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(Math.abs(times.at(-1)! - Date.parse(session.completedAt!))).toBeLessThan(1000);

      const deliveries = await waitFor('deliveries recorded as delivered', async () => {
        const edges = (await timelineOf(id)).webhookDeliveries.edges;
        return edges.length === 4 && edges.every((edge) => edge.node.status === 'delivered') ? edges : undefined;
      });
      expect(deliveries.map((edge) => edge.node.event)).toEqual([
        'validation.completed',
        'validation.kyc_started',
        'validation.biometry_started',
        'validation.page_visited',
      ]);
      expect(deliveries.every((edge) => edge.node.lastResponseStatus === 200 && edge.node.sessionId === id)).toBe(true);
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });

  it('shows a cancel over REST', async () => {
    const id = await createSession(testToken);
    await rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token: testToken });
    expect((await timelineOf(id)).timeline.map((change) => change.status)).toEqual(['created', 'cancelled']);
  });

  it('keeps the first time of a status already recorded, and the change still applies', async () => {
    const id = await createSession(testToken);
    const earlier = new Date(Date.now() - 60_000);
    await db.sessionStatusChange.create({ data: { sessionId: id, status: 'cancelled', at: earlier } });
    const answer = await rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token: testToken });
    expect(answer.status).toBe(200);
    expect((await timelineOf(id)).timeline.map((change) => [change.status, change.at])).toEqual([
      ['created', expect.any(String)],
      ['cancelled', earlier.toISOString()],
    ]);
  });

  it('shows expired at expires_at at once, before the sweep, and the same after it', async () => {
    const id = await createSession(testToken);
    await call(testApp.app, `/verify/${id}`); // opened: pending
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000);
    await db.verificationSession.update({ where: { id }, data: { expiresAt } });
    const before = await timelineOf(id);
    expect(before.status).toBe('expired');
    expect(before.timeline.map((change) => [change.status, change.at === expiresAt.toISOString()])).toEqual([
      ['created', false],
      ['pending', false],
      ['expired', true],
    ]);
    await expireOverdueSessions();
    expect((await db.verificationSession.findUniqueOrThrow({ where: { id } })).status).toBe('expired');
    expect((await timelineOf(id)).timeline).toEqual(before.timeline);
    expect(await db.sessionStatusChange.count({ where: { sessionId: id } })).toBe(2);
  });
});

describe('sendTestWebhook', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  const send = (url: string, account = owner, app = testApp.app) =>
    graphql(app, SendTestWebhook, { organizationId: owner.organizationId, url }, account.token);

  it('sends a signed sample event that verifies with the organization’s secret, and says how it went', async () => {
    const result = await send(`${receiver.url}?from=test`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.sendTestWebhook).toMatchObject({ ok: true, responseStatus: 200, error: null });
    expect(result.data!.sendTestWebhook.durationMs).toBeGreaterThanOrEqual(0);
    const [webhook] = receiver.received.splice(0);
    const { webhookSecret } = await db.organization.findUniqueOrThrow({ where: { id: Number(owner.organizationId) } });
    const payload = new Webhook(webhookSecret!).verify(webhook!.body, webhook!.headers as Record<string, string>);
    expect(payload).toMatchObject({ event: 'validation.completed', id: '00000000-0000-0000-0000-000000000000', livemode: false, status: 'completed', success: true });
    expect(Object.keys(payload as object)).toEqual(['event', 'id', 'status', 'success', 'age_target', 'metadata', 'livemode', 'issued_at', 'expires_at', 'completed_at']);
    // Nothing recorded: no delivery, no session.
    expect(await db.webhookDelivery.count({ where: { organizationId: Number(owner.organizationId), sessionId: '00000000-0000-0000-0000-000000000000' } })).toBe(0);
  });

  it('reports a non-2xx answer with its status', async () => {
    receiver.respond((_request, response) => void response.writeHead(500).end('boom'));
    try {
      const result = await send(receiver.url, admin);
      expect(result.data!.sendTestWebhook).toMatchObject({ ok: false, responseStatus: 500 });
      expect(result.data!.sendTestWebhook.error).toContain('500');
    } finally {
      receiver.respond((_request, response) => void response.end('ok'));
      receiver.received.splice(0);
    }
  });

  it('refuses URLs that are not absolute http(s) URLs of at most 2048 characters (BAD_USER_INPUT), and MEMBERs', async () => {
    for (const url of ['', 'not a url', 'ftp://hooks.example/in', 'javascript:alert(1)', `https://hooks.example/${'a'.repeat(2048)}`]) {
      const result = await send(url);
      expect(errorCodes(result), url.slice(0, 40)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('url');
    }
    expect(errorCodes(await send(receiver.url, member))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await send(receiver.url, stranger))).toEqual(['NOT_FOUND']);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses private destinations unless WEBHOOK_ALLOW_PRIVATE_NETWORKS, and is rate-limited per organization', async () => {
    const strict = createApp(
      loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://bouncer.test', RATE_LIMIT_WEBHOOK_TESTS_PER_ORGANIZATION: '2/1m' }),
    );
    try {
      // The receiver on 127.0.0.1 (allowed by the main app), and a cloud metadata address.
      for (const url of [receiver.url, 'http://169.254.169.254/latest/meta-data']) {
        const result = await send(url, owner, strict);
        expect(result.errors, url).toBeUndefined();
        expect(result.data!.sendTestWebhook, url).toMatchObject({ ok: false, responseStatus: null });
        expect(result.data!.sendTestWebhook.error, url).toMatch(/^refused: .*not a public address/);
      }
      expect(receiver.received).toHaveLength(0);
      // Two per minute here: the third is refused before anything is sent, whoever in the organization asks.
      const limited = await send(receiver.url, admin, strict);
      expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
      expect(limited.status).toBe(429);
    } finally {
      await strict.dispose();
    }
  });
});
