CREATE TYPE "public"."statement_invitation_kind" AS ENUM('participant', 'co_initiator');--> statement-breakpoint
CREATE TYPE "public"."statement_invitation_status" AS ENUM('pending', 'accepted', 'declined', 'revoked', 'expired');--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.sent';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.resent';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.reminded';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.revoked';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.viewed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.mailbox_confirmed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.accepted';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.declined';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'invitation.expired';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'comment.added';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'comment.resolved';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'comment.reopened';--> statement-breakpoint
ALTER TYPE "public"."token_purpose" ADD VALUE 'invitation_handoff' BEFORE 'join_confirmation';--> statement-breakpoint
CREATE TABLE "statement_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"parent_id" uuid,
	"author_user_id" uuid,
	"author_org_id" uuid,
	"body" text NOT NULL,
	"anchor" jsonb,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"kind" "statement_invitation_kind" NOT NULL,
	"target_org_id" uuid,
	"email" text,
	"status" "statement_invitation_status" DEFAULT 'pending' NOT NULL,
	"message" text,
	"sign_by" timestamp with time zone,
	"locale" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"viewed_at" timestamp with time zone,
	"last_reminded_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"responded_by" uuid,
	"proven_by" uuid,
	"accepted_org_id" uuid,
	"decline_reason" text,
	CONSTRAINT "statement_invitations_one_target" CHECK (("statement_invitations"."target_org_id" IS NULL) <> ("statement_invitations"."email" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "statement_participants" (
	"statement_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"invitation_id" uuid,
	"accepted_by" uuid,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_participants_statement_id_org_id_pk" PRIMARY KEY("statement_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "statement_comments" ADD CONSTRAINT "statement_comments_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_comments" ADD CONSTRAINT "statement_comments_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_comments" ADD CONSTRAINT "statement_comments_author_org_id_organizations_id_fk" FOREIGN KEY ("author_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_comments" ADD CONSTRAINT "statement_comments_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_target_org_id_organizations_id_fk" FOREIGN KEY ("target_org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_responded_by_users_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_proven_by_users_id_fk" FOREIGN KEY ("proven_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_invitations" ADD CONSTRAINT "statement_invitations_accepted_org_id_organizations_id_fk" FOREIGN KEY ("accepted_org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_participants" ADD CONSTRAINT "statement_participants_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_participants" ADD CONSTRAINT "statement_participants_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_participants" ADD CONSTRAINT "statement_participants_invitation_id_statement_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."statement_invitations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_participants" ADD CONSTRAINT "statement_participants_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_comments_statement" ON "statement_comments" USING btree ("statement_id","created_at");--> statement-breakpoint
CREATE INDEX "statement_comments_parent" ON "statement_comments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "statement_invitations_statement" ON "statement_invitations" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "statement_invitations_target_org" ON "statement_invitations" USING btree ("target_org_id");--> statement-breakpoint
CREATE INDEX "statement_invitations_email" ON "statement_invitations" USING btree ("email");--> statement-breakpoint
CREATE INDEX "statement_invitations_pending_expiry" ON "statement_invitations" USING btree ("expires_at") WHERE "statement_invitations"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "statement_invitations_pending_org" ON "statement_invitations" USING btree ("statement_id","target_org_id") WHERE "statement_invitations"."status" = 'pending' AND "statement_invitations"."target_org_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "statement_invitations_pending_email" ON "statement_invitations" USING btree ("statement_id","email") WHERE "statement_invitations"."status" = 'pending' AND "statement_invitations"."email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "statement_participants_org" ON "statement_participants" USING btree ("org_id");