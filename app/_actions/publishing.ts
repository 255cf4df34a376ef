'use server';
import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { addCorrection, closeStatement, publishStatement, setJoining, withdrawStatement } from '@/lib/publishing';
import { correctionSchema, joiningSchema, publishSchema, withdrawStatementSchema } from '@/lib/validation/publishing';
import { statementRefSchema } from '@/lib/validation/signing';

const refresh = (args: unknown[]) => {
  const raw = args.length >= 2 ? args[1] : args[0];
  const v = raw instanceof FormData ? raw.get('statementId') : (raw as { statementId?: unknown } | null | undefined)?.statementId;
  if (typeof v === 'string') revalidatePath(`/statements/${v}`, 'layout');
  revalidatePath('/dashboard');
};

const publish = action(publishSchema, (ctx, v) => publishStatement(ctx, v));
/** Initiator admins: publish the open version (every initiator bound), choosing slug, date, order and joining window. */
export async function publishStatementAction(...args: unknown[]) {
  const r = await publish(...args);
  if (r.ok) refresh(args);
  return r;
}

const close = action(statementRefSchema, (ctx, v) => closeStatement(ctx, v));
/** Initiator admins: published → closed. */
export async function closeStatementAction(...args: unknown[]) {
  const r = await close(...args);
  if (r.ok) refresh(args);
  return r;
}

const withdraw = action(withdrawStatementSchema, (ctx, v) => withdrawStatement(ctx, v));
/** Initiator admins: published|closed → withdrawn, with a public reason. */
export async function withdrawStatementAction(...args: unknown[]) {
  const r = await withdraw(...args);
  if (r.ok) refresh(args);
  return r;
}

const correct = action(correctionSchema, (ctx, v) => addCorrection(ctx, v));
/** Initiator admins: append a dated correction under the published text. */
export async function addCorrectionAction(...args: unknown[]) {
  const r = await correct(...args);
  if (r.ok) refresh(args);
  return r;
}

const joining = action(joiningSchema, (ctx, v) => setJoining(ctx, v));
/** Initiator admins: open joining until an instant, or end it. */
export async function setJoiningAction(...args: unknown[]) {
  const r = await joining(...args);
  if (r.ok) refresh(args);
  return r;
}
