import {
  bigint,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const chainTypeEnum = pgEnum('audit_chain_type', ['statement', 'organization', 'user']);

// The closed list of audit event types. Adding a type is a migration, on purpose.
export const AUDIT_EVENT_TYPES = [
  'user.signed_in',
  'user.signed_out',
  'user.signed_out_everywhere',
  'user.locale_changed',
  'user.unsubscribed',
  'user.resubscribed',
  'org.created',
  'org.profile_updated',
  'org.logo_updated',
  'org.member_invited',
  'org.member_invitation_resent',
  'org.member_invitation_revoked',
  'org.member_invitation_declined',
  'org.member_joined',
  'org.member_removed',
  'org.member_left',
  'org.member_role_changed',
  'org.member_title_changed',
  'org.ownership_transferred',
  'org.signing_policy_changed',
  'org.verified',
  'statement.created',
  'statement.details_updated',
  'draft.saved',
  'draft.restored',
  'translation.added',
  'translation.marked_up_to_date',
  'invitation.sent',
  'invitation.resent',
  'invitation.reminded',
  'invitation.revoked',
  'invitation.viewed',
  'invitation.mailbox_confirmed',
  'invitation.accepted',
  'invitation.declined',
  'invitation.expired',
  'comment.added',
  'comment.resolved',
  'comment.reopened',
  'version.frozen',
  'statement.reopened',
  'signature.signed',
  'signature.reconfirmed',
  'signature.reinstated',
  'signature.withdrawn',
  'signature.declined_to_sign',
  'statement.published',
  'statement.imported',
  'statement.closed',
  'statement.withdrawn',
  'statement.joining_changed',
  'statement.correction_added',
  'join.requested',
  'join.confirmed',
  'join.approved',
  'join.rejected',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export const auditEventTypeEnum = pgEnum('audit_event_type', AUDIT_EVENT_TYPES);

// Append-only. One hash chain per (chain_type, chain_id); never cascade-deleted.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    chainType: chainTypeEnum('chain_type').notNull(),
    chainId: uuid('chain_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: auditEventTypeEnum('type').notNull(),
    actorUserId: uuid('actor_user_id'),
    data: jsonb('data').notNull().$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_chain_seq').on(t.chainType, t.chainId, t.seq),
    // A forked chain (two events sharing a predecessor) is impossible, not just detectable.
    uniqueIndex('audit_events_chain_prev').on(t.chainType, t.chainId, t.prevHash),
    index('audit_events_actor').on(t.actorUserId),
  ],
);

// The head of each chain; locked FOR UPDATE in the transaction that appends to it.
export const auditChainHeads = pgTable(
  'audit_chain_heads',
  {
    chainType: chainTypeEnum('chain_type').notNull(),
    chainId: uuid('chain_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chainType, t.chainId] })],
);
