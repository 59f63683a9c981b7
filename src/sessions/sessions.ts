import { v7 as uuidv7 } from 'uuid';
import { db } from '../db/client.js';
import type { VerificationSession } from '../generated/prisma/client.js';
import type { SessionInput } from './validation.js';

/** Verification sessions: created by an organization's API token, read back by the same organization. */

export type SessionOwner = { organizationId: number; apiTokenId: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createSession(owner: SessionOwner, input: SessionInput): Promise<VerificationSession> {
  // Whole seconds: the API reports Unix seconds, and expires_at - issued_at must equal expiration_time.
  const issuedAtSeconds = Math.floor(Date.now() / 1000);
  return db.verificationSession.create({
    data: {
      id: uuidv7(),
      organizationId: owner.organizationId,
      apiTokenId: owner.apiTokenId,
      ageTarget: input.ageTarget,
      redirectUrl: input.redirectUrl,
      forceKyc: input.forceKyc,
      forceVerification: input.forceVerification,
      metadata: input.metadata ?? undefined,
      webhookUrl: input.webhookUrl,
      issuedAt: new Date(issuedAtSeconds * 1000),
      expiresAt: new Date((issuedAtSeconds + input.expirationTime) * 1000),
    },
  });
}

/** The organization's session with this id; null for unknown ids, malformed ids and other organizations' sessions. */
export async function findSession(organizationId: number, id: string): Promise<VerificationSession | null> {
  if (!UUID.test(id)) return null;
  return db.verificationSession.findFirst({ where: { id: id.toLowerCase(), organizationId } });
}

export function verifyUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl}/verify/${sessionId}`;
}
