import { hash, verify } from '@node-rs/argon2';

/** argon2id, the library's default, with its default cost (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // an unreadable stored hash never lets anyone in
  }
}

/** Hash of a random throw-away password: verified against for unknown emails so that they take as long as known ones. */
const dummyHash = hashPassword(crypto.randomUUID());

/** Spends the same time as a real verification and always fails. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await dummyHash, password);
  return false;
}
