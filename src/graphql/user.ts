import { db } from '../db/client.js';
import type { User as UserModel } from '../generated/prisma/client.js';
import { builder } from './builder.js';

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
      resolve: (query, user, _args, context) => {
        const viewerId = context.principal?.type === 'user' ? context.principal.userId : null;
        const seesAll = user.id === viewerId || shownToThemselves.has(user);
        return db.membership.findMany({
          ...query,
          where: {
            userId: user.id,
            ...(!seesAll && { organization: { memberships: { some: { userId: viewerId ?? -1 } } } }),
          },
          orderBy: { createdAt: 'asc' },
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
