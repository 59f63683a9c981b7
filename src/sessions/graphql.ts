import { builder } from '../graphql/builder.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { requireManager } from '../graphql/member.js';
import { PAGE_QUERY_COST, pagedComplexity } from '../graphql/paging.js';
import { deliveriesPage, MAX_DELIVERIES_PAGE, WebhookDeliveryConnection } from '../webhooks/graphql.js';
import {
  findSession,
  listSessions,
  SESSION_STATUSES,
  sessionTimeline,
  UUID,
  type SessionRecord,
  type StatusChange,
} from './sessions.js';

/**
 * Sessions in the dashboard API: `Organization.sessions` (newest first, by status and mode) and
 * `Organization.session(id)`, each with its timeline and its webhook deliveries. OWNERs and ADMINs
 * only, as the webhook deliveries they show (sessions hold the integrator's metadata and URLs).
 * Sessions are read as the REST API reads them (sessions.ts): an open session past expires_at is
 * `expired` at once.
 */

const DEFAULT_SESSIONS_PAGE = 20;
const MAX_SESSIONS_PAGE = 100;
const DEFAULT_SESSION_DELIVERIES_PAGE = 20;

const SessionStatus = builder.enumType('SessionStatus', {
  description: 'Where a session stands, as the REST API says it (lowercase).',
  values: SESSION_STATUSES,
});

const SessionStatusChange = builder.objectRef<StatusChange>('SessionStatusChange').implement({
  description: 'A status a session reached, and when (`created`: its issued_at; `expired`: its expires_at).',
  fields: (t) => ({
    status: t.field({ type: SessionStatus, resolve: (change) => change.status }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const VerificationSession = builder.objectRef<SessionRecord>('VerificationSession').implement({
  description: 'An age-verification session, as `GET /api/v2/session/{id}` shows it, with its history.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: SessionStatus, resolve: (session) => session.status }),
    success: t.exposeBoolean('success', { nullable: true, description: 'Null until completed.' }),
    ageTarget: t.exposeInt('ageTarget'),
    livemode: t.exposeBoolean('livemode', { description: 'False for test sessions (made with a TEST token).' }),
    redirectUrl: t.exposeString('redirectUrl'),
    webhookUrl: t.exposeString('webhookUrl', { nullable: true }),
    metadata: t.stringList({ nullable: true, description: '`key:value` strings, as given at creation.', resolve: (session) => session.metadata ?? null }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    timeline: t.field({
      type: [SessionStatusChange],
      description: 'The statuses the session went through, oldest first (at most one entry per status).',
      // A query of its own per session, like a page.
      complexity: PAGE_QUERY_COST,
      resolve: (session) => sessionTimeline(session),
    }),
    webhookDeliveries: t.field({
      type: WebhookDeliveryConnection,
      description: `The webhooks raised by this session, newest first. \`first\` 1 to ${MAX_DELIVERIES_PAGE} (default ${DEFAULT_SESSION_DELIVERIES_PAGE}); \`after\` an \`endCursor\`.`,
      args: { first: t.arg.int({ defaultValue: DEFAULT_SESSION_DELIVERIES_PAGE }), after: t.arg.string() },
      complexity: pagedComplexity(DEFAULT_SESSION_DELIVERIES_PAGE, MAX_DELIVERIES_PAGE),
      // Reached only through Organization.sessions or .session, which checked the viewer.
      resolve: (session, args) =>
        deliveriesPage(session.organizationId, session.id, { first: args.first ?? DEFAULT_SESSION_DELIVERIES_PAGE, after: args.after ?? null }),
    }),
  }),
});

const VerificationSessionConnection = builder.connectionObject(
  {
    type: VerificationSession,
    name: 'VerificationSessionConnection',
    // The page size already multiplies what is selected (sessions' complexity): not the edges list again.
    edgesField: { complexity: { field: 1, multiplier: 1 } },
  },
  { name: 'VerificationSessionEdge' },
);

builder.prismaObjectFields('Organization', (t) => ({
  sessions: t.field({
    type: VerificationSessionConnection,
    description: `The organization's sessions of one mode (live by default, \`livemode: false\` for test sessions), newest first; of one status (as of now) with \`status\`. \`first\` 1 to ${MAX_SESSIONS_PAGE} (default ${DEFAULT_SESSIONS_PAGE}); \`after\` an \`endCursor\`. OWNERs and ADMINs only.`,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_SESSIONS_PAGE }),
      after: t.arg.string(),
      status: t.arg({ type: SessionStatus }),
      livemode: t.arg.boolean({ defaultValue: true }),
    },
    complexity: pagedComplexity(DEFAULT_SESSIONS_PAGE, MAX_SESSIONS_PAGE),
    resolve: async (organization, args, context) => {
      await requireManager(context, organization.id);
      const first = args.first ?? DEFAULT_SESSIONS_PAGE;
      if (!Number.isInteger(first) || first < 1 || first > MAX_SESSIONS_PAGE) {
        throw badUserInput(`first must be between 1 and ${MAX_SESSIONS_PAGE}.`, 'first');
      }
      const after = args.after ?? null;
      if (after !== null && !UUID.test(after)) throw badUserInput('after must be an endCursor of a previous page.', 'after');
      // Session ids are UUIDv7: the id is the cursor, as the REST API's starting_after.
      const { sessions, hasMore } = await listSessions(organization.id, args.livemode ?? true, {
        status: args.status ?? null,
        limit: first,
        startingAfter: after,
      });
      return {
        edges: sessions.map((node) => ({ cursor: node.id, node })),
        pageInfo: {
          hasNextPage: hasMore,
          hasPreviousPage: after !== null,
          startCursor: sessions[0]?.id ?? null,
          endCursor: sessions.at(-1)?.id ?? null,
        },
      };
    },
  }),
  session: t.field({
    type: VerificationSession,
    description: 'One of the organization\'s sessions, live or test; NOT_FOUND for any other id. OWNERs and ADMINs only.',
    args: { id: t.arg.string({ required: true }) },
    resolve: async (organization, args, context) => {
      await requireManager(context, organization.id);
      const session = await findSession(organization.id, args.id);
      if (!session) throw notFound('Session');
      return session;
    },
  }),
}));
