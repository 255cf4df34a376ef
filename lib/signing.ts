// Versions and signatures (PRODUCT.md Version, Signature, S4–S6; SECURITY.md C2, C3, I3, I4, I11): initiator admins
// freeze the draft as an immutable, hashed version and reopen it; members allowed by their organization's signing
// policy sign for it, re-confirm a newer version, decline to sign, withdraw and reinstate. Every function authorizes
// inside itself against the statement it touches; every change is one transaction with its audit event (statement
// chain) and outbox rows. Signatures are append-only: bindings and events are added, never edited.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import {
  memberships,
  organizations,
  outbox,
  publications,
  signatureBindings,
  signatureEvents,
  signatures,
  signDeclines,
  statementInvitations,
  statements,
  statementTexts,
  statementVersions,
  users,
  type BindingSnapshot,
  type OrgRole,
} from '@/db/schema';
import { appendAudit } from './audit';
import { canonicalJson, sha256Hex } from './canonical';
import { nowOf, type Ctx } from './context';
import type { DocJSON } from './editor/extensions';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { acceptInvitationInTx, enqueueInvitationReminder, primaryTitle, reminderRules, type InvitationProof } from './invitations';
import { enqueue } from './outbox';
import { joiningOpen, revalidatePublic } from './publishing';
import { refreshRecord } from './record';
import { canSignUnderPolicy, isOrgAdmin, requireActor } from './permissions';
import { isUuid, loadStatementForInitiator, loadStatementForReader, textSummaries } from './statements';

const statementChain = (id: string) => ({ type: 'statement' as const, id });
export const TITLE_MAX = 200;
export const REASON_MAX = 2000;

// ---- the canonical form (PRODUCT.md, Version) ----

export type VersionTexts = Record<string, { title: string; body: DocJSON }>;
export type VersionDocument = { v: 1; statement: string; version: number; texts: VersionTexts };

/**
 * `{"v":1,"statement":<id>,"version":<n>,"texts":{<lang>:{"title":…,"body":<stored document>}}}` in RFC 8785 form,
 * and the SHA-256 of its UTF-8 bytes (hex). The same function serves freezing, the test vector and re-checking.
 */
export function canonicalVersion(statementId: string, number: number, texts: VersionTexts): { canonical: string; sha256: string } {
  const doc: VersionDocument = { v: 1, statement: statementId, version: number, texts };
  const canonical = canonicalJson(doc);
  return { canonical, sha256: sha256Hex(Buffer.from(canonical, 'utf8')) };
}

export function parseVersion(canonical: string): VersionDocument {
  return JSON.parse(canonical) as VersionDocument;
}

type StatementRow = typeof statements.$inferSelect;
type VersionRow = typeof statementVersions.$inferSelect;

async function versionByNumber(db: DbOrTx, statementId: string, number: number | null): Promise<VersionRow | null> {
  if (!number) return null;
  const [v] = await db
    .select()
    .from(statementVersions)
    .where(and(eq(statementVersions.statementId, statementId), eq(statementVersions.number, number)));
  return v ?? null;
}

// ---- status of a signature, derived from its history ----

export type SignatureStatus = 'signed' | 'needs_reconfirmation' | 'withdrawn';

type History = {
  bindings: { id: string; seq: number; versionNumber: number; contentSha256: string; signedAt: Date; snapshot: BindingSnapshot }[];
  events: { seq: number; kind: 'withdrawn' | 'reinstated'; reason: string | null; at: Date }[];
};

/** Withdrawn when its latest event is a withdrawal; else signed when bound to the current version; else it needs re-confirmation. */
export function deriveStatus(h: History, currentVersion: number | null): SignatureStatus {
  const lastEvent = h.events.reduce<History['events'][number] | null>((a, e) => (!a || e.seq > a.seq ? e : a), null);
  if (lastEvent?.kind === 'withdrawn') return 'withdrawn';
  const last = latestBinding(h);
  return last && currentVersion !== null && last.versionNumber === currentVersion ? 'signed' : 'needs_reconfirmation';
}

export function latestBinding<B extends { seq: number }>(h: { bindings: B[] }): B | null {
  return h.bindings.reduce<B | null>((a, b) => (!a || b.seq > a.seq ? b : a), null);
}

async function historyOf(db: DbOrTx, signatureIds: string[]): Promise<Map<string, History>> {
  const out = new Map<string, History>(signatureIds.map((id) => [id, { bindings: [], events: [] }]));
  if (signatureIds.length === 0) return out;
  const bs = await db
    .select({
      id: signatureBindings.id,
      signatureId: signatureBindings.signatureId,
      seq: signatureBindings.seq,
      versionNumber: signatureBindings.versionNumber,
      contentSha256: signatureBindings.contentSha256,
      signedAt: signatureBindings.signedAt,
      snapshot: signatureBindings.snapshot,
    })
    .from(signatureBindings)
    .where(inArray(signatureBindings.signatureId, signatureIds))
    .orderBy(asc(signatureBindings.seq));
  for (const { signatureId, ...b } of bs) out.get(signatureId)!.bindings.push(b);
  const es = await db
    .select({ signatureId: signatureEvents.signatureId, seq: signatureEvents.seq, kind: signatureEvents.kind, reason: signatureEvents.reason, at: signatureEvents.at })
    .from(signatureEvents)
    .where(inArray(signatureEvents.signatureId, signatureIds))
    .orderBy(asc(signatureEvents.seq));
  for (const { signatureId, ...e } of es) out.get(signatureId)!.events.push(e);
  return out;
}

// ---- freezing and reopening (initiator admins) ----

async function loadForInitiatorAdmin(tx: Tx, ctx: Ctx, statementId: string) {
  const { statement, role } = await loadStatementForInitiator(tx, ctx, statementId, { lock: true });
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  return statement;
}

/**
 * Freeze the draft as version N+1 of the languages included (default: every language), `draft|reopened → open`.
 * Refused while an included translation is out of date, or when a title or text is empty. Signatures bound only to
 * older versions now need re-confirmation: each such organization is e-mailed. Organizations that may sign and have
 * not are told that signing is open; invitation reminders are scheduled again for the new version.
 */
export async function freezeVersion(ctx: Ctx, input: { statementId: string; langs?: string[] }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    if (statement.state !== 'draft' && statement.state !== 'reopened') throw new AppError('INVALID_STATE', 'errors.cannotFreeze');
    // Saves take the statement row FOR NO KEY UPDATE too (loadStatementForInitiator lock), so none is in flight here.
    const summaries = await textSummaries(tx, statement);
    const available = new Set(summaries.map((s) => s.lang));
    const langs = input.langs && input.langs.length > 0 ? [...new Set(input.langs)] : summaries.map((s) => s.lang);
    if (!langs.includes(statement.primaryLang)) throw new AppError('INVALID_INPUT', 'errors.freezePrimaryRequired', { langs: ['errors.freezePrimaryRequired'] });
    const unknown = langs.filter((l) => !available.has(l));
    if (unknown.length) throw new AppError('INVALID_INPUT', 'errors.freezeUnknownLanguage', { langs: ['errors.freezeUnknownLanguage'] });
    const stale = summaries.filter((s) => langs.includes(s.lang) && s.outOfDate).map((s) => s.lang);
    if (stale.length) throw new AppError('INVALID_STATE', 'errors.freezeOutOfDate', { langs: stale.map(() => 'errors.freezeOutOfDate') });
    const rows = await tx
      .select({ lang: statementTexts.lang, title: statementTexts.title, doc: statementTexts.doc })
      .from(statementTexts)
      .where(and(eq(statementTexts.statementId, statement.id), inArray(statementTexts.lang, langs)));
    const texts: VersionTexts = {};
    for (const r of rows) {
      const empty = !r.title.trim() || !(r.doc.content ?? []).some((n) => JSON.stringify(n).includes('"text"'));
      if (empty) throw new AppError('INVALID_STATE', 'errors.freezeEmpty', { langs: ['errors.freezeEmpty'] });
      texts[r.lang] = { title: r.title, body: r.doc };
    }
    const number = (statement.currentVersion ?? 0) + 1;
    const { canonical, sha256 } = canonicalVersion(statement.id, number, texts);
    const [version] = await tx
      .insert(statementVersions)
      .values({ statementId: statement.id, number, langs: Object.keys(texts).sort(), canonical, contentSha256: sha256, frozenBy: actor.userId, frozenAt: now })
      .returning();
    await tx.update(statements).set({ state: 'open', currentVersion: number }).where(eq(statements.id, statement.id));
    faultPoint('signing.after_freeze');
    const event = await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'version.frozen',
      actorUserId: actor.userId,
      data: { version: number, versionId: version!.id, contentSha256: sha256, langs: version!.langs },
      now,
    });
    const title = await primaryTitle(tx, statement.id);
    const mail = { statementId: statement.id, title, version: number, timeZone: statement.timeZone };

    // Signatures bound only to an older version (and not withdrawn) need re-confirmation.
    const sigs = await tx.select().from(signatures).where(and(eq(signatures.statementId, statement.id), sql`${signatures.orgId} IS NOT NULL`));
    const hist = await historyOf(tx, sigs.map((s) => s.id));
    const reconfirm: string[] = [];
    for (const s of sigs) {
      const h = hist.get(s.id)!;
      if (deriveStatus(h, number) !== 'needs_reconfirmation') continue;
      reconfirm.push(s.orgId!);
      const signedVersion = latestBinding(h)?.versionNumber ?? null;
      for (const to of await signerRecipients(tx, s.orgId!)) {
        await enqueue(tx, {
          auditEventId: event.id,
          kind: 'signature.reconfirm_needed',
          to: to.email,
          locale: to.locale,
          data: { ...mail, orgName: to.orgName, signedVersion },
          dedupeKey: `reconfirm:${s.id}:${number}:${to.email}`,
        });
      }
    }
    // Everyone else who may sign and has not declined: signing is open.
    const signedOrgs = new Set(sigs.map((s) => s.orgId));
    const declined = new Set(
      (await tx.select({ orgId: signDeclines.orgId }).from(signDeclines).where(eq(signDeclines.statementId, statement.id))).map((d) => d.orgId),
    );
    for (const orgId of await signingOrgIds(tx, statement.id)) {
      if (signedOrgs.has(orgId) || declined.has(orgId)) continue;
      for (const to of await signerRecipients(tx, orgId)) {
        await enqueue(tx, {
          auditEventId: event.id,
          kind: 'statement.signing_open',
          to: to.email,
          locale: to.locale,
          data: { ...mail, orgName: to.orgName },
          dedupeKey: `signing-open:${statement.id}:${number}:${orgId}:${to.email}`,
        });
      }
    }
    await rescheduleReminders(tx, statement, number, event.id, now);
    return { version: number, contentSha256: sha256, reconfirm: reconfirm.length };
  });
}

/** `open → reopened`: signing is refused and the draft is editable again; bindings stay on their version. */
export async function reopenStatement(ctx: Ctx, input: { statementId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    if (statement.state !== 'open') throw new AppError('INVALID_STATE', 'errors.cannotReopen');
    await tx.update(statements).set({ state: 'reopened' }).where(eq(statements.id, statement.id));
    await appendAudit(tx, { chain: statementChain(statement.id), type: 'statement.reopened', actorUserId: actor.userId, data: { version: statement.currentVersion }, now });
    return { state: 'reopened' as const };
  });
}

/** Initiating and participating organizations: those whose members may sign (each per its own policy). */
async function signingOrgIds(db: DbOrTx, statementId: string): Promise<string[]> {
  const rows = (await db.execute(sql`
    SELECT org_id FROM statement_initiators WHERE statement_id = ${statementId}
    UNION SELECT org_id FROM statement_participants WHERE statement_id = ${statementId}`)) as unknown as { org_id: string }[];
  return rows.map((r) => r.org_id);
}

/** Who is e-mailed about an organization's signature: its owners and admins, in their interface language. */
async function signerRecipients(db: DbOrTx, orgId: string): Promise<{ email: string; locale: Locale; orgName: string }[]> {
  const rows = await db
    .select({ email: users.email, locale: users.locale, orgName: organizations.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['owner', 'admin'])))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ email: r.email.toLowerCase(), locale: r.locale && isLocale(r.locale) ? r.locale : 'en', orgName: r.orgName }));
}

/**
 * Reminders run until the organization is bound to the current version, declined to sign, or the invitation ends.
 * A freeze schedules a fresh set keyed `reminder:{invitation}:{rule}:{version}` for invitations still waiting, and
 * cancels the unsent ones of earlier versions (the relay would also drop them: their version is no longer current).
 */
async function rescheduleReminders(tx: Tx, statement: StatementRow, version: number, auditEventId: string, now: Date) {
  await tx
    .update(outbox)
    .set({ status: 'cancelled', lockedUntil: null })
    .where(
      and(
        eq(outbox.status, 'pending'),
        eq(outbox.kind, 'statement.invitation_reminder'),
        sql`${outbox.data}->>'statementId' = ${statement.id}`,
        sql`coalesce((${outbox.data}->>'version')::int, 0) <> ${version}`,
      ),
    );
  const invs = await tx
    .select()
    .from(statementInvitations)
    .where(
      and(
        eq(statementInvitations.statementId, statement.id),
        inArray(statementInvitations.status, ['pending', 'accepted']),
        sql`${statementInvitations.signBy} > ${now.toISOString()}`,
      ),
    );
  const rules = reminderRules();
  for (const inv of invs) {
    if (inv.status === 'pending' && inv.expiresAt <= now) continue;
    for (const r of rules) {
      const at = new Date(inv.signBy!.getTime() - r.offsetMs);
      if (at.getTime() <= now.getTime()) continue;
      await enqueueInvitationReminder(tx, inv, { auditEventId, timeZone: statement.timeZone, rule: r.rule, version, notBefore: at });
    }
  }
}

// ---- who may sign ----

export type SignerOrg = {
  orgId: string;
  slug: string;
  name: string;
  names: Record<string, string>;
  role: OrgRole;
  policy: 'admins' | 'members';
  canSign: boolean;
  memberTitle: string | null;
  relation: 'initiator' | 'participant';
};

/** The actor's organizations that initiate or participate in the statement, with whether the policy lets them sign. */
export async function signerOrgsOf(db: DbOrTx, statementId: string, userId: string): Promise<SignerOrg[]> {
  const rows = (await db.execute(sql`
    SELECT o.id AS "orgId", o.slug, o.name, o.names, m.role, m.title AS "memberTitle", o.signing_policy AS policy,
           CASE WHEN EXISTS (SELECT 1 FROM statement_initiators i WHERE i.statement_id = ${statementId} AND i.org_id = o.id)
                THEN 'initiator' ELSE 'participant' END AS relation
      FROM memberships m JOIN organizations o ON o.id = m.org_id
     WHERE m.user_id = ${userId}
       AND (EXISTS (SELECT 1 FROM statement_initiators i WHERE i.statement_id = ${statementId} AND i.org_id = o.id)
         OR EXISTS (SELECT 1 FROM statement_participants p WHERE p.statement_id = ${statementId} AND p.org_id = o.id))
     ORDER BY o.name`)) as unknown as Omit<SignerOrg, 'canSign'>[];
  return rows.map((r) => ({ ...r, names: r.names ?? {}, canSign: canSignUnderPolicy(r.role, r.policy) }));
}

/**
 * The organization the actor acts for (I11, C2): a member of it, allowed by its policy, and the organization
 * initiates or participates in the statement. Anything else — another organization's id included — is FORBIDDEN.
 */
async function requireSigner(tx: Tx, statementId: string, orgId: string, userId: string) {
  if (!isUuid(orgId)) throw new AppError('FORBIDDEN', 'errors.notYourOrganization');
  // One round trip: the membership (locked FOR SHARE: a removal waits for this signature, or is seen by it), the
  // organization, and whether it initiates or participates.
  const [row] = await tx
    .select({
      org: organizations,
      role: memberships.role,
      memberTitle: memberships.title,
      involved: sql<boolean>`(EXISTS (SELECT 1 FROM statement_initiators si WHERE si.statement_id = ${statementId} AND si.org_id = ${orgId})
        OR EXISTS (SELECT 1 FROM statement_participants sp WHERE sp.statement_id = ${statementId} AND sp.org_id = ${orgId}))`,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for('share', { of: memberships });
  if (!row) throw new AppError('FORBIDDEN', 'errors.notYourOrganization');
  if (!row.involved) throw new AppError('FORBIDDEN', 'errors.organizationNotInvolved');
  if (!canSignUnderPolicy(row.role, row.org.signingPolicy)) throw new AppError('FORBIDDEN', 'errors.policyForbidsSigning');
  return row;
}

/** The statement for a reader (initiator or participant member), locked FOR SHARE: freeze and reopen wait for signers. */
async function loadForSigner(tx: Tx, ctx: Ctx, statementId: string) {
  const actor = requireActor(ctx);
  if (!isUuid(statementId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  // One round trip: the statement (FOR SHARE) and whether the actor reads it (initiator or participant member).
  const [row] = await tx
    .select({
      statement: statements,
      reader: sql<boolean>`(EXISTS (SELECT 1 FROM statement_initiators si JOIN memberships m ON m.org_id = si.org_id
                                     WHERE si.statement_id = ${statementId} AND m.user_id = ${actor.userId})
        OR EXISTS (SELECT 1 FROM statement_participants sp JOIN memberships m ON m.org_id = sp.org_id
                    WHERE sp.statement_id = ${statementId} AND m.user_id = ${actor.userId}))`,
    })
    .from(statements)
    .where(eq(statements.id, statementId))
    .for('share', { of: statements });
  if (!row || !row.reader) throw new AppError('NOT_FOUND', 'errors.notFound');
  return row.statement;
}

// ---- signing (S4), re-confirming (S5), reinstating (S6) ----

export type SignInput = {
  statementId: string;
  orgId: string;
  /** The version number the signer was shown; anything but the current frozen version is refused (I3). */
  version: number;
  /** Optional: the hash the signer was shown; must match the version's. */
  contentSha256?: string;
  title?: string | null;
  showName?: boolean;
};

export type SignResult = {
  bindingId: string;
  signatureId: string;
  version: number;
  contentSha256: string;
  signedAt: string;
  /** false when the organization was already bound to this version (a double click, a retry). */
  created: boolean;
  kind: 'signed' | 'reconfirmed' | 'reinstated' | 'existing';
};

async function signInTx(tx: Tx, ctx: Ctx, statement: StatementRow, input: SignInput, now: Date): Promise<SignResult> {
  const actor = requireActor(ctx);
  // While `open`, or after publication while it is open for joining (R1: listed as joined after publication).
  let published = false;
  if (statement.state === 'published') {
    const [pub] = await tx.select({ joinUntil: publications.joinUntil }).from(publications).where(eq(publications.statementId, statement.id));
    if (!pub || !joiningOpen(statement.state, pub.joinUntil, now)) throw new AppError('INVALID_STATE', 'errors.signingClosed');
    published = true;
  } else if (statement.state !== 'open') throw new AppError('INVALID_STATE', 'errors.signingClosed');
  const version = await versionByNumber(tx, statement.id, statement.currentVersion);
  if (!version || input.version !== version.number || (input.contentSha256 && input.contentSha256 !== version.contentSha256))
    throw new AppError('CONFLICT', 'errors.staleVersion');
  const signer = await requireSigner(tx, statement.id, input.orgId, actor.userId);
  const title = (input.title ?? signer.memberTitle ?? '').trim() || null;
  if (title && title.length > TITLE_MAX) throw new AppError('INVALID_INPUT', 'errors.tooLong', { title: ['errors.tooLong'] });
  // The signer's address, language and name, and the statement's title (for the receipt): one round trip, read
  // before the statement's chain head is locked.
  const [me] = (await tx.execute(sql`
    SELECT u.email, u.locale, u.name,
           (SELECT t.title FROM statement_texts t WHERE t.statement_id = ${statement.id} AND t.lang = ${statement.primaryLang}) AS title
      FROM users u WHERE u.id = ${actor.userId}`)) as unknown as { email: string; locale: string | null; name: string | null; title: string | null }[];
  let personName: string | null = null;
  if (input.showName) {
    personName = me?.name?.trim() || null;
    if (!personName) throw new AppError('INVALID_INPUT', 'errors.noPersonalName', { showName: ['errors.noPersonalName'] });
  }
  // I4: one signature per (statement, organization); concurrent first signatures meet at the unique index.
  // A row this transaction just inserted is its own until commit (a concurrent first signature waits at the index,
  // then finds it) and has no history yet: only an existing signature is locked and its history read.
  const [inserted] = await tx
    .insert(signatures)
    .values({ statementId: statement.id, orgId: signer.org.id, method: 'member', createdBy: actor.userId, createdAt: now })
    .onConflictDoNothing()
    .returning();
  const [sig] = inserted
    ? [inserted]
    : await tx
        .select()
        .from(signatures)
        .where(and(eq(signatures.statementId, statement.id), eq(signatures.orgId, signer.org.id)))
        .for('update');
  const h: History = inserted ? { bindings: [], events: [] } : (await historyOf(tx, [sig!.id])).get(sig!.id)!;
  const status = deriveStatus(h, version.number);
  if (status === 'signed') {
    const b = latestBinding(h)!;
    return { bindingId: b.id, signatureId: sig!.id, version: b.versionNumber, contentSha256: b.contentSha256, signedAt: b.signedAt.toISOString(), created: false, kind: 'existing' };
  }
  const kind: SignResult['kind'] = status === 'withdrawn' ? 'reinstated' : h.bindings.length > 0 ? 'reconfirmed' : 'signed';
  if (kind === 'reinstated') {
    await tx.insert(signatureEvents).values({ signatureId: sig!.id, kind: 'reinstated', byUser: actor.userId, at: now });
  }
  const snapshot: BindingSnapshot = {
    names: { ...(signer.org.names ?? {}), default: signer.org.name } as Record<string, string>,
    city: signer.org.city,
    country: signer.org.country,
    verified: !!signer.org.verifiedAt,
    title,
    personName,
  };
  const [binding] = await tx
    .insert(signatureBindings)
    .values({
      signatureId: sig!.id,
      statementId: statement.id,
      versionId: version.id,
      versionNumber: version.number,
      contentSha256: version.contentSha256,
      signedBy: actor.userId,
      signerRole: signer.role,
      policy: signer.org.signingPolicy,
      snapshot,
      signedAt: now,
    })
    .returning({ id: signatureBindings.id });
  faultPoint('signing.after_binding');
  const event = await appendAudit(tx, {
    chain: statementChain(statement.id),
    type: kind === 'reinstated' ? 'signature.reinstated' : kind === 'reconfirmed' ? 'signature.reconfirmed' : 'signature.signed',
    actorUserId: actor.userId,
    data: { signatureId: sig!.id, bindingId: binding!.id, orgId: signer.org.id, version: version.number, contentSha256: version.contentSha256, role: signer.role, policy: signer.org.signingPolicy },
    now,
  });
  await enqueue(tx, {
    auditEventId: event.id,
    kind: 'signature.receipt',
    to: me!.email,
    locale: me!.locale && isLocale(me!.locale) ? me!.locale : 'en',
    data: {
      statementId: statement.id,
      bindingId: binding!.id,
      title: me?.title ?? '',
      orgName: signer.org.name,
      version: version.number,
      contentSha256: version.contentSha256,
      signedAt: now.toISOString(),
      timeZone: statement.timeZone,
    },
    dedupeKey: `receipt:${binding!.id}`,
  });
  if (published) await refreshRecord(tx, statement.id, now);
  return { bindingId: binding!.id, signatureId: sig!.id, version: version.number, contentSha256: version.contentSha256, signedAt: now.toISOString(), created: true, kind };
}

/**
 * Sign for an organization (S4), re-confirm the current version (S5) or reinstate a withdrawn signature (S6): one
 * transaction re-checks the state, the membership, the policy and the version (I3); a repeat returns the existing
 * binding (I4).
 */
export async function signForOrganization(ctx: Ctx, input: SignInput): Promise<SignResult> {
  requireActor(ctx);
  const now = nowOf(ctx);
  const r = await ctx.db.transaction(async (tx) => {
    const statement = await loadForSigner(tx, ctx, input.statementId);
    return signInTx(tx, ctx, statement, input, now);
  });
  if (r.created) await revalidateIfPublished(ctx.db, input.statementId);
  return r;
}

/** After a change to a published statement's list: refresh this instance's cached public pages. */
async function revalidateIfPublished(db: DbOrTx, statementId: string) {
  const [pub] = await db.select({ slug: publications.slug }).from(publications).where(eq(publications.statementId, statementId));
  if (pub) await revalidatePublic(pub.slug);
}

/** Accept an invitation and sign on one page (S4): both or neither, in one transaction. */
export async function acceptAndSign(ctx: Ctx, input: InvitationProof & Omit<SignInput, 'statementId'>): Promise<SignResult & { statementId: string }> {
  requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const accepted = await acceptInvitationInTx(tx, ctx, input, now);
    const [statement] = await tx.select().from(statements).where(eq(statements.id, accepted.statementId)).for('share');
    const r = await signInTx(tx, ctx, statement!, { ...input, statementId: accepted.statementId }, now);
    return { ...r, statementId: accepted.statementId };
  });
}

/** Decline to sign (distinct from declining the invitation), with an optional reason for the initiators. */
export async function declineToSign(ctx: Ctx, input: { statementId: string; orgId: string; reason?: string | null }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > REASON_MAX) throw new AppError('INVALID_INPUT', 'errors.tooLong', { reason: ['errors.tooLong'] });
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForSigner(tx, ctx, input.statementId);
    if (!['draft', 'open', 'reopened'].includes(statement.state)) throw new AppError('INVALID_STATE', 'errors.signingClosed');
    const signer = await requireSigner(tx, statement.id, input.orgId, actor.userId);
    const [sig] = await tx.select().from(signatures).where(and(eq(signatures.statementId, statement.id), eq(signatures.orgId, signer.org.id))).for('update');
    if (sig) {
      const h = (await historyOf(tx, [sig.id])).get(sig.id)!;
      // A signature that stands is withdrawn, not declined (S5: declining a re-confirmation withdraws).
      if (deriveStatus(h, statement.currentVersion) !== 'withdrawn') throw new AppError('INVALID_STATE', 'errors.withdrawInstead');
    }
    const [existing] = await tx.select().from(signDeclines).where(and(eq(signDeclines.statementId, statement.id), eq(signDeclines.orgId, signer.org.id))).for('update');
    if (existing) return { changed: false };
    await tx.insert(signDeclines).values({ statementId: statement.id, orgId: signer.org.id, versionNumber: statement.currentVersion, reason, declinedBy: actor.userId, declinedAt: now });
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'signature.declined_to_sign',
      actorUserId: actor.userId,
      data: { orgId: signer.org.id, version: statement.currentVersion, withReason: !!reason },
      now,
    });
    return { changed: true };
  });
}

/**
 * Withdraw the organization's signature (S6), with an optional public reason: before publication it leaves the
 * list; after, it is shown as withdrawn with its date. Declining a re-confirmation is a withdrawal too. A repeat
 * changes nothing.
 */
export async function withdrawSignature(ctx: Ctx, input: { statementId: string; orgId: string; reason?: string | null }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > REASON_MAX) throw new AppError('INVALID_INPUT', 'errors.tooLong', { reason: ['errors.tooLong'] });
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForSigner(tx, ctx, input.statementId);
    if (statement.state === 'withdrawn') throw new AppError('INVALID_STATE', 'errors.statementWithdrawn');
    const signer = await requireSigner(tx, statement.id, input.orgId, actor.userId);
    const [sig] = await tx.select().from(signatures).where(and(eq(signatures.statementId, statement.id), eq(signatures.orgId, signer.org.id))).for('update');
    if (!sig) throw new AppError('INVALID_STATE', 'errors.notSigned');
    const h = (await historyOf(tx, [sig.id])).get(sig.id)!;
    if (deriveStatus(h, statement.currentVersion) === 'withdrawn') return { changed: false };
    await tx.insert(signatureEvents).values({ signatureId: sig.id, kind: 'withdrawn', reason, byUser: actor.userId, at: now });
    faultPoint('signing.after_withdraw');
    await appendAudit(tx, {
      chain: statementChain(statement.id),
      type: 'signature.withdrawn',
      actorUserId: actor.userId,
      data: { signatureId: sig.id, orgId: signer.org.id, version: statement.currentVersion, withReason: !!reason },
      now,
    });
    // After publication the entry stays, marked withdrawn with its date and reason (S6).
    if (statement.state === 'published' || statement.state === 'closed') await refreshRecord(tx, statement.id, now);
    return { changed: true };
  }).then(async (r) => {
    if (r.changed) await revalidateIfPublished(ctx.db, input.statementId);
    return r;
  });
}

// ---- reads ----

/** A frozen version for readers of the statement (initiator and participant members). */
export async function getVersion(ctx: Ctx, statementId: string, number: number) {
  const { statement } = await loadStatementForReader(ctx.db, ctx, statementId);
  const v = Number.isInteger(number) && number > 0 ? await versionByNumber(ctx.db, statement.id, number) : null;
  if (!v) throw new AppError('NOT_FOUND', 'errors.notFound');
  return { statement, version: v, doc: parseVersion(v.canonical) };
}

export async function listVersions(db: DbOrTx, statementId: string) {
  return db
    .select({ number: statementVersions.number, contentSha256: statementVersions.contentSha256, langs: statementVersions.langs, frozenAt: statementVersions.frozenAt })
    .from(statementVersions)
    .where(eq(statementVersions.statementId, statementId))
    .orderBy(desc(statementVersions.number));
}

export type MySigningOrg = SignerOrg & {
  status: SignatureStatus | 'declined' | 'unsigned';
  signatureId: string | null;
  bindingId: string | null;
  signedVersion: number | null;
  signedAt: Date | null;
  withdrawnReason: string | null;
};

/** Everything the sign page needs: the current frozen version, the actor's organizations and their status. */
export async function getSigningPage(ctx: Ctx, statementId: string) {
  const actor = requireActor(ctx);
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  const version = await versionByNumber(ctx.db, statement.id, statement.currentVersion);
  const orgs = await signerOrgsOf(ctx.db, statement.id, actor.userId);
  const sigs = orgs.length
    ? await ctx.db.select().from(signatures).where(and(eq(signatures.statementId, statement.id), inArray(signatures.orgId, orgs.map((o) => o.orgId))))
    : [];
  const hist = await historyOf(ctx.db, sigs.map((s) => s.id));
  const declines = orgs.length
    ? await ctx.db.select().from(signDeclines).where(and(eq(signDeclines.statementId, statement.id), inArray(signDeclines.orgId, orgs.map((o) => o.orgId))))
    : [];
  const mine: MySigningOrg[] = orgs.map((o) => {
    const sig = sigs.find((s) => s.orgId === o.orgId);
    const h = sig ? hist.get(sig.id)! : null;
    const last = h ? latestBinding(h) : null;
    const status = h ? deriveStatus(h, statement.currentVersion) : declines.some((d) => d.orgId === o.orgId) ? 'declined' : 'unsigned';
    const lastEvent = h?.events.at(-1);
    return {
      ...o,
      status,
      signatureId: sig?.id ?? null,
      bindingId: last?.id ?? null,
      signedVersion: last?.versionNumber ?? null,
      signedAt: last?.signedAt ?? null,
      withdrawnReason: status === 'withdrawn' ? (lastEvent?.reason ?? null) : null,
    };
  });
  const [me] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
  return {
    statement,
    access,
    version: version ? { number: version.number, contentSha256: version.contentSha256, frozenAt: version.frozenAt, doc: parseVersion(version.canonical) } : null,
    orgs: mine,
    personalName: me?.name?.trim() || null,
  };
}

/**
 * The receipt of one binding, for readers of the statement: statement, organization, version, hash, time. Its
 * public parts carry no e-mail address or user id; the personal name only when the signer opted in.
 */
export async function getReceipt(ctx: Ctx, statementId: string, bindingId: string) {
  const { statement } = await loadStatementForReader(ctx.db, ctx, statementId);
  if (!isUuid(bindingId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  const [b] = await ctx.db
    .select({
      id: signatureBindings.id,
      versionNumber: signatureBindings.versionNumber,
      contentSha256: signatureBindings.contentSha256,
      signedAt: signatureBindings.signedAt,
      snapshot: signatureBindings.snapshot,
      orgId: signatures.orgId,
      orgSlug: organizations.slug,
    })
    .from(signatureBindings)
    .innerJoin(signatures, eq(signatures.id, signatureBindings.signatureId))
    .leftJoin(organizations, eq(organizations.id, signatures.orgId))
    .where(and(eq(signatureBindings.id, bindingId), eq(signatureBindings.statementId, statement.id)));
  if (!b) throw new AppError('NOT_FOUND', 'errors.notFound');
  return {
    statementId: statement.id,
    title: await primaryTitle(ctx.db, statement.id),
    timeZone: statement.timeZone,
    receipt: {
      id: b.id,
      version: b.versionNumber,
      contentSha256: b.contentSha256,
      signedAt: b.signedAt,
      organization: b.snapshot.names.default ?? '',
      orgSlug: b.orgSlug,
      title: b.snapshot.title,
      personName: b.snapshot.personName,
    },
  };
}

export type BoardSignature = {
  orgId: string;
  slug: string;
  name: string;
  relation: 'initiator' | 'participant';
  status: SignatureStatus | 'declined' | 'unsigned';
  signedVersion: number | null;
  signedAt: Date | null;
  title: string | null;
  personName: string | null;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  /** Initiators only. */
  declineReason: string | null;
};

/**
 * The signing board (S2, S5): every initiating and participating organization with signed / awaiting
 * re-confirmation / withdrawn / declined / not yet. Participants see the signatories; declines and their reasons
 * are for initiator members only (matrix: "see declines, reasons").
 */
export async function getSignatureBoard(ctx: Ctx, statementId: string) {
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  const initiatorView = access.kind === 'initiator';
  const orgs = (await ctx.db.execute(sql`
    SELECT o.id AS "orgId", o.slug, o.name, 'initiator' AS relation, i.joined_at AS since
      FROM statement_initiators i JOIN organizations o ON o.id = i.org_id WHERE i.statement_id = ${statement.id}
    UNION ALL
    SELECT o.id, o.slug, o.name, 'participant', p.joined_at
      FROM statement_participants p JOIN organizations o ON o.id = p.org_id WHERE p.statement_id = ${statement.id}
       AND NOT EXISTS (SELECT 1 FROM statement_initiators i WHERE i.statement_id = p.statement_id AND i.org_id = p.org_id)
    ORDER BY 4, 3`)) as unknown as { orgId: string; slug: string; name: string; relation: 'initiator' | 'participant' }[];
  const sigs = await ctx.db.select().from(signatures).where(and(eq(signatures.statementId, statement.id), sql`${signatures.orgId} IS NOT NULL`));
  const hist = await historyOf(ctx.db, sigs.map((s) => s.id));
  const declines = await ctx.db.select().from(signDeclines).where(eq(signDeclines.statementId, statement.id));
  const rows: BoardSignature[] = orgs.map((o) => {
    const sig = sigs.find((s) => s.orgId === o.orgId);
    const h = sig ? hist.get(sig.id)! : null;
    const last = h ? latestBinding(h) : null;
    const decline = declines.find((d) => d.orgId === o.orgId);
    let status: BoardSignature['status'] = h ? deriveStatus(h, statement.currentVersion) : decline ? 'declined' : 'unsigned';
    if (status === 'withdrawn' && decline) status = 'declined';
    // Participants do not learn who declined (matrix): to them it is "not yet".
    if (status === 'declined' && !initiatorView) status = h ? 'withdrawn' : 'unsigned';
    const lastEvent = h?.events.at(-1);
    return {
      ...o,
      status,
      signedVersion: last?.versionNumber ?? null,
      signedAt: last?.signedAt ?? null,
      title: last?.snapshot.title ?? null,
      personName: last?.snapshot.personName ?? null,
      withdrawnAt: lastEvent?.kind === 'withdrawn' ? lastEvent.at : null,
      withdrawnReason: lastEvent?.kind === 'withdrawn' ? lastEvent.reason : null,
      declineReason: initiatorView && status === 'declined' ? (decline?.reason ?? null) : null,
    };
  });
  const counts = { signed: 0, needs_reconfirmation: 0, withdrawn: 0, declined: 0, unsigned: 0 };
  for (const r of rows) counts[r.status]++;
  return { statement, access, currentVersion: statement.currentVersion, rows, counts, versions: await listVersions(ctx.db, statement.id) };
}

/** Signatures counted for the current version: bound to it and not withdrawn (never an older version's). */
export async function countCurrentSignatures(db: DbOrTx, statementId: string): Promise<number> {
  const [r] = (await db.execute(sql`
    SELECT count(*)::int AS n FROM signatures s JOIN statements st ON st.id = s.statement_id
     WHERE s.statement_id = ${statementId}
       AND (SELECT b.version_number FROM signature_bindings b WHERE b.signature_id = s.id ORDER BY b.seq DESC LIMIT 1) = st.current_version
       AND coalesce((SELECT e.kind::text FROM signature_events e WHERE e.signature_id = s.id ORDER BY e.seq DESC LIMIT 1), '') <> 'withdrawn'`)) as unknown as { n: number }[];
  return r?.n ?? 0;
}

