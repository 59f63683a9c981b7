/**
 * `npm run import:sanctum -- --from <url> --organization <id> [options]`: see USAGE and
 * sanctum-import.ts. Our database is the server's (DATABASE_URL, or DATA_DIR, which is locked as the
 * server locks it: the import refuses while a server runs on it). Errors are one line, exit 1.
 */
import { parseArgs } from 'node:util';
import { parseTokenId } from '../auth/tokens.js';
import { ConfigError, loadConfig } from '../config.js';
import { closeDatabase, DatabaseOpenError, openDatabase } from '../db/client.js';
import { DataDirError } from '../db/data-dir-lock.js';
import { MigrationError } from '../db/migrate.js';
import { parseId } from '../graphql/input.js';
import { ImportError, importSanctumTokens, readSanctumTokens } from './sanctum-import.js';

const USAGE = `Usage: npm run import:sanctum -- --from <postgres url> --organization <id> [options]

Imports the rows of a Laravel Sanctum personal_access_tokens table (PostgreSQL) into an organization
as its API tokens, keeping their ids, so the plaintext tokens Sanctum gave out keep working. All rows
or none, in one transaction; rows imported before are skipped, so running it again is safe.
Our database is the server's: DATABASE_URL, or DATA_DIR (stop the server first).

  --from <url>              the Laravel database, postgres://user:password@host:5432/db[?schema=s]
  --organization <id>       the organization that receives the tokens
  --table <name>            default personal_access_tokens
  --schema <name>           the table's schema (default: the URL's ?schema=, else the search_path)
  --timezone <zone>         Laravel's app.timezone, for its timestamp columns (default UTC)
  --tokenable-type <type>   only tokens of this model, e.g. 'App\\Models\\User'
  --tokenable-id <id>       only tokens of this model id
  --expiration <minutes>    Sanctum's 'expiration' setting: tokens then expire that long after creation
  --sign-out-colliding      delete dashboard sign-ins holding ids of imported tokens (a new server's
                            first sign-ins hold ids 1, 2, …); those people sign in again
  --dry-run                 check and report everything, change nothing
  -h, --help                this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      organization: { type: 'string' },
      table: { type: 'string', default: 'personal_access_tokens' },
      schema: { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      'tokenable-type': { type: 'string' },
      'tokenable-id': { type: 'string' },
      expiration: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'sign-out-colliding': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.from) throw new ImportError('--from <postgres url of the Laravel database> is required (see --help)');
  if (!/^postgres(ql)?:\/\//.test(values.from)) throw new ImportError('--from must be a postgres:// URL');
  const organizationId = values.organization === undefined ? null : parseId(values.organization);
  if (organizationId === null) throw new ImportError('--organization <id> is required: the id of an organization (see --help)');
  const tokenableId = values['tokenable-id'] === undefined ? undefined : parseTokenId(values['tokenable-id']);
  if (tokenableId === null) throw new ImportError('--tokenable-id must be a positive whole number');
  const expirationMinutes = values.expiration === undefined ? undefined : Number(values.expiration);
  if (expirationMinutes !== undefined && !(Number.isInteger(expirationMinutes) && expirationMinutes > 0)) {
    throw new ImportError('--expiration must be a positive whole number of minutes');
  }

  const config = loadConfig();
  const tokens = await readSanctumTokens({
    from: values.from,
    table: values.table,
    schema: values.schema,
    timezone: values.timezone,
    tokenableType: values['tokenable-type'],
    tokenableId,
    expirationMinutes,
  });
  // A large import may take longer than a request's DATABASE_TIMEOUT_MS.
  await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeoutMs: Math.max(config.databaseTimeoutMs, 120_000) });
  try {
    const dryRun = values['dry-run'];
    const result = await importSanctumTokens(tokens, organizationId, {
      maxLive: config.maxLiveTokensPerOrganization,
      dryRun,
      signOutColliding: values['sign-out-colliding'],
    });
    const { imported, alreadyImported } = result;
    const range = imported.length > 0 ? ` (ids ${imported[0]} to ${imported.at(-1)})` : '';
    console.log(
      `${dryRun ? 'Dry run: would import' : 'Imported'} ${imported.length} of ${tokens.length} Sanctum tokens into organization ` +
        `${organizationId} (${JSON.stringify(result.organizationName)})${range}; ${alreadyImported.length} were imported before.`,
    );
    if (result.signedOut.length > 0) {
      console.log(`${dryRun ? 'Would sign out' : 'Signed out'} ${result.signedOut.length} dashboard sign-ins whose ids the imported tokens took.`);
    }
    if (result.idsLeft < 1_000_000n) {
      console.log(`Warning: only ${result.idsLeft} ids are left above the largest token id for new tokens.`);
    }
  } finally {
    await closeDatabase();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const code = (error as NodeJS.ErrnoException)?.code ?? '';
    const known =
      error instanceof ImportError ||
      error instanceof ConfigError ||
      error instanceof DataDirError ||
      error instanceof DatabaseOpenError ||
      error instanceof MigrationError ||
      code.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`import:sanctum: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
