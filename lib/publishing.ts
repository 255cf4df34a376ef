// Publishing (PRODUCT.md Publication, Lifecycle; R1, S7 window; SECURITY.md C4): an initiator admin publishes the
// `open` version once every initiating organization is bound to it, then may close, withdraw (with a public
// reason; never deleted), append corrections, and open or end the joining window. Every change is one transaction
// with its audit event, its e-mails (outbox) and a new revision of the signed public record.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import {
  memberships,
  organizations,
  publicRecords,
  publications,
  statementCorrections,
  statementInitiators,
  statements,
  statementTexts,
  statementVersions,
  users,
  type ListOrder,
} from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import type { DocJSON } from './editor/extensions';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, LOCALES, type Locale } from './i18n';
import { slugFor } from './org-names';
import { enqueue } from './outbox';
import { isOrgAdmin, requireActor } from './permissions';
import { envelopeOf, refreshRecord, type RecordDocument, type SignedRecord } from './record';
import type { VersionTexts } from './signing';
import { loadStatementForInitiator } from './statements';
import { CORRECTION_MAX, WITHDRAW_REASON_MAX } from './validation/publishing';

const statementChain = (id: string) => ({ type: 'statement' as const, id });

export const SLUG_MAX = 80;
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Slugs that name a route next to `[slug]` (`/join/confirm`): never given to a statement. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['confirm']);
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The plain text of a stored document (paragraphs separated by blank lines), for excerpts, search and feeds. */
export function plainText(doc: DocJSON | undefined): string {
  const blocks: string[] = [];
  const walk = (n: DocJSON, into: string[]) => {
    if (n.type === 'text') into.push(n.text ?? '');
    else if (n.type === 'hardBreak') into.push('\n');
    else if (n.type === 'footnote') return;
    for (const c of n.content ?? []) walk(c, into);
  };
  for (const block of doc?.content ?? []) {
    const parts: string[] = [];
    walk(block, parts);
    const text = parts.join('').trim();
    if (text) blocks.push(text);
  }
  return blocks.join('\n\n');
}

/** About `words` words of the text, ending in "[…]" when cut (R2, as our users' listing pages do). */
export function excerptOf(text: string, words = 50): string {
  const all = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  if (all.length <= words) return all.join(' ');
  return `${all.slice(0, words).join(' ')} […]`;
}

/** Titles and texts of every language, for full-text search (`simple` configuration) and trigram search. */
export function searchTextOf(texts: VersionTexts): string {
  return Object.values(texts)
    .map((t) => `${t.title}\n${plainText(t.body)}`)
    .join('\n')
    .toLocaleLowerCase('und');
}

export function validSlug(slug: string): boolean {
  return slug.length >= 3 && slug.length <= SLUG_MAX && SLUG_RE.test(slug);
}

export function validDisplayDate(d: string): boolean {
  const m = DATE_RE.exec(d);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

/** A free slug based on `base` (suffixed -2, -3… when taken). */
export async function freeSlug(db: DbOrTx, base: string): Promise<string> {
  const root = (slugFor(base) || 'statement').slice(0, SLUG_MAX - 4).replace(/-$/, '') || 'statement';
  const padded = root.length >= 3 ? root : `statement-${root}`;
  const taken = new Set(
    (await db.select({ slug: publications.slug }).from(publications).where(sql`${publications.slug} = ${padded} OR ${publications.slug} LIKE ${padded + '-%'}`)).map(
      (r) => r.slug,
    ),
  );
  for (const r of RESERVED_SLUGS) taken.add(r);
  if (!taken.has(padded)) return padded;
  for (let n = 2; ; n++) if (!taken.has(`${padded}-${n}`)) return `${padded}-${n}`;
}

/**
 * Invalidate this instance's cached public outputs of a statement (others refresh within their revalidation window,
 * README "Several instances"): literal paths for the statement page, embed, data and feeds in every interface
 * language and the archive home pages; route patterns (with their route group) for organization pages and feeds.
 */
export async function revalidatePublic(slug: string | null) {
  try {
    const { revalidatePath } = await import('next/cache');
    const paths: string[] = [];
    for (const l of LOCALES) {
      paths.push(`/${l}`);
      if (slug) paths.push(`/${l}/s/${slug}`, `/embed/${l}/${slug}`, `/data/${slug}/${l}/signatories.csv`);
      for (const f of ['rss.xml', 'atom.xml']) paths.push(`/feeds/lang/${l}/${f}`);
    }
    if (slug) paths.push(`/data/${slug}/record.json`);
    paths.push('/feeds/all/rss.xml', '/feeds/all/atom.xml');
    for (const p of paths) revalidatePath(p);
    revalidatePath('/(public)/[lang]/s/[slug]', 'page');
    revalidatePath('/(public)/[lang]/orgs/[slug]', 'page');
    revalidatePath('/feeds/org/[slug]/rss.xml', 'page');
    revalidatePath('/feeds/org/[slug]/atom.xml', 'page');
  } catch {
    // Outside a Next.js request (scripts, tests): nothing is cached here.
  }
}

// ---- the publish dialog ----

async function loadForInitiatorAdmin(tx: Tx, ctx: Ctx, statementId: string) {
  const { statement, role } = await loadStatementForInitiator(tx, ctx, statementId, { lock: true });
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  return statement;
}

type BindingState = { orgId: string; name: string; initiator: boolean; bound: boolean; withdrawn: boolean };

/** For each organization that signed some version: whether it is bound to the current one (else awaiting re-confirmation). */
async function organizationBindings(db: DbOrTx, statementId: string, currentVersion: number): Promise<BindingState[]> {
  const rows = (await db.execute(sql`
    SELECT s.org_id, o.name,
           EXISTS (SELECT 1 FROM statement_initiators si WHERE si.statement_id = s.statement_id AND si.org_id = s.org_id) AS initiator,
           EXISTS (SELECT 1 FROM signature_bindings b WHERE b.signature_id = s.id AND b.version_number = ${currentVersion}) AS bound,
           coalesce((SELECT e.kind = 'withdrawn' FROM signature_events e WHERE e.signature_id = s.id ORDER BY e.seq DESC LIMIT 1), false) AS withdrawn
      FROM signatures s JOIN organizations o ON o.id = s.org_id
     WHERE s.statement_id = ${statementId} AND s.org_id IS NOT NULL
     ORDER BY o.name`)) as unknown as { org_id: string; name: string; initiator: boolean; bound: boolean; withdrawn: boolean }[];
  return rows.map((r) => ({ orgId: r.org_id, name: r.name, initiator: r.initiator, bound: r.bound, withdrawn: r.withdrawn }));
}

export type PublishDialog = {
  statementId: string;
  state: string;
  version: number | null;
  suggestedSlug: string;
  /** Initiating organizations not bound to the current version (publishing is refused until they are). */
  initiatorsMissing: string[];
  /** Organizations that signed an earlier version and have not re-confirmed: they will not be listed. */
  awaitingReconfirmation: string[];
  listed: number;
  publication: { slug: string; displayDate: string; joinUntil: string | null; state: string } | null;
};

export async function getPublishDialog(ctx: Ctx, statementId: string): Promise<PublishDialog> {
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  const [title] = await ctx.db
    .select({ title: statementTexts.title })
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statement.id), eq(statementTexts.lang, statement.primaryLang)));
  const [pub] = await ctx.db.select().from(publications).where(eq(publications.statementId, statement.id));
  const initiators = await ctx.db
    .select({ orgId: statementInitiators.orgId, name: organizations.name })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statement.id));
  const states = statement.currentVersion ? await organizationBindings(ctx.db, statement.id, statement.currentVersion) : [];
  const boundInitiators = new Set(states.filter((s) => s.initiator && s.bound && !s.withdrawn).map((s) => s.orgId));
  return {
    statementId: statement.id,
    state: statement.state,
    version: statement.currentVersion,
    suggestedSlug: pub?.slug ?? (await freeSlug(ctx.db, title?.title ?? 'statement')),
    initiatorsMissing: initiators.filter((i) => !boundInitiators.has(i.orgId)).map((i) => i.name),
    awaitingReconfirmation: states.filter((s) => !s.bound && !s.withdrawn).map((s) => s.name),
    listed: states.filter((s) => s.bound && !s.withdrawn).length,
    publication: pub
      ? { slug: pub.slug, displayDate: pub.displayDate, joinUntil: pub.joinUntil?.toISOString() ?? null, state: statement.state }
      : null,
  };
}

// ---- publish ----

export type PublishInput = {
  statementId: string;
  slug: string;
  displayDate: string;
  listOrder: ListOrder;
  /** Keep it open for joining until this instant (null: closed to joining). */
  joinUntil: Date | null;
};

function checkJoinUntil(joinUntil: Date | null, now: Date) {
  if (joinUntil && (Number.isNaN(joinUntil.getTime()) || joinUntil.getTime() <= now.getTime()))
    throw new AppError('INVALID_INPUT', 'errors.joinUntilPast', { joinUntil: ['errors.joinUntilPast'] });
}

/** Who hears about the publication: owners and admins of organizations that signed some version. */
async function orgRecipients(tx: Tx, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  const rows = await tx
    .select({ orgId: memberships.orgId, email: users.email, locale: users.locale, orgName: organizations.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(inArray(memberships.orgId, orgIds), inArray(memberships.role, ['owner', 'admin'])))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r, email: r.email.toLowerCase(), locale: (r.locale && isLocale(r.locale) ? r.locale : 'en') as Locale }));
}

export async function publishStatement(ctx: Ctx, input: PublishInput) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const slug = input.slug.trim().toLowerCase();
  if (!validSlug(slug)) throw new AppError('INVALID_INPUT', 'errors.invalidSlug', { slug: ['errors.invalidSlug'] });
  if (RESERVED_SLUGS.has(slug)) throw new AppError('CONFLICT', 'errors.slugTaken', { slug: ['errors.slugTaken'] });
  if (!validDisplayDate(input.displayDate)) throw new AppError('INVALID_INPUT', 'errors.invalidDate', { displayDate: ['errors.invalidDate'] });
  if (input.listOrder !== 'joined' && input.listOrder !== 'alphabetical') throw new AppError('INVALID_INPUT', 'errors.invalidInput', { listOrder: ['errors.invalidInput'] });
  checkJoinUntil(input.joinUntil, now);
  const result = await ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    if (statement.state !== 'open' || !statement.currentVersion) throw new AppError('INVALID_STATE', 'errors.cannotPublish');
    const states = await organizationBindings(tx, statement.id, statement.currentVersion);
    const initiators = await tx.select({ orgId: statementInitiators.orgId }).from(statementInitiators).where(eq(statementInitiators.statementId, statement.id));
    const bound = new Set(states.filter((s) => s.bound && !s.withdrawn).map((s) => s.orgId));
    if (initiators.some((i) => !bound.has(i.orgId))) throw new AppError('INVALID_STATE', 'errors.initiatorsNotBound');
    const [taken] = await tx.select({ id: publications.statementId }).from(publications).where(eq(publications.slug, slug));
    if (taken) throw new AppError('CONFLICT', 'errors.slugTaken', { slug: ['errors.slugTaken'] });
    const [version] = await tx
      .select()
      .from(statementVersions)
      .where(and(eq(statementVersions.statementId, statement.id), eq(statementVersions.number, statement.currentVersion)));
    const texts = (JSON.parse(version!.canonical) as { texts: VersionTexts }).texts;
    await tx.insert(publications).values({
      statementId: statement.id,
      slug,
      versionId: version!.id,
      versionNumber: version!.number,
      displayDate: input.displayDate,
      publishedAt: now,
      publishedBy: actor.userId,
      listOrder: input.listOrder,
      joinUntil: input.joinUntil,
      searchText: searchTextOf(texts),
      updatedAt: now,
    });
    await tx.update(statements).set({ state: 'published' }).where(eq(statements.id, statement.id));
    faultPoint('publishing.after_publish');
    const event = await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'statement.published',
      actorUserId: actor.userId,
      data: { slug, version: version!.number, contentSha256: version!.contentSha256, displayDate: input.displayDate, listOrder: input.listOrder, joinUntil: input.joinUntil?.toISOString() ?? null },
      now,
    });
    const seq = await refreshRecord(tx, statement.id, now);
    const title = texts[statement.primaryLang]?.title ?? '';
    const listed = states.filter((s) => s.bound && !s.withdrawn).map((s) => s.orgId);
    const notListed = states.filter((s) => !s.bound && !s.withdrawn).map((s) => s.orgId);
    for (const [orgIds, isListed] of [
      [listed, true],
      [notListed, false],
    ] as const) {
      for (const to of await orgRecipients(tx, orgIds)) {
        await enqueue(tx, {
          auditEventId: event.id,
          kind: 'statement.published',
          to: to.email,
          locale: to.locale,
          data: { statementId: statement.id, slug, title, orgName: to.orgName, listed: isListed, lang: statement.primaryLang },
          dedupeKey: `published:${statement.id}:${to.orgId}:${to.email}`,
        });
      }
    }
    return { slug, recordSeq: seq ?? 1, listed: listed.length, notListed: notListed.length };
  });
  await revalidatePublic(result.slug);
  return result;
}

// ---- after publication ----

async function loadPublished(tx: Tx, ctx: Ctx, statementId: string) {
  const statement = await loadForInitiatorAdmin(tx, ctx, statementId);
  const [pub] = await tx.select().from(publications).where(eq(publications.statementId, statement.id)).for('update');
  if (!pub) throw new AppError('INVALID_STATE', 'errors.notPublished');
  return { statement, pub };
}

/** `published → closed`: no more signatures or join requests. */
export async function closeStatement(ctx: Ctx, input: { statementId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const slug = await ctx.db.transaction(async (tx) => {
    const { statement, pub } = await loadPublished(tx, ctx, input.statementId);
    if (statement.state !== 'published') throw new AppError('INVALID_STATE', 'errors.cannotClose');
    await tx.update(statements).set({ state: 'closed' }).where(eq(statements.id, statement.id));
    await tx.update(publications).set({ closedAt: now, updatedAt: now }).where(eq(publications.statementId, statement.id));
    await appendAudit(tx, { chain: statementChain(statement.id), type: 'statement.closed', actorUserId: actor.userId, data: { slug: pub.slug }, now });
    await refreshRecord(tx, statement.id, now);
    return pub.slug;
  });
  await revalidatePublic(slug);
  return { state: 'closed' as const };
}

/** `published|closed → withdrawn`, with a public reason; the page stays, marked withdrawn (never deleted). */
export async function withdrawStatement(ctx: Ctx, input: { statementId: string; reason: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const reason = (input.reason ?? '').trim();
  if (!reason) throw new AppError('INVALID_INPUT', 'errors.reasonRequired', { reason: ['errors.reasonRequired'] });
  if (reason.length > WITHDRAW_REASON_MAX) throw new AppError('INVALID_INPUT', 'errors.tooLong', { reason: ['errors.tooLong'] });
  const slug = await ctx.db.transaction(async (tx) => {
    const { statement, pub } = await loadPublished(tx, ctx, input.statementId);
    if (statement.state !== 'published' && statement.state !== 'closed') throw new AppError('INVALID_STATE', 'errors.cannotWithdrawStatement');
    await tx.update(statements).set({ state: 'withdrawn' }).where(eq(statements.id, statement.id));
    await tx.update(publications).set({ withdrawnAt: now, withdrawReason: reason, updatedAt: now }).where(eq(publications.statementId, statement.id));
    await appendAudit(tx, { chain: statementChain(statement.id), type: 'statement.withdrawn', actorUserId: actor.userId, data: { slug: pub.slug, reason }, now });
    await refreshRecord(tx, statement.id, now);
    return pub.slug;
  });
  await revalidatePublic(slug);
  return { state: 'withdrawn' as const };
}

/** Append a dated correction (the published text itself is never edited). */
export async function addCorrection(ctx: Ctx, input: { statementId: string; lang: string; body: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const body = (input.body ?? '').trim();
  if (!body) throw new AppError('INVALID_INPUT', 'errors.correctionRequired', { body: ['errors.correctionRequired'] });
  if (body.length > CORRECTION_MAX) throw new AppError('INVALID_INPUT', 'errors.tooLong', { body: ['errors.tooLong'] });
  const out = await ctx.db.transaction(async (tx) => {
    const { statement, pub } = await loadPublished(tx, ctx, input.statementId);
    const [version] = await tx.select({ langs: statementVersions.langs }).from(statementVersions).where(eq(statementVersions.id, pub.versionId));
    const lang = version!.langs.includes(input.lang) ? input.lang : statement.primaryLang;
    const [c] = await tx.insert(statementCorrections).values({ statementId: statement.id, lang, body, createdBy: actor.userId, createdAt: now }).returning({ id: statementCorrections.id });
    await appendAudit(tx, { chain: statementChain(statement.id), type: 'statement.correction_added', actorUserId: actor.userId, data: { correctionId: c!.id, lang }, now });
    const seq = await refreshRecord(tx, statement.id, now);
    return { slug: pub.slug, id: c!.id, recordSeq: seq };
  });
  await revalidatePublic(out.slug);
  return { id: out.id, recordSeq: out.recordSeq };
}

/** Open joining until an instant, or end it (null). Only while published. */
export async function setJoining(ctx: Ctx, input: { statementId: string; joinUntil: Date | null }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  checkJoinUntil(input.joinUntil, now);
  const slug = await ctx.db.transaction(async (tx) => {
    const { statement, pub } = await loadPublished(tx, ctx, input.statementId);
    if (statement.state !== 'published') throw new AppError('INVALID_STATE', 'errors.cannotChangeJoining');
    await tx.update(publications).set({ joinUntil: input.joinUntil, updatedAt: now }).where(eq(publications.statementId, statement.id));
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'statement.joining_changed',
      actorUserId: actor.userId,
      data: { joinUntil: input.joinUntil?.toISOString() ?? null },
      now,
    });
    await refreshRecord(tx, statement.id, now);
    return pub.slug;
  });
  await revalidatePublic(slug);
  return { joinUntil: input.joinUntil?.toISOString() ?? null };
}

/** Whether late signatures and join requests are accepted now (published and inside the joining window). */
export const joiningOpen = (state: string, joinUntil: Date | null, now: Date) => state === 'published' && !!joinUntil && joinUntil.getTime() > now.getTime();

// ---- public reads (no actor: public data only, I13) ----

export type PublicStatement = {
  slug: string;
  statementId: string;
  state: 'published' | 'closed' | 'withdrawn';
  listOrder: ListOrder;
  positions: Record<string, string[]>;
  joinUntil: Date | null;
  joiningOpen: boolean;
  /** The statement's time zone (IANA): public pages, the embed and the PDF give instants as days and times there. */
  timeZone: string;
  envelope: SignedRecord;
  record: RecordDocument;
};

export async function getPublicStatement(db: DbOrTx, slug: string, now = new Date()): Promise<PublicStatement | null> {
  if (!validSlug(slug)) return null;
  const [row] = await db
    .select({ pub: publications, state: statements.state, timeZone: statements.timeZone, rec: publicRecords })
    .from(publications)
    .innerJoin(statements, eq(statements.id, publications.statementId))
    .innerJoin(publicRecords, and(eq(publicRecords.statementId, publications.statementId), eq(publicRecords.seq, publications.recordSeq)))
    .where(eq(publications.slug, slug));
  if (!row) return null;
  const envelope = envelopeOf(row.rec);
  const state = row.state === 'closed' || row.state === 'withdrawn' ? row.state : 'published';
  return {
    slug,
    statementId: row.pub.statementId,
    state,
    listOrder: row.pub.listOrder,
    positions: row.pub.positions,
    joinUntil: row.pub.joinUntil,
    joiningOpen: joiningOpen(row.state, row.pub.joinUntil, now),
    timeZone: row.timeZone,
    envelope,
    record: envelope.record,
  };
}

/** One revision of a record (stable URL /data/{slug}/records/{seq}). */
export async function getRecordRevision(db: DbOrTx, slug: string, seq: number): Promise<SignedRecord | null> {
  if (!validSlug(slug) || !Number.isInteger(seq) || seq < 1) return null;
  const [row] = await db
    .select({ rec: publicRecords })
    .from(publicRecords)
    .innerJoin(publications, eq(publications.statementId, publicRecords.statementId))
    .where(and(eq(publications.slug, slug), eq(publicRecords.seq, seq)));
  return row ? envelopeOf(row.rec) : null;
}

/** The record revisions of a statement, newest first (seq, hash, time). */
export async function listRecordRevisions(db: DbOrTx, slug: string) {
  return db
    .select({ seq: publicRecords.seq, sha256: publicRecords.sha256, createdAt: publicRecords.createdAt })
    .from(publicRecords)
    .innerJoin(publications, eq(publications.statementId, publicRecords.statementId))
    .where(eq(publications.slug, slug))
    .orderBy(desc(publicRecords.seq));
}

/** The signatories in display order for a language: stored alphabetical positions, or the record's joined order. */
export function orderedSignatories(p: Pick<PublicStatement, 'record' | 'listOrder' | 'positions'>, lang: string) {
  const list = p.record.signatories;
  if (p.listOrder !== 'alphabetical') return list;
  const order = p.positions[lang] ?? p.positions[p.record.primary_lang];
  if (!order) return list;
  const byId = new Map(list.map((s) => [s.id, s]));
  const out = order.map((id) => byId.get(id)).filter((s): s is NonNullable<typeof s> => !!s);
  // Listed last if the positions were computed before it joined (they are recomputed with every record).
  for (const s of list) if (!order.includes(s.id)) out.push(s);
  return out;
}


/** The publication as its initiators see it on the overview page (null before publishing). */
export async function publicationOf(db: DbOrTx, statementId: string) {
  const [row] = await db
    .select({ pub: publications, langs: statementVersions.langs })
    .from(publications)
    .innerJoin(statementVersions, eq(statementVersions.id, publications.versionId))
    .where(eq(publications.statementId, statementId));
  if (!row) return null;
  const corrections = await db
    .select({ id: statementCorrections.id, lang: statementCorrections.lang, body: statementCorrections.body, at: statementCorrections.createdAt })
    .from(statementCorrections)
    .where(eq(statementCorrections.statementId, statementId))
    .orderBy(asc(statementCorrections.seq));
  return {
    slug: row.pub.slug,
    displayDate: row.pub.displayDate,
    publishedAt: row.pub.publishedAt,
    joinUntil: row.pub.joinUntil,
    /** Whether the joining window is open now (the statement's state aside). */
    joiningOpen: joiningOpen('published', row.pub.joinUntil, new Date()),
    recordSeq: row.pub.recordSeq,
    listOrder: row.pub.listOrder,
    langs: row.langs,
    corrections,
  };
}

/** Today's date (YYYY-MM-DD) in a time zone: the default display date. */
export const todayIn = (timeZone: string, now = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
