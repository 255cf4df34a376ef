import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';

/** A GET form to the archive (/{lang}/archive): a labelled search box, and the filters when given. */
export async function SearchForm({ lang, q, children }: { lang: string; q?: string; children?: ReactNode }) {
  const t = await getTranslations({ locale: lang, namespace: 'archive' });
  return (
    <form method="get" action={`/${lang}/archive`} role="search" aria-label={t('searchLabel')} className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor="archive-q" className="text-sm font-semibold">
          {t('searchLabel')}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="archive-q"
            type="search"
            name="q"
            defaultValue={q}
            maxLength={200}
            aria-describedby="archive-q-hint"
            className="min-h-11 min-w-0 flex-1 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
          />
          <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-md bg-accent px-4 py-2 text-sm font-semibold text-white hover:bg-[#16304f]">
            {t('searchButton')}
          </button>
        </div>
        <p id="archive-q-hint" className="text-sm text-muted">
          {t('searchHint')}
        </p>
      </div>
      {children}
    </form>
  );
}
