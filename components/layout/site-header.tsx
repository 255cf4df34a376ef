import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/lib/i18n';
import { LocaleSwitcher } from './locale-switcher';
import { SessionBadge } from './session-badge';

/** The header. It never reads the session on the server, so public pages stay static. */
export async function SiteHeader({ locale, mode, homeHref }: { locale: Locale; mode: 'url' | 'cookie' | 'account'; homeHref: string }) {
  const t = await getTranslations({ locale, namespace: 'nav' });
  return (
    <header className="border-b border-line bg-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:p-2">
        {t('skipToContent')}
      </a>
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href={homeHref} className="text-lg font-bold tracking-tight text-accent">
          {t('brand')}
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <Link href={`/${locale}/orgs`} className="text-sm font-semibold text-ink hover:underline">
            {t('directory')}
          </Link>
          <LocaleSwitcher current={locale} mode={mode} />
          <SessionBadge />
        </div>
      </div>
    </header>
  );
}
