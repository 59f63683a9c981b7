import { randomBytes } from 'node:crypto';
import { sql } from './client.js';

/**
 * Secrets the server keeps for itself (HMAC keys), the same for every process on the database: the
 * first process to need one creates it, every other reads that one. Kept in memory once read.
 */
const cache = new Map<string, Promise<Buffer>>();

export function serverSecret(name: string): Promise<Buffer> {
  let secret = cache.get(name);
  if (!secret) {
    secret = loadOrCreate(name);
    cache.set(name, secret);
    secret.catch(() => cache.delete(name)); // a failed read (database away) is retried next time
  }
  return secret;
}

async function loadOrCreate(name: string): Promise<Buffer> {
  await sql(`INSERT INTO server_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    name,
    randomBytes(32).toString('base64'),
  ]);
  const [row] = await sql<{ secret: string }>(`SELECT secret FROM server_secrets WHERE name = $1`, [name]);
  return Buffer.from(row!.secret, 'base64');
}

