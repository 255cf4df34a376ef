import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DocJSON } from '@/lib/editor/extensions';
import { users } from './auth';
import { organizations } from './orgs';

// PRODUCT.md, Lifecycle.
export const STATEMENT_STATES = ['draft', 'open', 'reopened', 'published', 'closed', 'withdrawn'] as const;
export type StatementState = (typeof STATEMENT_STATES)[number];
export const statementStateEnum = pgEnum('statement_state', STATEMENT_STATES);

/** States in which the draft text may be edited. */
export const EDITABLE_STATES: readonly StatementState[] = ['draft', 'reopened'];

export const initiatorRoleEnum = pgEnum('statement_initiator_role', ['primary', 'co']);
export const revisionKindEnum = pgEnum('statement_revision_kind', ['save', 'restore']);

export const statements = pgTable(
  'statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    state: statementStateEnum('state').notNull().default('draft'),
    primaryLang: text('primary_lang').notNull(),
    summary: text('summary'),
    // The number of the version frozen last (null until the first freeze); signing binds to it while `open`.
    currentVersion: integer('current_version'),
    // IANA zone in which its deadlines are shown (PRODUCT.md: default the initiator's, e.g. Asia/Yerevan).
    timeZone: text('time_zone').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastEditedAt: timestamp('last_edited_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastEditedBy: uuid('last_edited_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('statements_state').on(t.state)],
);

// The initiating organizations: the creator's (primary) and co-initiators (issue: inviting).
export const statementInitiators = pgTable(
  'statement_initiators',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    role: initiatorRoleEnum('role').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.statementId, t.orgId] }),
    index('statement_initiators_org').on(t.orgId),
    // Exactly one primary initiator per statement.
    uniqueIndex('statement_initiators_one_primary')
      .on(t.statementId)
      .where(sql`${t.role} = 'primary'`),
  ],
);

// The current draft text per language. `lock_version` increases by one on every accepted save (I6).
export const statementTexts = pgTable(
  'statement_texts',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    lang: text('lang').notNull(),
    title: text('title').notNull(),
    doc: jsonb('doc').notNull().$type<DocJSON>(),
    lockVersion: integer('lock_version').notNull().default(0),
    // Translations: the primary text's lock_version this text was last aligned with (null for the primary).
    alignedPrimaryVersion: integer('aligned_primary_version'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.statementId, t.lang] }),
    check('statement_texts_lock_version', sql`${t.lockVersion} >= 0`),
  ],
);

// Append-only: one row per accepted save (or restore), numbered by the text's lock_version after it.
export const statementRevisions = pgTable(
  'statement_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    lang: text('lang').notNull(),
    version: integer('version').notNull(),
    kind: revisionKindEnum('kind').notNull(),
    title: text('title').notNull(),
    doc: jsonb('doc').notNull().$type<DocJSON>(),
    restoredFrom: integer('restored_from'),
    bytes: integer('bytes').notNull(),
    insertedWords: integer('inserted_words').notNull(),
    deletedWords: integer('deleted_words').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('statement_revisions_text_version').on(t.statementId, t.lang, t.version)],
);
