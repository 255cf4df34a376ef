// Statements and their drafts (PRODUCT.md D1–D4): create, texts per language with optimistic concurrency,
// append-only revisions, restore, translations aligned with the primary text. Every function authorizes
// inside itself against the statement it touches (SECURITY.md I1); anyone outside gets NOT_FOUND (I2).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import {
  EDITABLE_STATES,
  memberships,
  organizations,
  statementInitiators,
  statementParticipants,
  statementRevisions,
  statements,
  statementTexts,
  users,
  type OrgRole,
  type StatementState,
} from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import { changeSize } from './editor/diff';
import { type DocJSON, EMPTY_DOC, sameDoc } from './editor/extensions';
import { validateDoc, type DocProblem } from './editor/validate';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isOrgAdmin, requireActor } from './permissions';

export type StatementRole = 'INIT-M' | 'INIT-A';

const statementChain = (id: string) => ({ type: 'statement' as const, id });
const rank: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** A stale save (I6): carries the text as it is now, so the editor can show it beside the user's own. */
export class ConflictError extends AppError {
  constructor(
    public current: {
      version: number;
      title: string;
      doc: DocJSON;
      updatedAt: string;
      updatedByName: string | null;
    },
  ) {
    super('CONFLICT', 'errors.draftConflict');
  }
}

/** A document the editor's schema would not keep as sent (I9); `problem.path` names the JSON path. */
export class InvalidDocumentError extends AppError {
  constructor(public problem: DocProblem) {
    super('INVALID_INPUT', 'errors.invalidDocument', { doc: [`errors.doc.${problem.reason}`] });
  }
}

/**
 * The actor's strongest role in the statement's initiating organizations, or null. Read on every request (a
 * removed member is refused at once). Participants (invited organizations) arrive with the inviting issue.
 */
export async function initiatorRole(
  db: DbOrTx,
  statementId: string,
  userId: string,
): Promise<OrgRole | null> {
  const rows = await db
    .select({ role: memberships.role })
    .from(statementInitiators)
    .innerJoin(
      memberships,
      and(eq(memberships.orgId, statementInitiators.orgId), eq(memberships.userId, userId)),
    )
    .where(eq(statementInitiators.statementId, statementId));
  let best: OrgRole | null = null;
  for (const r of rows) if (!best || rank[r.role] > rank[best]) best = r.role;
  return best;
}

/**
 * The actor's strongest role in the statement's participant organizations (those whose owner/admin accepted an
 * invitation), or null.
 */
export async function participantRole(db: DbOrTx, statementId: string, userId: string): Promise<OrgRole | null> {
  const rows = await db
    .select({ role: memberships.role })
    .from(statementParticipants)
    .innerJoin(memberships, and(eq(memberships.orgId, statementParticipants.orgId), eq(memberships.userId, userId)))
    .where(eq(statementParticipants.statementId, statementId));
  let best: OrgRole | null = null;
  for (const r of rows) if (!best || rank[r.role] > rank[best]) best = r.role;
  return best;
}

/** How the actor reaches a statement: as an initiator member (INIT-M/INIT-A) or a participant member (INV-M). */
export type StatementAccess = { kind: 'initiator'; role: OrgRole } | { kind: 'participant'; role: OrgRole };

export async function statementAccess(db: DbOrTx, statementId: string, userId: string): Promise<StatementAccess | null> {
  const init = await initiatorRole(db, statementId, userId);
  if (init) return { kind: 'initiator', role: init };
  const part = await participantRole(db, statementId, userId);
  return part ? { kind: 'participant', role: part } : null;
}

/** States in which participants read the draft and comment (unpublished; published text is public). */
export const REVIEW_STATES: readonly StatementState[] = ['draft', 'open', 'reopened'];

type StatementRow = typeof statements.$inferSelect;

/**
 * Load a statement for anyone who may read its unpublished text (C1): initiator members and participant members.
 * Everyone else gets NOT_FOUND, whether or not it exists (I2).
 */
export async function loadStatementForReader(
  db: DbOrTx,
  ctx: Ctx,
  statementId: string,
  opts: { lock?: boolean } = {},
): Promise<{ statement: StatementRow; access: StatementAccess }> {
  const actor = requireActor(ctx);
  if (!UUID.test(statementId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  const q = db.select().from(statements).where(eq(statements.id, statementId));
  const [statement] = opts.lock ? await q.for('no key update') : await q;
  const access = statement ? await statementAccess(db, statement.id, actor.userId) : null;
  if (!statement || !access) throw new AppError('NOT_FOUND', 'errors.notFound');
  return { statement, access };
}

/**
 * Load a statement for an initiator member. NOT_FOUND when it does not exist or the actor is not a member of
 * an initiating organization — the same answer either way (a participant member, who can read it, gets FORBIDDEN). `lock`: FOR NO KEY UPDATE on the statement row, so a
 * state change (freeze, later) waits for saves in flight and a save sees the state it commits under. Not FOR SHARE:
 * saves, restores and detail changes later update this row (last_edited_at), and two of them each holding a share
 * lock while one upgrades deadlock (found by lib/statements.test.ts); this lock serializes the writers of one
 * statement instead.
 */
export async function loadStatementForInitiator(
  db: DbOrTx,
  ctx: Ctx,
  statementId: string,
  opts: { lock?: boolean } = {},
): Promise<{ statement: StatementRow; role: OrgRole }> {
  const actor = requireActor(ctx);
  if (!UUID.test(statementId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  const q = db.select().from(statements).where(eq(statements.id, statementId));
  const [statement] = opts.lock ? await q.for('no key update') : await q;
  const role = statement ? await initiatorRole(db, statement.id, actor.userId) : null;
  if (!statement || !role) {
    // Participants read the statement, so telling them "not yours to change" leaks nothing (matrix: deny).
    if (statement && (await participantRole(db, statement.id, actor.userId))) throw new AppError('FORBIDDEN', 'errors.forbidden');
    throw new AppError('NOT_FOUND', 'errors.notFound');
  }
  return { statement, role };
}

function assertEditable(state: StatementState) {
  if (!EDITABLE_STATES.includes(state)) throw new AppError('INVALID_STATE', 'errors.statementNotEditable');
}

function checkedDoc(doc: unknown, byteLength?: number): DocJSON {
  const r = validateDoc(doc, byteLength);
  if (!r.ok) throw new InvalidDocumentError(r.problem);
  return r.doc;
}

const docBytes = (doc: DocJSON) => new TextEncoder().encode(JSON.stringify(doc)).length;

// ---- create and details ----

export type CreateStatementInput = {
  orgId: string;
  title: string;
  primaryLang: string;
  summary?: string | null;
  timeZone: string;
};

/** A member of organization X (any role) creates a statement with X as its initiator. */
export async function createStatement(ctx: Ctx, input: CreateStatementInput): Promise<{ id: string }> {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  // A malformed id is the same answer as someone else's organization (and never reaches PostgreSQL's uuid parser).
  if (!UUID.test(input.orgId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  return ctx.db.transaction(async (tx) => {
    const [m] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, actor.userId)));
    if (!m) throw new AppError('NOT_FOUND', 'errors.notFound');
    const [s] = await tx
      .insert(statements)
      .values({
        primaryLang: input.primaryLang,
        summary: input.summary || null,
        timeZone: input.timeZone,
        createdBy: actor.userId,
        createdAt: now,
        lastEditedAt: now,
        lastEditedBy: actor.userId,
      })
      .returning({ id: statements.id });
    const id = s!.id;
    await tx
      .insert(statementInitiators)
      .values({ statementId: id, orgId: input.orgId, role: 'primary', joinedAt: now });
    await tx.insert(statementTexts).values({
      statementId: id,
      lang: input.primaryLang,
      title: input.title,
      doc: EMPTY_DOC,
      lockVersion: 0,
      createdAt: now,
      updatedAt: now,
      updatedBy: actor.userId,
    });
    await appendAudit(tx, {
      chain: statementChain(id),
      type: 'statement.created',
      actorUserId: actor.userId,
      data: { orgId: input.orgId, primaryLang: input.primaryLang, timeZone: input.timeZone },
      now,
    });
    return { id };
  });
}

/** Summary and time zone (editable while the draft is). */
export async function updateStatementDetails(
  ctx: Ctx,
  input: { statementId: string; summary: string | null; timeZone: string },
) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
    assertEditable(statement.state);
    const summary = input.summary || null;
    if (summary === statement.summary && input.timeZone === statement.timeZone) return { changed: false };
    await tx
      .update(statements)
      .set({ summary, timeZone: input.timeZone, lastEditedAt: now, lastEditedBy: actor.userId })
      .where(eq(statements.id, statement.id));
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'statement.details_updated',
      actorUserId: actor.userId,
      data: { summaryChanged: summary !== statement.summary, timeZone: input.timeZone },
      now,
    });
    return { changed: true };
  });
}

// ---- saving (D2, I6) ----

export type SaveTextInput = {
  statementId: string;
  lang: string;
  /** The lock_version the editor's text was based on. */
  baseVersion: number;
  title: string;
  doc: unknown;
  /** UTF-8 size of the document as received, when the caller knows it (the route handler does). */
  docBytes?: number;
  /** The editor resolved a conflict by saving its own text on top of the other (recorded in the audit event). */
  resolution?: 'keep_mine';
};

export type SaveResult = { version: number; savedAt: string; changed: boolean };

async function writeRevision(
  tx: Tx,
  ctx: Ctx,
  text: typeof statementTexts.$inferSelect,
  next: { title: string; doc: DocJSON; kind: 'save' | 'restore'; restoredFrom?: number; resolution?: string },
): Promise<SaveResult> {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const version = text.lockVersion + 1;
  const stats = changeSize(text.doc, next.doc);
  const updated = await tx
    .update(statementTexts)
    .set({ title: next.title, doc: next.doc, lockVersion: version, updatedAt: now, updatedBy: actor.userId })
    .where(
      and(
        eq(statementTexts.statementId, text.statementId),
        eq(statementTexts.lang, text.lang),
        eq(statementTexts.lockVersion, text.lockVersion),
      ),
    )
    .returning({ v: statementTexts.lockVersion });
  // The row is locked FOR UPDATE by the caller; the compare-and-set is a second guard, never expected to miss.
  if (updated.length !== 1) throw new Error('draft row changed under its lock');
  faultPoint('statements.after_text_update');
  const [rev] = await tx
    .insert(statementRevisions)
    .values({
      statementId: text.statementId,
      lang: text.lang,
      version,
      kind: next.kind,
      title: next.title,
      doc: next.doc,
      restoredFrom: next.restoredFrom ?? null,
      bytes: docBytes(next.doc),
      insertedWords: stats.insertedWords,
      deletedWords: stats.deletedWords,
      createdBy: actor.userId,
      createdAt: now,
    })
    .returning({ id: statementRevisions.id });
  await tx
    .update(statements)
    .set({ lastEditedAt: now, lastEditedBy: actor.userId })
    .where(eq(statements.id, text.statementId));
  await appendAudit(tx, {
    chain: statementChain(text.statementId),
    type: next.kind === 'restore' ? 'draft.restored' : 'draft.saved',
    actorUserId: actor.userId,
    data: {
      lang: text.lang,
      version,
      revisionId: rev!.id,
      titleChanged: next.title !== text.title,
      insertedWords: stats.insertedWords,
      deletedWords: stats.deletedWords,
      ...(next.restoredFrom !== undefined ? { restoredFrom: next.restoredFrom } : {}),
      ...(next.resolution ? { resolution: next.resolution } : {}),
    },
    now,
  });
  return { version, savedAt: now.toISOString(), changed: true };
}

async function conflictFrom(tx: Tx, text: typeof statementTexts.$inferSelect): Promise<ConflictError> {
  const [u] = text.updatedBy
    ? await tx
        .select({ name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, text.updatedBy))
    : [];
  return new ConflictError({
    version: text.lockVersion,
    title: text.title,
    doc: text.doc,
    updatedAt: text.updatedAt.toISOString(),
    updatedByName: u ? u.name || u.email.split('@')[0]! : null,
  });
}

async function lockText(tx: Tx, statementId: string, lang: string) {
  const [text] = await tx
    .select()
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statementId), eq(statementTexts.lang, lang)))
    .for('update');
  if (!text) throw new AppError('NOT_FOUND', 'errors.notFound');
  return text;
}

/**
 * Save one language's text. The save names the lock_version it was based on: a stale one is refused with the
 * current text (CONFLICT), never applied. A save identical to the current text changes nothing and succeeds
 * (nothing would be lost). One transaction: text, revision, audit event.
 */
export async function saveText(ctx: Ctx, input: SaveTextInput): Promise<SaveResult> {
  requireActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
    assertEditable(statement.state);
    const doc = checkedDoc(input.doc, input.docBytes);
    const text = await lockText(tx, statement.id, input.lang);
    const same = text.title === input.title && sameDoc(text.doc, doc);
    if (same) return { version: text.lockVersion, savedAt: text.updatedAt.toISOString(), changed: false };
    if (text.lockVersion !== input.baseVersion) throw await conflictFrom(tx, text);
    return writeRevision(tx, ctx, text, {
      title: input.title,
      doc,
      kind: 'save',
      resolution: input.resolution,
    });
  });
}

/** Restore an earlier revision: a new revision on top (history is never rewritten). */
export async function restoreRevision(
  ctx: Ctx,
  input: { statementId: string; lang: string; version: number; baseVersion: number },
): Promise<SaveResult> {
  requireActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
    assertEditable(statement.state);
    const text = await lockText(tx, statement.id, input.lang);
    const [rev] = await tx
      .select()
      .from(statementRevisions)
      .where(
        and(
          eq(statementRevisions.statementId, statement.id),
          eq(statementRevisions.lang, input.lang),
          eq(statementRevisions.version, input.version),
        ),
      );
    if (!rev) throw new AppError('NOT_FOUND', 'errors.notFound');
    if (text.lockVersion !== input.baseVersion) throw await conflictFrom(tx, text);
    if (text.title === rev.title && sameDoc(text.doc, rev.doc))
      return { version: text.lockVersion, savedAt: text.updatedAt.toISOString(), changed: false };
    return writeRevision(tx, ctx, text, {
      title: rev.title,
      doc: rev.doc,
      kind: 'restore',
      restoredFrom: rev.version,
    });
  });
}

// ---- translations (D4) ----

/** Add a language (empty text, aligned with the primary as it is now). */
export async function addTranslation(ctx: Ctx, input: { statementId: string; lang: string; title: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
    assertEditable(statement.state);
    const primary = await lockText(tx, statement.id, statement.primaryLang);
    const inserted = await tx
      .insert(statementTexts)
      .values({
        statementId: statement.id,
        lang: input.lang,
        title: input.title,
        doc: EMPTY_DOC,
        lockVersion: 0,
        alignedPrimaryVersion: primary.lockVersion,
        createdAt: now,
        updatedAt: now,
        updatedBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning({ lang: statementTexts.lang });
    if (inserted.length === 0) throw new AppError('CONFLICT', 'errors.languageExists');
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'translation.added',
      actorUserId: actor.userId,
      data: { lang: input.lang, alignedPrimaryVersion: primary.lockVersion },
      now,
    });
    return { lang: input.lang };
  });
}

/**
 * "Mark up to date": the translator says this text now matches the primary as of `primaryVersion`, which must be
 * the primary's current version (otherwise they have not seen the latest change: CONFLICT).
 */
export async function markTranslationUpToDate(
  ctx: Ctx,
  input: { statementId: string; lang: string; primaryVersion: number },
) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { statement } = await loadStatementForInitiator(tx, ctx, input.statementId, { lock: true });
    assertEditable(statement.state);
    if (input.lang === statement.primaryLang)
      throw new AppError('INVALID_INPUT', 'errors.primaryIsNotATranslation');
    const primary = await lockText(tx, statement.id, statement.primaryLang);
    const text = await lockText(tx, statement.id, input.lang);
    if (primary.lockVersion !== input.primaryVersion)
      throw new AppError('CONFLICT', 'errors.primaryChangedMeanwhile');
    if (text.alignedPrimaryVersion === primary.lockVersion) return { changed: false };
    await tx
      .update(statementTexts)
      .set({ alignedPrimaryVersion: primary.lockVersion })
      .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, input.lang)));
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'translation.marked_up_to_date',
      actorUserId: actor.userId,
      data: { lang: input.lang, primaryVersion: primary.lockVersion, previous: text.alignedPrimaryVersion },
      now,
    });
    return { changed: true };
  });
}

// ---- reads ----

export type TextSummary = {
  lang: string;
  title: string;
  version: number;
  isPrimary: boolean;
  alignedPrimaryVersion: number | null;
  outOfDate: boolean;
  updatedAt: Date;
  updatedByName: string | null;
};

const displayName = (u: { name: string | null; email: string } | null | undefined) =>
  u ? u.name || u.email.split('@')[0]! : null;

/** The overview of one statement for its initiators: state, initiators, languages and their status. */
export async function getStatementOverview(ctx: Ctx, statementId: string) {
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const initiators = await ctx.db
    .select({
      orgId: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      names: organizations.names,
      role: statementInitiators.role,
    })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statement.id))
    .orderBy(asc(statementInitiators.joinedAt));
  const texts = await textSummaries(ctx.db, statement);
  return { statement, role, canEdit: EDITABLE_STATES.includes(statement.state), initiators, texts };
}

export async function textSummaries(db: DbOrTx, statement: StatementRow): Promise<TextSummary[]> {
  const rows = await db
    .select({ t: statementTexts, name: users.name, email: users.email })
    .from(statementTexts)
    .leftJoin(users, eq(users.id, statementTexts.updatedBy))
    .where(eq(statementTexts.statementId, statement.id))
    .orderBy(asc(statementTexts.createdAt));
  const primary = rows.find((r) => r.t.lang === statement.primaryLang)?.t;
  return rows
    .map(({ t, name, email }) => ({
      lang: t.lang,
      title: t.title,
      version: t.lockVersion,
      isPrimary: t.lang === statement.primaryLang,
      alignedPrimaryVersion: t.alignedPrimaryVersion,
      outOfDate:
        t.lang !== statement.primaryLang &&
        !!primary &&
        (t.alignedPrimaryVersion ?? -1) < primary.lockVersion,
      updatedAt: t.updatedAt,
      updatedByName: email ? displayName({ name, email }) : null,
    }))
    .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
}

/** The primary text's document at one of its versions (version 0 = the empty document it started with). */
async function primaryDocAt(
  db: DbOrTx,
  statementId: string,
  lang: string,
  version: number | null,
): Promise<DocJSON> {
  if (!version) return EMPTY_DOC;
  const [r] = await db
    .select({ doc: statementRevisions.doc })
    .from(statementRevisions)
    .where(
      and(
        eq(statementRevisions.statementId, statementId),
        eq(statementRevisions.lang, lang),
        eq(statementRevisions.version, version),
      ),
    );
  return r?.doc ?? EMPTY_DOC;
}

/** Everything the editing page of one language needs. */
export async function getTextForEditing(ctx: Ctx, statementId: string, lang: string) {
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const [text] = await ctx.db
    .select()
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, lang)));
  if (!text) throw new AppError('NOT_FOUND', 'errors.notFound');
  const texts = await textSummaries(ctx.db, statement);
  let primary: { title: string; doc: DocJSON; version: number } | null = null;
  let primaryChangedSince: { from: DocJSON; to: DocJSON; fromVersion: number } | null = null;
  if (lang !== statement.primaryLang) {
    const [p] = await ctx.db
      .select()
      .from(statementTexts)
      .where(
        and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, statement.primaryLang)),
      );
    if (p) {
      primary = { title: p.title, doc: p.doc, version: p.lockVersion };
      if ((text.alignedPrimaryVersion ?? -1) < p.lockVersion) {
        const fromVersion = text.alignedPrimaryVersion ?? 0;
        primaryChangedSince = {
          from: await primaryDocAt(ctx.db, statement.id, statement.primaryLang, fromVersion),
          to: p.doc,
          fromVersion,
        };
      }
    }
  }
  return {
    statement,
    role,
    canEdit: EDITABLE_STATES.includes(statement.state),
    text,
    texts,
    primary,
    primaryChangedSince,
  };
}

/** Revision list of one language, newest first, without the documents. */
export async function listRevisions(ctx: Ctx, statementId: string, lang: string) {
  const { statement } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const rows = await ctx.db
    .select({
      id: statementRevisions.id,
      version: statementRevisions.version,
      kind: statementRevisions.kind,
      title: statementRevisions.title,
      restoredFrom: statementRevisions.restoredFrom,
      bytes: statementRevisions.bytes,
      insertedWords: statementRevisions.insertedWords,
      deletedWords: statementRevisions.deletedWords,
      createdAt: statementRevisions.createdAt,
      createdBy: statementRevisions.createdBy,
      name: users.name,
      email: users.email,
    })
    .from(statementRevisions)
    .leftJoin(users, eq(users.id, statementRevisions.createdBy))
    .where(and(eq(statementRevisions.statementId, statement.id), eq(statementRevisions.lang, lang)))
    .orderBy(desc(statementRevisions.version))
    .limit(1000);
  return {
    statement,
    revisions: rows.map(({ name, email, ...r }) => ({
      ...r,
      authorName: email ? displayName({ name, email }) : null,
    })),
  };
}

/** One revision's text (version 0 = the empty starting document). */
export async function getRevision(ctx: Ctx, statementId: string, lang: string, version: number) {
  const { statement } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const [text] = await ctx.db
    .select({ lang: statementTexts.lang, title: statementTexts.title })
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, lang)));
  if (!text) throw new AppError('NOT_FOUND', 'errors.notFound');
  if (version === 0) return { statement, version: 0, title: '', doc: EMPTY_DOC, createdAt: null };
  const [rev] = await ctx.db
    .select()
    .from(statementRevisions)
    .where(
      and(
        eq(statementRevisions.statementId, statement.id),
        eq(statementRevisions.lang, lang),
        eq(statementRevisions.version, version),
      ),
    );
  if (!rev) throw new AppError('NOT_FOUND', 'errors.notFound');
  return { statement, version: rev.version, title: rev.title, doc: rev.doc, createdAt: rev.createdAt };
}

/** Statements of the actor's organizations, for the dashboard (newest edit first). */
export async function listMyStatements(ctx: Ctx) {
  const actor = requireActor(ctx);
  const mine = await ctx.db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, actor.userId));
  if (mine.length === 0) return [];
  const orgIds = mine.map((m) => m.orgId);
  const rows = await ctx.db
    .selectDistinctOn([statements.id], {
      id: statements.id,
      state: statements.state,
      primaryLang: statements.primaryLang,
      lastEditedAt: statements.lastEditedAt,
      editorName: users.name,
      editorEmail: users.email,
      title: statementTexts.title,
      orgName: organizations.name,
      orgSlug: organizations.slug,
      languages: sql<
        string[]
      >`(select array_agg(st.lang order by st.created_at) from statement_texts st where st.statement_id = ${statements.id})`,
      // The public page's slug once published (also when closed or withdrawn: the record stays public).
      publicSlug: sql<string | null>`(select p.slug from publications p where p.statement_id = ${statements.id})`,
    })
    .from(statementInitiators)
    .innerJoin(statements, eq(statements.id, statementInitiators.statementId))
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .innerJoin(
      statementTexts,
      and(eq(statementTexts.statementId, statements.id), eq(statementTexts.lang, statements.primaryLang)),
    )
    .leftJoin(users, eq(users.id, statements.lastEditedBy))
    .where(inArray(statementInitiators.orgId, orgIds))
    .orderBy(statements.id);
  return rows
    .map(({ editorName, editorEmail, ...r }) => ({
      ...r,
      editor: editorEmail ? displayName({ name: editorName, email: editorEmail }) : null,
    }))
    .sort((a, b) => b.lastEditedAt.getTime() - a.lastEditedAt.getTime());
}

/** Whether a role may perform initiator-admin actions (used by later issues; here for the overview page). */
export const isInitiatorAdmin = (role: OrgRole | null) => isOrgAdmin(role);
