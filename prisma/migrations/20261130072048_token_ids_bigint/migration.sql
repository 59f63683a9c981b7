-- DropForeignKey
ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_replaced_by_id_fkey";

-- DropForeignKey
ALTER TABLE "token_usage_days" DROP CONSTRAINT "token_usage_days_token_id_fkey";

-- DropForeignKey
ALTER TABLE "verification_sessions" DROP CONSTRAINT "verification_sessions_api_token_id_fkey";

-- AlterTable
ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_pkey",
ALTER COLUMN "id" SET DATA TYPE BIGINT,
ALTER COLUMN "replaced_by_id" SET DATA TYPE BIGINT,
ADD CONSTRAINT "access_tokens_pkey" PRIMARY KEY ("id");

-- The sequence too: `serial` made it AS integer, whose maximum is 2^31-1 (Prisma's diff says BIGSERIAL, which is no type).
ALTER SEQUENCE "access_tokens_id_seq" AS BIGINT;

-- AlterTable
ALTER TABLE "token_usage_days" DROP CONSTRAINT "token_usage_days_pkey",
ALTER COLUMN "token_id" SET DATA TYPE BIGINT,
ADD CONSTRAINT "token_usage_days_pkey" PRIMARY KEY ("token_id", "day");

-- AlterTable
ALTER TABLE "verification_sessions" ALTER COLUMN "api_token_id" SET DATA TYPE BIGINT;

-- AddForeignKey
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_replaced_by_id_fkey" FOREIGN KEY ("replaced_by_id") REFERENCES "access_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "verification_sessions" ADD CONSTRAINT "verification_sessions_api_token_id_fkey" FOREIGN KEY ("api_token_id") REFERENCES "access_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "token_usage_days" ADD CONSTRAINT "token_usage_days_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "access_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
