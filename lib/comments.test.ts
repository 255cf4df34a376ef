// Review comments (PRODUCT.md D5) against a real PostgreSQL: comments, replies, resolve/reopen, limits, the
// initiators' digest e-mail (batched per statement and window), and one audit event per change.
import { and, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, outbox, statementComments, type AuditEventType } from '@/db/schema';
import {
  addComment,
  digestBucket,
  listComments,
  openCommentCount,
  reopenComment,
  resolveComment,
} from './comments';
import type { Actor } from './context';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import { renderOutboxMail } from './mail/render';
import { relayOnce } from './outbox';
import { ctxFor, digestDomain } from './testing/db';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { addParticipant, invitePending, REVIEW_TEXT, seedReviewStatement, setState } from './testing/review';

const db = () => getDb();
let A: SeededOrg; // initiator
let P: SeededOrg; // participant
let Q: SeededOrg; // invited, not accepted
let B: SeededOrg; // unrelated

beforeAll(async () => {
  [A, P, Q, B] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
});

async function statement(state: Parameters<typeof seedReviewStatement>[1] = 'draft') {
  const id = await seedReviewStatement(A, 'draft');
  await addParticipant(id, P);
  await invitePending(id, Q, A.owner.userId);
  if (state !== 'draft') await setState(id, state);
  return id;
}

async function refused(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message, fieldErrors: e.fieldErrors };
    throw e;
  }
  throw new Error('expected a refusal');
}
/** Refused with `code`, and nothing in the domain tables changed. */
async function expectRefused(fn: () => Promise<unknown>, code: string, message?: string) {
  const before = await digestDomain();
  const r = await refused(fn);
  expect(r).toMatchObject({ code, ...(message ? { message } : {}) });
  expect(await digestDomain()).toBe(before);
  return r;
}

const events = (statementId: string, type: AuditEventType) =>
  db()
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.chainType, 'statement'),
        eq(auditEvents.chainId, statementId),
        eq(auditEvents.type, type),
      ),
    );
const commentRow = async (id: string) =>
  (await db().select().from(statementComments).where(eq(statementComments.id, id)))[0]!;
const digestRows = (statementId: string) =>
  db()
    .select()
    .from(outbox)
    .where(like(outbox.dedupeKey, `comments:${statementId}:%`));

const anchorOf = (exact: string, lang = 'en', version = 1) => {
  const text = lang === 'hy' ? REVIEW_TEXT.join('') : 'We call for the draft law.';
  const i = text.indexOf(exact);
  return {
    lang,
    version,
    exact,
    prefix: text.slice(Math.max(0, i - 32), i),
    suffix: text.slice(i + exact.length, i + exact.length + 32),
  };
};

describe('addComment', () => {
  it('a participant member comments on the whole statement: stored with their organization, one audit event', async () => {
    const id = await statement();
    const { id: cid, threadId } = await addComment(ctxFor(P.member), {
      statementId: id,
      body: '  Please add a deadline.  ',
    });
    expect(threadId).toBe(cid);
    expect(await commentRow(cid)).toMatchObject({
      statementId: id,
      parentId: null,
      authorUserId: P.member.userId,
      authorOrgId: P.org.id,
      body: 'Please add a deadline.',
      anchor: null,
      resolvedAt: null,
    });
    const ev = await events(id, 'comment.added');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.data).toMatchObject({ commentId: cid, parentId: null, authorOrgId: P.org.id });
    expect(ev[0]!.actorUserId).toBe(P.member.userId);
  });

  it('an initiator member comments on a passage: the anchor is kept as sent (whitespace included)', async () => {
    const id = await statement('open');
    const anchor = anchorOf('the draft law');
    const { id: cid } = await addComment(ctxFor(A.member), {
      statementId: id,
      body: 'Name the law.',
      anchor,
    });
    expect(await commentRow(cid)).toMatchObject({ anchor, authorOrgId: A.org.id });
    expect((await events(id, 'comment.added'))[0]!.data).toMatchObject({ lang: 'en', version: 1 });
  });

  it('an anchor in a language the statement does not have, or on a version it never reached → INVALID_INPUT', async () => {
    const id = await statement();
    await expectRefused(
      () =>
        addComment(ctxFor(P.member), {
          statementId: id,
          body: 'x',
          anchor: { ...anchorOf('draft law'), lang: 'ru' },
        }),
      'INVALID_INPUT',
    );
    await expectRefused(
      () =>
        addComment(ctxFor(P.member), {
          statementId: id,
          body: 'x',
          anchor: { ...anchorOf('draft law'), version: 9 },
        }),
      'INVALID_INPUT',
    );
    // The twin: the same anchor on the English text's current version.
    await addComment(ctxFor(P.member), { statementId: id, body: 'x', anchor: anchorOf('draft law') });
  });

  it('lengths: body 1..4000 after trimming, quote ≤ 1000, prefix and suffix ≤ 64', async () => {
    const id = await statement();
    const c = ctxFor(P.member);
    for (const body of ['', '   \n ', 'x'.repeat(4001)])
      await expectRefused(() => addComment(c, { statementId: id, body }), 'INVALID_INPUT');
    const long = await addComment(c, { statementId: id, body: ` ${'я'.repeat(4000)} ` });
    expect((await commentRow(long.id)).body).toHaveLength(4000);
    const base = anchorOf('draft law');
    await expectRefused(
      () => addComment(c, { statementId: id, body: 'x', anchor: { ...base, exact: 'q'.repeat(1001) } }),
      'INVALID_INPUT',
    );
    await expectRefused(
      () => addComment(c, { statementId: id, body: 'x', anchor: { ...base, exact: '' } }),
      'INVALID_INPUT',
    );
    await expectRefused(
      () => addComment(c, { statementId: id, body: 'x', anchor: { ...base, prefix: 'p'.repeat(65) } }),
      'INVALID_INPUT',
    );
    await expectRefused(
      () => addComment(c, { statementId: id, body: 'x', anchor: { ...base, suffix: 's'.repeat(65) } }),
      'INVALID_INPUT',
    );
    const ok = await addComment(c, {
      statementId: id,
      body: 'x',
      anchor: { ...base, exact: 'q'.repeat(1000), prefix: 'p'.repeat(64), suffix: 's'.repeat(64) },
    });
    expect((await commentRow(ok.id)).anchor!.exact).toHaveLength(1000);
  });

  it('NUL bytes and lone surrogates are refused with a clear error, in the body and in the anchor', async () => {
    const id = await statement();
    const c = ctxFor(P.member);
    const nul = await expectRefused(
      () => addComment(c, { statementId: id, body: 'a\u0000b' }),
      'INVALID_INPUT',
    );
    expect(nul.fieldErrors).toEqual({ body: ['errors.nulCharacter'] });
    const sur = await expectRefused(
      () => addComment(c, { statementId: id, body: 'a\uD800b' }),
      'INVALID_INPUT',
    );
    expect(sur.fieldErrors).toEqual({ body: ['errors.loneSurrogate'] });
    const q = await expectRefused(
      () =>
        addComment(c, {
          statementId: id,
          body: 'x',
          anchor: { ...anchorOf('draft law'), exact: 'draft\u0000law' },
        }),
      'INVALID_INPUT',
    );
    expect(q.fieldErrors).toEqual({ 'anchor.exact': ['errors.nulCharacter'] });
  });

  it('replies: to a thread of the same statement; not to a reply, not with an anchor, never to another statement (NOT_FOUND)', async () => {
    const id = await statement();
    const other = await seedReviewStatement(B);
    const { id: root } = await addComment(ctxFor(A.member), { statementId: id, body: 'Thread' });
    const { id: foreign } = await addComment(ctxFor(B.member), { statementId: other, body: 'Elsewhere' });
    const reply = await addComment(ctxFor(P.member), { statementId: id, body: 'Agreed', parentId: root });
    expect(reply.threadId).toBe(root);
    expect(await commentRow(reply.id)).toMatchObject({ parentId: root, statementId: id });
    await expectRefused(
      () => addComment(ctxFor(P.member), { statementId: id, body: 'x', parentId: reply.id }),
      'INVALID_INPUT',
      'errors.replyToThreadOnly',
    );
    await expectRefused(
      () =>
        addComment(ctxFor(P.member), {
          statementId: id,
          body: 'x',
          parentId: root,
          anchor: anchorOf('draft law'),
        }),
      'INVALID_INPUT',
    );
    // IDOR: another statement's comment id under a statement the actor can read.
    await expectRefused(
      () => addComment(ctxFor(P.member), { statementId: id, body: 'x', parentId: foreign }),
      'NOT_FOUND',
      'errors.notFound',
    );
    // …and under a statement they cannot read: the same answer.
    await expectRefused(
      () => addComment(ctxFor(P.member), { statementId: other, body: 'x', parentId: foreign }),
      'NOT_FOUND',
      'errors.notFound',
    );
  });

  it('who: outsiders and invited-not-accepted organizations get NOT_FOUND, signed out UNAUTHENTICATED; after review, INVALID_STATE', async () => {
    const id = await statement();
    await expectRefused(
      () => addComment(ctxFor(B.owner), { statementId: id, body: 'x' }),
      'NOT_FOUND',
      'errors.notFound',
    );
    await expectRefused(
      () => addComment(ctxFor(Q.owner), { statementId: id, body: 'x' }),
      'NOT_FOUND',
      'errors.notFound',
    );
    await expectRefused(() => addComment(ctxFor(null), { statementId: id, body: 'x' }), 'UNAUTHENTICATED');
    await setState(id, 'published');
    await expectRefused(
      () => addComment(ctxFor(P.member), { statementId: id, body: 'x' }),
      'INVALID_STATE',
      'errors.commentsClosed',
    );
    await setState(id, 'reopened');
    await addComment(ctxFor(P.member), { statementId: id, body: 'x' });
  });
});

describe('resolveComment / reopenComment', () => {
  it('initiators resolve and reopen a thread, one audit event each; repeating is a no-op without an event', async () => {
    const id = await statement();
    const { id: root } = await addComment(ctxFor(P.member), { statementId: id, body: 'Thread' });
    expect(await resolveComment(ctxFor(A.member), { statementId: id, commentId: root })).toEqual({
      changed: true,
    });
    expect(await commentRow(root)).toMatchObject({ resolvedBy: A.member.userId });
    expect((await commentRow(root)).resolvedAt).not.toBeNull();
    const before = await digestDomain();
    expect(await resolveComment(ctxFor(A.admin), { statementId: id, commentId: root })).toEqual({
      changed: false,
    });
    expect(await digestDomain()).toBe(before);
    expect(await events(id, 'comment.resolved')).toHaveLength(1);

    expect(await reopenComment(ctxFor(A.admin), { statementId: id, commentId: root })).toEqual({
      changed: true,
    });
    expect(await commentRow(root)).toMatchObject({ resolvedAt: null, resolvedBy: null });
    expect(await reopenComment(ctxFor(A.owner), { statementId: id, commentId: root })).toEqual({
      changed: false,
    });
    const reopened = await events(id, 'comment.reopened');
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.data).toEqual({ commentId: root });
  });

  it('participants are refused (FORBIDDEN), replies cannot be resolved, another statement’s comment is NOT_FOUND', async () => {
    const id = await statement();
    const other = await statement();
    const { id: root } = await addComment(ctxFor(P.member), { statementId: id, body: 'Thread' });
    const { id: reply } = await addComment(ctxFor(A.member), {
      statementId: id,
      body: 'Reply',
      parentId: root,
    });
    const { id: foreign } = await addComment(ctxFor(A.member), { statementId: other, body: 'Elsewhere' });
    await expectRefused(
      () => resolveComment(ctxFor(P.owner), { statementId: id, commentId: root }),
      'FORBIDDEN',
    );
    await expectRefused(
      () => resolveComment(ctxFor(A.member), { statementId: id, commentId: reply }),
      'INVALID_INPUT',
      'errors.resolveThreadOnly',
    );
    await expectRefused(
      () => resolveComment(ctxFor(A.member), { statementId: id, commentId: foreign }),
      'NOT_FOUND',
    );
    await expectRefused(
      () => resolveComment(ctxFor(A.member), { statementId: id, commentId: 'not-a-uuid' }),
      'NOT_FOUND',
    );
    await expectRefused(
      () => resolveComment(ctxFor(Q.owner), { statementId: id, commentId: root }),
      'NOT_FOUND',
    );
    await setState(id, 'published');
    await expectRefused(
      () => resolveComment(ctxFor(A.member), { statementId: id, commentId: root }),
      'INVALID_STATE',
    );
    await setState(id, 'open');
    expect(await resolveComment(ctxFor(A.member), { statementId: id, commentId: root })).toEqual({
      changed: true,
    });
  });
});

describe('listComments / openCommentCount', () => {
  it('threads oldest first with author, organization, replies and the resolved flag; readers only', async () => {
    const id = await statement();
    const t1 = await addComment(ctxFor(P.member), {
      statementId: id,
      body: 'First',
      anchor: anchorOf('draft law'),
    });
    const t2 = await addComment(ctxFor(A.admin), { statementId: id, body: 'Second' });
    await addComment(ctxFor(A.member), { statementId: id, body: 'Re: first', parentId: t1.id });
    await resolveComment(ctxFor(A.owner), { statementId: id, commentId: t2.id });
    const { threads, openCount, canResolve } = await listComments(ctxFor(P.owner), id);
    expect(canResolve).toBe(false);
    expect(openCount).toBe(1);
    expect(threads.map((t) => t.body)).toEqual(['First', 'Second']);
    expect(threads[0]).toMatchObject({
      authorName: P.member.email.split('@')[0],
      orgName: P.org.name,
      resolved: false,
      anchor: anchorOf('draft law'),
      isMine: false,
    });
    expect(threads[0]!.replies).toMatchObject([{ body: 'Re: first', orgName: A.org.name }]);
    expect(threads[1]).toMatchObject({
      resolved: true,
      resolvedByName: A.owner.email.split('@')[0],
      orgName: A.org.name,
    });
    expect((await listComments(ctxFor(A.member), id)).canResolve).toBe(true);
    expect(await openCommentCount(ctxFor(A.member), id)).toBe(1);
    for (const outsider of [B.owner, Q.owner])
      expect(await refused(() => listComments(ctxFor(outsider), id))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the digest e-mail to the initiators', () => {
  const at = (iso: string) => new Date(iso);
  const recipients = (a: SeededOrg) => [a.owner, a.admin, a.member].map((u) => u.email).sort();

  it('two comments in one window → one row per initiator member with count 2, due at the window’s end; the next window → new rows; the author is left out', async () => {
    const id = await statement();
    const w1 = digestBucket(at('2031-03-04T10:01:00Z'), 15);
    expect(w1).toEqual({ start: at('2031-03-04T10:00:00Z'), end: at('2031-03-04T10:15:00Z') });
    await addComment(ctxFor(P.member, { now: at('2031-03-04T10:01:00Z') }), { statementId: id, body: 'One' });
    await addComment(ctxFor(P.admin, { now: at('2031-03-04T10:14:59Z') }), { statementId: id, body: 'Two' });
    let rows = await digestRows(id);
    expect(rows.map((r) => r.toEmail).sort()).toEqual(recipients(A));
    for (const r of rows) {
      expect(r).toMatchObject({
        kind: 'statement.comments_digest',
        status: 'pending',
        unsubscribeScope: `statement:${id}`,
        dedupeKey: `comments:${id}:2031-03-04T10:00:00.000Z:${r.toEmail}`,
        data: { statementId: id, title: 'Open letter', count: 2 },
      });
      expect(r.notBefore.toISOString()).toBe('2031-03-04T10:15:00.000Z');
    }
    // Every row references an audit event of this statement (the first comment's).
    const added = await events(id, 'comment.added');
    expect(added).toHaveLength(2);
    expect(new Set(rows.map((r) => r.auditEventId))).toEqual(
      new Set([added.find((e) => e.createdAt.toISOString().startsWith('2031-03-04T10:01'))!.id]),
    );

    // The next window: new rows. An initiator member comments: everyone but them is told.
    await addComment(ctxFor(A.member, { now: at('2031-03-04T10:15:00Z') }), {
      statementId: id,
      body: 'Three',
    });
    rows = await digestRows(id);
    const w2 = rows.filter((r) => r.dedupeKey.includes(':2031-03-04T10:15:00.000Z:'));
    expect(w2.map((r) => r.toEmail).sort()).toEqual([A.owner.email, A.admin.email].sort());
    expect(
      w2.every((r) => r.data.count === 1 && r.notBefore.toISOString() === '2031-03-04T10:30:00.000Z'),
    ).toBe(true);
    // The first window is untouched; participants are never e-mailed here.
    expect(
      rows.filter((r) => r.dedupeKey.includes(':2031-03-04T10:00:00.000Z:')).every((r) => r.data.count === 2),
    ).toBe(true);
    expect(rows.some((r) => [P.owner, P.admin, P.member].some((u) => u.email === r.toEmail))).toBe(false);

    // The author's own comment does not count in their row; others' do.
    await addComment(ctxFor(A.admin, { now: at('2031-03-04T10:20:00Z') }), { statementId: id, body: 'Four' });
    rows = (await digestRows(id)).filter((r) => r.dedupeKey.includes(':2031-03-04T10:15:00.000Z:'));
    const count = (u: Actor) => rows.find((r) => r.toEmail === u.email)?.data.count;
    expect([count(A.owner), count(A.admin), count(A.member)]).toEqual([2, 1, 1]);
  });

  it('a row already sent is never counted into again', async () => {
    const id = await statement();
    await addComment(ctxFor(P.member, { now: at('2032-01-01T09:00:00Z') }), { statementId: id, body: 'One' });
    await db()
      .update(outbox)
      .set({ status: 'sent' })
      .where(like(outbox.dedupeKey, `comments:${id}:%`));
    await addComment(ctxFor(P.member, { now: at('2032-01-01T09:05:00Z') }), { statementId: id, body: 'Two' });
    expect((await digestRows(id)).map((r) => [r.status, r.data.count])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('the message: "N new comments on «title»", a plain link to the review page, one-click unsubscribe', async () => {
    const id = await statement();
    await addComment(ctxFor(P.member), { statementId: id, body: 'One' });
    await addComment(ctxFor(P.member), { statementId: id, body: 'Two' });
    // Only this statement's rows are due now.
    await db().update(outbox).set({ status: 'cancelled' }).where(eq(outbox.status, 'pending'));
    await db()
      .update(outbox)
      .set({ status: 'pending', notBefore: new Date(Date.now() - 1000) })
      .where(like(outbox.dedupeKey, `comments:${id}:%`));
    const sent: {
      to: string;
      subject: string;
      text: string;
      html: string;
      headers?: Record<string, string>;
    }[] = [];
    const stats = await relayOnce(db(), {
      transport: { send: async (m) => void sent.push(m as (typeof sent)[number]) },
    });
    expect(stats.sent).toBe(3);
    const mine = sent.find((m) => m.to === A.owner.email)!;
    expect(mine.subject).toBe('2 new comments on «Open letter»');
    expect(mine.text).toContain(`http://localhost:3000/statements/${id}/review`);
    expect(mine.text).not.toContain('#t=');
    expect(mine.html).toContain(`href="http://localhost:3000/statements/${id}/review"`);
    expect(mine.headers?.['List-Unsubscribe']).toMatch(/\/unsubscribe\?u=/);
    // Every language has its wording (and plural forms).
    const hy = renderOutboxMail(
      'statement.comments_digest',
      'hy',
      { statementId: id, title: 'Նամակ', count: 1 },
      null,
      undefined,
    );
    expect(hy.subject).toContain('Նամակ');
    const ru = renderOutboxMail(
      'statement.comments_digest',
      'ru',
      { statementId: id, title: 'Письмо', count: 3 },
      null,
      undefined,
    );
    expect(ru.subject).toBe('3 новых комментария к «Письмо»');
    // The title is text, never markup.
    const x = renderOutboxMail(
      'statement.comments_digest',
      'en',
      { statementId: id, title: '<script>x</script>', count: 1 },
      null,
      undefined,
    );
    expect(x.html).not.toContain('<script>x');
    expect(x.subject).toBe('1 new comment on «<script>x</script>»');
  });
});

describe('invariants after this file', () => {
  it('every chain verifies; every outbox row has its audit event', async () => {
    expect((await checkInvariants(db())).filter((f) => f.count > 0)).toEqual([]);
  });
});
