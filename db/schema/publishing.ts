import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { files } from './orgs';
import { signatures, statementVersions } from './signing';
import { statements } from './statements';

// PRODUCT.md, Publication: the published version, the server's `published_at`, the initiator's `display_date`,
// the public slug and the list order. One row per published (or imported) statement; its lifecycle columns move
// on (close, withdraw, joining window) but the published version and text never change (corrections are appended).
export const LIST_ORDERS = ['joined', 'alphabetical'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];
export const listOrderEnum = pgEnum('publication_list_order', LIST_ORDERS);

export const publications = pgTable(
  'publications',
  {
    statementId: uuid('statement_id')
      .primaryKey()
      .references(() => statements.id, { onDelete: 'restrict' }),
    slug: text('slug').notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => statementVersions.id, { onDelete: 'restrict' }),
    versionNumber: integer('version_number').notNull(),
    // The date the initiator chose to show (YYYY-MM-DD), kept apart from the server's published_at.
    displayDate: text('display_date').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull(),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    listOrder: listOrderEnum('list_order').notNull().default('joined'),
    // Signature ids per language in display order (alphabetical lists are sorted in Node with Intl.Collator).
    positions: jsonb('positions').notNull().$type<Record<string, string[]>>().default({}),
    // Open joining (S7): late signatures and join requests accepted until this instant.
    joinUntil: timestamp('join_until', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawReason: text('withdraw_reason'),
    // Imports (R8): where the text was published first, and the file's identity (source URL or content hash).
    sourceUrl: text('source_url'),
    importKey: text('import_key'),
    // Full-text search over titles and texts of every language (`simple` configuration; Armenian has no stemmer).
    searchText: text('search_text').notNull().default(''),
    recordSeq: integer('record_seq').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('publications_slug').on(t.slug),
    uniqueIndex('publications_import_key').on(t.importKey).where(sql`${t.importKey} IS NOT NULL`),
    index('publications_display_date').on(t.displayDate, t.publishedAt),
    index('publications_search_fts').using('gin', sql`to_tsvector('simple', ${t.searchText})`),
    index('publications_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('publications_display_date_format', sql`${t.displayDate} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    check('publications_slug_format', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

// Append-only: dated corrections shown under the published text (which is never edited in place).
export const statementCorrections = pgTable(
  'statement_corrections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    lang: text('lang').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('statement_corrections_statement').on(t.statementId, t.seq)],
);

// Append-only: every revision of the public record (R6), kept at a stable URL /records/{slug}/{seq}.
export const publicRecords = pgTable(
  'public_records',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    seq: integer('seq').notNull(),
    canonical: text('canonical').notNull(),
    sha256: text('sha256').notNull(),
    keyId: text('key_id').notNull(),
    signature: text('signature').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.seq] }), check('public_records_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`)],
);

// R4: the PDF of a record revision per language, rendered once and stored (every instance serves the same bytes).
export const recordPdfs = pgTable(
  'record_pdfs',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    seq: integer('seq').notNull(),
    lang: text('lang').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.seq, t.lang] })],
);

// S7: requests to join a published statement through its public link. The e-mail is private (initiators only).
export const JOIN_REQUEST_KINDS = ['organization', 'individual'] as const;
export type JoinRequestKind = (typeof JOIN_REQUEST_KINDS)[number];
export const joinRequestKindEnum = pgEnum('join_request_kind', JOIN_REQUEST_KINDS);
export const JOIN_REQUEST_STATUSES = ['unconfirmed', 'pending', 'approved', 'rejected'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];
export const joinRequestStatusEnum = pgEnum('join_request_status', JOIN_REQUEST_STATUSES);

export const joinRequests = pgTable(
  'join_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    kind: joinRequestKindEnum('kind').notNull(),
    name: text('name').notNull(),
    city: text('city'),
    country: text('country'),
    // An organization's signer title, or an individual's role ("human rights defender").
    title: text('title'),
    email: text('email').notNull(),
    status: joinRequestStatusEnum('status').notNull().default('unconfirmed'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    signatureId: uuid('signature_id').references(() => signatures.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('join_requests_statement').on(t.statementId, t.status),
    // One live request per address per statement.
    uniqueIndex('join_requests_live_email')
      .on(t.statementId, t.email)
      .where(sql`${t.status} IN ('unconfirmed', 'pending')`),
  ],
);
