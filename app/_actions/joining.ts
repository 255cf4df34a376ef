'use server';
import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { approveJoinRequest, confirmJoin, rejectJoinRequest, requestToJoin } from '@/lib/joining';
import { hit } from '@/lib/rate-limit';
import { confirmJoinSchema, joinDecisionSchema, requestToJoinSchema } from '@/lib/validation/joining';
import type { JoinRequestKind } from '@/db/schema';

const ask = action(
  requestToJoinSchema,
  (ctx, v) =>
    requestToJoin(ctx, {
      slug: v.slug,
      kind: v.kind as JoinRequestKind,
      name: v.name ?? '',
      city: v.city ?? null,
      country: v.country ?? null,
      title: v.title ?? null,
      email: v.email,
      ip: ctx.ip,
      locale: v.locale ?? null,
    }),
  { public: true },
);
/** Public: ask to join a published statement open for joining (rate-limited per IP and per e-mail); a link is e-mailed. */
export async function requestToJoinAction(...args: unknown[]) {
  return ask(...args);
}

const confirm = action(
  confirmJoinSchema,
  async (ctx, v) => {
    // Links are guessable by no one, but every try counts against the address (SECURITY.md I8: rate-limited).
    await hit('token_ip', ctx.ip ?? 'unknown');
    return confirmJoin(ctx, v);
  },
  { public: true },
);
/** Public, POST only: the holder of a join-confirmation link confirms the address; the request goes to the initiators. */
export async function confirmJoinAction(...args: unknown[]) {
  return confirm(...args);
}

const refresh = (statementId: string) => {
  revalidatePath(`/statements/${statementId}`, 'layout');
};

const approve = action(joinDecisionSchema, (ctx, v) => approveJoinRequest(ctx, v));
/** Initiator owners/admins: approve a confirmed request (a join_request signature on the published version). */
export async function approveJoinRequestAction(...args: unknown[]) {
  const r = await approve(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

const reject = action(joinDecisionSchema, (ctx, v) => rejectJoinRequest(ctx, v));
/** Initiator owners/admins: reject a confirmed request. */
export async function rejectJoinRequestAction(...args: unknown[]) {
  const r = await reject(...args);
  if (r.ok) refresh(statementIdOf(args));
  return r;
}

function statementIdOf(args: unknown[]): string {
  const raw = args.length >= 2 ? args[1] : args[0];
  const v = raw instanceof FormData ? raw.get('statementId') : (raw as { statementId?: unknown } | null | undefined)?.statementId;
  return typeof v === 'string' ? v : '';
}
