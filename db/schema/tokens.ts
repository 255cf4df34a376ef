import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Purposes of our own tokens (Auth.js magic links live in verification_tokens).
export const TOKEN_PURPOSES = ['member_invitation', 'statement_invitation', 'invitation_handoff', 'join_confirmation', 'test'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];
export const tokenPurposeEnum = pgEnum('token_purpose', TOKEN_PURPOSES);

export const tokens = pgTable(
  'tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // SHA-256 of the 256-bit token; the token itself is never stored.
    tokenHash: text('token_hash').notNull().unique(),
    purpose: tokenPurposeEnum('purpose').notNull(),
    email: text('email').notNull(),
    // The object the token acts on (an invitation, a join request…); using any token of it consumes all.
    subjectId: uuid('subject_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('tokens_subject').on(t.purpose, t.subjectId)],
);
