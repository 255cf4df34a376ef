// The one token module for our own links (member invitations, statement invitations, join confirmations).
// 256-bit CSPRNG tokens; only their SHA-256 is stored; bound to an e-mail and a purpose; expiring; single-use;
// consumed only by POST (callers are route handlers / actions, never GET); using any token of a subject
// consumes all of that subject's tokens (a resend or reminder mints a fresh one).
import { and, eq, isNull, sql } from 'drizzle-orm';
import crypto from 'node:crypto';
import type { DbOrTx, Tx } from '@/db';
import { tokens, type TokenPurpose } from '@/db/schema';
import { faultPoint } from './fault';

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token, 'utf8').digest('hex');
export const normalizeEmail = (email: string): string => email.trim().toLowerCase().normalize('NFC');

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Mint a token for (purpose, subject, e-mail). Returns the plaintext, which must go straight into a message. */
export async function mintToken(
  db: DbOrTx,
  input: { purpose: TokenPurpose; subjectId: string; email: string; expiresAt: Date },
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.insert(tokens).values({
    tokenHash: hashToken(token),
    purpose: input.purpose,
    subjectId: input.subjectId,
    email: normalizeEmail(input.email),
    expiresAt: input.expiresAt,
  });
  return token;
}

export type TokenCheck =
  | { ok: true; subjectId: string; email: string }
  // One answer for unknown, expired, used and forwarded tokens: the caller shows the same message for all.
  | { ok: false; reason: 'invalid' };

const INVALID: TokenCheck = { ok: false, reason: 'invalid' };

/** Look a token up without consuming it (landing pages): valid, unexpired, unused. */
export async function peekToken(
  db: DbOrTx,
  input: { token: string; purpose: TokenPurpose; now?: Date },
): Promise<TokenCheck> {
  if (!TOKEN_RE.test(input.token)) return INVALID;
  const [row] = await db
    .select()
    .from(tokens)
    .where(and(eq(tokens.tokenHash, hashToken(input.token)), eq(tokens.purpose, input.purpose)));
  if (!row || row.consumedAt || row.expiresAt <= (input.now ?? new Date())) return INVALID;
  return { ok: true, subjectId: row.subjectId, email: row.email };
}

/**
 * Whose token this is — used or not, expired or not — or null for an unknown one. Never a grant: only for telling
 * a signed-in person that their *own* link ran out (PRODUCT.md, Tokens), after a live check has failed.
 */
export async function tokenOwner(
  db: DbOrTx,
  input: { token: string; purpose: TokenPurpose },
): Promise<{ subjectId: string; email: string } | null> {
  if (!TOKEN_RE.test(input.token)) return null;
  const [row] = await db
    .select({ subjectId: tokens.subjectId, email: tokens.email })
    .from(tokens)
    .where(and(eq(tokens.tokenHash, hashToken(input.token)), eq(tokens.purpose, input.purpose)));
  return row ?? null;
}

/**
 * Consume a token inside the caller's transaction. `email` is the verified address of the person using it
 * (their signed-in account, or the address the link was sent to when the flow proves it); a mismatch is a
 * forward and consumes nothing. Concurrent consumes of one token: exactly one succeeds (row lock + predicate).
 */
export async function consumeToken(
  tx: Tx,
  input: { token: string; purpose: TokenPurpose; email: string; now?: Date },
): Promise<TokenCheck> {
  if (!TOKEN_RE.test(input.token)) return INVALID;
  const now = input.now ?? new Date();
  const [row] = await tx
    .update(tokens)
    .set({ consumedAt: now })
    .where(
      and(
        eq(tokens.tokenHash, hashToken(input.token)),
        eq(tokens.purpose, input.purpose),
        eq(tokens.email, normalizeEmail(input.email)),
        isNull(tokens.consumedAt),
        sql`${tokens.expiresAt} > ${now.toISOString()}`,
      ),
    )
    .returning();
  if (!row) return INVALID;
  faultPoint('tokens.after_consume');
  // Using any token of a subject consumes all of them.
  await tx
    .update(tokens)
    .set({ consumedAt: now })
    .where(and(eq(tokens.purpose, row.purpose), eq(tokens.subjectId, row.subjectId), isNull(tokens.consumedAt)));
  return { ok: true, subjectId: row.subjectId, email: row.email };
}

/** Revoke every live token of a subject (e.g. an invitation is revoked). */
export async function revokeTokens(tx: Tx, input: { purpose: TokenPurpose; subjectId: string; now?: Date }) {
  await tx
    .update(tokens)
    .set({ consumedAt: input.now ?? new Date() })
    .where(and(eq(tokens.purpose, input.purpose), eq(tokens.subjectId, input.subjectId), isNull(tokens.consumedAt)));
}
