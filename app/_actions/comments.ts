'use server';
import { action } from '@/lib/action';
import { addComment, reopenComment, resolveComment } from '@/lib/comments';
import { addCommentSchema, commentRefSchema } from '@/lib/validation/comments';

// No revalidatePath here: the only page that posts these (the review page) refreshes itself on success
// (router.refresh()), so an action's answer never carries a re-render of whichever page it was posted to.

const add = action(addCommentSchema, (ctx, v) => addComment(ctx, v));
/** Initiator and participant members, while in review: comment on the draft (a passage or the whole), or reply. */
export async function addCommentAction(...args: unknown[]) {
  return add(...args);
}

const resolve = action(commentRefSchema, (ctx, v) => resolveComment(ctx, v));
/** Initiator members and admins, while in review: mark a thread resolved. */
export async function resolveCommentAction(...args: unknown[]) {
  return resolve(...args);
}

const reopen = action(commentRefSchema, (ctx, v) => reopenComment(ctx, v));
/** Initiator members and admins, while in review: reopen a resolved thread. */
export async function reopenCommentAction(...args: unknown[]) {
  return reopen(...args);
}
