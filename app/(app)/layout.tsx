import Link from 'next/link';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTimeZone, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Document } from '@/components/layout/document';
import { SiteHeader } from '@/components/layout/site-header';
import type { Locale } from '@/lib/i18n';
import { getActor } from '@/lib/session';

// Every page gets a <title> (WCAG 2.4.2): the page's own, then the product name.
export async function generateMetadata() {
  const t = await getTranslations('meta');
  return { title: { default: t('title'), template: `%s · ${t('title')}` } };
}

// Signed-in pages. This redirect is for convenience only: every page and action authorizes itself (I1).
export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  if (!actor) {
    // Back to the page asked for after signing in (a same-site path only; set by proxy.ts, never by the client).
    const path = (await headers()).get('x-request-path') ?? '';
    redirect(
      path.startsWith('/') && !path.startsWith('//')
        ? `/sign-in?next=${encodeURIComponent(path)}`
        : '/sign-in',
    );
  }
  const locale = (await getLocale()) as Locale;
  const messages = await getMessages();
  const t = await getTranslations('nav');
  return (
    <Document lang={locale}>
      <NextIntlClientProvider locale={locale} messages={messages} timeZone={await getTimeZone()}>
        <SiteHeader locale={locale} mode="account" homeHref={`/${locale}`} />
        <nav aria-label={t('mainNavigation')} className="border-b border-line bg-white">
          <ul className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4">
            <li>
              <Link
                href="/dashboard"
                className="inline-block px-3 py-2 text-sm font-semibold hover:bg-stone-100"
              >
                {t('dashboard')}
              </Link>
            </li>
            <li>
              <Link
                href="/settings"
                className="inline-block px-3 py-2 text-sm font-semibold hover:bg-stone-100"
              >
                {t('settings')}
              </Link>
            </li>
          </ul>
        </nav>
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
      </NextIntlClientProvider>
    </Document>
  );
}
