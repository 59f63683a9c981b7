import { db } from '../db/client.js';
import type { Membership, Role } from '../generated/prisma/client.js';
import { builder, type UserContext } from './builder.js';
import { forbidden, notFound } from './errors.js';
import { parseId } from './input.js';

/**
 * The viewer's membership of an organization. Not being a member is NOT_FOUND, so that nobody learns
 * whether another organization exists; being a member without one of `roles` is FORBIDDEN.
 */
export async function requireMembership(
  context: UserContext,
  organizationId: string | number,
  roles?: readonly Role[],
): Promise<Membership> {
  const id = parseId(organizationId);
  const membership =
    id === null
      ? null
      : await db.membership.findUnique({
          where: { userId_organizationId: { userId: context.principal.userId, organizationId: id } },
        });
  if (!membership) throw notFound('Organization');
  if (roles && !roles.includes(membership.role)) {
    throw forbidden(`Only ${roles.join(' or ')} members of the organization may do this.`);
  }
  return membership;
}

// Every path to an Organization goes through the viewer's membership (the `organization` query, and
// memberships filtered to the viewer's organizations), so its fields need no further check.
builder.prismaObject('Organization', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    apiTokens: t.relation('apiTokens', {
      description: 'API tokens of the organization, newest first.',
      args: { includeRevoked: t.arg.boolean({ defaultValue: false }) },
      query: ({ includeRevoked }) => ({
        where: { kind: 'API', ...(includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.withAuth({ user: true }).prismaField({
    type: 'Organization',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      const membership = await requireMembership(context, id);
      return db.organization.findUnique({ ...query, where: { id: membership.organizationId } });
    },
  }),
);
