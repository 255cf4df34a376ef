CREATE TYPE "public"."member_invitation_status" AS ENUM('pending', 'accepted', 'declined', 'revoked', 'expired');--> statement-breakpoint
CREATE TYPE "public"."org_role" AS ENUM('owner', 'admin', 'member');--> statement-breakpoint
CREATE TYPE "public"."signing_policy" AS ENUM('admins', 'members');--> statement-breakpoint
CREATE TYPE "public"."org_verification_method" AS ENUM('email_domain', 'operator');--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.created';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.profile_updated';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.logo_updated';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_invited';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_invitation_resent';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_invitation_revoked';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_invitation_declined';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_joined';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_removed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_left';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_role_changed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.member_title_changed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.ownership_transferred';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.signing_policy_changed';--> statement-breakpoint
ALTER TYPE "public"."audit_event_type" ADD VALUE 'org.verified';--> statement-breakpoint
CREATE TABLE "files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"mime" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "org_role" DEFAULT 'member' NOT NULL,
	"title" text,
	"status" "member_invitation_status" DEFAULT 'pending' NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_by" uuid,
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "org_role" NOT NULL,
	"title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"normalized_name" text NOT NULL,
	"search_text" text NOT NULL,
	"city" text,
	"country" text,
	"website" text,
	"description" text,
	"logo_file_id" uuid,
	"signing_policy" "signing_policy" DEFAULT 'admins' NOT NULL,
	"verified_at" timestamp with time zone,
	"verification_method" "org_verification_method",
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_invitations" ADD CONSTRAINT "member_invitations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_invitations" ADD CONSTRAINT "member_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_invitations" ADD CONSTRAINT "member_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_logo_file_id_files_id_fk" FOREIGN KEY ("logo_file_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_invitations_org" ON "member_invitations" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "member_invitations_pending" ON "member_invitations" USING btree ("org_id","email") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_org_user" ON "memberships" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE INDEX "memberships_user" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_slug" ON "organizations" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "organizations_normalized_name" ON "organizations" USING btree ("normalized_name");--> statement-breakpoint
CREATE INDEX "organizations_search_trgm" ON "organizations" USING gin ("search_text" gin_trgm_ops);