import { notFound, redirect } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { getCtx } from '@/lib/session';
import { getStatementOverview } from '@/lib/statements';

/** The history of the primary text. */
export default async function HistoryIndex({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/history`);
  let lang: string;
  try {
    lang = (await getStatementOverview(ctx, id)).statement.primaryLang;
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    // Participant members read the draft and comment on the review page; these pages are the initiators'.
    if (isAppError(e) && e.code === 'FORBIDDEN') redirect(`/statements/${encodeURIComponent(id)}/review`);
    throw e;
  }
  redirect(`/statements/${id}/history/${lang}`);
}
