import { recordAuditEvent } from '../audit/audit-log.js';
import { db } from '../db/client.js';
import { builder, type UserContext } from '../graphql/builder.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { changeMembers, MEMBER_MANAGERS } from '../graphql/member.js';
import { requireMembership } from '../graphql/organization.js';
import { pagedComplexity } from '../graphql/paging.js';
import { scheduleRedelivery } from './outbox.js';
import { ensureWebhookSecret, rollWebhookSecret } from './signing.js';

/**
 * The webhooks of the dashboard API (DESIGN.md "Webhooks"): the signing secret, the delivery log,
 * rolling the secret and redelivering. OWNERs and ADMINs only; other members are FORBIDDEN.
 */

const DEFAULT_DELIVERIES_PAGE = 50;
const MAX_DELIVERIES_PAGE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

const WebhookDeliveryConnection = builder.connectionObject(
  {
    type: WebhookDelivery,
    name: 'WebhookDeliveryConnection',
    // The page size already multiplies what is selected (webhookDeliveries' complexity): not the edges list again.
    edgesField: { complexity: { field: 1, multiplier: 1 } },
  },
  { name: 'WebhookDeliveryEdge' },
);

/** Organizations are reached only through the signed-in viewer's memberships; the role is checked here. */
async function requireManager(context: { principal: unknown }, organizationId: number) {
  if ((context.principal as { type?: string } | null)?.type !== 'user') throw notFound('Organization');
  await requireMembership(context as UserContext, organizationId, MEMBER_MANAGERS);
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
      const first = args.first ?? DEFAULT_DELIVERIES_PAGE;
      if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE) {
        throw badUserInput(`first must be between 1 and ${MAX_DELIVERIES_PAGE}.`, 'first');
      }
      if (args.after != null && !UUID.test(args.after)) throw badUserInput('after must be an endCursor of a previous page.', 'after');
      if (args.sessionId != null && !UUID.test(args.sessionId)) throw badUserInput('sessionId must be a session id.', 'sessionId');
      // Ids are UUIDv7, ordered by creation: the id is the cursor, "newest first" is descending ids.
      const rows = await db.webhookDelivery.findMany({
        where: {
          organizationId: organization.id,
          ...(args.sessionId != null && { sessionId: args.sessionId.toLowerCase() }),
          ...(args.after != null && { id: { lt: args.after.toLowerCase() } }),
        },
        orderBy: { id: 'desc' },
        take: first + 1,
      });
      const page = rows.slice(0, first);
      return {
        edges: page.map((node) => ({ cursor: node.id, node })),
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: args.after != null,
          startCursor: page[0]?.id ?? null,
          endCursor: page.at(-1)?.id ?? null,
        },
      };
    },
  }),
}));

builder.mutationFields((t) => ({
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
