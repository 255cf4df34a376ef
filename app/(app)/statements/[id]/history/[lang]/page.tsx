import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { RestoreButton } from '@/components/statements/statement-forms';
import { LanguageTabs } from '@/components/statements/language-tabs';
import { StatementHeader } from '@/components/statements/statement-header';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
import { diffDocs, renderDiffHtml } from '@/lib/editor/diff';
import { renderDoc } from '@/lib/editor/render';
import { isAppError } from '@/lib/errors';
import { directionOf, languageName } from '@/lib/languages';
import { getCtx } from '@/lib/session';
import { getRevision, getStatementOverview, listRevisions } from '@/lib/statements';

type Props = {
  params: Promise<{ id: string; lang: string }>;
  searchParams: Promise<{ a?: string; b?: string; view?: string }>;
};

export async function generateMetadata() {
  const t = await getTranslations('statements');
  return { title: t('historyTitle') };
}

const asVersion = (v: string | undefined) => (v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : null);

export default async function HistoryPage({ params, searchParams }: Props) {
  const { id, lang: rawLang } = await params;
  const lang = rawLang; // decoded by Next; language codes are plain ASCII
  const sp = await searchParams;
  const ctx = await getCtx();
  if (!ctx.actor)
    redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/history/${encodeURIComponent(lang)}`);
  let data;
  try {
    const [overview, list] = await Promise.all([getStatementOverview(ctx, id), listRevisions(ctx, id, lang)]);
    if (!overview.texts.some((x) => x.lang === lang)) notFound();
    data = { overview, list };
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    // Participant members read the draft and comment on the review page; these pages are the initiators'.
    if (isAppError(e) && e.code === 'FORBIDDEN') redirect(`/statements/${encodeURIComponent(id)}/review`);
    throw e;
  }
  const { overview, list } = data;
  const [t, tn, locale, format] = await Promise.all([
    getTranslations('statements'),
    getTranslations('render'),
    getLocale(),
    getFormatter(),
  ]);
  const revisions = list.revisions;
  const current = overview.texts.find((x) => x.lang === lang)!;
  const latest = revisions[0]?.version ?? 0;
  const a = asVersion(sp.a);
  const b = asVersion(sp.b);
  const view = asVersion(sp.view);

  let compare: { a: number; b: number; html: string; titleA: string; titleB: string } | null = null;
  if (a !== null && b !== null) {
    try {
      const [ra, rb] = await Promise.all([getRevision(ctx, id, lang, a), getRevision(ctx, id, lang, b)]);
      compare = { a, b, titleA: ra.title, titleB: rb.title, html: renderDiffHtml(diffDocs(ra.doc, rb.doc)) };
    } catch (e) {
      if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
    }
  }
  let viewed: { version: number; title: string; html: string } | null = null;
  if (view !== null && view > 0) {
    try {
      const r = await getRevision(ctx, id, lang, view);
      viewed = {
        version: r.version,
        title: r.title,
        html: renderDoc(r.doc, { notesLabel: tn('notes'), backLabel: tn('backToText'), idPrefix: 'rev' })
          .html,
      };
    } catch (e) {
      if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
    }
  }
  const primaryTitle = overview.texts.find((x) => x.isPrimary)?.title ?? '';
  const when = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div className="flex flex-col gap-4">
      <StatementHeader
        id={id}
        title={primaryTitle}
        state={overview.statement.state}
        initiators={overview.initiators}
        current="history"
        primaryLang={overview.statement.primaryLang}
      />
      <LanguageTabs
        id={id}
        section="history"
        current={lang}
        texts={overview.texts.map((x) => ({ lang: x.lang }))}
      />
      {compare ? (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">
            {t('compareHeading', { a: compare.a, b: compare.b })}
          </h2>
          {compare.titleA !== compare.titleB ? (
            <p className="mb-2 text-sm" lang={lang}>
              {t('titleChanged')}: <del className="bg-rose-100">{compare.titleA}</del> →{' '}
              <ins className="bg-green-100">{compare.titleB}</ins>
            </p>
          ) : null}
          <div
            className="diff-view statement-text"
            lang={lang}
            dir={directionOf(lang)}
            data-testid="diff-view"
            dangerouslySetInnerHTML={{ __html: compare.html }}
          />
        </Card>
      ) : null}
      {viewed ? (
        <Card>
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold">{t('viewingVersion', { version: viewed.version })}</h2>
            {overview.canEdit && viewed.version !== current.version ? (
              <RestoreButton
                statementId={id}
                lang={lang}
                version={viewed.version}
                baseVersion={current.version}
              />
            ) : null}
          </div>
          <p className="mb-2 text-xl font-bold" lang={lang}>
            {viewed.title}
          </p>
          <div
            className="statement-text"
            lang={lang}
            dir={directionOf(lang)}
            dangerouslySetInnerHTML={{ __html: viewed.html }}
          />
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">
          {t('revisionsHeading', { language: languageName(lang, locale) })}
        </h2>
        {revisions.length === 0 ? (
          <EmptyState title={t('noRevisions')} hint={t('noRevisionsHint')} />
        ) : (
          <form method="get" className="flex flex-col gap-3">
            {/* `relative`: the visually hidden (absolutely positioned) labels in the cells scroll with the table
                instead of widening the page on a phone. */}
            <div className="relative overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">
                  {t('revisionsHeading', { language: languageName(lang, locale) })}
                </caption>
                <thead>
                  <tr className="border-b border-line">
                    <th scope="col" className="p-2">
                      {t('colVersion')}
                    </th>
                    <th scope="col" className="p-2">
                      {t('colWhen')}
                    </th>
                    <th scope="col" className="hidden p-2 sm:table-cell">
                      {t('colWho')}
                    </th>
                    <th scope="col" className="p-2">
                      {t('colChange')}
                    </th>
                    <th scope="col" className="p-2">
                      {t('colFrom')}
                    </th>
                    <th scope="col" className="p-2">
                      {t('colTo')}
                    </th>
                    <th scope="col" className="p-2">
                      <span className="sr-only">{t('colActions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {revisions.map((r) => {
                    return (
                      <tr key={r.id} className="border-b border-line" data-version={r.version}>
                        <td className="p-2 font-semibold">
                          {t('versionShort', { version: r.version })}
                          {r.kind === 'restore' ? (
                            <span className="ml-1 text-xs text-muted">
                              {t('restoredFrom', { version: r.restoredFrom ?? 0 })}
                            </span>
                          ) : null}
                        </td>
                        <td className="p-2">
                          <span className="whitespace-nowrap">{when(r.createdAt)}</span>
                          {/* On a phone the author goes under the time instead of a column of its own. */}
                          <span className="block max-w-40 truncate text-xs text-muted sm:hidden">
                            {r.authorName ?? '—'}
                          </span>
                        </td>
                        <td className="hidden max-w-60 truncate p-2 sm:table-cell">{r.authorName ?? '—'}</td>
                        <td className="p-2 whitespace-nowrap">
                          <span className="text-ok">{t('plusWords', { count: r.insertedWords })}</span>{' '}
                          <span className="text-danger">{t('minusWords', { count: r.deletedWords })}</span>
                          <span className="sr-only">
                            {' '}
                            {t('wordsChanged', { inserted: r.insertedWords, deleted: r.deletedWords })}
                          </span>
                        </td>
                        <td className="p-2">
                          <input
                            type="radio"
                            name="a"
                            value={r.version}
                            defaultChecked={(a ?? Math.max(0, latest - 1)) === r.version}
                            aria-label={t('compareFrom', { version: r.version })}
                            className="h-5 w-5"
                          />
                        </td>
                        <td className="p-2">
                          <input
                            type="radio"
                            name="b"
                            value={r.version}
                            defaultChecked={(b ?? latest) === r.version}
                            aria-label={t('compareTo', { version: r.version })}
                            className="h-5 w-5"
                          />
                        </td>
                        <td className="p-2">
                          <Link
                            href={`/statements/${id}/history/${lang}?view=${r.version}`}
                            className="text-accent underline"
                          >
                            {t('view')}
                            <span className="sr-only"> {t('versionShort', { version: r.version })}</span>
                          </Link>
                        </td>
                      </tr>
                    );
                  })}
                  <tr data-version={0}>
                    <td className="p-2 text-muted">{t('versionShort', { version: 0 })}</td>
                    <td className="p-2 text-muted" colSpan={3}>
                      {t('emptyStart')}
                    </td>
                    <td className="p-2">
                      <input
                        type="radio"
                        name="a"
                        value={0}
                        defaultChecked={a === 0 || (a === null && latest === 1)}
                        aria-label={t('compareFrom', { version: 0 })}
                        className="h-5 w-5"
                      />
                    </td>
                    <td className="p-2" />
                    <td className="p-2" />
                  </tr>
                </tbody>
              </table>
            </div>
            <div>
              <button type="submit" className={buttonClass('primary')}>
                {t('compare')}
              </button>
            </div>
          </form>
        )}
      </Card>
    </div>
  );
}
