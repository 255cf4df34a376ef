import { and, eq } from 'drizzle-orm';
import { sessions, users, notificationOptOuts } from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { enqueue, verifyUnsubscribe } from './outbox';
import { requireActor } from './permissions';
import { normalizeEmail } from './tokens';

/** Permission: any signed-in user, for their own account. */
export async function setInterfaceLocale(ctx: Ctx, input: { locale: Locale | null }) {
  const actor = requireActor(ctx);
  if (input.locale !== null && !isLocale(input.locale)) throw new AppError('INVALID_INPUT', 'errors.invalidLocale');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, actor.userId)).for('update');
    if (!before) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
    if (before.locale === input.locale) return { locale: input.locale, changed: false };
    await tx.update(users).set({ locale: input.locale }).where(eq(users.id, actor.userId));
    faultPoint('users.after_state_change');
    await appendAudit(tx, {
      chain: { type: 'user', id: actor.userId },
      type: 'user.locale_changed',
      actorUserId: actor.userId,
      data: { from: before.locale, to: input.locale },
      now: nowOf(ctx),
    });
    return { locale: input.locale, changed: true };
  });
}

/** Permission: any signed-in user, for their own sessions. Ends every session and tells the user by e-mail. */
export async function signOutEverywhere(ctx: Ctx) {
  const actor = requireActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, actor.userId)).for('update');
    if (!user) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
    const ended = await tx.delete(sessions).where(eq(sessions.userId, actor.userId)).returning({ t: sessions.sessionToken });
    faultPoint('users.after_state_change');
    const event = await appendAudit(tx, {
      chain: { type: 'user', id: actor.userId },
      type: 'user.signed_out_everywhere',
      actorUserId: actor.userId,
      data: { sessions: ended.length },
      now: nowOf(ctx),
    });
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'user.signed_out_everywhere',
      to: user.email,
      locale: isLocale(user.locale) ? user.locale : 'en',
      dedupeKey: `signed_out_everywhere:${event.id}`,
    });
    return { sessionsEnded: ended.length };
  });
}

/**
 * Permission: whoever holds a valid signed unsubscribe link (RFC 8058 one-click; mail providers POST it
 * without an Origin, so the HMAC is the proof). Idempotent. Audited on the chain of the unsubscribing user
 * when the address has an account, else on the chain of the scope's object.
 */
export async function unsubscribe(ctx: Ctx, input: { u: string }) {
  const parsed = verifyUnsubscribe(input.u);
  if (!parsed) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  const email = normalizeEmail(parsed.email);
  const [kind, id] = parsed.scope.split(':');
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(notificationOptOuts)
      .values({ email, scope: parsed.scope })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return { scope: parsed.scope, changed: false };
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    const chain = user
      ? ({ type: 'user', id: user.id } as const)
      : kind === 'statement' && id
        ? ({ type: 'statement', id } as const)
        : null;
    if (!chain) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
    await appendAudit(tx, { chain, type: 'user.unsubscribed', actorUserId: user?.id ?? null, data: { scope: parsed.scope }, now: nowOf(ctx) });
    return { scope: parsed.scope, changed: true };
  });
}

/** Called from Auth.js events (sign-in/out are audited from its events; its own tables it writes itself). */
export async function auditAuthEvent(ctx: Ctx, input: { userId: string; type: 'user.signed_in' | 'user.signed_out'; isNewUser?: boolean }) {
  await ctx.db.transaction(async (tx) => {
    await appendAudit(tx, {
      chain: { type: 'user', id: input.userId },
      type: input.type,
      actorUserId: input.userId,
      data: input.isNewUser === undefined ? {} : { isNewUser: input.isNewUser },
      now: nowOf(ctx),
    });
  });
}

/** The signed-in user's own profile, for their pages. */
export async function getOwnAccount(ctx: Ctx) {
  const actor = requireActor(ctx);
  const [u] = await ctx.db
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, actor.userId)));
  if (!u) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
  return u;
}
