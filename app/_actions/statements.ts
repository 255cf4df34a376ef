'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { action } from '@/lib/action';
import {
  addTranslation,
  createStatement,
  markTranslationUpToDate,
  restoreRevision,
  updateStatementDetails,
} from '@/lib/statements';
import {
  addTranslationSchema,
  createStatementSchema,
  markUpToDateSchema,
  restoreRevisionSchema,
  updateStatementDetailsSchema,
} from '@/lib/validation/statements';

const create = action(createStatementSchema, (ctx, v) => createStatement(ctx, v));
/** A member of organization X: create a statement with X as initiator; opens its editor. */
export async function createStatementAction(...args: unknown[]) {
  const r = await create(...args);
  if (r.ok) {
    revalidatePath('/dashboard');
    redirect(`/statements/${r.data.id}`);
  }
  return r;
}

const details = action(updateStatementDetailsSchema, (ctx, v) => updateStatementDetails(ctx, v));
/** Initiator members, draft/reopened: summary and time zone. */
export async function updateStatementDetailsAction(...args: unknown[]) {
  const r = await details(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'page');
  return r;
}

const translate = action(addTranslationSchema, (ctx, v) => addTranslation(ctx, v));
/** Initiator members, draft/reopened: add a language; opens its editor. */
export async function addTranslationAction(...args: unknown[]) {
  const r = await translate(...args);
  if (r.ok) {
    const raw = (args.length >= 2 ? args[1] : args[0]) as FormData | Record<string, unknown>;
    const id = raw instanceof FormData ? raw.get('statementId') : raw.statementId;
    redirect(`/statements/${String(id)}/edit/${r.data.lang}`);
  }
  return r;
}

const upToDate = action(markUpToDateSchema, (ctx, v) => markTranslationUpToDate(ctx, v));
/** Initiator members, draft/reopened: mark a translation up to date with the primary text's current version. */
export async function markTranslationUpToDateAction(...args: unknown[]) {
  const r = await upToDate(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}

const restore = action(restoreRevisionSchema, (ctx, v) => restoreRevision(ctx, v));
/** Initiator members, draft/reopened: restore a revision (a new revision on top). */
export async function restoreRevisionAction(...args: unknown[]) {
  const r = await restore(...args);
  if (r.ok) revalidatePath('/statements/[id]', 'layout');
  return r;
}
