// The real package needs Node 22+ and serves only `prisma dev` (a local Prisma Postgres), which this
// project does not use: its embedded database is PGlite, run by the server itself.
export async function startLocalDurableStreamsServer() {
  throw new Error('`prisma dev` is not available in this project (its @prisma/streams-local needs Node 22+).');
}
