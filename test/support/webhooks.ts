import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { db } from '../../src/db/client.js';
import { enqueueSessionEvent, type SessionEvent, type SessionSnapshot } from '../../src/webhooks/outbox.js';

/** A webhook receiver on 127.0.0.1 that records what arrives and answers as `respond` says (200 by default). */
export type ReceivedWebhook = { headers: IncomingHttpHeaders; body: string; at: number };
export type Receiver = {
  url: string;
  received: ReceivedWebhook[];
  connections: () => number;
  respond: (handler: (request: ReceivedWebhook, response: ServerResponse) => void) => void;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  let handler: (request: ReceivedWebhook, response: ServerResponse) => void = (_request, response) => void response.end('ok');
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const webhook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(webhook);
      handler(webhook, response);
    });
  }).on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    connections: () => connections,
    respond: (next) => (handler = next),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A session row as the REST API creates it (the lifecycle that raises events lands separately). */
export async function createSessionRow(organizationId: number, webhookUrl: string | null): Promise<SessionSnapshot> {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const session = {
    id: uuidv7(),
    status: 'completed',
    success: true,
    ageTarget: 18,
    metadata: ['order:42'],
    livemode: false,
    webhookUrl,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    completedAt: now,
  };
  await db.verificationSession.create({
    data: {
      id: session.id,
      organizationId,
      ageTarget: session.ageTarget,
      redirectUrl: 'https://shop.example/done',
      metadata: session.metadata,
      webhookUrl,
      status: 'completed',
      success: true,
      issuedAt: session.issuedAt,
      expiresAt: session.expiresAt,
    },
  });
  return session;
}

/** Raises `event` for a new session in a transaction of its own, as the session lifecycle does. */
export async function raiseEvent(organizationId: number, webhookUrl: string | null, event: SessionEvent = 'validation.completed') {
  const session = await createSessionRow(organizationId, webhookUrl);
  const deliveryId = await db.$transaction((tx) => enqueueSessionEvent(tx, { organizationId, event, session }));
  return { session, deliveryId };
}

/** Polls `check` until it returns a value other than undefined, for at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function deliveryRow(id: string) {
  return db.webhookDelivery.findUniqueOrThrow({ where: { id } });
}
