// Pure authorization helpers: no I/O. Domain functions load the objects, then ask these.
import type { OrgRole } from '@/db/schema';
import { AppError } from './errors';
import type { Actor, Ctx } from './context';

/** The acting user, or UNAUTHENTICATED. */
export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
  return ctx.actor;
}

/** A user may change only their own account settings. */
export const canManageOwnAccount = (actor: Actor, userId: string): boolean => actor.userId === userId;

// ---- organizations (SECURITY.md, organization matrix) ----


const rank: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };
export const isOrgAdmin = (role: OrgRole | null | undefined): boolean => role === 'admin' || role === 'owner';
export const isOrgOwner = (role: OrgRole | null | undefined): boolean => role === 'owner';

/** Edit profile, logo: admins and owners. */
export const canEditOrgProfile = isOrgAdmin;
/** Change the signing policy: owners only. */
export const canChangeSigningPolicy = isOrgOwner;
/** Invite someone with `role`: admins invite members; owners invite any role. */
export const canInviteWithRole = (actor: OrgRole | null | undefined, role: OrgRole): boolean =>
  isOrgOwner(actor) || (actor === 'admin' && role === 'member');
/** Remove a member or set their title: admins act on non-owners; owners on anyone. */
export const canManageMember = (actor: OrgRole | null | undefined, target: OrgRole): boolean =>
  isOrgOwner(actor) || (actor === 'admin' && target !== 'owner');
/** Change anyone's role (make admin, demote, make owner): owners only. */
export const canChangeRoles = isOrgOwner;
/** Whether the role may sign for the organization under the policy. */
export const canSignUnderPolicy = (role: OrgRole | null | undefined, policy: 'admins' | 'members'): boolean =>
  !!role && (policy === 'members' || rank[role] >= rank.admin);

// ---- review (SECURITY.md "comment / reply", "resolve / reopen comment") ----

type ReaderAccess = { kind: 'initiator' | 'participant' };
/** Comment and reply: every reader of the draft — initiator members and participant members. */
export const canComment = (access: ReaderAccess | null): boolean => !!access;
/** Resolve and reopen threads: initiator members (any role); participants may not. */
export const canResolveComments = (access: ReaderAccess | null): boolean => access?.kind === 'initiator';
