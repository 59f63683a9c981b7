import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, db, openDatabase } from '../src/db/client.js';
import { enqueueSessionEvent } from '../src/webhooks/outbox.js';
import { dropSchemaOf, freshDatabaseUrl, onPostgres } from './support/database.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { createSessionRow, startReceiver, waitFor, type Receiver } from './support/webhooks.js';

/**
 * Webhook delivery by real server processes: durable across a SIGKILL in the middle of an attempt,
 * and, on PostgreSQL, two processes sharing the outbox without sending any attempt twice. Events
 * are raised by this test on the servers' database (PGlite: while no server holds it).
 */

const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_DELAYS: '1,1,2' };

const running = new Set<ServerProcess>();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const server of running) await server.stop('SIGKILL');
  running.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(storage: Record<string, string>) {
  const server = await startServer({ ...storage, ...WEBHOOK_ENV });
  running.add(server);
  return server;
}

/** A database for the servers, opened by this test too; `close` lets a PGlite server take it over. */
async function sharedDatabase() {
  const databaseUrl = freshDatabaseUrl();
  const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'bouncer-webhooks-'));
  const open = () => openDatabase({ databaseUrl, dataDir: dataDir ?? 'memory://' });
  await open();
  cleanups.push(async () => {
    await closeDatabase();
    await dropSchemaOf(databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const storage: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! };
  return { storage, open, close: closeDatabase };
}

async function raiseEvents(organizationId: number, url: string, count: number): Promise<string[]> {
  const sessions = [];
  for (let index = 0; index < count; index += 50) {
    sessions.push(...(await Promise.all(Array.from({ length: Math.min(50, count - index) }, () => createSessionRow(organizationId, url)))));
  }
  const ids: string[] = [];
  for (let index = 0; index < count; index += 100) {
    const batch = sessions.slice(index, index + 100);
    ids.push(
      ...(await db.$transaction(async (tx) => {
        const raised = [];
        for (const session of batch) raised.push((await enqueueSessionEvent(tx, { organizationId, event: 'validation.completed', session }))!);
        return raised;
      })),
    );
  }
  return ids;
}

describe('webhook delivery by server processes', () => {
  it('delivers an event committed before a SIGKILL in the middle of its attempt, after the restart', async () => {
    const receiver: Receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    let requests = 0;
    receiver.respond((_request, response) => {
      if (++requests > 1) response.end('ok'); // the first attempt is left hanging: the process dies during it
    });
    const database = await sharedDatabase();
    const { id: organizationId } = await db.organization.create({ data: { name: 'Durable' } });
    const [deliveryId] = await raiseEvents(organizationId, receiver.url, 1);
    await database.close();

    const first = await start(database.storage);
    await waitFor('the first attempt', () => (receiver.received.length === 1 ? true : undefined), 30_000);
    await first.stop('SIGKILL');
    running.delete(first);

    const restarted = await start(database.storage);
    // Due again once the killed attempt's lease (timeout + margin, 15 s) has passed.
    await waitFor('the attempt after the restart', () => (receiver.received.length === 2 ? true : undefined), 45_000);
    expect(await restarted.stop('SIGTERM')).toBe(0);
    running.delete(restarted);

    await database.open();
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } })).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastResponseStatus: 200,
    });
    expect(receiver.received.map((webhook) => webhook.headers['webhook-id'])).toEqual([deliveryId, deliveryId]);
  }, 120_000);

  it.runIf(onPostgres)('two processes on one PostgreSQL deliver 1,000 events, none twice', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const { storage } = await sharedDatabase();
    const { id: organizationId } = await db.organization.create({ data: { name: 'Busy' } });
    await Promise.all([start(storage), start(storage)]);

    const startedAt = Date.now();
    const ids = await raiseEvents(organizationId, receiver.url, 1000);
    const raisedAt = Date.now();
    await waitFor('1,000 deliveries', async () => ((await db.webhookDelivery.count({ where: { status: 'delivered' } })) === 1000 ? true : undefined), 120_000);
    const seconds = (Date.now() - startedAt) / 1000;
    const deliverySeconds = (Date.now() - raisedAt) / 1000;

    const perId = new Map<string, number>();
    for (const webhook of receiver.received) {
      const id = String(webhook.headers['webhook-id']);
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    expect(new Set(perId.keys())).toEqual(new Set(ids));
    expect([...perId.values()].filter((count) => count > 1)).toEqual([]);
    expect(receiver.received).toHaveLength(1000);
    expect(await db.webhookDelivery.aggregate({ _max: { attempts: true } })).toMatchObject({ _max: { attempts: 1 } });
    console.info(`webhooks: 1,000 events raised and delivered by two processes in ${seconds.toFixed(1)} s (${Math.round(1000 / seconds)}/s); ${deliverySeconds.toFixed(1)} s after the last was raised`);
  }, 180_000);
});
