import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Document } from '@/components/layout/document';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { feedAlternates } from '@/lib/feeds';
import { catalogs, isLocale, LOCALES } from '@/lib/i18n';

// Rendered on first request and cached (ISR), never at build time: the build has no database, and a page built
// without one (the archive on the home page) would be served empty until its first revalidation.
export function generateStaticParams() {
  return [];
}

function metadataBase(): URL | undefined {
  try {
    return new URL(process.env.APP_URL || 'http://localhost:3000');
  } catch {
    return undefined;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) return {};
  const t = await getTranslations({ locale: lang, namespace: 'meta' });
  return {
    title: { default: t('title'), template: `%s · ${t('title')}` },
    description: t('description'),
    // Absolute URLs for canonical, hreflang and Open Graph links (the instance's public address).
    metadataBase: metadataBase(),
    alternates: {
      languages: Object.fromEntries(LOCALES.map((l) => [l, `/${l}`])),
      // The feeds, advertised in every public page's head (pages that set their own alternates repeat them).
      types: feedAlternates(lang, []),
    },
  };
}

// Public pages: no session read on the server, so they render statically and cache.
export default async function PublicLayout({ children, params }: { children: ReactNode; params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  return (
    <Document lang={lang}>
      <NextIntlClientProvider locale={lang} messages={{ nav: catalogs[lang].nav }}>
        <SiteHeader locale={lang} mode="url" homeHref={`/${lang}`} />
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
        <SiteFooter locale={lang} />
      </NextIntlClientProvider>
    </Document>
  );
}
