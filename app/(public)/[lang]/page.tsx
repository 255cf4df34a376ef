import Link from 'next/link';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ArchiveList } from '@/components/public/archive-list';
import { SearchForm } from '@/components/public/search-form';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
import { getDb } from '@/db';
import { listArchive, type ArchivePage } from '@/lib/archive';
import { isLocale } from '@/lib/i18n';

// Cached (ISR) and refreshed at most every 30 s on every instance; publishing, signing and corrections refresh it at
// once on the instance that made the change (revalidatePublic). It reads no searchParams: search is /{lang}/archive.
export const revalidate = 30;

// `next build` prerenders the three languages without a database: the list is left out of that first render and
// filled in by the first regeneration.
const buildPhase = () => process.env.NEXT_PHASE === 'phase-production-build';

export default async function HomePage({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const [t, ta] = await Promise.all([getTranslations({ locale: lang, namespace: 'home' }), getTranslations({ locale: lang, namespace: 'archive' })]);
  const newest: ArchivePage | null = buildPhase() ? null : await listArchive(getDb(), { lang, page: 1 });
  return (
    <div className="flex flex-col gap-10">
      <section className="flex flex-col gap-4">
        <h1 className="text-3xl font-bold leading-tight sm:text-4xl">{t('heading')}</h1>
        <p className="max-w-2xl text-lg text-muted">{t('lead')}</p>
        <div>
          <Link href="/sign-in" className={buttonClass('primary')}>
            {t('cta')}
          </Link>
        </div>
      </section>
      <section aria-labelledby="archive-heading" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="archive-heading" className="text-xl font-semibold">
            {t('archiveHeading')}
          </h2>
          <Link href={`/${lang}/archive`} className="text-sm font-semibold text-accent underline underline-offset-4">
            {ta('browseAll')}
          </Link>
        </div>
        <SearchForm lang={lang} />
        {newest && newest.items.length > 0 ? (
          <>
            <ArchiveList items={newest.items} lang={lang} />
            {newest.pageCount > 1 ? (
              <p>
                <Link href={`/${lang}/archive?page=2`} className="font-semibold text-accent underline underline-offset-4">
                  {ta('olderStatements')}
                </Link>
              </p>
            ) : null}
          </>
        ) : newest ? (
          <EmptyState title={t('emptyArchive')} hint={t('emptyArchiveHint')} />
        ) : null}
      </section>
      <Card>
        <h2 className="mb-3 text-xl font-semibold">{t('howHeading')}</h2>
        <ol className="list-decimal space-y-2 pl-5">
          <li>{t('step1')}</li>
          <li>{t('step2')}</li>
          <li>{t('step3')}</li>
        </ol>
      </Card>
    </div>
  );
}
