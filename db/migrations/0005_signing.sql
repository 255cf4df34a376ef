CREATE TYPE "public"."signature_event_kind" AS ENUM('withdrawn', 'reinstated');--> statement-breakpoint
CREATE TYPE "public"."signature_method" AS ENUM('member', 'join_request', 'imported');--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'version.frozen';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.reopened';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'signature.signed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'signature.reconfirmed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'signature.reinstated';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'signature.withdrawn';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'signature.declined_to_sign';--> statement-breakpoint
CREATE TABLE "sign_declines" (
	"statement_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"version_number" integer,
	"reason" text,
	"declined_by" uuid,
	"declined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signature_bindings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "signature_bindings_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"signature_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"content_sha256" text NOT NULL,
	"signed_by" uuid,
	"signer_role" text,
	"policy" text,
	"snapshot" jsonb NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signature_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "signature_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"signature_id" uuid NOT NULL,
	"kind" "signature_event_kind" NOT NULL,
	"reason" text,
	"by_user" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"org_id" uuid,
	"individual_email" text,
	"individual_key" text,
	"method" "signature_method" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signatures_one_signer" CHECK (num_nonnulls("signatures"."org_id", "signatures"."individual_email", "signatures"."individual_key") = 1)
);
--> statement-breakpoint
CREATE TABLE "statement_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"langs" text[] NOT NULL,
	"canonical" text NOT NULL,
	"content_sha256" text NOT NULL,
	"frozen_by" uuid,
	"frozen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_versions_number_positive" CHECK ("statement_versions"."number" >= 1),
	CONSTRAINT "statement_versions_sha256" CHECK ("statement_versions"."content_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "statements" ADD COLUMN "current_version" integer;--> statement-breakpoint
ALTER TABLE "sign_declines" ADD CONSTRAINT "sign_declines_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_declines" ADD CONSTRAINT "sign_declines_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_declines" ADD CONSTRAINT "sign_declines_declined_by_users_id_fk" FOREIGN KEY ("declined_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_bindings" ADD CONSTRAINT "signature_bindings_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_bindings" ADD CONSTRAINT "signature_bindings_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_bindings" ADD CONSTRAINT "signature_bindings_version_id_statement_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."statement_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_bindings" ADD CONSTRAINT "signature_bindings_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_events" ADD CONSTRAINT "signature_events_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_events" ADD CONSTRAINT "signature_events_by_user_users_id_fk" FOREIGN KEY ("by_user") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_versions" ADD CONSTRAINT "statement_versions_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_versions" ADD CONSTRAINT "statement_versions_frozen_by_users_id_fk" FOREIGN KEY ("frozen_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sign_declines_statement_org" ON "sign_declines" USING btree ("statement_id","org_id");--> statement-breakpoint
CREATE INDEX "signature_bindings_signature" ON "signature_bindings" USING btree ("signature_id","signed_at");--> statement-breakpoint
CREATE INDEX "signature_bindings_statement" ON "signature_bindings" USING btree ("statement_id","version_number");--> statement-breakpoint
CREATE INDEX "signature_events_signature" ON "signature_events" USING btree ("signature_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "signatures_statement_org" ON "signatures" USING btree ("statement_id","org_id") WHERE "signatures"."org_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "signatures_statement_email" ON "signatures" USING btree ("statement_id","individual_email") WHERE "signatures"."individual_email" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "signatures_statement_individual" ON "signatures" USING btree ("statement_id","individual_key") WHERE "signatures"."individual_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "signatures_org" ON "signatures" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "statement_versions_number" ON "statement_versions" USING btree ("statement_id","number");