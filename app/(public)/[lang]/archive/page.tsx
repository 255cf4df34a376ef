import Link from 'next/link';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ArchiveList } from '@/components/public/archive-list';
import { Pagination } from '@/components/public/pagination';
import { SearchForm } from '@/components/public/search-form';
import { EmptyState } from '@/components/ui/card';
import { getDb } from '@/db';
import { archiveFacets, listArchive, QUERY_MAX } from '@/lib/archive';
import { feedAlternates } from '@/lib/feeds';
import { isLocale, LOCALES } from '@/lib/i18n';
import { languageName } from '@/lib/languages';

// Reads searchParams: rendered per request (the layout renders nothing at build time, so Next cannot infer it).
export const dynamic = 'force-dynamic';

// Search, filters and pagination depend on the query string: rendered per request (the home page is the cached list).
type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';

export async function generateMetadata({ params, searchParams }: { params: Promise<{ lang: string }>; searchParams: Search }) {
  const { lang } = await params;
  // Filtered by a language: that language's feed is advertised too.
  const filterLang = one((await searchParams).language);
  if (!isLocale(lang)) return {};
  const t = await getTranslations({ locale: lang, namespace: 'archive' });
  return {
    title: t('heading'),
    alternates: {
      canonical: `/${lang}/archive`,
      languages: Object.fromEntries(LOCALES.map((l) => [l, `/${l}/archive`])),
      types: feedAlternates(lang, filterLang ? [{ scope: { kind: 'lang', lang: filterLang } }] : []),
    },
  };
}

export default async function ArchivePage({ params, searchParams }: { params: Promise<{ lang: string }>; searchParams: Search }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const sp = await searchParams;
  const q = one(sp.q).slice(0, QUERY_MAX);
  const org = one(sp.org);
  const language = one(sp.language);
  const year = one(sp.year);
  const pageNum = Number.parseInt(one(sp.page) || '1', 10);
  const page = Number.isInteger(pageNum) && pageNum > 0 ? pageNum : 1;
  const db = getDb();
  const [t, result, facets] = await Promise.all([
    getTranslations({ locale: lang, namespace: 'archive' }),
    listArchive(db, { q, org, language, year, page, lang }),
    archiveFacets(db, lang),
  ]);
  const filtered = !!(q || org || language || year);
  const hrefFor = (p: number) => {
    const u = new URLSearchParams();
    if (q) u.set('q', q);
    if (org) u.set('org', org);
    if (language) u.set('language', language);
    if (year) u.set('year', year);
    if (p > 1) u.set('page', String(p));
    const s = u.toString();
    return `/${lang}/archive${s ? `?${s}` : ''}`;
  };
  // w-full/min-w-0: a long organization name must not widen the page on a phone (a fieldset's min-width is its content's).
  const select = 'min-h-11 w-full min-w-0 rounded-md border border-stone-400 bg-white px-3 py-2 text-base';
  const orgName = facets.orgs.find((o) => o.slug === org)?.name;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold sm:text-3xl">{t('heading')}</h1>
      <SearchForm lang={lang} q={q}>
        <fieldset className="grid min-w-0 gap-3 sm:grid-cols-3">
          <legend className="mb-1 text-sm font-semibold">{t('filtersLegend')}</legend>
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor="archive-org" className="text-sm font-semibold">
              {t('orgLabel')}
            </label>
            <select id="archive-org" name="org" defaultValue={org} className={select}>
              <option value="">{t('anyOrg')}</option>
              {facets.orgs.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor="archive-language" className="text-sm font-semibold">
              {t('languageLabel')}
            </label>
            <select id="archive-language" name="language" defaultValue={language} className={select}>
              <option value="">{t('anyLanguage')}</option>
              {facets.languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l, lang)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor="archive-year" className="text-sm font-semibold">
              {t('yearLabel')}
            </label>
            <select id="archive-year" name="year" defaultValue={year} className={select}>
              <option value="">{t('anyYear')}</option>
              {facets.years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-md border border-line bg-white px-4 py-2 text-sm font-semibold text-ink hover:bg-stone-100">
            {t('applyFilters')}
          </button>
          {filtered ? (
            <Link href={`/${lang}/archive`} className="text-sm font-semibold text-accent underline underline-offset-4">
              {t('clearFilters')}
            </Link>
          ) : null}
        </div>
      </SearchForm>
      <section aria-labelledby="results-heading" className="flex flex-col gap-4">
        <h2 id="results-heading" className="sr-only">
          {t('resultsHeading')}
        </h2>
        <p role="status" className="text-sm text-muted">
          {result.total > 0 ? t('results', { count: result.total }) : null}
        </p>
        {result.items.length > 0 ? (
          <ArchiveList items={result.items} lang={lang} />
        ) : result.total > 0 ? (
          <EmptyState title={t('pastTheEnd')} />
        ) : filtered ? (
          <EmptyState
            title={q ? t('noMatchQuery', { q }) : t('noMatch')}
            hint={[orgName ? t('filterOrg', { name: orgName }) : '', language ? t('filterLanguage', { language: languageName(language, lang) }) : '', year ? t('filterYear', { year }) : '']
              .filter(Boolean)
              .concat(t('noMatchHint'))
              .join(' · ')}
          />
        ) : (
          <EmptyState title={t('empty')} />
        )}
        <Pagination lang={lang} page={page} pageCount={result.pageCount} hrefFor={hrefFor} />
      </section>
    </div>
  );
}
