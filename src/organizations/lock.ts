import { Prisma } from '../generated/prisma/client.js';

/**
 * The row lock every change to an organization takes first and holds to the end of its transaction
 * (members, invitations, API tokens and their policy, imports): the changes to one organization
 * happen one at a time, so that its caps, its token policy and its last OWNER hold under races.
 * NO KEY UPDATE rather than UPDATE: inserts that only refer to the organization (sessions, audit
 * rows: their foreign-key checks take KEY SHARE) go on meanwhile.
 */
export const ORGANIZATION_ROW_LOCK = 'FOR NO KEY UPDATE';

/** Takes the organization's row lock for the rest of the transaction. */
export async function lockOrganization(tx: Prisma.TransactionClient, organizationId: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId} ${Prisma.raw(ORGANIZATION_ROW_LOCK)}`;
}
