import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate, and migrate on machines that have Prisma's native engine).
// The server itself applies migrations at start-up (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/postgres' },
});
