import { NextIntlClientProvider } from 'next-intl';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { VerifyForm } from '@/components/public/verify-form';
import { catalogs, isLocale, LOCALES } from '@/lib/i18n';

export async function generateMetadata({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) return {};
  const t = await getTranslations({ locale: lang, namespace: 'verify' });
  return {
    title: t('title'),
    description: t('metaDescription'),
    alternates: { languages: Object.fromEntries(LOCALES.map((l) => [l, `/${l}/verify`])) },
  };
}

// Static: the page holds no data; the form posts to /api/verify, which never fetches other addresses.
export default async function VerifyPage({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const t = await getTranslations({ locale: lang, namespace: 'verify' });
  return (
    <div className="flex max-w-3xl flex-col gap-8">
      <section className="flex flex-col gap-3">
        <h1 className="text-3xl font-bold leading-tight">{t('title')}</h1>
        <p className="text-lg text-muted">{t('intro')}</p>
      </section>
      <NextIntlClientProvider locale={lang} messages={{ verify: catalogs[lang].verify }}>
        <VerifyForm lang={lang} />
      </NextIntlClientProvider>
      <section aria-labelledby="verify-yourself" className="flex flex-col gap-2">
        <h2 id="verify-yourself" className="text-xl font-semibold">
          {t('independentHeading')}
        </h2>
        <p>
          {t('independent1')} {t('independent2')}
        </p>
        <p>
          <a href="/.well-known/undersigned-keys.json" className="text-accent underline">
            {t('keysLink')}
          </a>
        </p>
      </section>
    </div>
  );
}
