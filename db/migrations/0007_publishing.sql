CREATE TYPE "public"."join_request_kind" AS ENUM('organization', 'individual');--> statement-breakpoint
CREATE TYPE "public"."join_request_status" AS ENUM('unconfirmed', 'pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."publication_list_order" AS ENUM('joined', 'alphabetical');--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.published';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.imported';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.closed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.withdrawn';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.joining_changed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.correction_added';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'join.requested';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'join.confirmed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'join.approved';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'join.rejected';--> statement-breakpoint
CREATE TABLE "join_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"kind" "join_request_kind" NOT NULL,
	"name" text NOT NULL,
	"city" text,
	"country" text,
	"title" text,
	"email" text NOT NULL,
	"status" "join_request_status" DEFAULT 'unconfirmed' NOT NULL,
	"confirmed_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_records" (
	"statement_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"canonical" text NOT NULL,
	"sha256" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_records_statement_id_seq_pk" PRIMARY KEY("statement_id","seq"),
	CONSTRAINT "public_records_sha256" CHECK ("public_records"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"statement_id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"version_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"display_date" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid,
	"list_order" "publication_list_order" DEFAULT 'joined' NOT NULL,
	"positions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"join_until" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdraw_reason" text,
	"source_url" text,
	"import_key" text,
	"search_text" text DEFAULT '' NOT NULL,
	"record_seq" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publications_display_date_format" CHECK ("publications"."display_date" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
	CONSTRAINT "publications_slug_format" CHECK ("publications"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "record_pdfs" (
	"statement_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"lang" text NOT NULL,
	"file_id" uuid NOT NULL,
	CONSTRAINT "record_pdfs_statement_id_seq_lang_pk" PRIMARY KEY("statement_id","seq","lang")
);
--> statement-breakpoint
CREATE TABLE "statement_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "statement_corrections_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lang" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_records" ADD CONSTRAINT "public_records_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_version_id_statement_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."statement_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_pdfs" ADD CONSTRAINT "record_pdfs_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_pdfs" ADD CONSTRAINT "record_pdfs_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_corrections" ADD CONSTRAINT "statement_corrections_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_corrections" ADD CONSTRAINT "statement_corrections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "join_requests_statement" ON "join_requests" USING btree ("statement_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_live_email" ON "join_requests" USING btree ("statement_id","email") WHERE "join_requests"."status" IN ('unconfirmed', 'pending');--> statement-breakpoint
CREATE UNIQUE INDEX "publications_slug" ON "publications" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "publications_import_key" ON "publications" USING btree ("import_key") WHERE "publications"."import_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "publications_display_date" ON "publications" USING btree ("display_date","published_at");--> statement-breakpoint
CREATE INDEX "publications_search_fts" ON "publications" USING gin (to_tsvector('simple', "search_text"));--> statement-breakpoint
CREATE INDEX "publications_search_trgm" ON "publications" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "statement_corrections_statement" ON "statement_corrections" USING btree ("statement_id","seq");