import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suite runs on the embedded PGlite database, and again on PostgreSQL when TEST_DATABASE_URL
 * names a database (each test file then works in a schema of its own, dropped afterwards).
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const undisturbed = [...configDefaults.exclude, '**/*.disruptive.test.ts'];

export default defineConfig({
  // graphql 16 ships CommonJS (what Node loads for Pothos and Yoga) and ESM (what Vite would pick for
  // test files); one schema must not meet two copies, so tests load the CommonJS one too.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: several tests start real server processes, and CI machines are shared and slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // *.disruptive.test.ts stop the shared PostgreSQL server: they run alone, after every other project.
    projects: [
      { extends: true as const, test: { name: 'pglite', env: { TEST_DB: 'pglite' }, exclude: undisturbed } },
      ...(onPostgres
        ? [{ extends: true as const, test: { name: 'postgres', env: { TEST_DB: 'postgres' }, exclude: undisturbed } }]
        : []),
      ...(onPostgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres-disruptive',
                env: { TEST_DB: 'postgres' },
                include: ['test/**/*.disruptive.test.ts'],
                sequence: { groupOrder: 1 },
              },
            },
          ]
        : []),
    ],
  },
});
