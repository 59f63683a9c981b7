import { queryFromInfo } from '@pothos/plugin-prisma';
import { db } from '../db/client.js';
import { builder } from '../graphql/builder.js';
import { badUserInput } from '../graphql/errors.js';
import { parseId } from '../graphql/input.js';
import { requireManager } from '../graphql/member.js';
import { pagedComplexity } from '../graphql/paging.js';
import { AUDIT_ACTIONS, type AuditAction } from './audit-log.js';

/**
 * `Organization.auditLog`: the organization's audit events, newest first, a Relay connection read
 * by its OWNERs and ADMINs. Cursors are event ids (keyset paging on the (organization, id) index),
 * so a page costs one indexed query however deep it is; a cursor from another organization only
 * bounds the ids and reveals nothing.
 *
 * Choices: an `action` that is not one of AUDIT_ACTIONS is BAD_USER_INPUT (a typo would otherwise
 * look like "nothing happened"); `actor` is the User as other members see them (id, email, name;
 * their memberships only in organizations the viewer shares) and stays visible after they left, as
 * recorded, so that the log still says who did what; it is null for leak reports and the server's
 * own changes, and for users deleted since.
 */

export const AUDIT_LOG_DEFAULT_PAGE_SIZE = 50;
export const AUDIT_LOG_MAX_PAGE_SIZE = 100;

const AuditEvent = builder.prismaObject('AuditEvent', {
  description: 'One change in an organization: what, who, from where and when. Never holds a secret.',
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action', { description: `One of: ${AUDIT_ACTIONS.join(', ')}.` }),
    actor: t.relation('actor', { nullable: true, description: 'The user who made the change (actorType `user`).' }),
    actorType: t.exposeString('actorType', { description: '`user`, `leak-report` or `system`.' }),
    target: t.exposeString('target', { nullable: true, description: 'What the change was about, as `<kind>:<id>` (e.g. `api_token:42`).' }),
    ip: t.exposeString('ip', { nullable: true, description: 'The client address of the request that made the change.' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AuditEventConnection = builder.connectionObject({
  type: AuditEvent,
  name: 'AuditEventConnection',
  // auditLog's own cost already counts each edge once per item of the page (pagedComplexity).
  edgesField: { complexity: { field: 1, multiplier: 1 } },
});

function parseAuditLogArgs(args: { first?: number | null; after?: string | null; action?: string | null }) {
  const first = args.first ?? AUDIT_LOG_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > AUDIT_LOG_MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${AUDIT_LOG_MAX_PAGE_SIZE}.`, 'first');
  }
  const before = args.after == null ? null : parseId(args.after);
  if (args.after != null && before === null) throw badUserInput('after must be the endCursor of a previous page.', 'after');
  const action = args.action ?? null;
  if (action !== null && !(AUDIT_ACTIONS as readonly string[]).includes(action)) {
    throw badUserInput(`action must be one of: ${AUDIT_ACTIONS.join(', ')}.`, 'action');
  }
  return { first, before, action: action as AuditAction | null };
}

builder.prismaObjectField('Organization', 'auditLog', (t) =>
  t.field({
    type: AuditEventConnection,
    description: `What changed in the organization, newest first; OWNERs and ADMINs only. \`first\` 1 to ${AUDIT_LOG_MAX_PAGE_SIZE} (default ${AUDIT_LOG_DEFAULT_PAGE_SIZE}); \`after\` the endCursor of the previous page; \`action\` keeps one action.`,
    args: {
      first: t.arg.int({ defaultValue: AUDIT_LOG_DEFAULT_PAGE_SIZE }),
      after: t.arg.string(),
      action: t.arg.string(),
    },
    complexity: pagedComplexity(AUDIT_LOG_DEFAULT_PAGE_SIZE, AUDIT_LOG_MAX_PAGE_SIZE),
    resolve: async (organization, args, context, info) => {
      await requireManager(context, organization.id);
      const { first, before, action } = parseAuditLogArgs(args);
      const rows = await db.auditEvent.findMany({
        ...queryFromInfo({ context, info, typeName: 'AuditEvent', path: ['edges', 'node'] }),
        where: { organizationId: organization.id, ...(action && { action }), ...(before !== null && { id: { lt: before } }) },
        orderBy: { id: 'desc' },
        take: first + 1, // one more than asked: whether there is a next page
      });
      const page = rows.slice(0, first);
      const edges = page.map((node) => ({ cursor: String(node.id), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: before !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
);
