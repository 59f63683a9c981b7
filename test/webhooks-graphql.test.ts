import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../src/db/client.js';
import { startDeliveryWorker, type DeliveryWorker } from '../src/webhooks/delivery-worker.js';
import { graphql as gql } from './graphql/index.js';
import { errorCodes, graphql, useTestApp } from './support/app.js';
import { addMember, signUp, type Account } from './support/fixtures.js';
import { deliveryRow, raiseEvent, startReceiver, waitFor, type Receiver } from './support/webhooks.js';

const WebhookSecret = gql(`
  query WebhookSecret($id: ID!) { organization(id: $id) { id webhookSecret } }
`);
const WebhookDeliveries = gql(`
  query WebhookDeliveries($id: ID!, $first: Int, $after: String, $sessionId: String) {
    organization(id: $id) {
      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {
        edges { cursor node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
const RollWebhookSecret = gql(`
  mutation RollWebhookSecret($organizationId: ID!) { rollWebhookSecret(organizationId: $organizationId) }
`);
const RedeliverWebhook = gql(`
  mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id status attempts nextAttemptAt } }
`);

const testApp = useTestApp();
let owner: Account;
let admin: Account;
let member: Account;
let stranger: Account;

beforeAll(async () => {
  owner = await signUp(testApp.app);
  admin = await signUp(testApp.app, 'Admin Org');
  member = await signUp(testApp.app, 'Member Org');
  stranger = await signUp(testApp.app, 'Elsewhere');
  await addMember(admin, owner.organizationId, 'ADMIN');
  await addMember(member, owner.organizationId, 'MEMBER');
});

describe('webhooks in the dashboard API', () => {
  it('shows the signing secret to OWNERs and ADMINs only: the same secret, created once', async () => {
    const asOwner = await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, owner.token);
    const asAdmin = await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, admin.token);
    expect(asOwner.data!.organization!.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(asAdmin.data!.organization!.webhookSecret).toBe(asOwner.data!.organization!.webhookSecret);
    const asMember = await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, member.token);
    expect(errorCodes(asMember)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(asMember)).not.toContain('whsec_');
    const asStranger = await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, stranger.token);
    expect(errorCodes(asStranger)).toEqual(['NOT_FOUND']);
  });

  it('lists deliveries newest first in pages, per session, to OWNERs and ADMINs only', async () => {
    const organizationId = Number(admin.organizationId);
    const raised = [];
    for (let index = 0; index < 5; index++) raised.push(await raiseEvent(organizationId, 'https://hooks.example/in'));
    const newestFirst = raised.map((each) => each.deliveryId).reverse();
    const first = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId, first: 3 }, admin.token);
    const page1 = first.data!.organization!.webhookDeliveries;
    expect(page1.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 3));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.edges[0]!.node).toMatchObject({ event: 'validation.completed', url: 'https://hooks.example/in', status: 'pending', attempts: 0, lastResponseStatus: null, sessionId: raised[4]!.session.id });
    const second = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId, first: 3, after: page1.pageInfo.endCursor }, admin.token);
    const page2 = second.data!.organization!.webhookDeliveries;
    expect(page2.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(3));
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const ofSession = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId, sessionId: raised[1]!.session.id }, admin.token);
    expect(ofSession.errors).toBeUndefined();
    expect(ofSession.data!.organization!.webhookDeliveries.edges.map((edge) => edge.node.id)).toEqual([raised[1]!.deliveryId]);

    for (const first of [0, 101]) {
      const response = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId, first }, admin.token);
      expect(errorCodes(response), `first: ${first}`).toEqual(['BAD_USER_INPUT']);
    }
    const badCursor = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId, after: 'nope' }, admin.token);
    expect(errorCodes(badCursor)).toEqual(['BAD_USER_INPUT']);
    await addMember(member, admin.organizationId, 'MEMBER');
    const asMember = await graphql(testApp.app, WebhookDeliveries, { id: admin.organizationId }, member.token);
    expect(errorCodes(asMember)).toEqual(['FORBIDDEN']);
  });

  it('rollWebhookSecret: a new secret, audited without it; both secrets sign for 24 hours, then only the new one', async () => {
    const receiver: Receiver = await startReceiver();
    const worker: DeliveryWorker = startDeliveryWorker({ retryDelaysSeconds: [1], allowPrivateNetworks: true, pollIntervalMs: 100, onError: () => {} });
    try {
      const organizationId = Number(owner.organizationId);
      const before = (await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, owner.token)).data!.organization!.webhookSecret;
      const rolled = await graphql(testApp.app, RollWebhookSecret, { organizationId: owner.organizationId }, admin.token);
      const after = rolled.data!.rollWebhookSecret;
      expect(after).toMatch(/^whsec_/);
      expect(after).not.toBe(before);
      expect((await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, owner.token)).data!.organization!.webhookSecret).toBe(after);

      const audit = await db.auditEvent.findMany({ where: { organizationId, action: 'webhook_secret.rolled' } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorType: 'user', actorId: Number(admin.userId), target: `organization:${organizationId}` });
      expect(JSON.stringify(audit)).not.toContain('whsec_');

      await raiseEvent(organizationId, receiver.url);
      const [during] = await waitFor('a delivery', () => (receiver.received.length === 1 ? receiver.received : undefined));
      const signatures = String(during!.headers['webhook-signature']).split(' ');
      expect(signatures).toHaveLength(2);
      // A receiver still on the old secret, and one already on the new secret, both accept it.
      for (const secret of [before, after]) expect(new Webhook(secret).verify(during!.body, during!.headers as Record<string, string>)).toBeTruthy();

      // After the overlap (made to have passed), only the new secret signs.
      await db.organization.update({ where: { id: organizationId }, data: { previousWebhookSecretExpiresAt: new Date(Date.now() - 1000) } });
      await raiseEvent(organizationId, receiver.url);
      const later = await waitFor('a second delivery', () => receiver.received[1]);
      expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(new Webhook(after).verify(later.body, later.headers as Record<string, string>)).toBeTruthy();
      expect(() => new Webhook(before).verify(later.body, later.headers as Record<string, string>)).toThrow();

      for (const account of [member, stranger]) {
        const refused = await graphql(testApp.app, RollWebhookSecret, { organizationId: owner.organizationId }, account.token);
        expect(errorCodes(refused)).toEqual([account === member ? 'FORBIDDEN' : 'NOT_FOUND']);
      }
      expect((await graphql(testApp.app, WebhookSecret, { id: owner.organizationId }, owner.token)).data!.organization!.webhookSecret).toBe(after);
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });

  it('redeliverWebhook schedules a failed delivery again now; MEMBERs are FORBIDDEN, strangers NOT_FOUND', async () => {
    const organizationId = Number(owner.organizationId);
    const { deliveryId } = await raiseEvent(organizationId, 'https://hooks.example/x');
    await db.webhookDelivery.update({ where: { id: deliveryId! }, data: { status: 'failed', attempts: 7, nextAttemptAt: null } });
    expect(errorCodes(await graphql(testApp.app, RedeliverWebhook, { id: deliveryId! }, member.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(testApp.app, RedeliverWebhook, { id: deliveryId! }, stranger.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graphql(testApp.app, RedeliverWebhook, { id: 'nope' }, owner.token))).toEqual(['NOT_FOUND']);
    expect((await deliveryRow(deliveryId!)).status).toBe('failed');
    const redelivered = await graphql(testApp.app, RedeliverWebhook, { id: deliveryId! }, admin.token);
    expect(redelivered.errors).toBeUndefined();
    expect(redelivered.data!.redeliverWebhook).toMatchObject({ id: deliveryId, status: 'pending', attempts: 7 });
    expect(Date.parse(redelivered.data!.redeliverWebhook.nextAttemptAt!)).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

