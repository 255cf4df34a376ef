import Link from 'next/link';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { OrgLogo } from '@/components/orgs/org-logo';
import { VerifiedBadge } from '@/components/orgs/verified-badge';
import { EmptyState } from '@/components/ui/card';
import { isLocale } from '@/lib/i18n';
import { displayName, publicDirectory } from '@/lib/public-data';

// Reads searchParams: rendered per request (the layout renders nothing at build time, so Next cannot infer it).
export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) return {};
  const t = await getTranslations({ locale: lang, namespace: 'directory' });
  return { title: t('title') };
}

// The directory: search over names in every language. A search makes it dynamic; it holds public data only.
export default async function DirectoryPage({ params, searchParams }: { params: Promise<{ lang: string }>; searchParams: Promise<{ q?: string; page?: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const sp = await searchParams;
  const q = typeof sp.q === 'string' ? sp.q.slice(0, 200) : '';
  const page = Math.max(1, Math.min(1000, Number(sp.page) || 1));
  const t = await getTranslations({ locale: lang, namespace: 'directory' });
  const { items, hasMore } = await publicDirectory(q || undefined, page);
  const pageHref = (p: number) => `/${lang}/orgs?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <form role="search" className="flex flex-wrap gap-2" action={`/${lang}/orgs`}>
        <label htmlFor="q" className="sr-only">
          {t('searchLabel')}
        </label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder={t('searchPlaceholder')} className="min-h-11 min-w-0 flex-1 rounded-md border border-stone-400 bg-white px-3" />
        <button type="submit" className="min-h-11 rounded-md bg-accent px-4 font-semibold text-white">
          {t('search')}
        </button>
      </form>
      {items.length === 0 ? (
        <EmptyState title={q ? t('noResults', { q }) : t('empty')} />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {items.map((o) => (
            <li key={o.id} className="flex gap-3 rounded-lg border border-line bg-white p-4">
              <OrgLogo fileId={o.logoFileId} name={displayName(o, lang)} />
              <div className="min-w-0">
                <Link href={`/${lang}/orgs/${o.slug}`} className="font-semibold text-accent hover:underline">
                  {displayName(o, lang)}
                </Link>
                <p className="text-sm text-muted">{[o.city, o.country].filter(Boolean).join(', ')}</p>
                <div className="mt-1">
                  <VerifiedBadge verified={o.verified} locale={lang} />
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav aria-label={t('pagination')} className="flex gap-3">
        {page > 1 ? (
          <Link href={pageHref(page - 1)} className="text-accent underline">
            {t('previous')}
          </Link>
        ) : null}
        {hasMore ? (
          <Link href={pageHref(page + 1)} className="text-accent underline">
            {t('next')}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
