CREATE TYPE "public"."statement_initiator_role" AS ENUM('primary', 'co');--> statement-breakpoint
CREATE TYPE "public"."statement_revision_kind" AS ENUM('save', 'restore');--> statement-breakpoint
CREATE TYPE "public"."statement_state" AS ENUM('draft', 'open', 'reopened', 'published', 'closed', 'withdrawn');--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.created';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'statement.details_updated';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'draft.saved';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'draft.restored';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'translation.added';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'translation.marked_up_to_date';--> statement-breakpoint
CREATE TABLE "statement_initiators" (
	"statement_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"role" "statement_initiator_role" NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_initiators_statement_id_org_id_pk" PRIMARY KEY("statement_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "statement_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"lang" text NOT NULL,
	"version" integer NOT NULL,
	"kind" "statement_revision_kind" NOT NULL,
	"title" text NOT NULL,
	"doc" jsonb NOT NULL,
	"restored_from" integer,
	"bytes" integer NOT NULL,
	"inserted_words" integer NOT NULL,
	"deleted_words" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_texts" (
	"statement_id" uuid NOT NULL,
	"lang" text NOT NULL,
	"title" text NOT NULL,
	"doc" jsonb NOT NULL,
	"lock_version" integer DEFAULT 0 NOT NULL,
	"aligned_primary_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "statement_texts_statement_id_lang_pk" PRIMARY KEY("statement_id","lang"),
	CONSTRAINT "statement_texts_lock_version" CHECK ("statement_texts"."lock_version" >= 0)
);
--> statement-breakpoint
CREATE TABLE "statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state" "statement_state" DEFAULT 'draft' NOT NULL,
	"primary_lang" text NOT NULL,
	"summary" text,
	"time_zone" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_edited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_edited_by" uuid
);
--> statement-breakpoint
ALTER TABLE "statement_initiators" ADD CONSTRAINT "statement_initiators_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_initiators" ADD CONSTRAINT "statement_initiators_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_revisions" ADD CONSTRAINT "statement_revisions_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_revisions" ADD CONSTRAINT "statement_revisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_texts" ADD CONSTRAINT "statement_texts_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_texts" ADD CONSTRAINT "statement_texts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_last_edited_by_users_id_fk" FOREIGN KEY ("last_edited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_initiators_org" ON "statement_initiators" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "statement_initiators_one_primary" ON "statement_initiators" USING btree ("statement_id") WHERE "statement_initiators"."role" = 'primary';--> statement-breakpoint
CREATE UNIQUE INDEX "statement_revisions_text_version" ON "statement_revisions" USING btree ("statement_id","lang","version");--> statement-breakpoint
CREATE INDEX "statements_state" ON "statements" USING btree ("state");