-- C4 (custom migration, idempotent): every revision of a public record and every correction is kept; the
-- published text is never edited in place. Same guard as 0006 (only "who" columns may be cleared).
DROP TRIGGER IF EXISTS "public_records_append_only" ON "public_records";--> statement-breakpoint
CREATE TRIGGER "public_records_append_only" BEFORE UPDATE OR DELETE ON "public_records" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();--> statement-breakpoint
DROP TRIGGER IF EXISTS "statement_corrections_append_only" ON "statement_corrections";--> statement-breakpoint
CREATE TRIGGER "statement_corrections_append_only" BEFORE UPDATE OR DELETE ON "statement_corrections" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();
