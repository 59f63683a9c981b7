import { db, sql } from '../db/client.js';
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
  // Raw SQL: this runs on every organization-scoped request (see `sql` in db/client.ts).
  const [membership] =
    id === null
      ? []
      : await sql<Membership>(
          `SELECT user_id AS "userId", organization_id AS "organizationId", role::text AS role, created_at AS "createdAt"
           FROM memberships WHERE user_id = $1 AND organization_id = $2`,
          [context.principal.userId, id],
          'membership',
        );
  if (!membership) throw notFound('Organization');
  if (roles && !roles.includes(membership.role)) {
    throw forbidden(`Only ${roles.join(' or ')} members of the organization may do this.`);
  }
  return membership;
}

// Every path to an Organization goes through the viewer's membership (the `organization` query, and
// memberships filtered to the viewer's organizations), so its fields need no further check.
// Its apiTokens and members fields are defined with their features (api-token.ts, member.ts).
builder.prismaObject('Organization', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
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
