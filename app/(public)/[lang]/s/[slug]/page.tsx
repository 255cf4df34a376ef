import Link from 'next/link';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { CopyButton } from '@/components/public/copy-button';
import { SignatoryList } from '@/components/public/signatory-list';
import { Alert } from '@/components/ui/alert';
import { getDb } from '@/db';
import { formatCalendarDate } from '@/lib/archive';
import { renderDoc, escapeHtml } from '@/lib/editor/render';
import { env } from '@/lib/env';
import { feedAlternates, feedPath } from '@/lib/feeds';
import { isLocale, LOCALES } from '@/lib/i18n';
import { directionOf, languageName } from '@/lib/languages';
import { excerptOf, getPublicStatement, orderedSignatories, plainText } from '@/lib/publishing';
import { signatoryName, type RecordDocument } from '@/lib/record';

// Cached (ISR): rendered on first request, then served from the cache; refreshed at once on the instance where a
// signature, correction or state change happens (revalidatePublic), and within 30 s on every other instance.
// No cookies, headers or session: the static CSP applies and the page stays cacheable.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

type Params = Promise<{ lang: string; slug: string }>;

// One database read per render, shared by generateMetadata and the page.
const load = cache((slug: string) => getPublicStatement(getDb(), slug));

/** The text in the URL's language when the version has it, else the primary language. */
function textFor(record: RecordDocument, lang: string) {
  const shown = record.texts[lang] ? lang : record.texts[record.primary_lang] ? record.primary_lang : Object.keys(record.texts)[0]!;
  return { shown, text: record.texts[shown]! };
}

export async function generateMetadata({ params }: { params: Params }) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) return {};
  const pub = await load(slug);
  if (!pub) return {};
  const { text } = textFor(pub.record, lang);
  const description = excerptOf(plainText(text.body), 30);
  const url = `/${lang}/s/${slug}`;
  const tm = await getTranslations({ locale: lang, namespace: 'meta' });
  return {
    title: text.title,
    description,
    alternates: {
      canonical: url,
      languages: Object.fromEntries(LOCALES.map((l) => [l, `/${l}/s/${slug}`])),
      // The feeds of every statement and of each language this one is published in.
      types: feedAlternates(
        lang,
        pub.record.version.langs.map((l) => ({ scope: { kind: 'lang' as const, lang: l } })),
      ),
    },
    openGraph: {
      type: 'article',
      title: text.title,
      description,
      url,
      siteName: tm('title'),
      locale: lang,
      publishedTime: pub.record.published_at,
    },
    twitter: { card: 'summary_large_image', title: text.title, description },
  };
}

export default async function PublicStatementPage({ params }: { params: Params }) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const pub = await load(slug);
  if (!pub) notFound();
  const [t, tr] = await Promise.all([getTranslations({ locale: lang, namespace: 'publicStatement' }), getTranslations({ locale: lang, namespace: 'render' })]);
  const record = pub.record;
  const { shown, text } = textFor(record, lang);
  const html = renderDoc(text.body, { notesLabel: tr('notes'), backLabel: tr('backToText'), idPrefix: 'st' }).html;
  const dateTime = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: pub.timeZone, timeZoneName: 'short' });
  const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: pub.timeZone });
  const signed = record.signatories.filter((s) => s.status === 'signed');
  const orgCount = signed.filter((s) => s.kind === 'organization').length;
  const individualCount = signed.length - orgCount;
  const initiators = record.signatories.filter((s) => s.initiator).map((s) => signatoryName(s, lang));
  const otherLangs = record.version.langs.filter((l) => l !== shown);
  const appUrl = env().APP_URL.replace(/\/+$/, '');
  const embedSnippet = `<iframe src="${appUrl}/embed/${lang}/${slug}" title="${escapeHtml(text.title)}" width="100%" height="600" style="border:0" loading="lazy"></iframe>`;
  const data = `/data/${slug}`;
  const link = 'text-accent underline underline-offset-4';

  return (
    <article className="flex min-w-0 flex-col gap-8 [overflow-wrap:anywhere]" data-testid="public-statement" data-state={record.state}>
      {record.state === 'withdrawn' && record.withdrawn ? (
        <div role="alert" className="rounded-lg border-2 border-danger bg-rose-50 p-4 text-danger" data-testid="withdrawn-banner">
          <p className="text-lg font-bold">{t('withdrawnBanner', { date: dateOnly.format(new Date(record.withdrawn.at)) })}</p>
          {record.withdrawn.reason ? <p className="mt-1 whitespace-pre-line text-ink">{t('withdrawnStatementReason', { reason: record.withdrawn.reason })}</p> : null}
        </div>
      ) : null}
      {record.state === 'closed' ? (
        <Alert tone="info">
          <span data-testid="closed-banner">
            {t('closedBanner')}
            {record.closed_at ? <> {t('closedOn', { date: dateOnly.format(new Date(record.closed_at)) })}</> : null}
          </span>
        </Alert>
      ) : null}

      <header className="flex flex-col gap-3">
        <h1 lang={shown} dir={directionOf(shown)} className="text-2xl font-bold leading-tight break-words sm:text-3xl">
          {text.title}
        </h1>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-semibold">{t('displayDateLabel')}</dt>
          <dd>
            <time dateTime={record.display_date} data-testid="display-date">
              {formatCalendarDate(record.display_date, lang)}
            </time>
          </dd>
          <dt className="font-semibold">{t('publishedOnSiteLabel')}</dt>
          <dd>
            <time dateTime={record.published_at}>{dateTime.format(new Date(record.published_at))}</time>
          </dd>
          {initiators.length > 0 ? (
            <>
              <dt className="font-semibold">{t('initiatorsLabel')}</dt>
              <dd>{initiators.join(', ')}</dd>
            </>
          ) : null}
          <dt className="font-semibold">{t('signatoriesLabel')}</dt>
          <dd data-testid="signatory-counts">{t('counts', { orgs: orgCount, individuals: individualCount })}</dd>
        </dl>
        {pub.joiningOpen && record.join_until ? (
          <p className="flex flex-wrap items-center gap-3">
            <a href={`/join/${slug}`} className="inline-flex min-h-11 items-center justify-center rounded-md bg-accent px-4 py-2 text-sm font-semibold text-white hover:bg-[#16304f]">
              {t('join')}
            </a>
            <span className="text-sm text-muted">{t('joinUntil', { date: dateTime.format(new Date(record.join_until)) })}</span>
          </p>
        ) : null}
      </header>

      {shown !== lang ? (
        <Alert tone="info">
          {t('textNotInLanguage', { language: languageName(lang, lang), original: languageName(shown, lang) })}
        </Alert>
      ) : null}
      {otherLangs.length > 0 ? (
        <nav aria-label={t('otherLanguages')} className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-semibold">{t('otherLanguages')}</span>
          {otherLangs.map((l) =>
            isLocale(l) ? (
              <Link key={l} href={`/${l}/s/${slug}`} lang={l} hrefLang={l} className="rounded-full border border-line px-3 py-1 hover:bg-stone-100">
                {languageName(l, l)}
              </Link>
            ) : (
              <span key={l} lang={l} className="rounded-full border border-line px-3 py-1 text-muted">
                {languageName(l, l)}
              </span>
            ),
          )}
        </nav>
      ) : null}

      <div lang={shown} dir={directionOf(shown)} className="statement-text max-w-3xl" data-testid="statement-text" dangerouslySetInnerHTML={{ __html: html }} />

      {record.corrections.length > 0 ? (
        <section aria-labelledby="corrections-heading" className="flex max-w-3xl flex-col gap-3">
          <h2 id="corrections-heading" className="text-xl font-semibold">
            {t('correctionsHeading')}
          </h2>
          <ol className="flex flex-col gap-3">
            {record.corrections.map((c, i) => (
              <li key={i} className="rounded-md border-l-4 border-amber-700 bg-amber-50 p-3">
                <p className="text-sm font-semibold">
                  <time dateTime={c.at}>{t('correctionOn', { date: dateTime.format(new Date(c.at)) })}</time>
                </p>
                <p lang={c.lang} dir={directionOf(c.lang)} className="mt-1 whitespace-pre-line break-words">
                  {c.body}
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section aria-labelledby="signatories-heading" className="flex flex-col gap-3">
        <h2 id="signatories-heading" className="text-xl font-semibold">
          {t('signatoriesHeading', { count: signed.length })}
        </h2>
        {record.signatories.length > 0 ? (
          <SignatoryList signatories={orderedSignatories(pub, lang)} lang={lang} sourceUrl={record.source_url} timeZone={pub.timeZone} />
        ) : (
          <p className="text-muted">{t('noSignatories')}</p>
        )}
      </section>

      <section aria-labelledby="data-heading" className="no-print flex flex-col gap-2" data-print="hide">
        <h2 id="data-heading" className="text-xl font-semibold">
          {t('dataHeading')}
        </h2>
        <ul className="flex list-disc flex-col gap-1 pl-5">
          <li>
            <a href={`${data}/${lang}/statement.pdf`} className={link}>
              {t('pdf')}
            </a>
          </li>
          <li>
            <a href={`${data}/${lang}/signatories.csv`} className={link}>
              {t('csv')}
            </a>
          </li>
          <li>
            <a href={`${data}/record.json`} className={link}>
              {t('json')}
            </a>
          </li>
          <li>
            <a href={`${data}/records/${record.record_seq}`} className={link}>
              {t('revision', { seq: record.record_seq })}
            </a>{' '}
            <span className="text-sm text-muted">{t('revisionsNote')}</span>
          </li>
          <li>
            <Link href={`/${lang}/verify`} className={link}>
              {t('verify')}
            </Link>
          </li>
          {[{ kind: 'all' as const }, ...record.version.langs.map((l) => ({ kind: 'lang' as const, lang: l }))].map((scope) => (
            <li key={scope.kind === 'lang' ? scope.lang : ''} data-testid="feed-links">
              {scope.kind === 'lang' ? t('feedsLang', { language: languageName(scope.lang, lang) }) : t('feedsAll')}{' '}
              <a href={feedPath(scope, 'rss')} className={link}>
                {t('rss')}
              </a>
              {' · '}
              <a href={feedPath(scope, 'atom')} className={link}>
                {t('atom')}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="embed-heading" className="no-print flex flex-col gap-2" data-print="hide">
        <h2 id="embed-heading" className="text-xl font-semibold">
          {t('embedHeading')}
        </h2>
        <p className="text-sm text-muted" id="embed-hint">
          {t('embedHint')}
        </p>
        <pre className="overflow-x-auto rounded-md border border-line bg-stone-50 p-3 text-xs" aria-describedby="embed-hint" tabIndex={0}>
          <code data-testid="embed-snippet">{embedSnippet}</code>
        </pre>
        <CopyButton text={embedSnippet} label={t('copy')} copiedLabel={t('copied')} failedLabel={t('copyFailed')} />
      </section>
    </article>
  );
}
