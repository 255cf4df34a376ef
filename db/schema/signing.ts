import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { organizations } from './orgs';
import { statements } from './statements';

// PRODUCT.md, Version: an immutable, numbered snapshot of the included language texts, frozen for signing.
// `canonical` holds the RFC 8785 bytes (as UTF-8 text) whose SHA-256 is `content_sha256`; readers parse it back.
export const statementVersions = pgTable(
  'statement_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    number: integer('number').notNull(),
    langs: text('langs').array().notNull(),
    canonical: text('canonical').notNull(),
    contentSha256: text('content_sha256').notNull(),
    frozenBy: uuid('frozen_by').references(() => users.id, { onDelete: 'set null' }),
    frozenAt: timestamp('frozen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('statement_versions_number').on(t.statementId, t.number),
    check('statement_versions_number_positive', sql`${t.number} >= 1`),
    check('statement_versions_sha256', sql`${t.contentSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

// PRODUCT.md, Signature: how it came to be.
export const SIGNATURE_METHODS = ['member', 'join_request', 'imported'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];
export const signatureMethodEnum = pgEnum('signature_method', SIGNATURE_METHODS);

// One per (statement, organization) or per (statement, individual). Append-only: what changes over time lives in
// its bindings and events; status (signed / needs re-confirmation / withdrawn) is derived from them.
export const signatures = pgTable(
  'signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'restrict' }),
    // Individuals (open joining, import): normalized e-mail, or for imported individuals normalized name + role.
    individualEmail: text('individual_email'),
    individualKey: text('individual_key'),
    method: signatureMethodEnum('method').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // I4: one signature per (statement, organization), and per individual.
    uniqueIndex('signatures_statement_org').on(t.statementId, t.orgId).where(sql`${t.orgId} IS NOT NULL`),
    uniqueIndex('signatures_statement_email').on(t.statementId, t.individualEmail).where(sql`${t.individualEmail} IS NOT NULL`),
    uniqueIndex('signatures_statement_individual').on(t.statementId, t.individualKey).where(sql`${t.individualKey} IS NOT NULL`),
    index('signatures_org').on(t.orgId),
    check('signatures_one_signer', sql`num_nonnulls(${t.orgId}, ${t.individualEmail}, ${t.individualKey}) = 1`),
  ],
);

/** What public outputs show for a binding: never read from live profiles. */
export type BindingSnapshot = {
  /** The organization's name per language (`default` = as registered). */
  names: Record<string, string>;
  city: string | null;
  country: string | null;
  verified: boolean;
  /** The signer's title (e.g. "Director"), as they confirmed it. */
  title: string | null;
  /** The signer's personal name, only when they opted in. */
  personName: string | null;
  /** An individual signatory (open joining, import): `names.default` is their name, `title` their role. */
  individual?: boolean;
  /** A heading the signatory is listed under (imports: "Global", "Regional"…). */
  group?: string | null;
  /** Imported as having joined after publication, with no known date. */
  joinedLater?: boolean;
};

// Append-only: one row each time a signature is tied to a version (first signing, re-confirmation, reinstatement).
export const signatureBindings = pgTable(
  'signature_bindings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Total order of a signature's history (timestamps may tie within one clock tick or a test's fixed clock).
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => signatures.id, { onDelete: 'restrict' }),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => statementVersions.id, { onDelete: 'restrict' }),
    versionNumber: integer('version_number').notNull(),
    contentSha256: text('content_sha256').notNull(),
    signedBy: uuid('signed_by').references(() => users.id, { onDelete: 'set null' }),
    // The signer's role in the organization and the organization's signing policy when they signed (C2).
    signerRole: text('signer_role'),
    policy: text('policy'),
    snapshot: jsonb('snapshot').notNull().$type<BindingSnapshot>(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('signature_bindings_signature').on(t.signatureId, t.signedAt), index('signature_bindings_statement').on(t.statementId, t.versionNumber)],
);

export const SIGNATURE_EVENT_KINDS = ['withdrawn', 'reinstated'] as const;
export type SignatureEventKind = (typeof SIGNATURE_EVENT_KINDS)[number];
export const signatureEventKindEnum = pgEnum('signature_event_kind', SIGNATURE_EVENT_KINDS);

// Append-only: withdrawals (with an optional public reason) and reinstatements.
export const signatureEvents = pgTable(
  'signature_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => signatures.id, { onDelete: 'restrict' }),
    kind: signatureEventKindEnum('kind').notNull(),
    reason: text('reason'),
    byUser: uuid('by_user').references(() => users.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('signature_events_signature').on(t.signatureId, t.at)],
);

// "Decline to sign" (distinct from declining the invitation): the organization says it will not sign this
// statement. Reasons are for the initiators only. Cleared in effect by a later signature (status derivation).
export const signDeclines = pgTable(
  'sign_declines',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'restrict' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    versionNumber: integer('version_number'),
    reason: text('reason'),
    declinedBy: uuid('declined_by').references(() => users.id, { onDelete: 'set null' }),
    declinedAt: timestamp('declined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sign_declines_statement_org').on(t.statementId, t.orgId)],
);
