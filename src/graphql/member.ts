import { byUser, recordAuditEvent } from '../audit/audit-log.js';
import { db } from '../db/client.js';
import type { Membership, Prisma, Role as RoleName } from '../generated/prisma/client.js';
import { lockOrganization } from '../organizations/lock.js';
import { builder, type Context, type UserContext } from './builder.js';
import { conflict, forbidden, notFound } from './errors.js';
import { parseId } from './input.js';
import { pageArgs, pageDescription, pagedListComplexity, parsePage } from './paging.js';
import { requireMembership } from './organization.js';
import { Role } from './user.js';

/**
 * An organization's members, seen by every member and managed by its OWNERs and ADMINs.
 *
 * Rules: only an OWNER may grant the OWNER role or take it away (invite an OWNER, promote someone to
 * OWNER, demote or remove an OWNER); ADMINs manage ADMINs and MEMBERs. An organization always keeps
 * at least one OWNER. Each change runs in a transaction that first locks the organization's row
 * (organizations/lock.ts), so the changes to one organization's members happen one at a time and
 * two OWNERs demoting each other at the same moment cannot leave it without one. People join through
 * invitations (organizations/invitations.ts), never by being added.
 */

export const MEMBER_MANAGERS = ['OWNER', 'ADMIN'] as const;

/**
 * For fields of an Organization that only its OWNERs and ADMINs may read (audit log, webhooks,
 * sessions). Organizations are reached only through the signed-in viewer's memberships, so anyone
 * else is NOT_FOUND; other members are FORBIDDEN.
 */
export async function requireManager(context: Context, organizationId: number): Promise<Membership> {
  if (context.principal?.type !== 'user') throw notFound('Organization');
  return requireMembership(context as UserContext, organizationId, MEMBER_MANAGERS);
}

builder.prismaObjectField('Membership', 'user', (t) => t.relation('user'));

builder.prismaObjectField('Organization', 'members', (t) =>
  t.prismaField({
    type: ['Membership'],
    description: `Everyone in the organization with their role, longest-standing first. ${pageDescription('user id')}`,
    args: pageArgs(t.arg),
    complexity: pagedListComplexity,
    resolve: (query, organization, args) => {
      const { first, after } = parsePage(args);
      return db.membership.findMany({
        ...query,
        where: { organizationId: organization.id },
        orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
        // Prisma pages from the cursor's row (skipped); a cursor that is no member: an empty page.
        ...(after !== null && { cursor: { userId_organizationId: { userId: after, organizationId: organization.id } }, skip: 1 }),
        take: first,
      });
    },
  }),
);

const ChangeMemberRoleInput = builder.inputType('ChangeMemberRoleInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    userId: t.id({ required: true }),
    role: t.field({ type: Role, required: true }),
  }),
});

const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    userId: t.id({ required: true }),
  }),
});

export type Transaction = Prisma.TransactionClient;

/** A member as the audit log names them. */
export const userTarget = (userId: number) => `user:${userId}`;

/**
 * Runs `change` in a transaction holding the organization's row lock, after checking (again, under
 * the lock) that the viewer is an OWNER or ADMIN of it. Resolves with the viewer's role.
 */
export async function changeMembers<T>(
  context: UserContext,
  organizationId: string | number,
  change: (tx: Transaction, organizationId: number, viewerRole: RoleName) => Promise<T>,
): Promise<T> {
  // Outside the transaction first: strangers and MEMBERs are turned away without taking a lock.
  const { organizationId: id } = await requireMembership(context, organizationId, MEMBER_MANAGERS);
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, id);
    const viewer = await tx.membership.findUnique({
      where: { userId_organizationId: { userId: context.principal.userId, organizationId: id } },
    });
    if (!viewer) throw notFound('Organization');
    if (!(MEMBER_MANAGERS as readonly RoleName[]).includes(viewer.role)) {
      throw forbidden(`Only ${MEMBER_MANAGERS.join(' or ')} members of the organization may do this.`);
    }
    return change(tx, id, viewer.role);
  });
}

export function requireOwnerForOwnerRole(viewerRole: RoleName): void {
  if (viewerRole !== 'OWNER') throw forbidden('Only an OWNER may grant or take away the OWNER role.');
}

async function findMember(tx: Transaction, organizationId: number, userId: string | number): Promise<Membership> {
  const id = parseId(userId);
  const member =
    id === null
      ? null
      : await tx.membership.findUnique({ where: { userId_organizationId: { userId: id, organizationId } } });
  if (!member) throw notFound('Member');
  return member;
}

/** Refuses to take the OWNER role from `member` when nobody else holds it. */
export async function keepAnOwner(tx: Transaction, member: Membership): Promise<void> {
  if (member.role !== 'OWNER') return;
  const owners = await tx.membership.count({ where: { organizationId: member.organizationId, role: 'OWNER' } });
  if (owners <= 1) throw conflict('An organization must keep at least one OWNER; make someone else OWNER first.');
}

builder.mutationFields((t) => ({
  changeMemberRole: t.withAuth({ user: true }).prismaField({
    type: 'Membership',
    description: 'Gives a member another role.',
    args: { input: t.arg({ type: ChangeMemberRoleInput, required: true }) },
    resolve: (query, _root, { input }, context) =>
      changeMembers(context, input.organizationId, async (tx, organizationId, viewerRole) => {
        const member = await findMember(tx, organizationId, input.userId);
        if (member.role === 'OWNER' || input.role === 'OWNER') requireOwnerForOwnerRole(viewerRole);
        if (input.role !== 'OWNER') await keepAnOwner(tx, member);
        if (member.role !== input.role) {
          await recordAuditEvent(tx, {
            organizationId,
            action: 'member.role_changed',
            target: userTarget(member.userId),
            ...byUser(context.principal.userId, context.origin),
          });
        }
        return tx.membership.update({
          ...query,
          where: { userId_organizationId: { userId: member.userId, organizationId } },
          data: { role: input.role },
        });
      }),
  }),

  removeMember: t.withAuth({ user: true }).boolean({
    description: 'Removes a member from the organization.',
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    resolve: (_root, { input }, context) =>
      changeMembers(context, input.organizationId, async (tx, organizationId, viewerRole) => {
        const member = await findMember(tx, organizationId, input.userId);
        if (member.role === 'OWNER') requireOwnerForOwnerRole(viewerRole);
        await keepAnOwner(tx, member);
        await tx.membership.delete({
          where: { userId_organizationId: { userId: member.userId, organizationId } },
        });
        await recordAuditEvent(tx, {
          organizationId,
          action: 'member.removed',
          target: userTarget(member.userId),
          ...byUser(context.principal.userId, context.origin),
        });
        return true;
      }),
  }),
}));
