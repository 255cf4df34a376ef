-- I7 (custom migration, idempotent): versions, signatures, bindings and events are append-only. Only the "who" columns may be cleared (ON DELETE
-- SET NULL when an account is deleted); anything else is refused at the database, whatever the code does.
CREATE OR REPLACE FUNCTION "append_only_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
  END IF;
  IF (to_jsonb(NEW) - 'signed_by' - 'created_by' - 'frozen_by' - 'by_user') IS DISTINCT FROM
     (to_jsonb(OLD) - 'signed_by' - 'created_by' - 'frozen_by' - 'by_user') THEN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "statement_versions_append_only" ON "statement_versions";--> statement-breakpoint
CREATE TRIGGER "statement_versions_append_only" BEFORE UPDATE OR DELETE ON "statement_versions" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();--> statement-breakpoint
DROP TRIGGER IF EXISTS "signatures_append_only" ON "signatures";--> statement-breakpoint
CREATE TRIGGER "signatures_append_only" BEFORE UPDATE OR DELETE ON "signatures" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();--> statement-breakpoint
DROP TRIGGER IF EXISTS "signature_bindings_append_only" ON "signature_bindings";--> statement-breakpoint
CREATE TRIGGER "signature_bindings_append_only" BEFORE UPDATE OR DELETE ON "signature_bindings" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();--> statement-breakpoint
DROP TRIGGER IF EXISTS "signature_events_append_only" ON "signature_events";--> statement-breakpoint
CREATE TRIGGER "signature_events_append_only" BEFORE UPDATE OR DELETE ON "signature_events" FOR EACH ROW EXECUTE FUNCTION "append_only_guard"();
