import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { organizations } from './orgs';
import { statements } from './statements';

// PRODUCT.md, Invitation: `pending → accepted | declined | revoked | expired`; `viewed` is a timestamp on a
// pending invitation (the invited person signed in and opened it), not a state of its own.
export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
export const invitationStatusEnum = pgEnum('statement_invitation_status', INVITATION_STATUSES);

// A participant reviews, comments and (later) signs; a co-initiator gains the initiators' rights.
export const INVITATION_KINDS = ['participant', 'co_initiator'] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];
export const invitationKindEnum = pgEnum('statement_invitation_kind', INVITATION_KINDS);

export const statementInvitations = pgTable(
  'statement_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    kind: invitationKindEnum('kind').notNull(),
    // Either an organization from the directory (its owners/admins are e-mailed) or a contact e-mail.
    targetOrgId: uuid('target_org_id').references(() => organizations.id, { onDelete: 'restrict' }),
    email: text('email'),
    status: invitationStatusEnum('status').notNull().default('pending'),
    message: text('message'),
    signBy: timestamp('sign_by', { withTimezone: true, mode: 'date' }),
    // The language of the e-mails sent for this invitation.
    locale: text('locale').notNull(),
    // max(created + 14 days, sign_by + 1 day); the relay records `expired` once after it.
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    viewedAt: timestamp('viewed_at', { withTimezone: true, mode: 'date' }),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true, mode: 'date' }),
    respondedAt: timestamp('responded_at', { withTimezone: true, mode: 'date' }),
    // Who accepted or declined (their personal account)…
    respondedBy: uuid('responded_by').references(() => users.id, { onDelete: 'set null' }),
    // …and, when a shared mailbox (e.g. info@) proved the address first, that mailbox's account.
    provenBy: uuid('proven_by').references(() => users.id, { onDelete: 'set null' }),
    acceptedOrgId: uuid('accepted_org_id').references(() => organizations.id, { onDelete: 'restrict' }),
    declineReason: text('decline_reason'),
  },
  (t) => [
    index('statement_invitations_statement').on(t.statementId),
    index('statement_invitations_target_org').on(t.targetOrgId),
    index('statement_invitations_email').on(t.email),
    index('statement_invitations_pending_expiry').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
    check('statement_invitations_one_target', sql`(${t.targetOrgId} IS NULL) <> (${t.email} IS NULL)`),
    // One live invitation per statement and organization / e-mail.
    uniqueIndex('statement_invitations_pending_org')
      .on(t.statementId, t.targetOrgId)
      .where(sql`${t.status} = 'pending' AND ${t.targetOrgId} IS NOT NULL`),
    uniqueIndex('statement_invitations_pending_email')
      .on(t.statementId, t.email)
      .where(sql`${t.status} = 'pending' AND ${t.email} IS NOT NULL`),
  ],
);

// Organizations whose owner/admin accepted a participant invitation: their members review and comment.
export const statementParticipants = pgTable(
  'statement_participants',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    invitationId: uuid('invitation_id').references(() => statementInvitations.id, { onDelete: 'restrict' }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.orgId] }), index('statement_participants_org').on(t.orgId)],
);

// Where a comment points in the text: a W3C text-quote selector plus the language and the text's version
// it was made on. Stored with the comment, never as marks inside the document (which is hashed and published).
export type CommentAnchor = { lang: string; version: number; exact: string; prefix: string; suffix: string };

export const statementComments = pgTable(
  'statement_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    // Null for a thread's first comment; replies point at it.
    parentId: uuid('parent_id'),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    // The organization through which the author reads the statement (initiator or participant).
    authorOrgId: uuid('author_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    anchor: jsonb('anchor').$type<CommentAnchor>(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('statement_comments_statement').on(t.statementId, t.createdAt), index('statement_comments_parent').on(t.parentId)],
);
