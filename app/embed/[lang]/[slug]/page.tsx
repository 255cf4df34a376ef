import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import { renderDoc } from '@/lib/editor/render';
import { env } from '@/lib/env';
import { isLocale } from '@/lib/i18n';
import { directionOf } from '@/lib/languages';
import {
  embedListHtml,
  formatDay,
  initiatorNames,
  outputText,
  signatoryView,
  signedCount,
  textFor,
} from '@/lib/public-outputs';
import { getPublicStatement, orderedSignatories } from '@/lib/publishing';

// The embed (R5): the canonical text and the live list, for other sites to frame (the only frameable route: see
// next.config.ts). Cached (ISR) like the public page: refreshed at once on the instance where a signature or change
// happens, within 30 s elsewhere. No cookies, no session, no client components.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

type Params = Promise<{ lang: string; slug: string }>;

const load = cache((slug: string) => getPublicStatement(getDb(), slug));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { lang, slug } = await params;
  if (!isLocale(lang)) return {};
  const pub = await load(slug);
  if (!pub) return {};
  return {
    title: textFor(pub.record, lang).title,
    alternates: { canonical: `/${lang}/s/${slug}` },
    robots: { index: false, follow: true },
  };
}

export default async function EmbedPage({ params }: { params: Params }) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) notFound();
  const pub = await load(slug);
  if (!pub) notFound();
  const t = outputText(lang);
  const record = pub.record;
  const text = textFor(record, lang);
  const html = renderDoc(text.body, { idPrefix: 'em', notesLabel: t('notes') }).html;
  const pageUrl = `${env().APP_URL.replace(/\/+$/, '')}/${lang}/s/${slug}`;
  const list = orderedSignatories(pub, lang).map((s) =>
    signatoryView(s, lang, record.source_url, { memberMethod: true, timeZone: pub.timeZone }),
  );
  const initiators = initiatorNames(record, lang);

  return (
    <main data-testid="embed" data-state={record.state}>
      {record.withdrawn ? (
        <p className="banner" role="alert">
          {t('withdrawnStatement', {
            date: formatDay(record.withdrawn.at, lang, pub.timeZone),
            reason: record.withdrawn.reason,
          })}
        </p>
      ) : record.closed_at ? (
        <p className="meta">{t('closedStatement', { date: formatDay(record.closed_at, lang, pub.timeZone) })}</p>
      ) : null}
      <h1 lang={text.lang} dir={directionOf(text.lang)}>
        {text.title}
      </h1>
      <p className="meta">
        <time dateTime={record.display_date}>{formatDay(record.display_date, lang)}</time>
        {initiators.length ? <> · {t('initiatedBy', { names: initiators.join(', ') })}</> : null}
      </p>
      <div
        className="text"
        lang={text.lang}
        dir={directionOf(text.lang)}
        dangerouslySetInnerHTML={{ __html: html }}
      />

      <section aria-labelledby="embed-signatories">
        <h2 id="embed-signatories">{t('embedSignatories', { count: signedCount(record) })}</h2>
        {list.length === 0 ? <p>{t('noSignatories')}</p> : null}
        <div
          data-testid="embed-list"
          dangerouslySetInnerHTML={{ __html: embedListHtml(list, { verified: t('verified'), initiator: t('initiator') }) }}
        />
      </section>

      <footer>
        <a href={pageUrl} target="_blank" rel="noopener">
          {t('viewOnSite')}
          <span className="sr-only"> {t('opensInNewTab')}</span>
        </a>
      </footer>
    </main>
  );
}
