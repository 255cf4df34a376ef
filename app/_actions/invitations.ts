'use server';
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { action } from '@/lib/action';
import type { Ctx } from '@/lib/context';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import {
  acceptInvitation,
  confirmSharedMailbox,
  declineInvitation,
  inviteOrganizations,
  openInvitation,
  openInvitationByHandoff,
  previewInvitationPublic,
  remindInvitation,
  resendInvitation,
  revokeInvitation,
  searchOrganizationsToInvite,
  type InvitationProof,
  type InviteTarget,
} from '@/lib/invitations';
import { hit } from '@/lib/rate-limit';
import { loadStatementForInitiator } from '@/lib/statements';
import {
  acceptSchema,
  emptySchema,
  declineSchema,
  invitationRefSchema,
  inviteSchema,
  linkTokenSchema,
  parseEmailLines,
  searchOrgsSchema,
  zonedTimeToUtc,
} from '@/lib/validation/invitations';

/** The shared-mailbox handoff (15 minutes, this browser only): HttpOnly, never readable by scripts. */
const HANDOFF_COOKIE = 'us_invitation_handoff';

async function handoffToken(): Promise<string> {
  const v = (await cookies()).get(HANDOFF_COOKIE)?.value;
  if (!v) throw new AppError('NOT_FOUND', 'errors.invitationLinkInvalid');
  return v;
}

async function proofOf(v: { token?: string; via?: 'handoff'; invitationId?: string }): Promise<InvitationProof> {
  if (v.via === 'handoff') return { handoff: await handoffToken() };
  if (v.token) return { token: v.token };
  return { invitationId: v.invitationId! };
}

/** Links are guessable by no one, but every try counts against the address (SECURITY.md I8: rate-limited). */
const limitTokens = (ctx: Ctx) => hit('token_ip', ctx.ip ?? 'unknown');

const refreshStatement = (id: string) => {
  revalidatePath(`/statements/${id}`, 'layout');
  revalidatePath('/dashboard');
};

const invite = action(inviteSchema, async (ctx, v) => {
  // The sign-by instant is typed as a wall-clock time in the statement's time zone.
  let signBy: Date | null = null;
  if (v.signBy) {
    const { statement } = await loadStatementForInitiator(ctx.db, ctx, v.statementId);
    signBy = zonedTimeToUtc(v.signBy, statement.timeZone);
    if (!signBy) throw new AppError('INVALID_INPUT', 'errors.invalidDate', { signBy: ['errors.invalidDate'] });
  }
  const targets: InviteTarget[] = [...v.orgIds.map((orgId) => ({ orgId })), ...parseEmailLines(v.emails).valid.map((email) => ({ email }))];
  return inviteOrganizations(ctx, { statementId: v.statementId, kind: v.kind, targets, message: v.message, signBy, locale: v.locale });
});
/** Initiator admins: invite organizations (directory) and contacts (e-mail, one per line) as participants or co-initiators. */
export async function inviteOrganizationsAction(...args: unknown[]) {
  const r = await invite(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}

const resend = action(invitationRefSchema, (ctx, v) => resendInvitation(ctx, v));
/** Initiator admins: send a pending invitation again (fresh link). */
export async function resendInvitationAction(...args: unknown[]) {
  const r = await resend(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}

const remind = action(invitationRefSchema, (ctx, v) => remindInvitation(ctx, v));
/** Initiator admins: remind now (rate-limited per invitation). */
export async function remindInvitationAction(...args: unknown[]) {
  const r = await remind(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}

const revoke = action(invitationRefSchema, (ctx, v) => revokeInvitation(ctx, v));
/** Initiator admins: revoke a pending invitation. */
export async function revokeInvitationAction(...args: unknown[]) {
  const r = await revoke(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}

const search = action(searchOrgsSchema, (ctx, v) => searchOrganizationsToInvite(ctx, v));
/** Initiator admins: directory typeahead for the invite form. Reads only. */
export async function searchOrganizationsToInviteAction(...args: unknown[]) {
  return search(...args);
}

const previewPublic = action(
  linkTokenSchema,
  async (ctx, v) => {
    await limitTokens(ctx);
    return previewInvitationPublic(ctx.db, { token: v.token });
  },
  { public: true },
);
/** Anyone holding a live link, before signing in: the inviting organizations and "sign in as j…@example.org". Reads only. */
export async function previewInvitationPublicAction(...args: unknown[]) {
  return previewPublic(...args);
}

const open = action(linkTokenSchema, async (ctx, v) => {
  await limitTokens(ctx);
  return openInvitation(ctx, v);
});
/** Signed in with the invited address: the invitation (marks it viewed). A forward gets the invalid answer. */
export async function openInvitationAction(...args: unknown[]) {
  return open(...args);
}

const openHandoff = action(emptySchema, async (ctx) => openInvitationByHandoff(ctx, { handoff: await handoffToken() }));
/** The personal account continuing from a proven shared mailbox in this browser (handoff cookie). Reads only. */
export async function openInvitationByHandoffAction(...args: unknown[]) {
  return openHandoff(...args);
}

const mailbox = action(linkTokenSchema, async (ctx, v) => {
  await limitTokens(ctx);
  const r = await confirmSharedMailbox(ctx, v);
  (await cookies()).set(HANDOFF_COOKIE, r.handoff, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().NODE_ENV === 'production',
    path: '/',
    maxAge: r.expiresInSeconds,
  });
  return { expiresInSeconds: r.expiresInSeconds };
});
/** A shared mailbox signed in with the invited address: hand the invitation to a personal account in this browser (15 minutes). */
export async function confirmSharedMailboxAction(...args: unknown[]) {
  return mailbox(...args);
}

const clearHandoff = async () => (await cookies()).delete(HANDOFF_COOKIE);

const accept = action(acceptSchema, async (ctx, v) => {
  await limitTokens(ctx);
  const r = await acceptInvitation(ctx, { ...(await proofOf(v)), orgId: v.orgId });
  if (v.via === 'handoff') await clearHandoff();
  return r;
});
/** An owner/admin of the organization, proven as the invited address (link, handoff) or from the dashboard: accept for it. */
export async function acceptInvitationAction(...args: unknown[]) {
  const r = await accept(...args);
  if (r.ok) refreshStatement(r.data.statementId);
  return r;
}

const decline = action(declineSchema, async (ctx, v) => {
  await limitTokens(ctx);
  const r = await declineInvitation(ctx, { ...(await proofOf(v)), reason: v.reason });
  if (v.via === 'handoff') await clearHandoff();
  return r;
});
/** As accepting: decline, with an optional reason for the initiators. */
export async function declineInvitationAction(...args: unknown[]) {
  const r = await decline(...args);
  if (r.ok) refreshStatement(r.data.statementId);
  return r;
}
