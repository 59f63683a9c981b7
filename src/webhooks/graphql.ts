import { recordAuditEvent } from '../audit/audit-log.js';
import { db } from '../db/client.js';
import { builder } from '../graphql/builder.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { changeMembers, MEMBER_MANAGERS, requireManager } from '../graphql/member.js';
import { requireMembership } from '../graphql/organization.js';
import { pagedComplexity } from '../graphql/paging.js';
import { UUID } from '../sessions/sessions.js';
import { characterCount, isHttpUrl, MAX_URL_LENGTH } from '../sessions/validation.js';
import { sendTestEvent, type TestEventResult } from './test-event.js';
import { scheduleRedelivery } from './outbox.js';
import { ensureWebhookSecret, rollWebhookSecret } from './signing.js';

/**
 * The webhooks of the dashboard API (DESIGN.md "Webhooks"): the signing secret, the delivery log,
 * rolling the secret, redelivering and sending a test event. OWNERs and ADMINs only; other members are FORBIDDEN.
 */

const DEFAULT_DELIVERIES_PAGE = 50;
export const MAX_DELIVERIES_PAGE = 100;

const WebhookDelivery = builder.prismaObject('WebhookDelivery', {
  description: 'One event sent, or to be sent, to a session\'s webhook_url, with the outcome of its last attempt.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Also the `webhook-id` header of every attempt.' }),
    event: t.exposeString('event'),
    url: t.exposeString('url'),
    status: t.exposeString('status', { description: '`pending`, `delivered` or `failed` (retries exhausted, or a refused destination).' }),
    attempts: t.exposeInt('attempts'),
    lastResponseStatus: t.exposeInt('lastResponseStatus', { nullable: true }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sessionId: t.exposeString('sessionId'),
  }),
});

export const WebhookDeliveryConnection = builder.connectionObject(
  {
    type: WebhookDelivery,
    name: 'WebhookDeliveryConnection',
    // The page size already multiplies what is selected (webhookDeliveries' complexity): not the edges list again.
    edgesField: { complexity: { field: 1, multiplier: 1 } },
  },
  { name: 'WebhookDeliveryEdge' },
);

/**
 * A page of the organization's deliveries (of one session when `sessionId` is given), newest first.
 * Ids are UUIDv7, ordered by creation: the id is the cursor, "newest first" is descending ids.
 * The caller checks access; out-of-range arguments are BAD_USER_INPUT.
 */
export async function deliveriesPage(organizationId: number, sessionId: string | null, args: { first: number; after: string | null }) {
  const { first, after } = args;
  if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE) {
    throw badUserInput(`first must be between 1 and ${MAX_DELIVERIES_PAGE}.`, 'first');
  }
  if (after !== null && !UUID.test(after)) throw badUserInput('after must be an endCursor of a previous page.', 'after');
  const rows = await db.webhookDelivery.findMany({
    where: {
      organizationId,
      ...(sessionId !== null && { sessionId: sessionId.toLowerCase() }),
      ...(after !== null && { id: { lt: after.toLowerCase() } }),
    },
    orderBy: { id: 'desc' },
    take: first + 1,
  });
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: node.id, node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: page[0]?.id ?? null,
      endCursor: page.at(-1)?.id ?? null,
    },
  };
}

builder.prismaObjectFields('Organization', (t) => ({
  webhookSecret: t.string({
    description:
      'The secret that signs this organization\'s webhooks (`whsec_…`, Standard Webhooks). OWNERs and ADMINs only.',
    resolve: async (organization, _args, context) => {
      await requireManager(context, organization.id);
      return ensureWebhookSecret(db, organization.id);
    },
  }),
  webhookDeliveries: t.field({
    type: WebhookDeliveryConnection,
    description: `Webhook deliveries, newest first; of one session with \`sessionId\`. \`first\` 1 to ${MAX_DELIVERIES_PAGE} (default ${DEFAULT_DELIVERIES_PAGE}); \`after\` an \`endCursor\`. OWNERs and ADMINs only.`,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_DELIVERIES_PAGE }),
      after: t.arg.string(),
      sessionId: t.arg.string(),
    },
    complexity: pagedComplexity(DEFAULT_DELIVERIES_PAGE, MAX_DELIVERIES_PAGE),
    resolve: async (organization, args, context) => {
      await requireManager(context, organization.id);
      if (args.sessionId != null && !UUID.test(args.sessionId)) throw badUserInput('sessionId must be a session id.', 'sessionId');
      return deliveriesPage(organization.id, args.sessionId ?? null, { first: args.first ?? DEFAULT_DELIVERIES_PAGE, after: args.after ?? null });
    },
  }),
}));

const WebhookTestResult = builder.objectRef<TestEventResult>('WebhookTestResult').implement({
  description: 'How a test event went: the receiver\'s answer, or why there was none.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'True when the receiver answered 2xx.' }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed: a non-2xx answer, a timeout, a refused destination, …' }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

builder.mutationFields((t) => ({
  sendTestWebhook: t.withAuth({ user: true }).field({
    type: WebhookTestResult,
    description:
      'Sends a signed sample `validation.completed` event (`livemode: false`, session id `00000000-0000-0000-0000-000000000000`) to `url` now, once, as deliveries are sent (same signing secrets, destination rules and 10 s timeout), and answers how it went. Not retried, not recorded. OWNERs and ADMINs; rate-limited per organization.',
    args: { organizationId: t.arg.id({ required: true }), url: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const { organizationId } = await requireMembership(context, args.organizationId, MEMBER_MANAGERS);
      const url = args.url.trim();
      if (!isHttpUrl(url) || characterCount(url) > MAX_URL_LENGTH) {
        throw badUserInput(`url must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters.`, 'url');
      }
      await context.limits.webhookTestAttempt(organizationId);
      return sendTestEvent(organizationId, url, { allowPrivateNetworks: context.config.webhooks.allowPrivateNetworks });
    },
  }),
  rollWebhookSecret: t.withAuth({ user: true }).string({
    description:
      'Replaces the organization\'s webhook signing secret and answers the new one. The previous secret signs too (a second signature) for 24 hours, so receivers can switch without missing a delivery. OWNERs and ADMINs.',
    args: { organizationId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      changeMembers(context, args.organizationId, async (tx, organizationId) => {
        const secret = await rollWebhookSecret(tx, organizationId);
        await recordAuditEvent(tx, {
          organizationId,
          action: 'webhook_secret.rolled',
          actor: { type: 'user', userId: context.principal.userId },
          target: `organization:${organizationId}`,
          origin: context.origin,
        });
        return secret;
      }),
  }),
  redeliverWebhook: t.withAuth({ user: true }).prismaField({
    type: WebhookDelivery,
    description:
      'Sends a delivery again as soon as possible (pending, due now). A delivery whose retries are exhausted gets one more attempt. OWNERs and ADMINs.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, context) => {
      const id = String(args.id).toLowerCase();
      const delivery = UUID.test(id) ? await db.webhookDelivery.findUnique({ where: { id }, select: { organizationId: true } }) : null;
      if (!delivery) throw notFound('Webhook delivery');
      // A stranger learns nothing: requireMembership answers NOT_FOUND for another organization.
      await requireMembership(context, delivery.organizationId, MEMBER_MANAGERS).catch((error: unknown) => {
        throw (error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND' ? notFound('Webhook delivery') : error;
      });
      return db.$transaction(async (tx) => {
        await scheduleRedelivery(tx, id);
        return tx.webhookDelivery.findUniqueOrThrow({ ...query, where: { id } });
      });
    },
  }),
}));
