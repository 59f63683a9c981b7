-- DropForeignKey
ALTER TABLE "verification_sessions" DROP CONSTRAINT "verification_sessions_api_token_id_fkey";
