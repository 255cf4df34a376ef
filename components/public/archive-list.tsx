import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { formatCalendarDate, type ArchiveItem } from '@/lib/archive';
import { directionOf } from '@/lib/languages';

/** Published statements as our users' listing pages show them: title, date, initiator, signatory count, excerpt. */
export async function ArchiveList({ items, lang, headingLevel = 3 }: { items: ArchiveItem[]; lang: string; headingLevel?: 2 | 3 | 4 }) {
  const t = await getTranslations({ locale: lang, namespace: 'archive' });
  const H = (['h2', 'h3', 'h4'] as const)[headingLevel - 2]!;
  return (
    <ol className="flex flex-col divide-y divide-line rounded-lg border border-line bg-white" data-testid="archive-list">
      {items.map((item) => (
        <li key={item.slug} className="px-5 py-4">
          <article className="flex flex-col gap-1.5">
            <H className="text-lg font-semibold leading-snug break-words">
              <Link href={`/${lang}/s/${item.slug}`} lang={item.textLang} dir={directionOf(item.textLang)} className="text-accent underline-offset-4 hover:underline">
                {item.title}
              </Link>
            </H>
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted">
              <time dateTime={item.displayDate}>{formatCalendarDate(item.displayDate, lang)}</time>
              {item.initiator ? <span>{t('initiatedBy', { name: item.initiator })}</span> : null}
              <span>{t('signatories', { count: item.signatories })}</span>
              {item.state !== 'published' ? (
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${item.state === 'withdrawn' ? 'bg-rose-50 text-danger ring-rose-300' : 'bg-stone-100 text-ink ring-stone-300'}`}>
                  {item.state === 'withdrawn' ? t('stateWithdrawn') : t('stateClosed')}
                </span>
              ) : null}
            </p>
            {item.excerpt ? (
              <p lang={item.textLang} dir={directionOf(item.textLang)} className="break-words text-ink" data-testid="archive-excerpt">
                {item.excerpt}
              </p>
            ) : null}
          </article>
        </li>
      ))}
    </ol>
  );
}
