import { createServer } from 'node:http';
import { createApp } from './app.js';
import { startTokenUseFlusher } from './auth/token-usage.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeDatabase, DatabaseOpenError, openDatabase } from './db/client.js';
import { DataDirError } from './db/data-dir-lock.js';
import { entryPoints, listeningUrl } from './http/front-door.js';
import { logger } from './logger.js';
import { startExpirySweeper } from './sessions/lifecycle.js';
import { startDeliveryWorker } from './webhooks/delivery-worker.js';

/** The only file that listens. Starts the server and shuts it down gracefully on SIGTERM/SIGINT. */

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Start-up failures the operator can fix (a bad setting, a port in use, a data directory that is
 * locked or unwritable) end the process with a line naming the setting, not a stack trace.
 */
function refuseToStart(message: string): never {
  console.error(message);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    refuseToStart(error.message);
  }
}

async function openConfiguredDatabase(): Promise<string[]> {
  try {
    const options = { databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeoutMs: config.databaseTimeoutMs };
    return (await openDatabase(options)).applied;
  } catch (error) {
    if (!(error instanceof DataDirError || error instanceof DatabaseOpenError)) throw error;
    refuseToStart(error.message);
  }
}

function listenFailure(error: NodeJS.ErrnoException): string {
  const where = `PORT ${config.port} on ${config.host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (another process listens there)`;
    case 'EACCES':
      return `${where} cannot be used by this process: permission denied (ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.host} is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${config.host} cannot be resolved to an address`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

const config = readConfig();
const applied = await openConfiguredDatabase();
logger.info(
  { database: config.databaseUrl ? 'postgresql' : `pglite:${config.dataDir}`, migrationsApplied: applied },
  'database ready',
);

const stopTokenUseFlusher = startTokenUseFlusher((error) =>
  logger.error({ err: error }, 'could not record token uses; will retry'),
);
const stopExpirySweeper = startExpirySweeper();
const deliveryWorker = startDeliveryWorker({
  ...config.webhooks,
  onError: (error) => logger.error({ err: error }, 'webhook delivery worker: a round failed; will retry'),
});
const app = createApp(config);
const server = createServer(app.handle);
const onListenError = (error: NodeJS.ErrnoException) =>
  void (async () => {
    // The database is open (and its directory locked): close it before leaving.
    await stopTokenUseFlusher().catch(() => {});
    await stopExpirySweeper();
    await deliveryWorker.stop();
    await app.dispose();
    await closeDatabase();
    refuseToStart(listenFailure(error));
  })();
server.once('error', onListenError);
server.listen(config.port, config.host, () => {
  server.off('error', onListenError);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const baseUrl = config.publicUrlSet ? config.publicUrl : listeningUrl(config.host, port);
  logger.info({ host: config.host, port, ...entryPoints(baseUrl) }, 'listening');
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // No new webhook attempts; those in flight finish (each within its timeout) while requests drain.
  const workerStopped = deliveryWorker.stop();
  const forceClose = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
  clearTimeout(forceClose);
  try {
    await stopTokenUseFlusher();
  } catch (error) {
    logger.error({ err: error }, 'could not record the last token uses');
  }
  await stopExpirySweeper();
  await workerStopped;
  await app.dispose(); // closes the rate limits' Redis connections
  await closeDatabase().catch((error: unknown) => logger.warn({ err: error }, 'could not close the database cleanly'));
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
