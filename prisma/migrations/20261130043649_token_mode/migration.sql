-- CreateEnum
CREATE TYPE "TokenMode" AS ENUM ('LIVE', 'TEST');

-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN     "mode" "TokenMode" NOT NULL DEFAULT 'LIVE';
