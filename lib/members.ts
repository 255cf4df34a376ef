// Organization members: invitations by e-mail (tokens + outbox), accept, remove, leave, roles, titles,
// ownership transfer. The organization matrix of SECURITY.md; never zero owners.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { memberInvitations, memberships, organizations, users, type OrgRole } from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { loadOrgForMember, reconcileVerification, roleIn } from './orgs';
import { enqueue } from './outbox';
import { canChangeRoles, canInviteWithRole, canManageMember, isOrgAdmin, requireActor } from './permissions';
import { consumeToken, normalizeEmail, peekToken, revokeTokens } from './tokens';

export const MEMBER_INVITATION_DAYS = 14;
const orgChain = (id: string) => ({ type: 'organization' as const, id });

async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
  return r?.n ?? 0;
}

async function inviterLocale(tx: Tx, userId: string): Promise<Locale> {
  const [u] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return isLocale(u?.locale) ? u.locale : 'en';
}

/** Permission: admins invite members; owners invite any role. One live invitation per address. */
export async function inviteMember(ctx: Ctx, input: { orgId: string; email: string; role: OrgRole; title?: string | null; locale?: Locale }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const email = normalizeEmail(input.email);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    if (!canInviteWithRole(role, input.role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    const [existingUser] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existingUser && (await roleIn(tx, org.id, existingUser.id))) throw new AppError('INVALID_STATE', 'errors.alreadyMember', { email: ['errors.alreadyMember'] });
    const [pending] = await tx
      .select({ id: memberInvitations.id })
      .from(memberInvitations)
      .where(and(eq(memberInvitations.orgId, org.id), eq(memberInvitations.email, email), eq(memberInvitations.status, 'pending')));
    if (pending) throw new AppError('INVALID_STATE', 'errors.alreadyInvited', { email: ['errors.alreadyInvited'] });
    const expiresAt = new Date(now.getTime() + MEMBER_INVITATION_DAYS * 86400_000);
    const [inv] = await tx
      .insert(memberInvitations)
      .values({ orgId: org.id, email, role: input.role, title: input.title || null, invitedBy: actor.userId, expiresAt, createdAt: now })
      .returning({ id: memberInvitations.id });
    const event = await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_invited', actorUserId: actor.userId, data: { invitationId: inv!.id, role: input.role }, now });
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'org.member_invitation',
      to: email,
      locale: input.locale ?? (await inviterLocale(tx, actor.userId)),
      data: { orgName: org.name, role: input.role },
      dedupeKey: `member_invitation:${inv!.id}:sent`,
      tokenRef: { purpose: 'member_invitation', subjectId: inv!.id, expiresAt: expiresAt.toISOString(), path: '/invite/member' },
    });
    return { invitationId: inv!.id };
  });
}

async function loadInvitation(tx: Tx, ctx: Ctx, invitationId: string) {
  const [inv] = await tx.select().from(memberInvitations).where(eq(memberInvitations.id, invitationId)).for('update');
  if (!inv) throw new AppError('NOT_FOUND', 'errors.notFound');
  const { org, role } = await loadOrgForMember(tx, ctx, inv.orgId);
  return { inv, org, role };
}

/** Permission: those who could send this invitation. A resend mints a fresh token (the relay does). */
export async function resendMemberInvitation(ctx: Ctx, input: { invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { inv, org, role } = await loadInvitation(tx, ctx, input.invitationId);
    if (!canInviteWithRole(role, inv.role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (inv.status !== 'pending' || inv.expiresAt <= now) throw new AppError('INVALID_STATE', 'errors.invitationNotPending');
    const event = await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_invitation_resent', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    await enqueue(tx, {
      auditEventId: event.id,
      kind: 'org.member_invitation',
      to: inv.email,
      locale: await inviterLocale(tx, actor.userId),
      data: { orgName: org.name, role: inv.role },
      dedupeKey: `member_invitation:${inv.id}:resent:${event.id}`,
      tokenRef: { purpose: 'member_invitation', subjectId: inv.id, expiresAt: inv.expiresAt.toISOString(), path: '/invite/member' },
    });
    return { invitationId: inv.id };
  });
}

/** Permission: those who could send this invitation. Its tokens stop working at once. */
export async function revokeMemberInvitation(ctx: Ctx, input: { invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { inv, org, role } = await loadInvitation(tx, ctx, input.invitationId);
    if (!canInviteWithRole(role, inv.role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (inv.status !== 'pending') throw new AppError('INVALID_STATE', 'errors.invitationNotPending');
    await tx.update(memberInvitations).set({ status: 'revoked', respondedAt: now }).where(eq(memberInvitations.id, inv.id));
    await revokeTokens(tx, { purpose: 'member_invitation', subjectId: inv.id, now });
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_invitation_revoked', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    return { invitationId: inv.id };
  });
}

/**
 * Permission: whoever holds the token AND is signed in with the invited address (a forward — another
 * signed-in address — gets the same answer as an unknown token and consumes nothing). Not a GET: POST only.
 */
export async function previewMemberInvitation(ctx: Ctx, input: { token: string }) {
  const actor = requireActor(ctx);
  const check = await peekToken(ctx.db, { token: input.token, purpose: 'member_invitation', now: nowOf(ctx) });
  if (!check.ok || check.email !== normalizeEmail(actor.email)) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  const [row] = await ctx.db
    .select({ id: memberInvitations.id, status: memberInvitations.status, role: memberInvitations.role, orgName: organizations.name, orgSlug: organizations.slug, expiresAt: memberInvitations.expiresAt })
    .from(memberInvitations)
    .innerJoin(organizations, eq(organizations.id, memberInvitations.orgId))
    .where(eq(memberInvitations.id, check.subjectId));
  if (!row || row.status !== 'pending' || row.expiresAt <= nowOf(ctx)) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  return { orgName: row.orgName, orgSlug: row.orgSlug, role: row.role };
}

/**
 * The invitation a token (consumed here) or an id points at. Lock order: the invitation row first, then its
 * tokens — as the by-id path and revocation do — so a token accept racing a dashboard accept, a decline or a
 * revocation waits instead of deadlocking. A bad token of any kind gets the one answer, and consumes nothing.
 */
async function invitationIdFrom(tx: Tx, input: { token: string } | { invitationId: string }, email: string, now: Date): Promise<string> {
  if (!('token' in input)) return input.invitationId;
  const peek = await peekToken(tx, { token: input.token, purpose: 'member_invitation', now });
  if (!peek.ok) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  await tx.select({ id: memberInvitations.id }).from(memberInvitations).where(eq(memberInvitations.id, peek.subjectId)).for('update');
  const check = await consumeToken(tx, { token: input.token, purpose: 'member_invitation', email, now });
  if (!check.ok) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  return check.subjectId;
}

/**
 * The pending, unexpired invitation addressed to `email` that the token or id points at, locked, with every
 * token of it consumed (so no link of it works again). Anything else gets the one "invalid link" answer.
 */
async function answerableInvitation(tx: Tx, input: { token: string } | { invitationId: string }, email: string, now: Date) {
  const invitationId = await invitationIdFrom(tx, input, email, now);
  const [inv] = await tx.select().from(memberInvitations).where(eq(memberInvitations.id, invitationId)).for('update');
  if (!inv || inv.status !== 'pending' || inv.expiresAt <= now || inv.email !== normalizeEmail(email)) {
    throw new AppError('NOT_FOUND', 'errors.linkInvalid');
  }
  await revokeTokens(tx, { purpose: 'member_invitation', subjectId: inv.id, now });
  return inv;
}

/**
 * Permission: the invited person, proven either by the token (signed in with the invited address) or, from
 * their dashboard, by being signed in with the invited address (magic-link sign-in confirmed it). Consumes
 * every token of the invitation; joins once (a repeat answers the same way).
 */
export async function acceptMemberInvitation(ctx: Ctx, input: { token: string } | { invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const inv = await answerableInvitation(tx, input, actor.email, now);
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, inv.orgId)).for('update');
    if (!org) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
    const existing = await roleIn(tx, org.id, actor.userId, true);
    await tx.update(memberInvitations).set({ status: 'accepted', acceptedBy: actor.userId, respondedAt: now }).where(eq(memberInvitations.id, inv.id));
    if (!existing) {
      await tx.insert(memberships).values({ orgId: org.id, userId: actor.userId, role: inv.role, title: inv.title, createdAt: now });
      faultPoint('members.after_membership_change');
    }
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_joined', actorUserId: actor.userId, data: { invitationId: inv.id, role: existing ?? inv.role, alreadyMember: !!existing }, now });
    await reconcileVerification(tx, org.id, actor.userId, now);
    return { orgId: org.id, slug: org.slug, role: existing ?? inv.role };
  });
}

/** Permission: as acceptMemberInvitation. The invitation ends; its tokens stop working. */
export async function declineMemberInvitation(ctx: Ctx, input: { token: string } | { invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const inv = await answerableInvitation(tx, input, actor.email, now);
    await tx.update(memberInvitations).set({ status: 'declined', respondedAt: now }).where(eq(memberInvitations.id, inv.id));
    await appendAudit(tx, { chain: orgChain(inv.orgId), type: 'org.member_invitation_declined', actorUserId: actor.userId, data: { invitationId: inv.id }, now });
    return { invitationId: inv.id };
  });
}

async function loadMembership(tx: Tx, orgId: string, membershipId: string) {
  // The target must belong to this organization: an id from another organization is NOT_FOUND (IDOR).
  const [m] = await tx.select().from(memberships).where(and(eq(memberships.id, membershipId), eq(memberships.orgId, orgId))).for('update');
  if (!m) throw new AppError('NOT_FOUND', 'errors.notFound');
  return m;
}

/** Permission: admins remove non-owners; owners remove anyone but the last owner. Leaving is `leaveOrganization`. */
export async function removeMember(ctx: Ctx, input: { orgId: string; membershipId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    const target = await loadMembership(tx, org.id, input.membershipId);
    if (target.userId === actor.userId) throw new AppError('INVALID_STATE', 'errors.useLeave');
    if (!canManageMember(role, target.role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (target.role === 'owner' && (await ownerCount(tx, org.id)) <= 1) throw new AppError('INVALID_STATE', 'errors.lastOwner');
    await tx.delete(memberships).where(eq(memberships.id, target.id));
    faultPoint('members.after_membership_change');
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_removed', actorUserId: actor.userId, data: { userId: target.userId, role: target.role }, now });
    await reconcileVerification(tx, org.id, actor.userId, now);
    return { removed: target.id };
  });
}

/** Permission: any member, except the last owner (who must transfer ownership first). */
export async function leaveOrganization(ctx: Ctx, input: { orgId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    if (role === 'owner' && (await ownerCount(tx, org.id)) <= 1) throw new AppError('INVALID_STATE', 'errors.lastOwner');
    await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.userId)));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_left', actorUserId: actor.userId, data: { role }, now });
    await reconcileVerification(tx, org.id, actor.userId, now);
    return { left: org.id };
  });
}

/** Permission: owners only (make admin, demote, make owner); never zero owners. */
export async function changeMemberRole(ctx: Ctx, input: { orgId: string; membershipId: string; role: OrgRole }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    const target = await loadMembership(tx, org.id, input.membershipId);
    if (!canChangeRoles(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (target.role === input.role) return { membershipId: target.id, role: input.role, changed: false };
    if (target.role === 'owner' && (await ownerCount(tx, org.id)) <= 1) throw new AppError('INVALID_STATE', 'errors.lastOwner');
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, target.id));
    faultPoint('members.after_membership_change');
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_role_changed', actorUserId: actor.userId, data: { userId: target.userId, from: target.role, to: input.role }, now });
    await reconcileVerification(tx, org.id, actor.userId, now);
    return { membershipId: target.id, role: input.role, changed: true };
  });
}

/** Permission: admins set titles of non-owners; owners of anyone; every member may set their own title. */
export async function setMemberTitle(ctx: Ctx, input: { orgId: string; membershipId: string; title: string | null }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    const target = await loadMembership(tx, org.id, input.membershipId);
    if (target.userId !== actor.userId && !canManageMember(role, target.role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    const title = input.title?.trim() || null;
    if (target.title === title) return { changed: false };
    await tx.update(memberships).set({ title }).where(eq(memberships.id, target.id));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.member_title_changed', actorUserId: actor.userId, data: { userId: target.userId, title }, now });
    return { changed: true };
  });
}

/** Permission: owners only. The target becomes an owner; the actor stays on as admin. */
export async function transferOwnership(ctx: Ctx, input: { orgId: string; membershipId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    const target = await loadMembership(tx, org.id, input.membershipId);
    if (!canChangeRoles(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (target.userId === actor.userId) throw new AppError('INVALID_STATE', 'errors.invalidInput');
    await tx.update(memberships).set({ role: 'owner' }).where(eq(memberships.id, target.id));
    await tx.update(memberships).set({ role: 'admin' }).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.userId)));
    faultPoint('members.after_membership_change');
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.ownership_transferred', actorUserId: actor.userId, data: { from: actor.userId, to: target.userId }, now });
    return { ownerMembershipId: target.id };
  });
}

/** Permission: members see the member list; admins and owners also see pending invitations (with e-mails). */
export async function listMembers(ctx: Ctx, input: { orgId: string }) {
  const actor = requireActor(ctx);
  const role = await roleIn(ctx.db, input.orgId, actor.userId);
  if (!role) throw new AppError('NOT_FOUND', 'errors.notFound');
  const members = await ctx.db
    .select({ id: memberships.id, userId: memberships.userId, role: memberships.role, title: memberships.title, name: users.name, email: users.email, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, input.orgId))
    .orderBy(sql`CASE ${memberships.role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`, asc(users.email));
  const invitations = isOrgAdmin(role)
    ? await ctx.db
        .select({ id: memberInvitations.id, email: memberInvitations.email, role: memberInvitations.role, createdAt: memberInvitations.createdAt, expiresAt: memberInvitations.expiresAt })
        .from(memberInvitations)
        .where(and(eq(memberInvitations.orgId, input.orgId), eq(memberInvitations.status, 'pending')))
        .orderBy(asc(memberInvitations.createdAt))
    : [];
  return { role, members, invitations, me: actor.userId };
}

/** Permission: the signed-in user — member invitations addressed to their e-mail that are still open. */
export async function listMyPendingMemberInvitations(ctx: Ctx) {
  const actor = requireActor(ctx);
  return ctx.db
    .select({ id: memberInvitations.id, orgName: organizations.name, orgSlug: organizations.slug, role: memberInvitations.role, expiresAt: memberInvitations.expiresAt })
    .from(memberInvitations)
    .innerJoin(organizations, eq(organizations.id, memberInvitations.orgId))
    .where(and(eq(memberInvitations.email, normalizeEmail(actor.email)), eq(memberInvitations.status, 'pending'), sql`${memberInvitations.expiresAt} > now()`))
    .orderBy(asc(memberInvitations.createdAt));
}
