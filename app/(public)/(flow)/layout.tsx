import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTimeZone, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Document } from '@/components/layout/document';
import { SiteHeader } from '@/components/layout/site-header';
import type { Locale } from '@/lib/i18n';

// Every page gets a <title> (WCAG 2.4.2): the page's own, then the product name.
export async function generateMetadata() {
  const t = await getTranslations('meta');
  return { title: { default: t('title'), template: `%s · ${t('title')}` } };
}

// Sign-in, confirmation and mailbox pages: dynamic (they depend on the visitor), no session required.
export default async function FlowLayout({ children }: { children: ReactNode }) {
  const locale = (await getLocale()) as Locale;
  const messages = await getMessages();
  return (
    <Document lang={locale}>
      <NextIntlClientProvider locale={locale} messages={messages} timeZone={await getTimeZone()}>
        <SiteHeader locale={locale} mode="cookie" homeHref={`/${locale}`} />
        <main id="main" className="mx-auto max-w-3xl px-4 py-8">
          {children}
        </main>
      </NextIntlClientProvider>
    </Document>
  );
}
