import { randomBytes } from 'node:crypto';
import { byUser, recordAuditEvent } from '../audit/audit-log.js';
import { hashSecret } from '../auth/tokens.js';
import { db } from '../db/client.js';
import type { Prisma, Role as RoleName } from '../generated/prisma/client.js';
import { builder, type Context, type UserContext } from '../graphql/builder.js';
import { conflict, forbidden, notFound } from '../graphql/errors.js';
import { normalizeEmail, parseId } from '../graphql/input.js';
import {
  changeMembers,
  keepAnOwner,
  MEMBER_MANAGERS,
  requireOwnerForOwnerRole,
  type Transaction,
  userTarget,
} from '../graphql/member.js';
import { requireMembership } from '../graphql/organization.js';
import { Role } from '../graphql/user.js';
import { lockOrganization } from './lock.js';

/**
 * Invitations: the only way into an organization. An OWNER or ADMIN invites an email with a role and
 * gets a secret link, shown once, to send; whoever signs in with that email and opens the link may
 * accept (and becomes a member) or decline. Emails are not verified here, so owning an account with
 * the invited email is never enough: the link is the proof.
 *
 * Nothing here tells whether an email has an account: inviting looks at no user, only at the
 * organization's own members. Every token that does not open a pending invitation (malformed,
 * unknown, expired, used, revoked, replaced, or the signed-in email is not the invited one) is the
 * same NOT_FOUND, so the token space cannot be probed. Each change runs in a transaction holding the
 * organization's row lock (lock.ts), like every change to its members.
 *
 * Choices: inviting an email that has a pending invitation replaces it (the old link stops working;
 * the role is the new one); accepting while already a member uses the invitation up and returns the
 * membership as it is (its role unchanged); declining, like accepting, needs the link and a sign-in
 * with the invited email (anyone else is told NOT_FOUND, as the contract says); the preview (`invitation(token)`) needs only the link too, so the page can say what it is
 * about before the person signs in or up.
 */

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Keeps `Organization.invitations` a bounded list: inviting beyond it is CONFLICT. */
export const MAX_PENDING_INVITATIONS_PER_ORGANIZATION = 100;

/** 32 random bytes in base64url: 256 bits, safe in a URL path as it is. */
const SECRET_BYTES = 32;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function inviteUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}/dashboard/invitations/${secret}`;
}

const pendingAt = (now: Date) =>
  ({ acceptedAt: null, declinedAt: null, revokedAt: null, expiresAt: { gt: now } }) satisfies Prisma.InvitationWhereInput;

/** The one answer for any token or id that does not name a pending invitation the asker may see. */
const invitationNotFound = () => notFound('Invitation');

const withPreviewFields = { organization: { select: { name: true } }, invitedBy: { select: { name: true } } } as const;

/** The pending invitation a link's secret opens; NOT_FOUND for anything else, malformed included. */
async function findPendingByToken(token: string) {
  if (!SECRET_SHAPE.test(token)) throw invitationNotFound();
  const invitation = await db.invitation.findFirst({
    where: { tokenHash: hashSecret(token), ...pendingAt(new Date()) },
    include: withPreviewFields,
  });
  if (!invitation) throw invitationNotFound();
  return invitation;
}

/**
 * The pending invitation a link opens for the signed-in viewer: only someone signed in with the
 * invited email may answer it; anyone else gets the same NOT_FOUND as for a bad link.
 */
async function findPendingForViewer(token: string, context: UserContext) {
  const invitation = await findPendingByToken(token);
  const viewer = await db.user.findUniqueOrThrow({ where: { id: context.principal.userId }, select: { email: true } });
  if (viewer.email.toLowerCase() !== invitation.email) throw invitationNotFound();
  return invitation;
}

/**
 * Marks a pending invitation used (accepted or declined) under the organization's lock; NOT_FOUND
 * when it stopped being pending since it was read (accepted, revoked or replaced meanwhile).
 */
async function useUp(tx: Transaction, invitationId: number, field: 'acceptedAt' | 'declinedAt'): Promise<void> {
  const now = new Date();
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, ...pendingAt(now) },
    data: { [field]: now },
  });
  if (count === 0) throw invitationNotFound();
}

/** Audit targets name what a change was about by kind and id, never by its secret link. */
const invitationTarget = (id: number) => `invitation:${id}`;

/** The dashboard API is for people; API tokens are for the REST API (as the `user` scope says). */
function refuseApiTokens(context: Context): void {
  if (context.principal?.type === 'apiToken') throw forbidden('API tokens cannot use the dashboard API; sign in as a user.');
}

// --- GraphQL ---

const Invitation = builder.prismaObject('Invitation', {
  description: 'A pending invitation to join an organization. Its link is shown once, when it is made.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: Role }),
    // Reached only through the organization's managers (Organization.invitations, inviteMember).
    organization: t.relation('organization'),
    invitedBy: t.relation('invitedBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

type InvitePayloadShape = { invitation: Prisma.InvitationGetPayload<object>; inviteUrl: string };

const InvitePayload = builder.objectRef<InvitePayloadShape>('InvitePayload').implement({
  fields: (t) => ({
    invitation: t.field({ type: Invitation, resolve: (payload) => payload.invitation }),
    inviteUrl: t.exposeString('inviteUrl', {
      description: 'The link to send to the invited person. It holds a secret and is shown only this once.',
    }),
  }),
});

type PreviewShape = {
  organizationName: string;
  email: string;
  role: RoleName;
  inviterName: string | null;
  expiresAt: Date;
};

const InvitationPreview = builder.objectRef<PreviewShape>('InvitationPreview').implement({
  description: 'What an invitation link offers, for the page that opens it.',
  fields: (t) => ({
    organizationName: t.exposeString('organizationName'),
    email: t.exposeString('email', { description: 'Only someone signed in with this email can accept.' }),
    role: t.expose('role', { type: Role }),
    inviterName: t.exposeString('inviterName', { nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    email: t.string({ required: true }),
    role: t.field({ type: Role, required: true }),
  }),
});

builder.prismaObjectField('Organization', 'invitations', (t) =>
  t.prismaField({
    type: ['Invitation'],
    description: `Pending invitations, newest first (at most ${MAX_PENDING_INVITATIONS_PER_ORGANIZATION}). OWNERs and ADMINs only.`,
    // For the cost limit: a query, and what is selected counted once per invitation it may return.
    complexity: { field: 10, multiplier: MAX_PENDING_INVITATIONS_PER_ORGANIZATION },
    resolve: async (query, organization, _args, context) => {
      // Organizations are reached only through the signed-in viewer's memberships.
      if (context.principal?.type !== 'user') throw notFound('Organization');
      await requireMembership(context as UserContext, organization.id, MEMBER_MANAGERS);
      return db.invitation.findMany({
        ...query,
        where: { organizationId: organization.id, ...pendingAt(new Date()) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: MAX_PENDING_INVITATIONS_PER_ORGANIZATION,
      });
    },
  }),
);

builder.queryField('invitation', (t) =>
  t.field({
    type: InvitationPreview,
    description: 'What an invitation link offers. The link is the capability: no sign-in needed. NOT_FOUND for any link that does not open a pending invitation.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, { token }, context) => {
      refuseApiTokens(context);
      const invitation = await findPendingByToken(token);
      return {
        organizationName: invitation.organization.name,
        email: invitation.email,
        role: invitation.role,
        inviterName: invitation.invitedBy?.name ?? null,
        expiresAt: invitation.expiresAt,
      };
    },
  }),
);

builder.mutationFields((t) => ({
  inviteMember: t.withAuth({ user: true }).field({
    type: InvitePayload,
    description:
      'Invites an email to the organization with a role (OWNERs and ADMINs; only OWNERs invite OWNERs). The same answer whether or not the email has an account. Replaces a pending invitation of the same email.',
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_root, { input }, context) =>
      changeMembers(context, input.organizationId, async (tx, organizationId, viewerRole) => {
        if (input.role === 'OWNER') requireOwnerForOwnerRole(viewerRole);
        const email = normalizeEmail(input.email);
        // Only this organization's members are looked at: their emails are on its member list already.
        const member = await tx.membership.findFirst({ where: { organizationId, user: { email } }, select: { userId: true } });
        if (member) throw conflict('This person is already a member of the organization.');

        const now = new Date();
        const replaced = await tx.invitation.findFirst({ where: { organizationId, email, ...pendingAt(now) } });
        const by = byUser(context.principal.userId, context.origin);
        if (replaced) {
          if (replaced.role === 'OWNER') requireOwnerForOwnerRole(viewerRole);
          await tx.invitation.update({ where: { id: replaced.id }, data: { revokedAt: now } });
          await recordAuditEvent(tx, { organizationId, action: 'invitation.revoked', target: invitationTarget(replaced.id), ...by });
        }
        const pending = await tx.invitation.count({ where: { organizationId, ...pendingAt(now) } });
        if (pending >= MAX_PENDING_INVITATIONS_PER_ORGANIZATION) {
          throw conflict(
            `An organization can have at most ${MAX_PENDING_INVITATIONS_PER_ORGANIZATION} pending invitations; revoke some first.`,
          );
        }
        const secret = randomBytes(SECRET_BYTES).toString('base64url');
        const invitation = await tx.invitation.create({
          data: {
            organizationId,
            email,
            role: input.role,
            tokenHash: hashSecret(secret),
            invitedById: context.principal.userId,
            expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          },
        });
        await recordAuditEvent(tx, { organizationId, action: 'invitation.created', target: invitationTarget(invitation.id), ...by });
        return { invitation, inviteUrl: inviteUrl(context.config.publicUrl, secret) };
      }),
  }),

  acceptInvitation: t.withAuth({ user: true }).prismaField({
    type: 'Membership',
    description:
      'Joins the organization with the invited role, signed in with the invited email. Already a member: the invitation is used up and the membership stays as it is.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (query, _root, { token }, context) => {
      const invitation = await findPendingForViewer(token, context);
      const { userId } = context.principal;
      return db.$transaction(async (tx) => {
        await lockOrganization(tx, invitation.organizationId);
        await useUp(tx, invitation.id, 'acceptedAt');
        const key = { userId_organizationId: { userId, organizationId: invitation.organizationId } };
        const existing = await tx.membership.findUnique({ ...query, where: key });
        await recordAuditEvent(tx, {
          organizationId: invitation.organizationId,
          action: 'invitation.accepted',
          target: invitationTarget(invitation.id),
          ...byUser(userId, context.origin),
        });
        return (
          existing ??
          tx.membership.create({
            ...query,
            data: { userId, organizationId: invitation.organizationId, role: invitation.role },
          })
        );
      });
    },
  }),

  declineInvitation: t.withAuth({ user: true }).boolean({
    description: 'Turns an invitation down, signed in with the invited email; its link stops working.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, { token }, context) => {
      const invitation = await findPendingForViewer(token, context);
      await db.$transaction(async (tx) => {
        await lockOrganization(tx, invitation.organizationId);
        await useUp(tx, invitation.id, 'declinedAt');
        await recordAuditEvent(tx, {
          organizationId: invitation.organizationId,
          action: 'invitation.declined',
          target: invitationTarget(invitation.id),
          ...byUser(context.principal.userId, context.origin),
        });
      });
      return true;
    },
  }),

  revokeInvitation: t.withAuth({ user: true }).boolean({
    description: 'Withdraws a pending invitation; its link stops working. OWNERs any, ADMINs those for ADMIN or MEMBER.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const invitationId = parseId(id);
      const found =
        invitationId === null
          ? null
          : await db.invitation.findUnique({ where: { id: invitationId }, select: { organizationId: true } });
      if (!found || invitationId === null) throw invitationNotFound();
      await changeMembers(context, found.organizationId, async (tx, organizationId, viewerRole) => {
        const now = new Date();
        const invitation = await tx.invitation.findFirst({ where: { id: invitationId, ...pendingAt(now) } });
        if (!invitation) throw invitationNotFound();
        if (invitation.role === 'OWNER') requireOwnerForOwnerRole(viewerRole);
        await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
        await recordAuditEvent(tx, {
          organizationId,
          action: 'invitation.revoked',
          target: invitationTarget(invitation.id),
          ...byUser(context.principal.userId, context.origin),
        });
      }).catch((error) => {
        // Another organization's invitation does not exist, as far as the viewer can tell.
        throw error.extensions?.code === 'NOT_FOUND' ? invitationNotFound() : error;
      });
      return true;
    },
  }),

  leaveOrganization: t.withAuth({ user: true }).boolean({
    description: 'Leaves the organization. The last OWNER cannot (CONFLICT): make someone else OWNER first.',
    args: { organizationId: t.arg.id({ required: true }) },
    resolve: async (_root, { organizationId }, context) => {
      const { organizationId: id } = await requireMembership(context, organizationId);
      await db.$transaction(async (tx) => {
        await lockOrganization(tx, id);
        const key = { userId_organizationId: { userId: context.principal.userId, organizationId: id } };
        const membership = await tx.membership.findUnique({ where: key });
        if (!membership) throw notFound('Organization');
        await keepAnOwner(tx, membership);
        await tx.membership.delete({ where: key });
        await recordAuditEvent(tx, {
          organizationId: id,
          action: 'member.left',
          target: userTarget(context.principal.userId),
          ...byUser(context.principal.userId, context.origin),
        });
      });
      return true;
    },
  }),
}));
