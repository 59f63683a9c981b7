-- AlterEnum
ALTER TYPE "session_status" ADD VALUE 'expired';

-- DropIndex
DROP INDEX "verification_sessions_organization_id_idx";

-- AlterTable
ALTER TABLE "verification_sessions" ADD COLUMN     "completed_at" TIMESTAMPTZ(0),
ADD COLUMN     "idempotency_key" TEXT,
ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "request_hash" CHAR(64);

-- CreateTable
CREATE TABLE "server_secrets" (
    "name" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_secrets_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "verification_sessions_organization_id_livemode_id_idx" ON "verification_sessions"("organization_id", "livemode", "id" DESC);

-- CreateIndex
CREATE INDEX "verification_sessions_status_expires_at_idx" ON "verification_sessions"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "verification_sessions_organization_id_idempotency_key_key" ON "verification_sessions"("organization_id", "idempotency_key");
