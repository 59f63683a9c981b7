import pg from 'pg';
import { NO_ORIGIN, recordAuditEvents } from '../audit/audit-log.js';
import { MAX_TOKEN_ID } from '../auth/tokens.js';
import { db, parsePostgresUrl } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { ORGANIZATION_ROW_LOCK } from '../organizations/lock.js';

/**
 * Imports the `personal_access_tokens` rows of a Laravel Sanctum database (PostgreSQL) into one
 * organization as its API tokens, with the same ids and SHA-256 digests, so the plaintext tokens
 * Sanctum handed out keep working here (README "Import tokens from Laravel Sanctum").
 *
 * Choices: imported tokens are LIVE API tokens, created by nobody (createdBy null), with the hint
 * `????` (Sanctum keeps no part of the secret) and the abilities as stored (JSON null: none). Each one
 * gets an `api_token.imported` audit event (actor `system`). Everything happens in one transaction
 * under the organization's row lock: all rows or none. A row whose id already holds the same digest in
 * the same organization is an earlier import of it and is skipped, so running an import again is safe;
 * any other use of the id or digest refuses the import — except, with `signOutColliding`, dashboard
 * sign-ins (USER tokens), which are deleted: a new server's first sign-ins hold ids 1, 2, … that
 * Sanctum's tokens need, and their people only have to sign in again. The live-token cap
 * (MAX_LIVE_TOKENS_PER_ORGANIZATION) is respected; the id sequence is moved past the largest id.
 */

/** A refusal with a one-line message for the operator. */
export class ImportError extends Error {}

export type SourceOptions = {
  /** postgres:// URL of the Laravel database; its `?schema=` is the default schema. */
  from: string;
  table: string;
  schema?: string | undefined;
  /** The zone of Laravel's `timestamp` columns (config('app.timezone'), UTC by default). */
  timezone: string;
  tokenableType?: string | undefined;
  tokenableId?: bigint | undefined;
  /** config('sanctum.expiration') in minutes: tokens expire that long after creation (or earlier). */
  expirationMinutes?: number | undefined;
};

export type SanctumToken = {
  id: bigint;
  name: string;
  tokenHash: string;
  abilities: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
};

const REQUIRED_COLUMNS = ['id', 'name', 'token', 'abilities', 'created_at'];
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Reads and checks the Sanctum tokens the options select, ordered by id. */
export async function readSanctumTokens(options: SourceOptions): Promise<SanctumToken[]> {
  const { connectionString, schema: urlSchema } = parsePostgresUrl(options.from);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect().catch((error: Error) => {
      throw new ImportError(`cannot connect to --from: ${error.message}`);
    });
    const schema =
      options.schema ?? urlSchema ?? (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
    const where = `${quote(schema)}.${quote(options.table)}`;
    const { rows: columns } = await client.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      [schema, options.table],
    );
    if (columns.length === 0) throw new ImportError(`table ${where} does not exist in the --from database`);
    const types = new Map(columns.map((column) => [column.name, column.type]));
    const needed = [
      ...REQUIRED_COLUMNS,
      ...(options.tokenableType !== undefined ? ['tokenable_type'] : []),
      ...(options.tokenableId !== undefined ? ['tokenable_id'] : []),
    ];
    const missing = needed.filter((name) => !types.has(name));
    if (missing.length > 0) {
      throw new ImportError(`table ${where} has no column ${missing.join(', ')}: it is not Sanctum's personal_access_tokens`);
    }
    // Laravel's `timestamp` columns hold local times of the app's zone; expires_at came with Sanctum 3.
    const instant = (column: string) => {
      if (!types.has(column)) return 'NULL::timestamptz';
      return types.get(column) === 'timestamp with time zone' ? quote(column) : `${quote(column)} AT TIME ZONE $1`;
    };
    const params: unknown[] = [options.timezone];
    const filters: string[] = [];
    if (options.tokenableType !== undefined) filters.push(`tokenable_type = $${params.push(options.tokenableType)}`);
    if (options.tokenableId !== undefined) filters.push(`tokenable_id = $${params.push(String(options.tokenableId))}::int8`);
    const { rows } = await client
      .query<{ id: string; name: string | null; token: string | null; abilities: string | null } & Record<'createdAt' | 'lastUsedAt' | 'expiresAt', Date | null>>(
        `SELECT id::text AS id, name::text AS name, token::text AS token, abilities::text AS abilities,
                ${instant('created_at')} AS "createdAt", ${instant('last_used_at')} AS "lastUsedAt",
                ${instant('expires_at')} AS "expiresAt", $1::text AS "timezone"
         FROM ${where} ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY id`,
        params,
      )
      .catch((error: Error) => {
        throw new ImportError(`cannot read ${where}: ${error.message}`);
      });
    const now = new Date();
    return rows.map((row) => sanctumToken(row, options.expirationMinutes, now));
  } finally {
    await client.end().catch(() => {});
  }
}

function sanctumToken(
  row: { id: string; name: string | null; token: string | null; abilities: string | null } & Record<'createdAt' | 'lastUsedAt' | 'expiresAt', Date | null>,
  expirationMinutes: number | undefined,
  now: Date,
): SanctumToken {
  const id = /^-?[0-9]+$/.test(row.id) ? BigInt(row.id) : null;
  if (id === null || id < 1n || id > MAX_TOKEN_ID) throw new ImportError(`row ${row.id}: the id is out of range 1 to ${MAX_TOKEN_ID}`);
  const tokenHash = (row.token ?? '').trim();
  if (!/^[0-9a-f]{64}$/.test(tokenHash)) throw new ImportError(`row ${row.id}: token is not a SHA-256 hex digest`);
  const createdAt = row.createdAt ?? now;
  let expiresAt = row.expiresAt;
  if (expirationMinutes !== undefined) {
    const expiry = new Date(createdAt.getTime() + expirationMinutes * 60_000);
    if (!expiresAt || expiry < expiresAt) expiresAt = expiry;
  }
  return { id, name: row.name ?? '', tokenHash, abilities: parseAbilities(row.id, row.abilities), createdAt, lastUsedAt: row.lastUsedAt, expiresAt };
}

/** Sanctum stores abilities as a JSON array of strings; null (which no Sanctum version writes) grants nothing. */
function parseAbilities(id: string, text: string | null): string[] {
  if (text === null) return [];
  let abilities: unknown;
  try {
    abilities = JSON.parse(text);
  } catch {
    abilities = undefined;
  }
  if (!Array.isArray(abilities) || !abilities.every((ability) => typeof ability === 'string')) {
    throw new ImportError(`row ${id}: abilities is not a JSON array of strings: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return abilities;
}

export type ImportResult = {
  organizationName: string;
  imported: bigint[];
  /** Rows imported before (same id, digest and organization), left as they are. */
  alreadyImported: bigint[];
  /** Dashboard sign-ins deleted to free their ids (signOutColliding). */
  signedOut: bigint[];
  /** Ids left to new tokens above the largest one, when few are (a Sanctum id near 2^63-1). */
  idsLeft: bigint;
};

const BATCH = 1000;
const DRY_RUN = Symbol('dry-run');

/**
 * Stores `tokens` as API tokens of the organization, all or none (see the file comment). With `dryRun`
 * everything is checked and written, then rolled back.
 */
export async function importSanctumTokens(
  tokens: readonly SanctumToken[],
  organizationId: number,
  { maxLive, dryRun, signOutColliding = false }: { maxLive: number; dryRun: boolean; signOutColliding?: boolean },
): Promise<ImportResult> {
  let result: ImportResult | undefined;
  await db
    .$transaction(async (tx) => {
      const [organization] = await tx.$queryRaw<{ name: string }[]>`
        SELECT name FROM organizations WHERE id = ${organizationId} ${Prisma.raw(ORGANIZATION_ROW_LOCK)}`;
      if (!organization) throw new ImportError(`organization ${organizationId} does not exist`);

      const existing = await tx.$queryRaw<{ id: bigint; tokenHash: string; organizationId: number | null; kind: string }[]>`
        SELECT id, token AS "tokenHash", organization_id AS "organizationId", kind::text AS kind FROM access_tokens
        WHERE id = ANY(${tokens.map((token) => String(token.id))}::text[]::int8[])
           OR token = ANY(${tokens.map((token) => token.tokenHash)}::text[]::bpchar[])`;
      const byId = new Map(existing.map((row) => [String(row.id), row]));
      const byHash = new Map(existing.map((row) => [row.tokenHash, row]));
      const fresh: SanctumToken[] = [];
      const alreadyImported: bigint[] = [];
      const signedOut: bigint[] = [];
      for (const token of tokens) {
        const sameId = byId.get(String(token.id));
        const sameHash = byHash.get(token.tokenHash);
        if (sameId && sameId === sameHash && sameId.organizationId === organizationId && sameId.kind === 'API') {
          alreadyImported.push(token.id);
        } else if (sameHash && sameHash !== sameId) {
          throw new ImportError(`the token with id ${token.id} is already stored here as token ${sameHash.id}; nothing was imported`);
        } else if (sameId?.kind === 'USER') {
          if (!signOutColliding) {
            throw new ImportError(
              `id ${token.id} is taken by a dashboard sign-in here; run again with --sign-out-colliding to sign it out (nothing was imported)`,
            );
          }
          signedOut.push(sameId.id);
          fresh.push(token);
        } else if (sameId) {
          throw new ImportError(`id ${token.id} is already taken by another token here; nothing was imported`);
        } else {
          fresh.push(token);
        }
      }

      if (signedOut.length > 0) {
        await tx.$executeRaw`DELETE FROM access_tokens WHERE kind = 'USER' AND id = ANY(${signedOut.map(String)}::text[]::int8[])`;
      }
      const now = new Date();
      const [{ live }] = (await tx.$queryRaw<{ live: number }[]>`
        SELECT count(*)::int AS live FROM access_tokens
        WHERE organization_id = ${organizationId} AND kind = 'API' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`) as [
        { live: number },
      ];
      const newLive = fresh.filter((token) => !token.expiresAt || token.expiresAt > now).length;
      if (live + newLive > maxLive) {
        throw new ImportError(
          `organization ${organizationId} would hold ${live + newLive} live API tokens, more than MAX_LIVE_TOKENS_PER_ORGANIZATION=${maxLive}; ` +
            'raise it (for this command and the server) or revoke tokens first; nothing was imported',
        );
      }

      for (let start = 0; start < fresh.length; start += BATCH) {
        const batch = fresh.slice(start, start + BATCH);
        const iso = (date: Date | null) => date?.toISOString() ?? null;
        await tx.$executeRaw`
          INSERT INTO access_tokens (id, kind, mode, name, token, abilities, organization_id, created_at, last_used_at, expires_at)
          SELECT u.id, 'API', 'LIVE', u.name, u.token, ARRAY(SELECT jsonb_array_elements_text(u.abilities)), ${organizationId},
                 u.created_at, u.last_used_at, u.expires_at
          FROM unnest(${batch.map((t) => String(t.id))}::text[]::int8[], ${batch.map((t) => t.name)}::text[],
                      ${batch.map((t) => t.tokenHash)}::text[], ${batch.map((t) => JSON.stringify(t.abilities))}::text[]::jsonb[],
                      ${batch.map((t) => iso(t.createdAt))}::text[]::timestamptz[], ${batch.map((t) => iso(t.lastUsedAt))}::text[]::timestamptz[],
                      ${batch.map((t) => iso(t.expiresAt))}::text[]::timestamptz[])
               AS u(id, name, token, abilities, created_at, last_used_at, expires_at)`;
        await recordAuditEvents(
          tx,
          batch.map((token) => ({
            organizationId,
            action: 'api_token.imported' as const,
            actor: { type: 'system' as const },
            target: `api_token:${token.id}`,
            origin: NO_ORIGIN,
          })),
        );
      }

      // New tokens take ids above every imported one. (The sequence is not transactional: a dry run leaves it.)
      const largest = fresh.reduce((max, token) => (token.id > max ? token.id : max), 0n);
      if (!dryRun && largest > 0n) {
        await tx.$executeRaw`
          SELECT setval('access_tokens_id_seq', ${String(largest)}::int8)
          WHERE ${String(largest)}::int8 > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM access_tokens_id_seq)`;
      }
      const [{ top }] = (await tx.$queryRaw<{ top: string }[]>`
        SELECT GREATEST(coalesce(max(id), 0), ${String(largest)}::int8)::text AS top FROM access_tokens`) as [{ top: string }];
      result = {
        organizationName: organization.name,
        imported: fresh.map((token) => token.id),
        alreadyImported,
        signedOut,
        idsLeft: MAX_TOKEN_ID - BigInt(top),
      };
      if (dryRun) throw DRY_RUN;
    })
    .catch((error: unknown) => {
      if (error === DRY_RUN) return;
      if ((error as { code?: string })?.code === 'P2002') {
        throw new ImportError('a token took one of the ids or digests while importing; nothing was imported, run the import again');
      }
      throw error;
    });
  return result!;
}
