// Statement invitations (PRODUCT.md S1–S3, Invitation; SECURITY.md I8, I11): initiator admins invite
// organizations from the directory or contacts by e-mail, as participants or co-initiators; owners/admins of an
// organization accept or decline for it; reminders and expiry run through the outbox and the relay. Every
// function authorizes inside itself against the statement it touches; every change is one transaction with its
// audit event (statement chain) and outbox rows. Tokens never leave lib/tokens.ts in plaintext except into a
// message (minted by the relay) or the handoff cookie of a proven shared mailbox.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import {
  memberships,
  organizations,
  outbox,
  statementInitiators,
  statementInvitations,
  statementParticipants,
  statements,
  statementTexts,
  statementVersions,
  users,
  type InvitationKind,
  type InvitationStatus,
  type OrgRole,
} from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import type { DocJSON } from './editor/extensions';
import { env } from './env';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { listDirectory } from './orgs';
import { enqueue } from './outbox';
import { isOrgAdmin, requireActor } from './permissions';
import { isUuid, loadStatementForInitiator, loadStatementForReader, REVIEW_STATES } from './statements';
import { consumeToken, mintToken, normalizeEmail, peekToken, revokeTokens, tokenOwner } from './tokens';

export const INVITATION_MIN_DAYS = 14;
export const HANDOFF_MINUTES = 15;
export const BULK_INVITE_MAX = 200;
const DAY = 86_400_000;
const INVITE_PATH = '/invite/statement';
const statementChain = (id: string) => ({ type: 'statement' as const, id });

/** `expires_at = max(created + 14 days, sign_by + 1 day)` (PRODUCT.md, Invitation). */
export function invitationExpiry(createdAt: Date, signBy: Date | null): Date {
  const min = createdAt.getTime() + INVITATION_MIN_DAYS * DAY;
  return new Date(signBy ? Math.max(min, signBy.getTime() + DAY) : min);
}

/** The reminder rules from INVITATION_REMINDERS ("3d,1d"): a name for the dedupe key and the offset before sign-by. */
export function reminderRules(spec = env().INVITATION_REMINDERS): { rule: string; offsetMs: number }[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((rule) => ({ rule, offsetMs: Number(rule.slice(0, -1)) * (rule.endsWith('d') ? DAY : 3_600_000) }));
}

/** "j…@example.org": what a signed-out visitor of an invitation link may see of the invited address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${email.slice(0, 1)}…${email.slice(at)}`;
}

/** The state shown on the board: `viewed` is a pending invitation the invited person opened. */
export type BoardState = 'sent' | 'viewed' | Exclude<InvitationStatus, 'pending'>;
export function boardState(inv: { status: InvitationStatus; viewedAt: Date | null; expiresAt: Date }, now: Date): BoardState {
  if (inv.status !== 'pending') return inv.status;
  if (inv.expiresAt <= now) return 'expired';
  return inv.viewedAt ? 'viewed' : 'sent';
}

type InvitationRow = typeof statementInvitations.$inferSelect;

// ---- helpers ----

/** Owners and admins of an organization: who an invitation to it is e-mailed to, and who may answer it. */
export async function orgAdminEmails(db: DbOrTx, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ['owner', 'admin'])))
    .orderBy(asc(users.email));
  return rows.map((r) => normalizeEmail(r.email));
}

export async function primaryTitle(db: DbOrTx, statementId: string): Promise<string> {
  const [t] = await db
    .select({ title: statementTexts.title })
    .from(statementTexts)
    .innerJoin(statements, and(eq(statements.id, statementTexts.statementId), eq(statements.primaryLang, statementTexts.lang)))
    .where(eq(statementTexts.statementId, statementId));
  return t?.title ?? '';
}

async function initiatorOrgNames(db: DbOrTx, statementId: string): Promise<string[]> {
  const rows = await db
    .select({ name: organizations.name })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statementId))
    .orderBy(sql`CASE ${statementInitiators.role} WHEN 'primary' THEN 0 ELSE 1 END`, asc(statementInitiators.joinedAt));
  return rows.map((r) => r.name);
}

async function recipientsOf(db: DbOrTx, inv: InvitationRow): Promise<string[]> {
  return inv.targetOrgId ? orgAdminEmails(db, inv.targetOrgId) : [normalizeEmail(inv.email!)];
}

async function mailData(db: DbOrTx, inv: InvitationRow, timeZone: string) {
  const [org] = inv.targetOrgId ? await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, inv.targetOrgId)) : [];
  return {
    invitationId: inv.id,
    kind: inv.kind,
    title: await primaryTitle(db, inv.statementId),
    inviters: (await initiatorOrgNames(db, inv.statementId)).join(', '),
    targetOrg: org?.name ?? null,
    message: inv.message,
    signBy: inv.signBy?.toISOString() ?? null,
    timeZone,
  };
}

/** Every unsent message of an invitation (its first e-mail, resends, scheduled reminders) stops here. */
async function cancelPendingMail(tx: Tx, invitationId: string, opts: { keepReminders?: boolean } = {}) {
  await tx
    .update(outbox)
    .set({ status: 'cancelled', lockedUntil: null })
    .where(
      and(
        eq(outbox.status, 'pending'),
        sql`${outbox.data}->>'invitationId' = ${invitationId}`,
        opts.keepReminders ? sql`${outbox.kind} <> 'statement.invitation_reminder'` : undefined,
      ),
    );
}

async function endTokens(tx: Tx, invitationId: string, now: Date) {
  await revokeTokens(tx, { purpose: 'statement_invitation', subjectId: invitationId, now });
  await revokeTokens(tx, { purpose: 'invitation_handoff', subjectId: invitationId, now });
}

/** The invitation named by id, locked, on the statement named by id: another statement's invitation is NOT_FOUND (IDOR). */
async function loadInvitationOf(tx: Tx, statementId: string, invitationId: string): Promise<InvitationRow> {
  if (!isUuid(invitationId)) throw new AppError('NOT_FOUND', 'errors.notFound');
  const [inv] = await tx
    .select()
    .from(statementInvitations)
    .where(and(eq(statementInvitations.id, invitationId), eq(statementInvitations.statementId, statementId)))
    .for('update');
  if (!inv) throw new AppError('NOT_FOUND', 'errors.notFound');
  return inv;
}

/** Initiator admins (INIT-A) only; initiator members get FORBIDDEN, participants FORBIDDEN, others NOT_FOUND. */
async function loadForInitiatorAdmin(tx: Tx, ctx: Ctx, statementId: string) {
  const { statement, role } = await loadStatementForInitiator(tx, ctx, statementId, { lock: true });
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  return statement;
}

function assertInvitable(state: string) {
  if (!(REVIEW_STATES as readonly string[]).includes(state)) throw new AppError('INVALID_STATE', 'errors.statementNotInvitable');
}

async function enqueueInvitationMail(
  tx: Tx,
  inv: InvitationRow,
  input: { auditEventId: string; timeZone: string; kind: 'statement.invitation' | 'statement.invitation_reminder'; key: (email: string, multi: boolean) => string; notBefore?: Date },
) {
  const recipients = await recipientsOf(tx, inv);
  const data = await mailData(tx, inv, input.timeZone);
  const locale: Locale = isLocale(inv.locale) ? inv.locale : 'en';
  for (const to of recipients) {
    await enqueue(tx, {
      auditEventId: input.auditEventId,
      kind: input.kind,
      to,
      locale,
      data,
      dedupeKey: input.key(to, !!inv.targetOrgId),
      notBefore: input.notBefore,
      tokenRef: { purpose: 'statement_invitation', subjectId: inv.id, expiresAt: inv.expiresAt.toISOString(), path: INVITE_PATH },
    });
  }
}

/**
 * One scheduled reminder of an invitation for the statement's version `version` (0 before the first freeze), keyed
 * `reminder:{invitation}:{rule}:{version}` (`:{e-mail}` added when it goes to several owners/admins). While the
 * invitation is pending it carries the invitation link; once accepted, the relay sends it only while the
 * organization is not bound to the current version and has not declined to sign, with a link to the sign page.
 */
export async function enqueueInvitationReminder(
  tx: Tx,
  inv: InvitationRow,
  input: { auditEventId: string; timeZone: string; rule: string; version: number; notBefore: Date },
) {
  const target = inv.status === 'accepted' && inv.acceptedOrgId ? { ...inv, targetOrgId: inv.acceptedOrgId, email: null } : inv;
  const recipients = await recipientsOf(tx, target);
  const data = { ...(await mailData(tx, inv, input.timeZone)), statementId: inv.statementId, version: input.version };
  const locale: Locale = isLocale(inv.locale) ? inv.locale : 'en';
  const multi = !!target.targetOrgId;
  for (const to of recipients) {
    await enqueue(tx, {
      auditEventId: input.auditEventId,
      kind: 'statement.invitation_reminder',
      to,
      locale,
      data,
      dedupeKey: `reminder:${inv.id}:${input.rule}:${input.version}${multi ? `:${to}` : ''}`,
      notBefore: input.notBefore,
      tokenRef: { purpose: 'statement_invitation', subjectId: inv.id, expiresAt: inv.expiresAt.toISOString(), path: INVITE_PATH },
    });
  }
}

// ---- inviting (S1) ----

export type InviteTarget = { orgId: string } | { email: string };
export type InviteInput = {
  statementId: string;
  kind: InvitationKind;
  targets: InviteTarget[];
  message?: string | null;
  signBy?: Date | null;
  locale: Locale;
};
export type SkipReason = 'alreadyInvited' | 'alreadyParticipant' | 'alreadyInitiator' | 'duplicate';

/**
 * Initiator admins (INIT-A), while the statement is unpublished: invite organizations from the directory (their
 * owners/admins are e-mailed) and contacts by e-mail, one invitation each, in one transaction. Targets already
 * invited, participating or initiating are reported as skipped, not errors. Reminders are scheduled as outbox
 * rows with `not_before` and the dedupe key `reminder:{invitation}:{rule}:{version}` (`:{e-mail}` added when the
 * invitation goes to several owners/admins); see enqueueInvitationReminder.
 */
export async function inviteOrganizations(ctx: Ctx, input: InviteInput) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  if (input.targets.length === 0) throw new AppError('INVALID_INPUT', 'errors.noInvitees', { targets: ['errors.noInvitees'] });
  if (input.targets.length > BULK_INVITE_MAX) throw new AppError('INVALID_INPUT', 'errors.tooManyInvitees', { targets: ['errors.tooManyInvitees'] });
  const signBy = input.signBy ?? null;
  if (signBy && signBy.getTime() <= now.getTime()) throw new AppError('INVALID_INPUT', 'errors.signByPast', { signBy: ['errors.signByPast'] });
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    assertInvitable(statement.state);
    const initiators = new Set((await tx.select({ orgId: statementInitiators.orgId }).from(statementInitiators).where(eq(statementInitiators.statementId, statement.id))).map((r) => r.orgId));
    const participants = new Set((await tx.select({ orgId: statementParticipants.orgId }).from(statementParticipants).where(eq(statementParticipants.statementId, statement.id))).map((r) => r.orgId));
    const pending = await tx
      .select({ orgId: statementInvitations.targetOrgId, email: statementInvitations.email })
      .from(statementInvitations)
      .where(and(eq(statementInvitations.statementId, statement.id), eq(statementInvitations.status, 'pending'), sql`${statementInvitations.expiresAt} > ${now.toISOString()}`));
    const pendingKeys = new Set(pending.map((p) => (p.orgId ? `org:${p.orgId}` : `email:${p.email}`)));
    // Expired-but-not-yet-swept pending rows would trip the one-pending unique index: sweep them here first.
    await expireOverdue(tx, statement.id, now);

    const orgIds = input.targets.flatMap((t) => ('orgId' in t ? [t.orgId] : []));
    if (orgIds.some((id) => !isUuid(id))) throw new AppError('INVALID_INPUT', 'errors.unknownOrganization', { targets: ['errors.unknownOrganization'] });
    const known = orgIds.length ? await tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds)) : [];
    const orgName = new Map(known.map((o) => [o.id, o.name]));
    if (orgIds.some((id) => !orgName.has(id))) throw new AppError('INVALID_INPUT', 'errors.unknownOrganization', { targets: ['errors.unknownOrganization'] });

    const created: { invitationId: string; target: string }[] = [];
    const skipped: { target: string; reason: SkipReason }[] = [];
    const seen = new Set<string>();
    const rules = reminderRules();
    for (const t of input.targets) {
      const key = 'orgId' in t ? `org:${t.orgId}` : `email:${normalizeEmail(t.email)}`;
      const label = 'orgId' in t ? orgName.get(t.orgId)! : normalizeEmail(t.email);
      if (seen.has(key)) {
        skipped.push({ target: label, reason: 'duplicate' });
        continue;
      }
      seen.add(key);
      if ('orgId' in t && initiators.has(t.orgId)) {
        skipped.push({ target: label, reason: 'alreadyInitiator' });
        continue;
      }
      if ('orgId' in t && input.kind === 'participant' && participants.has(t.orgId)) {
        skipped.push({ target: label, reason: 'alreadyParticipant' });
        continue;
      }
      if (pendingKeys.has(key)) {
        skipped.push({ target: label, reason: 'alreadyInvited' });
        continue;
      }
      const [inv] = await tx
        .insert(statementInvitations)
        .values({
          statementId: statement.id,
          kind: input.kind,
          targetOrgId: 'orgId' in t ? t.orgId : null,
          email: 'email' in t ? normalizeEmail(t.email) : null,
          message: input.message || null,
          signBy,
          locale: input.locale,
          expiresAt: invitationExpiry(now, signBy),
          invitedBy: actor.userId,
          createdAt: now,
        })
        .returning();
      faultPoint('invitations.after_insert');
      const event = await appendAudit(tx, {
        chain: statementChain(statement.id),
        type: 'invitation.sent',
        actorUserId: actor.userId,
        data: { invitationId: inv!.id, kind: input.kind, targetOrgId: inv!.targetOrgId, byEmail: !!inv!.email },
        now,
      });
      await enqueueInvitationMail(tx, inv!, {
        auditEventId: event.id,
        timeZone: statement.timeZone,
        kind: 'statement.invitation',
        key: (email) => `invitation:${inv!.id}:sent:${email}`,
      });
      if (signBy) {
        for (const r of rules) {
          const at = new Date(signBy.getTime() - r.offsetMs);
          if (at.getTime() <= now.getTime()) continue;
          await enqueueInvitationReminder(tx, inv!, { auditEventId: event.id, timeZone: statement.timeZone, rule: r.rule, version: statement.currentVersion ?? 0, notBefore: at });
        }
      }
      created.push({ invitationId: inv!.id, target: label });
    }
    return { created, skipped };
  });
}

/** Initiator admins: send the invitation again (the relay mints a fresh token; older links keep working until one is used). */
export async function resendInvitation(ctx: Ctx, input: { statementId: string; invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    const inv = await loadInvitationOf(tx, statement.id, input.invitationId);
    if (inv.status !== 'pending' || inv.expiresAt <= now) throw new AppError('INVALID_STATE', 'errors.invitationNotPending');
    const event = await appendAudit(tx, { chain: statementChain(statement.id), type: 'invitation.resent', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    await enqueueInvitationMail(tx, inv, { auditEventId: event.id, timeZone: statement.timeZone, kind: 'statement.invitation', key: (email) => `invitation:${inv.id}:resent:${event.id}:${email}` });
    return { invitationId: inv.id };
  });
}

/** Initiator admins: "remind now", at most once per INVITATION_REMIND_INTERVAL_HOURS per invitation (RATE_LIMITED otherwise). */
export async function remindInvitation(ctx: Ctx, input: { statementId: string; invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    const inv = await loadInvitationOf(tx, statement.id, input.invitationId);
    if (inv.status !== 'pending' || inv.expiresAt <= now) throw new AppError('INVALID_STATE', 'errors.invitationNotPending');
    const interval = env().INVITATION_REMIND_INTERVAL_HOURS * 3_600_000;
    const last = Math.max(inv.lastRemindedAt?.getTime() ?? 0, inv.createdAt.getTime());
    if (now.getTime() - last < interval) {
      throw new AppError('RATE_LIMITED', 'errors.remindTooSoon', undefined, Math.ceil((last + interval - now.getTime()) / 1000));
    }
    await tx.update(statementInvitations).set({ lastRemindedAt: now }).where(eq(statementInvitations.id, inv.id));
    const event = await appendAudit(tx, { chain: statementChain(statement.id), type: 'invitation.reminded', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    await enqueueInvitationMail(tx, inv, { auditEventId: event.id, timeZone: statement.timeZone, kind: 'statement.invitation_reminder', key: (email) => `remind:${inv.id}:${event.id}:${email}` });
    return { invitationId: inv.id, remindedAt: now.toISOString() };
  });
}

/** Initiator admins: revoke a pending invitation; its links stop working and its unsent mail is cancelled. */
export async function revokeInvitation(ctx: Ctx, input: { statementId: string; invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const statement = await loadForInitiatorAdmin(tx, ctx, input.statementId);
    const inv = await loadInvitationOf(tx, statement.id, input.invitationId);
    if (inv.status !== 'pending') throw new AppError('INVALID_STATE', 'errors.invitationNotPending');
    await tx.update(statementInvitations).set({ status: 'revoked', respondedAt: now, respondedBy: actor.userId }).where(eq(statementInvitations.id, inv.id));
    await endTokens(tx, inv.id, now);
    await cancelPendingMail(tx, inv.id);
    await appendAudit(tx, { chain: statementChain(statement.id), type: 'invitation.revoked', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    return { invitationId: inv.id };
  });
}

// ---- expiry (the relay records `expired` once) ----

async function expireOne(tx: Tx, inv: InvitationRow, now: Date) {
  await tx.update(statementInvitations).set({ status: 'expired', respondedAt: now }).where(eq(statementInvitations.id, inv.id));
  await endTokens(tx, inv.id, now);
  await cancelPendingMail(tx, inv.id);
  await appendAudit(tx, { chain: statementChain(inv.statementId), type: 'invitation.expired', actorUserId: null, data: { invitationId: inv.id }, now });
}

async function expireOverdue(tx: Tx, statementId: string, now: Date) {
  const rows = await tx
    .select()
    .from(statementInvitations)
    .where(and(eq(statementInvitations.statementId, statementId), eq(statementInvitations.status, 'pending'), sql`${statementInvitations.expiresAt} <= ${now.toISOString()}`))
    .for('update');
  for (const inv of rows) await expireOne(tx, inv, now);
}

/**
 * Run by the relay on every instance: mark pending invitations past `expires_at` as expired, once each (rows
 * claimed with SKIP LOCKED; the status predicate makes a second pass a no-op). Returns how many it expired.
 */
export async function expireInvitations(db: DbOrTx, opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let n = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(statementInvitations)
        .where(and(eq(statementInvitations.status, 'pending'), sql`${statementInvitations.expiresAt} <= ${now.toISOString()}`))
        .orderBy(asc(statementInvitations.expiresAt))
        .limit(opts.limit ?? 20)
        .for('update', { skipLocked: true });
      for (const inv of rows) await expireOne(tx, inv, now);
      return rows.length;
    });
    n += done;
    if (done < (opts.limit ?? 20)) return n;
  }
}

// ---- the invitation link (I8): public peek, signed-in open, shared-mailbox handoff ----

/** Public (no session): what a visitor of a valid link may see — the inviting organizations and a masked address. */
export async function previewInvitationPublic(db: DbOrTx, input: { token: string; now?: Date }) {
  const check = await peekToken(db, { token: input.token, purpose: 'statement_invitation', now: input.now });
  if (!check.ok) throw new AppError('NOT_FOUND', 'errors.invitationLinkInvalid');
  const [inv] = await db.select().from(statementInvitations).where(eq(statementInvitations.id, check.subjectId));
  if (!inv || inv.status !== 'pending' || inv.expiresAt <= (input.now ?? new Date())) throw new AppError('NOT_FOUND', 'errors.invitationLinkInvalid');
  return { inviters: await initiatorOrgNames(db, inv.statementId), maskedEmail: maskEmail(check.email), kind: inv.kind };
}

/** What the invited person sees after signing in: the statement, the message, and for which organizations they may answer. */
export async function invitationDetails(db: DbOrTx, inv: InvitationRow, userId: string) {
  const [st] = await db
    .select({ timeZone: statements.timeZone, state: statements.state, currentVersion: statements.currentVersion, primaryLang: statements.primaryLang })
    .from(statements)
    .where(eq(statements.id, inv.statementId));
  const mine = await db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, role: memberships.role, memberTitle: memberships.title, verified: sql<boolean>`${organizations.verifiedAt} IS NOT NULL` })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.normalizedName));
  const taken = new Set(
    [
      ...(await db.select({ orgId: statementInitiators.orgId }).from(statementInitiators).where(eq(statementInitiators.statementId, inv.statementId))),
      ...(inv.kind === 'participant' ? await db.select({ orgId: statementParticipants.orgId }).from(statementParticipants).where(eq(statementParticipants.statementId, inv.statementId)) : []),
    ].map((r) => r.orgId),
  );
  const [target] = inv.targetOrgId ? await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, inv.targetOrgId)) : [];
  const eligible = mine.filter((o) => isOrgAdmin(o.role) && !taken.has(o.id) && (!inv.targetOrgId || o.id === inv.targetOrgId));
  return {
    invitationId: inv.id,
    statementId: inv.statementId,
    kind: inv.kind,
    title: await primaryTitle(db, inv.statementId),
    inviters: await initiatorOrgNames(db, inv.statementId),
    message: inv.message,
    signBy: inv.signBy?.toISOString() ?? null,
    timeZone: st?.timeZone ?? 'UTC',
    targetOrg: target ?? null,
    // Organizations the actor may answer for (owner/admin, not already in); the UI also offers to create one.
    eligibleOrgs: eligible.map(({ id, name, slug, verified, memberTitle }) => ({ id, name, slug, verified, memberTitle })),
    // Organizations where the actor is a plain member: shown so they know why they cannot accept for them.
    memberOnlyOrgs: mine.filter((o) => !isOrgAdmin(o.role) && (!inv.targetOrgId || o.id === inv.targetOrgId)).map((o) => o.name),
    canCreateOrg: !inv.targetOrgId,
    // Open for signature: the exact frozen text, so an owner/admin can accept and sign on one page (S4).
    signing: await openVersionOf(db, inv.statementId, st ?? null),
    signerName: await personalNameOf(db, userId),
  };
}

/** The current frozen version's number, hash and texts while the statement is open for signature; else null. */
async function openVersionOf(db: DbOrTx, statementId: string, st: { state: string; currentVersion: number | null; primaryLang: string } | null) {
  if (!st || st.state !== 'open' || !st.currentVersion) return null;
  const [v] = await db
    .select({ number: statementVersions.number, contentSha256: statementVersions.contentSha256, canonical: statementVersions.canonical })
    .from(statementVersions)
    .where(and(eq(statementVersions.statementId, statementId), eq(statementVersions.number, st.currentVersion)));
  if (!v) return null;
  const doc = JSON.parse(v.canonical) as { texts: Record<string, { title: string; body: DocJSON }> };
  return { version: v.number, contentSha256: v.contentSha256, primaryLang: st.primaryLang, texts: doc.texts };
}

async function personalNameOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return u?.name?.trim() || null;
}

type LinkProblem = 'invalid' | 'expired';

/**
 * Signed in with the invited address: the invitation behind the token. Marks it `viewed` the first time (an
 * audit event). A forwarded link (another signed-in address), an unknown, used or revoked token: the one
 * "invalid" answer; a signed-in person whose own link expired is told so (they may ask for a new one).
 */
export async function openInvitation(ctx: Ctx, input: { token: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const problem = await ownLinkProblem(ctx.db, input.token, actor.email, now);
  if (problem) throw linkError(problem);
  return ctx.db.transaction(async (tx) => {
    const check = await peekToken(tx, { token: input.token, purpose: 'statement_invitation', now });
    if (!check.ok || check.email !== normalizeEmail(actor.email)) throw linkError('invalid');
    const [inv] = await tx.select().from(statementInvitations).where(eq(statementInvitations.id, check.subjectId)).for('update');
    if (!inv || inv.status !== 'pending') throw linkError('invalid');
    if (!inv.viewedAt) {
      await tx.update(statementInvitations).set({ viewedAt: now }).where(eq(statementInvitations.id, inv.id));
      await appendAudit(tx, { chain: statementChain(inv.statementId), type: 'invitation.viewed', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    }
    return { ...(await invitationDetails(tx, inv, actor.userId)), invitedEmail: check.email, via: 'link' as const };
  });
}

/** Only the rightful recipient learns that their link expired; everyone else gets the one "invalid" answer. */
async function ownLinkProblem(db: DbOrTx, token: string, actorEmail: string, now: Date): Promise<LinkProblem | null> {
  const live = await peekToken(db, { token, purpose: 'statement_invitation', now });
  if (live.ok) return live.email === normalizeEmail(actorEmail) ? null : 'invalid';
  // Not live: find out whether it is the actor's own token of an invitation that simply ran out of time — also
  // once the expiry sweep has recorded `expired` (which ends the invitation's tokens, so a peek no longer finds it).
  const past = await tokenOwner(db, { token, purpose: 'statement_invitation' });
  if (!past || past.email !== normalizeEmail(actorEmail)) return 'invalid';
  const [inv] = await db.select({ status: statementInvitations.status, expiresAt: statementInvitations.expiresAt }).from(statementInvitations).where(eq(statementInvitations.id, past.subjectId));
  if (inv && (inv.status === 'expired' || (inv.status === 'pending' && inv.expiresAt <= now))) return 'expired';
  return 'invalid';
}

const linkError = (p: LinkProblem) => new AppError('NOT_FOUND', p === 'expired' ? 'errors.invitationLinkExpired' : 'errors.invitationLinkInvalid');

/**
 * A shared mailbox (e.g. info@) signed in with the invited address hands the invitation to a personal account:
 * its links are used up, and a 15-minute handoff token (returned to be set as an HttpOnly cookie in this browser)
 * lets whoever signs in next in this browser answer. The mailbox account is recorded as having proven the address.
 */
export async function confirmSharedMailbox(ctx: Ctx, input: { token: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const inv = await invitationFromLink(tx, input.token, actor.email, now);
    await tx.update(statementInvitations).set({ provenBy: actor.userId, viewedAt: inv.viewedAt ?? now }).where(eq(statementInvitations.id, inv.id));
    await revokeTokens(tx, { purpose: 'invitation_handoff', subjectId: inv.id, now });
    const handoff = await mintToken(tx, { purpose: 'invitation_handoff', subjectId: inv.id, email: actor.email, expiresAt: new Date(now.getTime() + HANDOFF_MINUTES * 60_000) });
    await appendAudit(tx, { chain: statementChain(inv.statementId), type: 'invitation.mailbox_confirmed', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    return { handoff, expiresInSeconds: HANDOFF_MINUTES * 60 };
  });
}

/** The personal account continuing from a shared mailbox in the same browser: the invitation behind the handoff token. */
export async function openInvitationByHandoff(ctx: Ctx, input: { handoff: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const check = await peekToken(ctx.db, { token: input.handoff, purpose: 'invitation_handoff', now });
  if (!check.ok) throw linkError('invalid');
  const [inv] = await ctx.db.select().from(statementInvitations).where(eq(statementInvitations.id, check.subjectId));
  if (!inv || inv.status !== 'pending' || inv.expiresAt <= now) throw linkError('invalid');
  return { ...(await invitationDetails(ctx.db, inv, actor.userId)), invitedEmail: check.email, via: 'handoff' as const };
}

/**
 * Lock order everywhere: the invitation row, then its tokens (as revocation and the by-id path do), so a token
 * answer racing a dashboard answer, a revocation or the expiry sweep waits instead of deadlocking.
 */
async function invitationFromLink(tx: Tx, token: string, email: string, now: Date, purpose: 'statement_invitation' | 'invitation_handoff' = 'statement_invitation'): Promise<InvitationRow> {
  const peek = await peekToken(tx, { token, purpose, now });
  if (!peek.ok) throw linkError('invalid');
  const [inv] = await tx.select().from(statementInvitations).where(eq(statementInvitations.id, peek.subjectId)).for('update');
  const check = await consumeToken(tx, { token, purpose, email, now });
  if (!check.ok || !inv || inv.status !== 'pending' || inv.expiresAt <= now) throw linkError('invalid');
  // Using any token of an invitation consumes all.
  await revokeTokens(tx, { purpose: 'statement_invitation', subjectId: inv.id, now });
  return inv;
}

export type InvitationProof = { token: string } | { handoff: string } | { invitationId: string };

/**
 * Who may answer: the holder of a live link signed in with its address; a personal account with a live handoff
 * from a proven shared mailbox (same browser, 15 minutes); or, from the dashboard, an owner/admin of the invited
 * organization or the person signed in with the invited contact address. Anything else: the one invalid answer.
 */
async function answerable(tx: Tx, ctx: Ctx, proof: InvitationProof, now: Date): Promise<{ inv: InvitationRow; provenBy: string | null }> {
  const actor = requireActor(ctx);
  if ('token' in proof) return { inv: await invitationFromLink(tx, proof.token, actor.email, now), provenBy: null };
  if ('handoff' in proof) {
    const peek = await peekToken(tx, { token: proof.handoff, purpose: 'invitation_handoff', now });
    if (!peek.ok) throw linkError('invalid');
    const inv = await invitationFromLink(tx, proof.handoff, peek.email, now, 'invitation_handoff');
    return { inv, provenBy: inv.provenBy };
  }
  if (!isUuid(proof.invitationId)) throw linkError('invalid');
  const [inv] = await tx.select().from(statementInvitations).where(eq(statementInvitations.id, proof.invitationId)).for('update');
  if (!inv || inv.status !== 'pending' || inv.expiresAt <= now) throw linkError('invalid');
  const addressedToMe = inv.email !== null && inv.email === normalizeEmail(actor.email);
  const adminOfTarget = inv.targetOrgId !== null && isOrgAdmin(await roleOf(tx, inv.targetOrgId, actor.userId));
  if (!addressedToMe && !adminOfTarget) throw linkError('invalid');
  await revokeTokens(tx, { purpose: 'statement_invitation', subjectId: inv.id, now });
  return { inv, provenBy: null };
}

async function roleOf(db: DbOrTx, orgId: string, userId: string): Promise<OrgRole | null> {
  const [m] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return m?.role ?? null;
}

async function finish(tx: Tx, inv: InvitationRow, now: Date, opts: { keepReminders?: boolean } = {}) {
  await revokeTokens(tx, { purpose: 'invitation_handoff', subjectId: inv.id, now });
  await cancelPendingMail(tx, inv.id, opts);
}

/**
 * Accept for organization `orgId` (SECURITY.md I11): the actor must be its owner/admin (a plain member is
 * FORBIDDEN), and for an invitation to a directory organization it must be that organization. Participants'
 * members then read and comment; a co-initiator's members gain the initiators' rights. Once: a concurrent or
 * repeated accept finds the invitation answered and gets the invalid answer.
 */
export async function acceptInvitation(ctx: Ctx, input: InvitationProof & { orgId: string }) {
  requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction((tx) => acceptInvitationInTx(tx, ctx, input, now));
}

/** acceptInvitation inside the caller's transaction (accept and sign on one page). */
export async function acceptInvitationInTx(tx: Tx, ctx: Ctx, input: InvitationProof & { orgId: string }, now: Date) {
  const actor = requireActor(ctx);
  {
    const { inv, provenBy } = await answerable(tx, ctx, input, now);
    if (!isUuid(input.orgId) || (inv.targetOrgId && inv.targetOrgId !== input.orgId)) throw new AppError('FORBIDDEN', 'errors.notInvitedOrganization');
    const [org] = await tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, input.orgId));
    const role = org ? await roleOf(tx, org.id, actor.userId) : null;
    if (!org || !isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.onlyAdminsAnswer');
    const [st] = await tx.select().from(statements).where(eq(statements.id, inv.statementId)).for('no key update');
    if (!st || !(REVIEW_STATES as readonly string[]).includes(st.state)) throw new AppError('INVALID_STATE', 'errors.statementNotInvitable');
    const [initiator] = await tx.select().from(statementInitiators).where(and(eq(statementInitiators.statementId, st.id), eq(statementInitiators.orgId, org.id)));
    if (initiator) throw new AppError('INVALID_STATE', 'errors.alreadyInitiator');
    await tx
      .update(statementInvitations)
      .set({ status: 'accepted', respondedAt: now, respondedBy: actor.userId, acceptedOrgId: org.id, viewedAt: inv.viewedAt ?? now })
      .where(eq(statementInvitations.id, inv.id));
    if (inv.kind === 'co_initiator') {
      await tx.insert(statementInitiators).values({ statementId: st.id, orgId: org.id, role: 'co', joinedAt: now });
    } else {
      await tx
        .insert(statementParticipants)
        .values({ statementId: st.id, orgId: org.id, invitationId: inv.id, acceptedBy: actor.userId, joinedAt: now })
        .onConflictDoNothing();
    }
    faultPoint('invitations.after_accept');
    // Reminders to sign keep running until the organization is bound to the current version (relay decides).
    await finish(tx, inv, now, { keepReminders: inv.kind === 'participant' });
    await appendAudit(tx, {
      chain: statementChain(st.id),
      type: 'invitation.accepted',
      actorUserId: actor.userId,
      data: { invitationId: inv.id, kind: inv.kind, orgId: org.id, provenBy },
      now,
    });
    return { statementId: st.id, orgId: org.id, kind: inv.kind };
  }
}

/**
 * Decline, with an optional reason the initiators see. For a directory organization's invitation the actor must
 * be its owner/admin; a contact invitation is declined by the invited person (proven as for accepting).
 */
export async function declineInvitation(ctx: Ctx, input: InvitationProof & { reason?: string | null }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { inv, provenBy } = await answerable(tx, ctx, input, now);
    if (inv.targetOrgId && !isOrgAdmin(await roleOf(tx, inv.targetOrgId, actor.userId))) throw new AppError('FORBIDDEN', 'errors.onlyAdminsAnswer');
    await tx
      .update(statementInvitations)
      .set({ status: 'declined', respondedAt: now, respondedBy: actor.userId, declineReason: input.reason?.trim() || null, viewedAt: inv.viewedAt ?? now })
      .where(eq(statementInvitations.id, inv.id));
    await finish(tx, inv, now);
    await appendAudit(tx, { chain: statementChain(inv.statementId), type: 'invitation.declined', actorUserId: actor.userId, data: { invitationId: inv.id, provenBy, withReason: !!input.reason?.trim() }, now });
    return { statementId: inv.statementId };
  });
}

// ---- reads ----

/**
 * The status board (S2): initiator members (INIT-M, INIT-A) see every invitation with its state, timestamps and
 * decline reasons; only INIT-A may act on them (`canManage`). Participants are FORBIDDEN; others NOT_FOUND.
 */
export async function getInvitationBoard(ctx: Ctx, statementId: string) {
  const now = nowOf(ctx);
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, statementId);
  const inviter = sql<string | null>`(select coalesce(u.name, u.email) from users u where u.id = ${statementInvitations.invitedBy})`;
  const responder = sql<string | null>`(select coalesce(u.name, u.email) from users u where u.id = ${statementInvitations.respondedBy})`;
  const prover = sql<string | null>`(select u.email from users u where u.id = ${statementInvitations.provenBy})`;
  const acceptedOrg = sql<string | null>`(select o.name from organizations o where o.id = ${statementInvitations.acceptedOrgId})`;
  const scheduled = sql<number>`(select count(*)::int from outbox ob where ob.status = 'pending' and ob.kind = 'statement.invitation_reminder' and ob.data->>'invitationId' = ${statementInvitations.id}::text)`;
  const rows = await ctx.db
    .select({
      inv: statementInvitations,
      targetOrgName: organizations.name,
      targetOrgSlug: organizations.slug,
      inviter,
      responder,
      prover,
      acceptedOrg,
      scheduled,
    })
    .from(statementInvitations)
    .leftJoin(organizations, eq(organizations.id, statementInvitations.targetOrgId))
    .where(eq(statementInvitations.statementId, statement.id))
    .orderBy(asc(statementInvitations.createdAt));
  const items = rows.map((r) => ({
    id: r.inv.id,
    kind: r.inv.kind,
    target: r.targetOrgName ?? r.inv.email ?? '',
    targetOrgSlug: r.targetOrgSlug,
    byEmail: !r.inv.targetOrgId,
    state: boardState(r.inv, now),
    createdAt: r.inv.createdAt.toISOString(),
    viewedAt: r.inv.viewedAt?.toISOString() ?? null,
    respondedAt: r.inv.respondedAt?.toISOString() ?? null,
    lastRemindedAt: r.inv.lastRemindedAt?.toISOString() ?? null,
    signBy: r.inv.signBy?.toISOString() ?? null,
    expiresAt: r.inv.expiresAt.toISOString(),
    declineReason: r.inv.declineReason,
    invitedBy: r.inviter,
    respondedBy: r.responder,
    provenBy: r.prover,
    acceptedOrg: r.acceptedOrg,
    acceptedOrgId: r.inv.acceptedOrgId,
    remindersScheduled: r.scheduled,
  }));
  return { statementId: statement.id, state: statement.state, timeZone: statement.timeZone, canManage: isOrgAdmin(role), items, counts: countStates(items.map((i) => i.state)) };
}

export type BoardCounts = Record<BoardState, number> & { total: number; answered: number; progress: number };

/** Counts per state and progress = accepted share of the invitations that still count (not revoked). */
export function countStates(states: BoardState[]): BoardCounts {
  const c: BoardCounts = { sent: 0, viewed: 0, accepted: 0, declined: 0, revoked: 0, expired: 0, total: 0, answered: 0, progress: 0 };
  for (const s of states) c[s]++;
  c.total = states.length - c.revoked;
  c.answered = c.accepted + c.declined;
  c.progress = c.total > 0 ? c.accepted / c.total : 0;
  return c;
}

/** Board counts for the dashboard cards of statements the actor initiates (initiator members only; others get nothing). */
export async function invitationCountsFor(ctx: Ctx, statementIds: string[]): Promise<Record<string, BoardCounts>> {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  if (statementIds.length === 0) return {};
  const rows = await ctx.db
    .select({ statementId: statementInvitations.statementId, status: statementInvitations.status, viewedAt: statementInvitations.viewedAt, expiresAt: statementInvitations.expiresAt })
    .from(statementInvitations)
    .where(
      and(
        inArray(statementInvitations.statementId, statementIds),
        sql`exists (select 1 from statement_initiators si join memberships m on m.org_id = si.org_id where si.statement_id = ${statementInvitations.statementId} and m.user_id = ${actor.userId})`,
      ),
    );
  const by = new Map<string, BoardState[]>();
  for (const r of rows) by.set(r.statementId, [...(by.get(r.statementId) ?? []), boardState(r, now)]);
  return Object.fromEntries([...by].map(([id, states]) => [id, countStates(states)]));
}

/**
 * Readers (initiator and participant members): the initiators and the participating organizations. Not the
 * pending, declined or revoked invitations — those are for the initiators' board.
 */
export async function listStatementOrganizations(ctx: Ctx, statementId: string) {
  const { statement, access } = await loadStatementForReader(ctx.db, ctx, statementId);
  const initiators = await ctx.db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, role: statementInitiators.role, since: statementInitiators.joinedAt })
    .from(statementInitiators)
    .innerJoin(organizations, eq(organizations.id, statementInitiators.orgId))
    .where(eq(statementInitiators.statementId, statement.id))
    .orderBy(sql`CASE ${statementInitiators.role} WHEN 'primary' THEN 0 ELSE 1 END`, asc(statementInitiators.joinedAt));
  const participants = await ctx.db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, since: statementParticipants.joinedAt })
    .from(statementParticipants)
    .innerJoin(organizations, eq(organizations.id, statementParticipants.orgId))
    .where(and(eq(statementParticipants.statementId, statement.id), sql`not exists (select 1 from statement_initiators si where si.statement_id = ${statement.id} and si.org_id = ${statementParticipants.orgId})`))
    .orderBy(asc(statementParticipants.joinedAt));
  return { access, initiators, participants };
}

/**
 * The dashboard's "Waiting for my organization" (P3): pending invitations to organizations the actor owns or
 * administers, or addressed to the actor's e-mail; and drafts their organizations were invited to review.
 */
export async function listWaitingForMe(ctx: Ctx) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const email = normalizeEmail(actor.email);
  const invitations = await ctx.db
    .select({
      id: statementInvitations.id,
      statementId: statementInvitations.statementId,
      kind: statementInvitations.kind,
      signBy: statementInvitations.signBy,
      expiresAt: statementInvitations.expiresAt,
      targetOrg: organizations.name,
      targetOrgId: statementInvitations.targetOrgId,
      timeZone: statements.timeZone,
      title: statementTexts.title,
      inviters: sql<string>`(select string_agg(o.name, ', ' order by si.role, si.joined_at) from statement_initiators si join organizations o on o.id = si.org_id where si.statement_id = ${statementInvitations.statementId})`,
    })
    .from(statementInvitations)
    .innerJoin(statements, eq(statements.id, statementInvitations.statementId))
    .innerJoin(statementTexts, and(eq(statementTexts.statementId, statements.id), eq(statementTexts.lang, statements.primaryLang)))
    .leftJoin(organizations, eq(organizations.id, statementInvitations.targetOrgId))
    .where(
      and(
        eq(statementInvitations.status, 'pending'),
        sql`${statementInvitations.expiresAt} > ${now.toISOString()}`,
        sql`(${statementInvitations.email} = ${email} or ${statementInvitations.targetOrgId} in (select m.org_id from memberships m where m.user_id = ${actor.userId} and m.role in ('owner','admin')))`,
      ),
    )
    .orderBy(sql`${statementInvitations.signBy} asc nulls last`, asc(statementInvitations.createdAt));
  const reviews = await ctx.db
    .selectDistinctOn([statements.id], {
      statementId: statements.id,
      state: statements.state,
      title: statementTexts.title,
      orgName: organizations.name,
      timeZone: statements.timeZone,
      signBy: sql<Date | null>`(select max(i.sign_by) from statement_invitations i where i.id = ${statementParticipants.invitationId})`,
      openComments: sql<number>`(select count(*)::int from statement_comments c where c.statement_id = ${statements.id} and c.parent_id is null and c.resolved_at is null)`,
    })
    .from(statementParticipants)
    .innerJoin(memberships, and(eq(memberships.orgId, statementParticipants.orgId), eq(memberships.userId, actor.userId)))
    .innerJoin(statements, eq(statements.id, statementParticipants.statementId))
    .innerJoin(organizations, eq(organizations.id, statementParticipants.orgId))
    .innerJoin(statementTexts, and(eq(statementTexts.statementId, statements.id), eq(statementTexts.lang, statements.primaryLang)))
    .where(and(inArray(statements.state, [...REVIEW_STATES]), sql`not exists (select 1 from statement_initiators si join memberships m2 on m2.org_id = si.org_id where si.statement_id = ${statements.id} and m2.user_id = ${actor.userId})`))
    .orderBy(statements.id);
  return {
    invitations: invitations.map((i) => ({ ...i, signBy: i.signBy?.toISOString() ?? null, expiresAt: i.expiresAt.toISOString() })),
    reviews: reviews
      .map((r) => ({ ...r, signBy: r.signBy ? new Date(r.signBy).toISOString() : null }))
      .sort((a, b) => (a.signBy ?? '9999').localeCompare(b.signBy ?? '9999')),
  };
}

/**
 * Initiator admins: the directory typeahead for inviting (names in every language), each result marked when it
 * is already an initiator, a participant or invited.
 */
export async function searchOrganizationsToInvite(ctx: Ctx, input: { statementId: string; q: string }) {
  const now = nowOf(ctx);
  const { statement, role } = await loadStatementForInitiator(ctx.db, ctx, input.statementId);
  if (!isOrgAdmin(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
  const q = input.q.trim();
  if (q.length < 2) return [];
  const { items } = await listDirectory(ctx.db, { q, pageSize: 10 });
  if (items.length === 0) return [];
  const ids = items.map((o) => o.id);
  const [init, part, pend] = await Promise.all([
    ctx.db.select({ orgId: statementInitiators.orgId }).from(statementInitiators).where(and(eq(statementInitiators.statementId, statement.id), inArray(statementInitiators.orgId, ids))),
    ctx.db.select({ orgId: statementParticipants.orgId }).from(statementParticipants).where(and(eq(statementParticipants.statementId, statement.id), inArray(statementParticipants.orgId, ids))),
    ctx.db
      .select({ orgId: statementInvitations.targetOrgId })
      .from(statementInvitations)
      .where(and(eq(statementInvitations.statementId, statement.id), eq(statementInvitations.status, 'pending'), sql`${statementInvitations.expiresAt} > ${now.toISOString()}`, inArray(statementInvitations.targetOrgId, ids))),
  ]);
  const tag = new Map<string, 'initiator' | 'participant' | 'invited'>();
  for (const r of pend) if (r.orgId) tag.set(r.orgId, 'invited');
  for (const r of part) tag.set(r.orgId, 'participant');
  for (const r of init) tag.set(r.orgId, 'initiator');
  return items.map((o) => ({ id: o.id, name: o.name, names: o.names, city: o.city, country: o.country, verified: o.verified, status: tag.get(o.id) ?? null }));
}

/** For tests and the invariant checker: pending invitations whose links (live tokens) exist, without their plaintext. */
export async function liveTokenCount(db: DbOrTx, invitationId: string): Promise<number> {
  const r = await db.execute(sql`select count(*)::int as n from tokens where subject_id = ${invitationId} and consumed_at is null and expires_at > now()`);
  return Number((r as unknown as { n: number }[])[0]?.n ?? 0);
}


