import { createServer } from 'node:http';
import { createApp } from './app.js';
import { startTokenUseFlusher } from './auth/token-usage.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeDatabase, DatabaseOpenError, openDatabase } from './db/client.js';
import { logger } from './logger.js';

/** The only file that listens. Starts the server and shuts it down gracefully on SIGTERM/SIGINT. */

const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = readConfig();
const { applied } = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  timeoutMs: config.databaseTimeoutMs,
}).catch((error: unknown) => {
  if (!(error instanceof DatabaseOpenError)) throw error;
  console.error(error.message);
  process.exit(1);
});
logger.info(
  { database: config.databaseUrl ? 'postgresql' : `pglite:${config.dataDir}`, migrationsApplied: applied },
  'database ready',
);

const stopTokenUseFlusher = startTokenUseFlusher((error) =>
  logger.error({ err: error }, 'could not record token uses; will retry'),
);
const app = createApp(config);
const server = createServer(app.handle);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port, graphql: `http://${config.host}:${port}/graphql` }, 'listening');
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
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
  await app.dispose(); // closes the rate limits' Redis connections
  await closeDatabase().catch((error: unknown) => logger.warn({ err: error }, 'could not close the database cleanly'));
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
