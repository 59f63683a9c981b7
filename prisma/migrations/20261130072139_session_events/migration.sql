-- CreateTable
CREATE TABLE "session_events" (
    "session_id" UUID NOT NULL,
    "status" "session_status" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_events_pkey" PRIMARY KEY ("session_id","status")
);

-- AddForeignKey
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "verification_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: sessions that left `created` before status changes were recorded get their current status
-- once. Completion and expiry times are known; any other change is dated to this migration, the
-- earliest time known to be after it.
INSERT INTO "session_events" ("session_id", "status", "at")
SELECT "id", "status", CASE "status" WHEN 'completed' THEN COALESCE("completed_at", now()) WHEN 'expired' THEN "expires_at" ELSE now() END
FROM "verification_sessions" WHERE "status" <> 'created';
