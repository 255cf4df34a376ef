import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** Previous / next links with "page N of M"; `hrefFor` keeps the search and filters. */
export async function Pagination({ lang, page, pageCount, hrefFor }: { lang: string; page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (pageCount <= 1) return null;
  const t = await getTranslations({ locale: lang, namespace: 'archive' });
  const link = 'inline-flex min-h-11 items-center rounded-md border border-line bg-white px-4 py-2 text-sm font-semibold text-accent hover:bg-stone-100';
  return (
    <nav aria-label={t('pagination')} className="flex flex-wrap items-center justify-between gap-3">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} rel="prev" className={link}>
          {t('previous')}
        </Link>
      ) : (
        <span />
      )}
      <p className="text-sm text-muted">
        {t('pageOf', { page, count: pageCount })}
      </p>
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} rel="next" className={link}>
          {t('next')}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
