import { defineConfig } from 'vitest/config';

/**
 * The suite runs on the embedded PGlite database, and again on PostgreSQL when TEST_DATABASE_URL
 * names a database (each test file then works in a schema of its own, dropped afterwards).
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  // graphql 16 ships CommonJS (what Node loads for Pothos and Yoga) and ESM (what Vite would pick for
  // test files); one schema must not meet two copies, so tests load the CommonJS one too.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true as const, test: { name: 'pglite', env: { TEST_DB: 'pglite' } } },
      ...(onPostgres ? [{ extends: true as const, test: { name: 'postgres', env: { TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
