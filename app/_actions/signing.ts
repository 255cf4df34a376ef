'use server';
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { action } from '@/lib/action';
import type { Ctx } from '@/lib/context';
import { AppError } from '@/lib/errors';
import type { InvitationProof } from '@/lib/invitations';
import { hit } from '@/lib/rate-limit';
import { acceptAndSign, declineToSign, freezeVersion, reopenStatement, signForOrganization, withdrawSignature } from '@/lib/signing';
import { acceptAndSignSchema, freezeSchema, orgReasonSchema, signSchema, statementRefSchema } from '@/lib/validation/signing';

const HANDOFF_COOKIE = 'us_invitation_handoff';

const refresh = (id: string | undefined) => {
  if (id) revalidatePath(`/statements/${id}`, 'layout');
  revalidatePath('/dashboard');
};
/** The statement id of a call, however it was made: (input), (FormData), or (prevState, FormData) from useActionState. */
const statementIdOf = (args: unknown[]): string | undefined => {
  const raw = args.length >= 2 ? args[1] : args[0];
  const v = raw instanceof FormData ? raw.get('statementId') : (raw as { statementId?: unknown } | null | undefined)?.statementId;
  return typeof v === 'string' ? v : undefined;
};

const freeze = action(freezeSchema, (ctx, v) => freezeVersion(ctx, v));
/** Initiator admins: freeze the draft as the next version (draft|reopened → open). */
export async function freezeVersionAction(...args: unknown[]) {
  const r = await freeze(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

const reopen = action(statementRefSchema, (ctx, v) => reopenStatement(ctx, v));
/** Initiator admins: reopen (open → reopened): signing stops, the draft is editable. */
export async function reopenStatementAction(...args: unknown[]) {
  const r = await reopen(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

const sign = action(signSchema, (ctx, v) => signForOrganization(ctx, v));
/** A member allowed by the organization's policy: sign, re-confirm or reinstate (idempotent). */
export async function signStatementAction(...args: unknown[]) {
  const r = await sign(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

async function proofOf(v: { token?: string; via?: 'handoff'; invitationId?: string }): Promise<InvitationProof> {
  if (v.via === 'handoff') {
    const h = (await cookies()).get(HANDOFF_COOKIE)?.value;
    if (!h) throw new AppError('NOT_FOUND', 'errors.invitationLinkInvalid');
    return { handoff: h };
  }
  if (v.token) return { token: v.token };
  return { invitationId: v.invitationId! };
}
const limitTokens = (ctx: Ctx) => hit('token_ip', ctx.ip ?? 'unknown');

const acceptSign = action(acceptAndSignSchema, async (ctx, v) => {
  await limitTokens(ctx);
  const { token, via, invitationId, ...rest } = v;
  const r = await acceptAndSign(ctx, { ...(await proofOf({ token, via, invitationId })), ...rest });
  if (via === 'handoff') (await cookies()).delete(HANDOFF_COOKIE);
  return r;
});
/** An owner/admin arriving from an invitation while the statement is open: accept and sign in one step. */
export async function acceptAndSignAction(...args: unknown[]) {
  const r = await acceptSign(...args);
  if (r.ok) refresh(r.data.statementId);
  return r;
}

const decline = action(orgReasonSchema, (ctx, v) => declineToSign(ctx, v));
/** A member allowed by the policy: decline to sign (distinct from declining the invitation). */
export async function declineToSignAction(...args: unknown[]) {
  const r = await decline(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

const withdraw = action(orgReasonSchema, (ctx, v) => withdrawSignature(ctx, v));
/** A member allowed by the policy: withdraw the organization's signature, with an optional public reason. */
export async function withdrawSignatureAction(...args: unknown[]) {
  const r = await withdraw(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}
