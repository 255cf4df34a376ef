import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { DraftEditorLoader } from '@/components/editor/draft-editor-loader';
import { MarkUpToDateButton } from '@/components/statements/statement-forms';
import { LanguageTabs } from '@/components/statements/language-tabs';
import { StatementHeader } from '@/components/statements/statement-header';
import { Alert } from '@/components/ui/alert';
import { diffDocs, renderDiffHtml } from '@/lib/editor/diff';
import { renderDoc } from '@/lib/editor/render';
import { isAppError } from '@/lib/errors';
import { directionOf, languageName } from '@/lib/languages';
import { getCtx } from '@/lib/session';
import { getTextForEditing } from '@/lib/statements';

type Props = { params: Promise<{ id: string; lang: string }> };

export async function generateMetadata() {
  const t = await getTranslations('statements');
  return { title: t('editTitle') };
}

export default async function EditTextPage({ params }: Props) {
  const { id, lang: rawLang } = await params;
  const lang = rawLang; // decoded by Next; language codes are plain ASCII
  const ctx = await getCtx();
  if (!ctx.actor)
    redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/edit/${encodeURIComponent(lang)}`);
  let data: Awaited<ReturnType<typeof getTextForEditing>>;
  try {
    data = await getTextForEditing(ctx, id, lang);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    // Participant members read the draft and comment on the review page; these pages are the initiators'.
    if (isAppError(e) && e.code === 'FORBIDDEN') redirect(`/statements/${encodeURIComponent(id)}/review`);
    throw e;
  }
  const [t, tn, locale, format] = await Promise.all([
    getTranslations('statements'),
    getTranslations('render'),
    getLocale(),
    getFormatter(),
  ]);
  const { statement, text, texts, primary, primaryChangedSince, canEdit } = data;
  const primaryTitle = texts.find((x) => x.isPrimary)?.title ?? '';
  const renderOpts = { notesLabel: tn('notes'), backLabel: tn('backToText') };
  const isTranslation = !!primary;
  const savedAtLabel =
    text.lockVersion > 0
      ? format.dateTime(text.updatedAt, { dateStyle: 'medium', timeStyle: 'short' })
      : null;

  const editorOrReading = canEdit ? (
    <DraftEditorLoader
      statementId={id}
      lang={lang}
      initial={{ title: text.title, doc: text.doc, version: text.lockVersion, savedAtLabel }}
      titleLabel={t('fieldTitleIn', { language: languageName(lang, locale) })}
    />
  ) : (
    <div className="flex flex-col gap-3">
      <Alert tone="info">{t('notEditable')}</Alert>
      <h2 className="text-xl font-bold" lang={lang}>
        {text.title}
      </h2>
      <div
        className="statement-text rounded-md border border-line bg-white p-4"
        lang={lang}
        dir={directionOf(lang)}
        dangerouslySetInnerHTML={{ __html: renderDoc(text.doc, renderOpts).html }}
      />
    </div>
  );

  return (
    <div className="flex flex-col gap-4">
      <StatementHeader
        id={id}
        title={primaryTitle}
        state={statement.state}
        initiators={[]}
        current="edit"
        primaryLang={statement.primaryLang}
      />
      <LanguageTabs id={id} section="edit" current={lang} texts={texts} />
      {isTranslation && primaryChangedSince ? (
        <section
          aria-labelledby="ood-heading"
          className="rounded-md border border-amber-700 bg-amber-50 p-4"
          data-testid="out-of-date"
        >
          <h2 id="ood-heading" className="font-bold text-amber-900">
            {t('outOfDateHeading')}
          </h2>
          <p className="mb-2 text-sm">
            {t('outOfDateExplain', { from: primaryChangedSince.fromVersion, to: primary.version })}
          </p>
          <div
            className="diff-view mb-3 max-h-96 overflow-auto rounded border border-line bg-white p-3"
            lang={statement.primaryLang}
            dangerouslySetInnerHTML={{
              __html: renderDiffHtml(diffDocs(primaryChangedSince.from, primaryChangedSince.to), {
                onlyChanges: true,
                context: 1,
              }),
            }}
          />
          {canEdit ? (
            <MarkUpToDateButton statementId={id} lang={lang} primaryVersion={primary.version} />
          ) : null}
        </section>
      ) : isTranslation ? (
        <p className="text-sm text-ok" data-testid="up-to-date">
          {t('upToDateWith', { version: primary.version })}
        </p>
      ) : null}
      {isTranslation ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <section aria-labelledby="primary-heading" className="flex flex-col gap-2">
            <h2 id="primary-heading" className="text-sm font-semibold text-muted">
              {t('primaryText', { language: languageName(statement.primaryLang, locale) })}
            </h2>
            <div className="rounded-md border border-line bg-stone-50 p-4 lg:sticky lg:top-2 lg:max-h-[85vh] lg:overflow-auto">
              <p className="mb-3 text-xl font-bold" lang={statement.primaryLang}>
                {primary.title}
              </p>
              <div
                className="statement-text"
                lang={statement.primaryLang}
                dir={directionOf(statement.primaryLang)}
                dangerouslySetInnerHTML={{
                  __html: renderDoc(primary.doc, { ...renderOpts, idPrefix: 'primary' }).html,
                }}
              />
            </div>
          </section>
          <section aria-label={languageName(lang, locale)}>{editorOrReading}</section>
        </div>
      ) : (
        editorOrReading
      )}
    </div>
  );
}
