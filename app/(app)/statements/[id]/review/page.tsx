import { notFound, redirect } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { getCtx } from '@/lib/session';
import { getStatementForReader } from '@/lib/comments';

/** The review of the primary text. */
export default async function ReviewIndex({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/review`);
  let lang: string;
  try {
    lang = (await getStatementForReader(ctx, id)).primaryLang;
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  redirect(`/statements/${id}/review/${encodeURIComponent(lang)}`);
}
