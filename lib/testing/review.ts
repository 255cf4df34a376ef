// Seeding helpers for review (comments) tests: a statement of an initiating organization with a saved text,
// a participant organization and an invited-but-not-accepted one, both through the real invitation path (an
// initiator admin invites; the participant's owner accepts), so the invariant checker finds them consistent.
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { publications, statements, statementTexts, statementVersions, type StatementState } from '@/db/schema';
import { appendAudit } from '../audit';
import { refreshRecord } from '../record';
import { canonicalVersion } from '../signing';
import type { DocJSON } from '../editor/extensions';
import { addTranslation, createStatement, saveText } from '../statements';
import { ctxFor } from './db';
import { inviteOrg, participate } from './invitations';
import type { SeededOrg } from './orgs';

export const docOf = (...paragraphs: string[]): DocJSON => ({
  type: 'doc',
  content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

/** The primary (hy) text every review statement starts with, and an English translation. */
export const REVIEW_TEXT = [
  'Մենք կոչ ենք անում հրապարակել օրենքի նախագիծը։',
  'The draft must be open to comment for thirty days.',
];

/** A statement of `org` (primary hy, version 1; an English text at version 1), then put in `state` (in SQL). */
export async function seedReviewStatement(org: SeededOrg, state: StatementState = 'draft'): Promise<string> {
  const c = ctxFor(org.owner);
  const { id } = await createStatement(c, {
    orgId: org.org.id,
    title: 'Open letter',
    primaryLang: 'hy',
    summary: null,
    timeZone: 'Asia/Yerevan',
  });
  await saveText(c, {
    statementId: id,
    lang: 'hy',
    baseVersion: 0,
    title: 'Open letter',
    doc: docOf(...REVIEW_TEXT),
  });
  await addTranslation(c, { statementId: id, lang: 'en', title: 'Open letter (en)' });
  await saveText(c, {
    statementId: id,
    lang: 'en',
    baseVersion: 0,
    title: 'Open letter (en)',
    doc: docOf('We call for the draft law.'),
  });
  if (state !== 'draft') await setState(id, state);
  return id;
}

/**
 * Put a statement in `state` for a test that is about another feature. States that need a frozen version
 * (open, reopened, and the later ones) get one first, written as freezeVersion writes it (version row with its
 * canonical bytes and hash, current_version, its version.frozen event) but without freezeVersion's content rules,
 * so statements with empty texts can be used; the invariant checker finds them consistent.
 */
export async function setState(statementId: string, state: StatementState): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [st] = await tx.select().from(statements).where(eq(statements.id, statementId)).for('update');
    if (!st) throw new Error(`no statement ${statementId}`);
    if (state !== 'draft' && st.currentVersion === null) {
      const texts = await tx.select().from(statementTexts).where(eq(statementTexts.statementId, statementId));
      const number = 1;
      const { canonical, sha256 } = canonicalVersion(statementId, number, Object.fromEntries(texts.map((t) => [t.lang, { title: t.title, body: t.doc }])));
      const [v] = await tx
        .insert(statementVersions)
        .values({ statementId, number, langs: texts.map((t) => t.lang).sort(), canonical, contentSha256: sha256 })
        .returning();
      await tx.update(statements).set({ currentVersion: number }).where(eq(statements.id, statementId));
      await appendAudit(tx, {
        chain: { type: 'statement', id: statementId },
        type: 'version.frozen',
        actorUserId: null,
        data: { version: number, versionId: v!.id, contentSha256: sha256, langs: v!.langs, seededByTest: true },
      });
    }
    await tx.update(statements).set({ state }).where(eq(statements.id, statementId));
    // Tests that walk a statement back before publication (the product never does): its publication and record
    // revisions go too, the append-only guard lifted for this transaction only.
    if (state !== 'published' && state !== 'closed' && state !== 'withdrawn') {
      const [pub] = await tx.select().from(publications).where(eq(publications.statementId, statementId));
      if (pub) {
        await tx.execute(sql`ALTER TABLE public_records DISABLE TRIGGER public_records_append_only`);
        await tx.execute(sql`DELETE FROM record_pdfs WHERE statement_id = ${statementId}`);
        await tx.execute(sql`DELETE FROM public_records WHERE statement_id = ${statementId}`);
        await tx.execute(sql`ALTER TABLE public_records ENABLE TRIGGER public_records_append_only`);
        await tx.delete(publications).where(eq(publications.statementId, statementId));
      }
    }
    // A published (or closed, withdrawn) statement has its publication and a signed record, as publishing writes.
    if ((state === 'published' || state === 'closed' || state === 'withdrawn') && !(await tx.select().from(publications).where(eq(publications.statementId, statementId))).length) {
      const [v] = await tx
        .select()
        .from(statementVersions)
        .where(and(eq(statementVersions.statementId, statementId), eq(statementVersions.number, st.currentVersion ?? 1)));
      const now = new Date();
      await tx.insert(publications).values({
        statementId,
        slug: `test-${statementId}`,
        versionId: v!.id,
        versionNumber: v!.number,
        displayDate: now.toISOString().slice(0, 10),
        publishedAt: now,
        closedAt: state === 'closed' ? now : null,
        withdrawnAt: state === 'withdrawn' ? now : null,
        withdrawReason: state === 'withdrawn' ? 'Set by a test' : null,
      });
      await appendAudit(tx, {
        chain: { type: 'statement', id: statementId },
        type: 'statement.published',
        actorUserId: null,
        data: { slug: `test-${statementId}`, version: v!.number, seededByTest: true },
      });
      await refreshRecord(tx, statementId, now);
    }
  });
}

/** Make `org` a participant of the statement: invited by an initiator admin, accepted by its owner (INV-M for its members). */
export async function addParticipant(statementId: string, org: SeededOrg): Promise<void> {
  await participate(statementId, org);
}

/** A pending participant invitation to `org` by the initiator admin `invitedBy` (INV-P: invited, not accepted). */
export async function invitePending(statementId: string, org: SeededOrg, invitedBy: string): Promise<void> {
  await inviteOrg(statementId, org, { by: invitedBy });
}
