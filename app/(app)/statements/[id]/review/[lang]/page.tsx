import { notFound, redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { LanguageTabs } from '@/components/statements/language-tabs';
import { ReviewPanel, type ReviewComment, type ReviewThread } from '@/components/statements/review-panel';
import { StatementHeader } from '@/components/statements/statement-header';
import { textOfHtml } from '@/lib/anchors';
import { getReview, type CommentView, type ThreadView } from '@/lib/comments';
import { linkifyText, renderDoc } from '@/lib/editor/render';
import { isAppError } from '@/lib/errors';
import { directionOf, languageName } from '@/lib/languages';
import { getCtx } from '@/lib/session';

type Props = { params: Promise<{ id: string; lang: string }> };

export async function generateMetadata() {
  const t = await getTranslations('comments');
  return { title: t('reviewTitle') };
}

// Plain data for the client: bodies escaped with their links made clickable here (rel="noopener noreferrer nofollow ugc").
const commentData = (c: CommentView): ReviewComment => ({
  id: c.id,
  bodyHtml: linkifyText(c.body),
  authorName: c.authorName,
  orgName: c.orgName,
  createdAt: c.createdAt.toISOString(),
});
const threadData = (x: ThreadView): ReviewThread => ({
  ...commentData(x),
  anchor: x.anchor,
  resolved: x.resolved,
  resolvedByName: x.resolvedByName,
  replies: x.replies.map(commentData),
});

/** Initiator and participant members read the current draft of one language and comment on it. */
export default async function ReviewPage({ params }: Props) {
  const { id, lang } = await params;
  const ctx = await getCtx();
  if (!ctx.actor)
    redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/review/${encodeURIComponent(lang)}`);
  let data: Awaited<ReturnType<typeof getReview>>;
  try {
    data = await getReview(ctx, id, lang);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [tn, locale] = await Promise.all([getTranslations('render'), getLocale()]);
  const html = renderDoc(data.text.doc, { notesLabel: tn('notes'), backLabel: tn('backToText') }).html;
  const languageNames = Object.fromEntries(data.texts.map((x) => [x.lang, languageName(x.lang, locale)]));
  return (
    <div className="flex flex-col gap-4">
      <StatementHeader
        id={id}
        title={data.primaryTitle}
        state={data.statement.state}
        initiators={data.initiators}
        current="review"
        primaryLang={data.statement.primaryLang}
        access={data.access.kind}
      />
      <LanguageTabs id={id} section="review" current={lang} texts={data.texts} />
      <ReviewPanel
        statementId={id}
        lang={data.text.lang}
        dir={directionOf(data.text.lang)}
        version={data.text.version}
        title={data.text.title}
        html={html}
        text={textOfHtml(html)}
        threads={data.threads.map(threadData)}
        languageNames={languageNames}
        canComment={data.canComment}
        canResolve={data.canResolve}
      />
    </div>
  );
}
