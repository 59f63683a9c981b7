import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { expireOverdueSessions, runTransition, runTransitions, type TransitionName } from '../../src/sessions/lifecycle.js';
import { findOverdueSessionIds } from '../../src/sessions/sessions.js';
import { useTestApp } from '../support/app.js';
import { countTurnsDuring } from '../support/event-loop.js';
import { createApiToken, signUp } from '../support/fixtures.js';
import { rest, validSession } from '../support/rest.js';

/**
 * The session lifecycle (src/sessions/lifecycle.ts) on the real database: which transitions apply
 * from which status, races between final transitions, and expiry. The expected table is written out
 * here, independently of the implementation's.
 */

const testApp = useTestApp();

async function newSession(mode: 'LIVE' | 'TEST' = 'TEST') {
  const account = await signUp(testApp.app);
  const { plainTextToken: token } = await createApiToken(testApp.app, account, { mode });
  const created = await rest(testApp.app, 'POST', '/api/v2/session', { token, body: validSession });
  expect(created.status).toBe(201);
  return { id: created.body.data.id as string, token, organizationId: Number(account.organizationId) };
}

const read = async (token: string, id: string) => (await rest(testApp.app, 'GET', `/api/v2/session/${id}`, { token })).body.data;

/** Simulates the passing of time: the session's expires_at moves into the past. */
const overdue = (id: string) => db.verificationSession.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });

const ALLOWED: Record<string, TransitionName[]> = {
  created: ['open', 'startVerification', 'requireKyc', 'cancel'],
  pending: ['startVerification', 'requireKyc', 'approve', 'decline', 'cancel'],
  verification_started: ['requireKyc', 'approve', 'decline', 'cancel'],
  verification_kyc: ['approve', 'decline', 'cancel'],
  completed: [],
  cancelled: [],
  expired: [],
};
const RESULT: Record<string, { status: string; success: boolean | null; event: string }> = {
  open: { status: 'pending', success: null, event: 'validation.page_visited' },
  startVerification: { status: 'verification_started', success: null, event: 'validation.biometry_started' },
  requireKyc: { status: 'verification_kyc', success: null, event: 'validation.kyc_started' },
  approve: { status: 'completed', success: true, event: 'validation.completed' },
  decline: { status: 'completed', success: false, event: 'validation.completed' },
  cancel: { status: 'cancelled', success: null, event: 'validation.cancelled' },
};
const NAMES = Object.keys(RESULT) as TransitionName[];

describe('transitions', () => {
  for (const [from, allowed] of Object.entries(ALLOWED)) {
    for (const name of NAMES) {
      const applies = allowed.includes(name);
      it(`${name} from ${from}: ${applies ? 'applies' : 'refused'}`, async () => {
        const { id, token } = await newSession();
        await db.verificationSession.update({
          where: { id },
          data: { status: from as never, success: from === 'completed' ? true : null },
        });
        const result = await runTransition(id, name);
        const after = await read(token, id);
        if (applies) {
          expect(result?.event).toBe(RESULT[name]!.event);
          expect(result?.session).toMatchObject({ id, status: RESULT[name]!.status, success: RESULT[name]!.success });
          expect(after).toMatchObject({ status: RESULT[name]!.status, success: RESULT[name]!.success });
          const completed = RESULT[name]!.status === 'completed';
          expect(after.completed_at === null).toBe(!completed);
          if (completed) expect(Math.abs(after.completed_at - Date.now() / 1000)).toBeLessThan(5);
        } else {
          expect(result).toBeNull();
          expect(after.status).toBe(from);
        }
      });
    }
  }

  it('refuses another organization’s session when the organization is given', async () => {
    const { id, token } = await newSession();
    const other = await newSession();
    expect(await runTransition(id, 'cancel', other.organizationId)).toBeNull();
    expect((await read(token, id)).status).toBe('created');
  });

  it('applies a sequence all or nothing', async () => {
    const { id, token } = await newSession();
    await runTransition(id, 'open');
    // startVerification applies, approve would too, but cancel after completion cannot: nothing changes.
    expect(await runTransitions(id, ['startVerification', 'approve', 'cancel'])).toBeNull();
    expect((await read(token, id)).status).toBe('pending');
    expect((await runTransitions(id, ['startVerification', 'requireKyc']))?.session.status).toBe('verification_kyc');
  });
});

describe('racing final transitions', () => {
  it('lets exactly one of concurrent completions and cancellations win', async () => {
    for (let round = 0; round < 5; round++) {
      const { id, token } = await newSession();
      await runTransition(id, 'open');
      const names: TransitionName[] = ['approve', 'cancel', 'decline', 'cancel', 'approve', 'cancel', 'decline', 'cancel'];
      const results = await Promise.all(names.map((name) => runTransition(id, name)));
      const winners = results.filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      const final = await read(token, id);
      expect(final.status).toBe(winners[0]!.session.status);
      expect(final.success).toBe(winners[0]!.session.success);
    }
  });

  it('lets exactly one of concurrent cancellations through the API win: 200 once, 409 for the rest', async () => {
    const { id, token } = await newSession();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });
});

describe('expiry', () => {
  it('says expired at once on GET, before any sweep, and refuses every transition', async () => {
    const { id, token } = await newSession();
    await runTransition(id, 'open');
    await overdue(id);
    expect(await read(token, id)).toMatchObject({ status: 'expired', success: null, completed_at: null });
    for (const name of NAMES) expect(await runTransition(id, name), name).toBeNull();
    const cancel = await rest(testApp.app, 'POST', `/api/v2/session/${id}/cancel`, { token });
    expect(cancel.status).toBe(409);
  });

  it('is persisted by the sweep, once, with validation.expired; finished sessions stay as they are', async () => {
    const open = await newSession();
    const done = await newSession();
    await runTransitions(done.id, ['open', 'approve']);
    const fresh = await newSession();
    await overdue(open.id);
    await overdue(done.id);
    const before = await db.verificationSession.findUniqueOrThrow({ where: { id: open.id } });
    expect(before.status).toBe('created');

    expect(await runTransition(open.id, 'expire')).toMatchObject({ event: 'validation.expired', session: { status: 'expired' } });
    expect(await runTransition(open.id, 'expire')).toBeNull(); // only once
    expect(await runTransition(fresh.id, 'expire')).toBeNull(); // not overdue

    const another = await newSession();
    await overdue(another.id);
    expect(await expireOverdueSessions()).toBeGreaterThanOrEqual(1);
    for (const [id, status] of [
      [another.id, 'expired'],
      [done.id, 'completed'],
      [fresh.id, 'created'],
    ] as const) {
      expect((await db.verificationSession.findUniqueOrThrow({ where: { id } })).status, id).toBe(status);
    }
  });

  it('finds the longest overdue open sessions first, whatever their open status, finished ones never', async () => {
    // Past everything else in this database: these are the oldest overdue sessions.
    const cases: Array<[TransitionName[], string]> = [
      [['requireKyc'], '2000-01-01'],
      [[], '2000-01-02'],
      [['open', 'approve'], '2000-01-03'], // completed: not the sweep's
      [['open'], '2000-01-04'],
      [['startVerification'], '2000-01-05'],
      [['cancel'], '2000-01-06'], // cancelled: not the sweep's
    ];
    const ids: string[] = [];
    for (const [transitions, expiresAt] of cases) {
      const { id } = await newSession();
      if (transitions.length > 0) await runTransitions(id, transitions);
      await db.verificationSession.update({ where: { id }, data: { expiresAt: new Date(`${expiresAt}T00:00:00Z`) } });
      ids.push(id);
    }
    const [kyc, created, , pending, started] = ids;
    expect(await findOverdueSessionIds(3)).toEqual([kyc, created, pending]);
    expect((await findOverdueSessionIds(100)).slice(0, 4)).toEqual([kyc, created, pending, started]);
  });

  it('sweeps in bounded batches until none is left', async () => {
    const ids = await Promise.all(Array.from({ length: 7 }, () => newSession()));
    for (const { id } of ids) await overdue(id);
    await expireOverdueSessions(3);
    const left = await db.verificationSession.count({ where: { id: { in: ids.map((s) => s.id) }, status: { not: 'expired' } } });
    expect(left).toBe(0);
  });

  it('expires a batch in one transaction and lets the requests run between batches', async () => {
    // On PGlite a transaction never waits for I/O: a sweep that neither batched nor yielded ran its
    // expiries as one chain of promises, and no request was answered until it ended.
    const ids = await Promise.all(Array.from({ length: 6 }, () => newSession()));
    for (const { id } of ids) await overdue(id);
    const hooked = [ids[1]!.id, ids[4]!.id]; // one in each batch of 3
    for (const id of hooked) await db.verificationSession.update({ where: { id }, data: { webhookUrl: `https://hooks.example/${id}` } });
    const { result: expired, turns } = await countTurnsDuring(() => expireOverdueSessions(3));
    expect(expired).toBeGreaterThanOrEqual(ids.length);
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(expired / 3));
    for (const { id } of ids) {
      const changes = await db.sessionStatusChange.findMany({ where: { sessionId: id } });
      expect(changes.map((change) => change.status)).toEqual(['expired']);
    }
    // Each session with a webhook_url got its validation.expired, the session as it is now expired.
    const deliveries = await db.webhookDelivery.findMany({ where: { sessionId: { in: ids.map((s) => s.id) } } });
    expect(deliveries.map((d) => d.sessionId).sort()).toEqual([...hooked].sort());
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ event: 'validation.expired', url: `https://hooks.example/${delivery.sessionId}`, status: 'pending' });
      expect(delivery.payload).toMatchObject({ event: 'validation.expired', id: delivery.sessionId, status: 'expired', success: null });
    }
  });
});
