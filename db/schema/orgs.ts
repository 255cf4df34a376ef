import { sql } from 'drizzle-orm';
import { customType, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
export const orgRoleEnum = pgEnum('org_role', ORG_ROLES);

// Who may sign on the organization's behalf: owners and admins (default), or any member.
export const SIGNING_POLICIES = ['admins', 'members'] as const;
export type SigningPolicy = (typeof SIGNING_POLICIES)[number];
export const signingPolicyEnum = pgEnum('signing_policy', SIGNING_POLICIES);

export const verificationMethodEnum = pgEnum('org_verification_method', ['email_domain', 'operator']);
export const memberInvitationStatusEnum = pgEnum('member_invitation_status', ['pending', 'accepted', 'declined', 'revoked', 'expired']);

// Uploaded files (logos now; PDFs and images later), stored in PostgreSQL so every instance serves the same.
export const files = pgTable('files', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  mime: text('mime').notNull(),
  bytes: bytea('bytes').notNull(),
  sha256: text('sha256').notNull(),
  size: integer('size').notNull(),
  width: integer('width'),
  height: integer('height'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type OrgNames = Partial<Record<string, string>>;

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    // The name in the language it was registered in, and translations keyed by language code.
    name: text('name').notNull(),
    names: jsonb('names').notNull().$type<OrgNames>().default({}),
    // normalizeOrgName(name): the key for "a name close to an existing one".
    normalizedName: text('normalized_name').notNull(),
    // Normalized names in every language, for directory search.
    searchText: text('search_text').notNull(),
    city: text('city'),
    country: text('country'),
    website: text('website'),
    description: text('description'),
    logoFileId: uuid('logo_file_id').references(() => files.id, { onDelete: 'set null' }),
    signingPolicy: signingPolicyEnum('signing_policy').notNull().default('admins'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verificationMethod: verificationMethodEnum('verification_method'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_slug').on(t.slug),
    index('organizations_normalized_name').on(t.normalizedName),
    index('organizations_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: orgRoleEnum('role').notNull(),
    // The member's title in the organization ("Chairperson"), shown beside signatures.
    title: text('title'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('memberships_org_user').on(t.orgId, t.userId), index('memberships_user').on(t.userId)],
);

export const memberInvitations = pgTable(
  'member_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: orgRoleEnum('role').notNull().default('member'),
    title: text('title'),
    status: memberInvitationStatusEnum('status').notNull().default('pending'),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    respondedAt: timestamp('responded_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('member_invitations_org').on(t.orgId, t.status),
    // One live invitation per address per organization.
    uniqueIndex('member_invitations_pending').on(t.orgId, t.email).where(sql`status = 'pending'`),
  ],
);
