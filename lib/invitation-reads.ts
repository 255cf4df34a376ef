// Reads for the statement-invitation landing opened from the dashboard (no link token): the invitation by id,
// authorized exactly as the by-id path of lib/invitations.ts `answerable` authorizes an answer.
import { and, eq } from 'drizzle-orm';
import { memberships, statementInvitations } from '@/db/schema';
import { nowOf, type Ctx } from './context';
import { AppError } from './errors';
import { invitationDetails } from './invitations';
import { isOrgAdmin, requireActor } from './permissions';
import { isUuid } from './statements';
import { normalizeEmail } from './tokens';

/**
 * A pending, unexpired invitation addressed to the actor's e-mail or to an organization the actor owns or
 * administers: what the landing shows to answer it with `{ invitationId }`. Reads only (never marks it viewed:
 * that is for the invited person opening the link). Anything else gets the one "invalid link" answer.
 */
export async function openInvitationById(ctx: Ctx, input: { invitationId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  const invalid = new AppError('NOT_FOUND', 'errors.invitationLinkInvalid');
  if (!isUuid(input.invitationId)) throw invalid;
  const [inv] = await ctx.db
    .select()
    .from(statementInvitations)
    .where(eq(statementInvitations.id, input.invitationId));
  if (!inv || inv.status !== 'pending' || inv.expiresAt <= now) throw invalid;
  const addressedToMe = inv.email !== null && inv.email === normalizeEmail(actor.email);
  let adminOfTarget = false;
  if (inv.targetOrgId) {
    const [m] = await ctx.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, inv.targetOrgId), eq(memberships.userId, actor.userId)));
    adminOfTarget = isOrgAdmin(m?.role ?? null);
  }
  if (!addressedToMe && !adminOfTarget) throw invalid;
  return {
    ...(await invitationDetails(ctx.db, inv, actor.userId)),
    invitedEmail: inv.email,
    via: 'dashboard' as const,
  };
}
