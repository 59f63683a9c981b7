import type { Prisma } from '../generated/prisma/client.js';

/**
 * The audit log: what changed in an organization, who changed it, from where and when (DESIGN.md
 * "Audit log"). Every change is recorded with `recordAuditEvent` in the same transaction as the change
 * itself, so a change and its record are stored together or not at all. Records never hold a secret:
 * targets name things by kind and id (`api_token:42`, `invitation:7`, `user:3`).
 */

export const AUDIT_ACTIONS = [
  'api_token.created',
  'api_token.rolled',
  'api_token.revoked',
  'api_token.updated',
  'api_token.revoked_by_leak_report',
  'api_token.imported',
  'token_policy.updated',
  'invitation.created',
  'invitation.accepted',
  'invitation.declined',
  'invitation.revoked',
  'member.role_changed',
  'member.removed',
  'member.left',
  'webhook_secret.rolled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who made the change: a signed-in person, a leaked-token report (anonymous), or the server itself. */
export type AuditActor = { type: 'user'; userId: number } | { type: 'leak-report' } | { type: 'system' };

/** Where the request that made the change came from; both unknown for the server's own changes. */
export type RequestOrigin = Readonly<{ ip: string | null; userAgent: string | null }>;

export const NO_ORIGIN: RequestOrigin = { ip: null, userAgent: null };

/** User agents are the client's to write: kept to a length that says what it is and no more. */
const MAX_USER_AGENT_LENGTH = 512;

export type AuditEventInput = {
  organizationId: number;
  action: AuditAction;
  actor: AuditActor;
  /** `<kind>:<id>` of what the change was about. */
  target?: string | null;
  origin: RequestOrigin;
};

/** Who and where for a change made by the signed-in user of a request. */
export function byUser(userId: number, origin: RequestOrigin): Pick<AuditEventInput, 'actor' | 'origin'> {
  return { actor: { type: 'user', userId }, origin };
}

/** Records one change, inside the transaction `tx` that makes it. */
export async function recordAuditEvent(tx: Prisma.TransactionClient, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({ data: auditEventRow(event) });
}

/** Records many changes made by one transaction `tx` in one statement (a leak report may revoke 1000 tokens). */
export async function recordAuditEvents(tx: Prisma.TransactionClient, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length > 0) await tx.auditEvent.createMany({ data: events.map(auditEventRow) });
}

/** The origin as it is stored (user agents shortened), for statements that write audit rows themselves. */
export function auditOrigin(origin: RequestOrigin): RequestOrigin {
  return { ip: origin.ip, userAgent: origin.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null };
}

function auditEventRow(event: AuditEventInput): Prisma.AuditEventUncheckedCreateInput {
  return {
    organizationId: event.organizationId,
    action: event.action,
    actorType: event.actor.type,
    actorId: event.actor.type === 'user' ? event.actor.userId : null,
    target: event.target ?? null,
    ip: event.origin.ip,
    userAgent: event.origin.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
  };
}
