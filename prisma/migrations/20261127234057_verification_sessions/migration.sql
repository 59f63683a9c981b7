-- CreateEnum
CREATE TYPE "session_status" AS ENUM ('created', 'pending', 'verification_started', 'verification_kyc', 'completed', 'cancelled');

-- CreateTable
CREATE TABLE "verification_sessions" (
    "id" UUID NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "api_token_id" INTEGER,
    "age_target" SMALLINT NOT NULL,
    "redirect_url" TEXT NOT NULL,
    "force_kyc" BOOLEAN NOT NULL DEFAULT false,
    "force_verification" BOOLEAN NOT NULL DEFAULT false,
    "metadata" JSONB,
    "webhook_url" TEXT,
    "status" "session_status" NOT NULL DEFAULT 'created',
    "success" BOOLEAN,
    "issued_at" TIMESTAMPTZ(0) NOT NULL,
    "expires_at" TIMESTAMPTZ(0) NOT NULL,

    CONSTRAINT "verification_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "verification_sessions_organization_id_idx" ON "verification_sessions"("organization_id");

-- AddForeignKey
ALTER TABLE "verification_sessions" ADD CONSTRAINT "verification_sessions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "verification_sessions" ADD CONSTRAINT "verification_sessions_api_token_id_fkey" FOREIGN KEY ("api_token_id") REFERENCES "access_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;
