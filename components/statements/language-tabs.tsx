import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { languageName } from '@/lib/languages';

/** The statement's languages as pills linking to `/statements/{id}/{section}/{lang}`; the current one marked. */
export async function LanguageTabs({
  id,
  section,
  current,
  texts,
}: {
  id: string;
  section: 'edit' | 'history' | 'review';
  current: string;
  texts: { lang: string; outOfDate?: boolean }[];
}) {
  const [t, locale] = await Promise.all([getTranslations('statements'), getLocale()]);
  return (
    <nav aria-label={t('languagesHeading')} className="flex flex-wrap gap-2">
      {texts.map((x) => (
        <Link
          key={x.lang}
          href={`/statements/${id}/${section}/${x.lang}`}
          aria-current={x.lang === current ? 'page' : undefined}
          className="rounded-full border border-line px-3 py-1 text-sm hover:bg-stone-100 aria-[current=page]:border-accent aria-[current=page]:bg-accent aria-[current=page]:text-white"
        >
          {languageName(x.lang, locale)}
          {x.outOfDate ? ` · ${t('outOfDate')}` : ''}
        </Link>
      ))}
    </nav>
  );
}
