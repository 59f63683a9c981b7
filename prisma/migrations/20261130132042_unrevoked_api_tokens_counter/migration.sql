-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "unrevoked_api_tokens" INTEGER NOT NULL DEFAULT 0;

-- Counted from the tokens there are.
UPDATE "organizations" SET "unrevoked_api_tokens" = counted.tokens
FROM (SELECT "organization_id", count(*) AS tokens FROM "access_tokens"
      WHERE "kind" = 'API' AND "revoked_at" IS NULL GROUP BY "organization_id") AS counted
WHERE "organizations"."id" = counted."organization_id";

-- Kept by every change of access_tokens. Inserts and deletes touch one organization per statement
-- (a token's creation, roll or import; an organization's deletion): counted row by row, only for
-- unrevoked API tokens. Revocations may span organizations (a leak report): counted per statement,
-- organization by organization in id order, so that two of them never wait on each other in turn.
CREATE FUNCTION "count_unrevoked_api_tokens"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "organizations" SET "unrevoked_api_tokens" = "unrevoked_api_tokens" + 1 WHERE "id" = NEW."organization_id";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "organizations" SET "unrevoked_api_tokens" = "unrevoked_api_tokens" - 1 WHERE "id" = OLD."organization_id";
  ELSE
    FOR changed IN
      SELECT "organization_id", sum(delta) AS delta FROM (
        SELECT "organization_id", 1 AS delta FROM new_tokens WHERE "kind" = 'API' AND "revoked_at" IS NULL
        UNION ALL
        SELECT "organization_id", -1 FROM old_tokens WHERE "kind" = 'API' AND "revoked_at" IS NULL
      ) AS changes
      WHERE "organization_id" IS NOT NULL
      GROUP BY "organization_id" HAVING sum(delta) <> 0 ORDER BY "organization_id"
    LOOP
      UPDATE "organizations" SET "unrevoked_api_tokens" = "unrevoked_api_tokens" + changed.delta WHERE "id" = changed."organization_id";
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "access_tokens_count_inserted" AFTER INSERT ON "access_tokens"
  FOR EACH ROW WHEN (NEW."kind" = 'API' AND NEW."revoked_at" IS NULL)
  EXECUTE FUNCTION "count_unrevoked_api_tokens"();
CREATE TRIGGER "access_tokens_count_deleted" AFTER DELETE ON "access_tokens"
  FOR EACH ROW WHEN (OLD."kind" = 'API' AND OLD."revoked_at" IS NULL)
  EXECUTE FUNCTION "count_unrevoked_api_tokens"();
CREATE TRIGGER "access_tokens_count_updated" AFTER UPDATE ON "access_tokens"
  REFERENCING OLD TABLE AS old_tokens NEW TABLE AS new_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION "count_unrevoked_api_tokens"();
