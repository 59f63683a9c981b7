-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN     "allowed_ips" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "hint" VARCHAR(4) NOT NULL DEFAULT '????',
ADD COLUMN     "last_used_ip" TEXT,
ADD COLUMN     "replaced_by_id" INTEGER;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "token_max_lifetime_days" INTEGER;

-- CreateTable
CREATE TABLE "token_usage_days" (
    "token_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "requests" INTEGER NOT NULL,

    CONSTRAINT "token_usage_days_pkey" PRIMARY KEY ("token_id","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "access_tokens_replaced_by_id_key" ON "access_tokens"("replaced_by_id");

-- AddForeignKey
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_replaced_by_id_fkey" FOREIGN KEY ("replaced_by_id") REFERENCES "access_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "token_usage_days" ADD CONSTRAINT "token_usage_days_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "access_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
