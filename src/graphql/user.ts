import { db } from '../db/client.js';
import type { Prisma, User as UserModel } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { pageArgs, pageDescription, pagedListComplexity, parsePage } from './paging.js';

/** Users returned to the person who just proved to be them (sign-up, sign-in): they see all of themselves. */
const shownToThemselves = new WeakSet<UserModel>();

export function asSeenByThemselves(user: UserModel): UserModel {
  shownToThemselves.add(user);
  return user;
}

export const Role = builder.enumType('Role', { values: ['OWNER', 'ADMIN', 'MEMBER'] as const });

export const User = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    // All of the viewer's own memberships; of another user's, only those in organizations the
    // viewer belongs to too: their other organizations are none of the viewer's business.
    memberships: t.prismaField({
      type: ['Membership'],
      description: `Oldest first. ${pageDescription('organization id')}`,
      args: pageArgs(t.arg),
      complexity: pagedListComplexity,
      resolve: async (query, user, args, context) => {
        const { first, after } = parsePage(args);
        const viewerId = context.principal?.type === 'user' ? context.principal.userId : null;
        const seesAll = user.id === viewerId || shownToThemselves.has(user);
        const visible: Prisma.MembershipWhereInput = {
          userId: user.id,
          ...(!seesAll && { organization: { memberships: { some: { userId: viewerId ?? -1 } } } }),
        };
        // The cursor must be a membership the viewer sees: a hidden one gives an empty page, like an
        // unknown one, so that paging cannot tell whether the user belongs to another organization.
        const cursor =
          after === null
            ? null
            : await db.membership.findFirst({ where: { ...visible, organizationId: after }, select: { createdAt: true } });
        if (after !== null && !cursor) return [];
        return db.membership.findMany({
          ...query,
          where: {
            ...visible,
            ...(cursor && {
              OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, organizationId: { gt: after! } }],
            }),
          },
          orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
          take: first,
        });
      },
    }),
  }),
});

builder.prismaObject('Membership', {
  fields: (t) => ({
    role: t.expose('role', { type: Role }),
    organization: t.relation('organization'),
  }),
});
