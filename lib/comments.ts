// Review (PRODUCT.md D5): initiator and participant members read the current draft and comment on it, as a
// whole or anchored to a passage by a text-quote selector kept with the comment (never as marks in the
// document); replies; the initiators resolve and reopen threads. Every function authorizes inside itself
// (SECURITY.md I1): anyone who may not read the draft gets NOT_FOUND, whether or not it exists (I2).
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '@/db';
import {
  memberships,
  organizations,
  outbox,
  statementComments,
  statementInitiators,
  statementParticipants,
  statements,
  statementTexts,
  users,
  type CommentAnchor,
  type OrgRole,
} from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import type { DocJSON } from './editor/extensions';
import { env } from './env';
import { AppError, fieldErrorsOf } from './errors';
import { faultPoint } from './fault';
import { isLocale } from './i18n';
import { canComment, canResolveComments, requireActor } from './permissions';
import { loadStatementForReader, REVIEW_STATES, type StatementAccess } from './statements';
import { normalizeEmail } from './tokens';
import { addCommentInputSchema } from './validation/comments';

const statementChain = (id: string) => ({ type: 'statement' as const, id });
const rank: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };
const displayName = (u: { name: string | null; email: string | null }) =>
  u.email ? u.name || u.email.split('@')[0]! : null;

export const COMMENTS_DIGEST_KIND = 'statement.comments_digest';

type StatementRow = typeof statements.$inferSelect;

function assertInReview(statement: StatementRow) {
  if (!REVIEW_STATES.includes(statement.state)) throw new AppError('INVALID_STATE', 'errors.commentsClosed');
}

/**
 * The organization through which the actor reads the statement: their strongest membership among the initiating
 * organizations (initiators) or the participant organizations (participants).
 */
async function readerOrgId(
  tx: Tx,
  statementId: string,
  userId: string,
  access: StatementAccess,
): Promise<string | null> {
  const link = access.kind === 'initiator' ? statementInitiators : statementParticipants;
  const rows = await tx
    .select({ orgId: link.orgId, role: memberships.role })
    .from(link)
    .innerJoin(memberships, and(eq(memberships.orgId, link.orgId), eq(memberships.userId, userId)))
    .where(eq(link.statementId, statementId));
  rows.sort((a, b) => rank[b.role] - rank[a.role] || a.orgId.localeCompare(b.orgId));
  return rows[0]?.orgId ?? null;
}

// ---- the digest e-mail to the initiators (at most one per statement per COMMENT_DIGEST_MINUTES) ----

/** The fixed window a comment made at `now` falls in; its mail is due when the window ends. */
export function digestBucket(now: Date, minutes = env().COMMENT_DIGEST_MINUTES): { start: Date; end: Date } {
  const ms = minutes * 60_000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

export const digestDedupeKey = (statementId: string, bucketStart: Date, email: string) =>
  `comments:${statementId}:${bucketStart.toISOString()}:${normalizeEmail(email)}`;

/**
 * One pending row per initiator member (the author excepted) and window: the first comment of the window writes
 * it (due at the window's end), later ones add to its count while it is still pending.
 */
async function enqueueDigest(
  tx: Tx,
  input: { statement: StatementRow; authorUserId: string; auditEventId: string; now: Date },
) {
  const { statement } = input;
  const recipients = await tx
    .selectDistinct({ email: users.email, locale: users.locale })
    .from(statementInitiators)
    .innerJoin(memberships, eq(memberships.orgId, statementInitiators.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(statementInitiators.statementId, statement.id), ne(users.id, input.authorUserId)));
  if (recipients.length === 0) return;
  const [primary] = await tx
    .select({ title: statementTexts.title })
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, statement.primaryLang)));
  const bucket = digestBucket(input.now);
  const seen = new Set<string>();
  for (const r of recipients) {
    const email = normalizeEmail(r.email);
    if (seen.has(email)) continue;
    seen.add(email);
    await tx
      .insert(outbox)
      .values({
        auditEventId: input.auditEventId,
        kind: COMMENTS_DIGEST_KIND,
        toEmail: email,
        locale: isLocale(r.locale) ? r.locale : 'en',
        data: {
          statementId: statement.id,
          title: primary?.title ?? '',
          lang: statement.primaryLang,
          count: 1,
        },
        dedupeKey: digestDedupeKey(statement.id, bucket.start, email),
        notBefore: bucket.end,
        unsubscribeScope: `statement:${statement.id}`,
      })
      .onConflictDoUpdate({
        target: outbox.dedupeKey,
        set: {
          data: sql`jsonb_set(${outbox.data}, '{count}', to_jsonb(coalesce((${outbox.data}->>'count')::int, 0) + 1))`,
        },
        // A row already being sent is left alone (cannot happen before the window's end, when it becomes due).
        setWhere: sql`${outbox.status} = 'pending'`,
      });
  }
}

// ---- mutations ----

export type AddCommentInput = {
  statementId: string;
  body: string;
  anchor?: CommentAnchor | null;
  parentId?: string | null;
};

/**
 * Comment or reply. Permission: any member of an initiating or a participant organization (SECURITY.md "comment /
 * reply"), while the statement is in review (draft, open, reopened). A reply goes to a thread of the same
 * statement (another statement's comment id: NOT_FOUND). One transaction: the comment, its audit event and the
 * initiators' digest rows.
 */
export async function addComment(
  ctx: Ctx,
  input: AddCommentInput,
): Promise<{ id: string; threadId: string }> {
  const actor = requireActor(ctx);
  const parsed = addCommentInputSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', 'errors.invalidInput', fieldErrorsOf(parsed.error.issues));
  const v = parsed.data;
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement, access } = await loadStatementForReader(tx, ctx, v.statementId, { lock: true });
    if (!canComment(access)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    assertInReview(statement);
    let anchor: CommentAnchor | null = null;
    if (v.anchor) {
      const [text] = await tx
        .select({ version: statementTexts.lockVersion })
        .from(statementTexts)
        .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, v.anchor.lang)));
      if (!text)
        throw new AppError('INVALID_INPUT', 'errors.invalidInput', {
          anchorLang: ['errors.commentLanguage'],
        });
      if (v.anchor.version > text.version)
        throw new AppError('INVALID_INPUT', 'errors.invalidInput', {
          anchorVersion: ['errors.invalidInput'],
        });
      const { lang, version, exact, prefix, suffix } = v.anchor;
      anchor = { lang, version, exact, prefix, suffix };
    }
    let threadId: string | null = null;
    if (v.parentId) {
      const [parent] = await tx
        .select({ id: statementComments.id, parentId: statementComments.parentId })
        .from(statementComments)
        .where(and(eq(statementComments.id, v.parentId), eq(statementComments.statementId, statement.id)));
      if (!parent) throw new AppError('NOT_FOUND', 'errors.notFound');
      if (parent.parentId) throw new AppError('INVALID_INPUT', 'errors.replyToThreadOnly');
      threadId = parent.id;
    }
    const [row] = await tx
      .insert(statementComments)
      .values({
        statementId: statement.id,
        parentId: threadId,
        authorUserId: actor.userId,
        authorOrgId: await readerOrgId(tx, statement.id, actor.userId, access),
        body: v.body,
        anchor,
        createdAt: now,
      })
      .returning({ id: statementComments.id, authorOrgId: statementComments.authorOrgId });
    faultPoint('comments.after_insert');
    const event = await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'comment.added',
      actorUserId: actor.userId,
      data: {
        commentId: row!.id,
        parentId: threadId,
        authorOrgId: row!.authorOrgId,
        ...(anchor ? { lang: anchor.lang, version: anchor.version } : {}),
      },
      now,
    });
    await enqueueDigest(tx, { statement, authorUserId: actor.userId, auditEventId: event.id, now });
    return { id: row!.id, threadId: threadId ?? row!.id };
  });
}

async function setResolved(ctx: Ctx, input: { statementId: string; commentId: string }, resolved: boolean) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement, access } = await loadStatementForReader(tx, ctx, input.statementId, { lock: true });
    // Participants read the thread, so "not yours to resolve" leaks nothing (matrix: deny).
    if (!canResolveComments(access)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    assertInReview(statement);
    const [comment] = /^[0-9a-f-]{36}$/i.test(input.commentId)
      ? await tx
          .select()
          .from(statementComments)
          .where(
            and(eq(statementComments.id, input.commentId), eq(statementComments.statementId, statement.id)),
          )
      : [];
    if (!comment) throw new AppError('NOT_FOUND', 'errors.notFound');
    if (comment.parentId) throw new AppError('INVALID_INPUT', 'errors.resolveThreadOnly');
    // Resolving a resolved thread (or reopening an open one) is a no-op: two people clicking at once both succeed.
    if (!!comment.resolvedAt === resolved) return { changed: false };
    const updated = await tx
      .update(statementComments)
      .set(resolved ? { resolvedAt: now, resolvedBy: actor.userId } : { resolvedAt: null, resolvedBy: null })
      .where(
        and(
          eq(statementComments.id, comment.id),
          resolved ? isNull(statementComments.resolvedAt) : sql`${statementComments.resolvedAt} IS NOT NULL`,
        ),
      )
      .returning({ id: statementComments.id });
    if (updated.length !== 1) return { changed: false };
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: resolved ? 'comment.resolved' : 'comment.reopened',
      actorUserId: actor.userId,
      data: { commentId: comment.id },
      now,
    });
    return { changed: true };
  });
}

/**
 * Mark a thread resolved. Permission: initiator members and admins (SECURITY.md "resolve / reopen comment");
 * participants FORBIDDEN; thread roots only; while in review. Already resolved: a no-op ({ changed: false }).
 */
export const resolveComment = (ctx: Ctx, input: { statementId: string; commentId: string }) =>
  setResolved(ctx, input, true);

/** Reopen a resolved thread. Permission: as resolveComment. Already open: a no-op ({ changed: false }). */
export const reopenComment = (ctx: Ctx, input: { statementId: string; commentId: string }) =>
  setResolved(ctx, input, false);

// ---- reads ----

export type CommentView = {
  id: string;
  body: string;
  authorName: string | null;
  orgName: string | null;
  createdAt: Date;
  isMine: boolean;
};
export type ThreadView = CommentView & {
  anchor: CommentAnchor | null;
  resolved: boolean;
  resolvedAt: Date | null;
  resolvedByName: string | null;
  replies: CommentView[];
};

async function threadsOf(db: DbOrTx, statementId: string, userId: string): Promise<ThreadView[]> {
  const resolver = alias(users, 'resolver');
  const rows = await db
    .select({
      c: statementComments,
      authorName: users.name,
      authorEmail: users.email,
      orgName: organizations.name,
      resolverName: resolver.name,
      resolverEmail: resolver.email,
    })
    .from(statementComments)
    .leftJoin(users, eq(users.id, statementComments.authorUserId))
    .leftJoin(organizations, eq(organizations.id, statementComments.authorOrgId))
    .leftJoin(resolver, eq(resolver.id, statementComments.resolvedBy))
    .where(eq(statementComments.statementId, statementId))
    .orderBy(asc(statementComments.createdAt), asc(statementComments.id));
  const threads = new Map<string, ThreadView>();
  const view = (r: (typeof rows)[number]): CommentView => ({
    id: r.c.id,
    body: r.c.body,
    authorName: displayName({ name: r.authorName, email: r.authorEmail }),
    orgName: r.orgName,
    createdAt: r.c.createdAt,
    isMine: r.c.authorUserId === userId,
  });
  for (const r of rows)
    if (!r.c.parentId)
      threads.set(r.c.id, {
        ...view(r),
        anchor: r.c.anchor,
        resolved: !!r.c.resolvedAt,
        resolvedAt: r.c.resolvedAt,
        resolvedByName: displayName({ name: r.resolverName, email: r.resolverEmail }),
        replies: [],
      });
  for (const r of rows) if (r.c.parentId) threads.get(r.c.parentId)?.replies.push(view(r));
  return [...threads.values()];
}

/**
 * Every thread of a statement with its replies, oldest first: author's display name and organization, anchor,
 * resolved or not. Permission: whoever may read the draft (initiator and participant members).
 */
export async function listComments(ctx: Ctx, statementId: string) {
  const actor = requireActor(ctx);
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  const threads = await threadsOf(ctx.db, statement.id, actor.userId);
  return {
    threads,
    openCount: threads.filter((t) => !t.resolved).length,
    canResolve: canResolveComments(access),
  };
}

/** Unresolved threads of a statement. Permission: as listComments. */
export async function openCommentCount(ctx: Ctx, statementId: string): Promise<number> {
  const { statement } = await loadStatementForReader(ctx.db, ctx, statementId);
  const [r] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(statementComments)
    .where(
      and(
        eq(statementComments.statementId, statement.id),
        isNull(statementComments.parentId),
        isNull(statementComments.resolvedAt),
      ),
    );
  return r?.n ?? 0;
}

/** The statement's state and primary language, for whoever may read the draft (else NOT_FOUND). */
export async function getStatementForReader(ctx: Ctx, statementId: string) {
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  return {
    id: statement.id,
    state: statement.state,
    primaryLang: statement.primaryLang,
    access: access.kind,
  };
}

/**
 * Everything the review page of one language needs: the current draft of that language (read only), the
 * statement's languages, its initiators, the threads, and what the reader may do. Permission: as listComments;
 * a language the statement does not have is NOT_FOUND.
 */
export async function getReview(ctx: Ctx, statementId: string, lang: string) {
  const actor = requireActor(ctx);
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  const texts = await ctx.db
    .select({
      lang: statementTexts.lang,
      title: statementTexts.title,
      doc: statementTexts.doc,
      version: statementTexts.lockVersion,
    })
    .from(statementTexts)
    .where(eq(statementTexts.statementId, statement.id))
    .orderBy(asc(statementTexts.createdAt));
  const text = texts.find((t) => t.lang === lang);
  if (!text) throw new AppError('NOT_FOUND', 'errors.notFound');
  const initiators = await ctx.db
    .select({ name: organizations.name, role: statementInitiators.role })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statement.id))
    .orderBy(asc(statementInitiators.joinedAt));
  const threads = await threadsOf(ctx.db, statement.id, actor.userId);
  return {
    statement,
    access,
    canComment: canComment(access) && REVIEW_STATES.includes(statement.state),
    canResolve: canResolveComments(access) && REVIEW_STATES.includes(statement.state),
    texts: texts
      .map(({ doc: _d, ...t }) => ({ ...t, isPrimary: t.lang === statement.primaryLang }))
      .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary)),
    text: { lang: text.lang, title: text.title, doc: text.doc as DocJSON, version: text.version },
    primaryTitle: texts.find((t) => t.lang === statement.primaryLang)?.title ?? '',
    initiators,
    threads,
    openCount: threads.filter((t) => !t.resolved).length,
  };
}
