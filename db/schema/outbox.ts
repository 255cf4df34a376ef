import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { auditEvents } from './audit';

export const outboxStatusEnum = pgEnum('outbox_status', ['pending', 'sending', 'sent', 'failed', 'cancelled']);

// A link the relay mints when it sends: the row stores what the token is for, never the token.
export type TokenRef = { purpose: string; subjectId: string; expiresAt: string; path: string };

export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Every row is written with the audit event of the change that caused it.
    auditEventId: uuid('audit_event_id')
      .notNull()
      .references(() => auditEvents.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    toEmail: text('to_email').notNull(),
    locale: text('locale').notNull(),
    data: jsonb('data').notNull().$type<Record<string, unknown>>(),
    tokenRef: jsonb('token_ref').$type<TokenRef>(),
    // Scope for one-click unsubscribe (e.g. "statement:<id>"); null for messages one cannot refuse.
    unsubscribeScope: text('unsubscribe_scope'),
    dedupeKey: text('dedupe_key').notNull().unique(),
    status: outboxStatusEnum('status').notNull().default('pending'),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('outbox_due').on(t.status, t.notBefore), index('outbox_audit').on(t.auditEventId)],
);

// Development mailbox: exists only without SMTP. The only table allowed to hold live links.
export const devMailbox = pgTable('dev_mailbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  toEmail: text('to_email').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  headers: jsonb('headers').notNull().$type<Record<string, string>>().default({}),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

// One-click unsubscribe (RFC 8058): a person refuses notifications for one scope.
export const notificationOptOuts = pgTable(
  'notification_opt_outs',
  {
    email: text('email').notNull(),
    scope: text('scope').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.email, t.scope] })],
);
