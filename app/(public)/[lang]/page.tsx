import Link from 'next/link';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
import { isLocale } from '@/lib/i18n';

export default async function HomePage({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const t = await getTranslations({ locale: lang, namespace: 'home' });
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
        <h2 id="archive-heading" className="text-xl font-semibold">
          {t('archiveHeading')}
        </h2>
        <EmptyState title={t('emptyArchive')} hint={t('emptyArchiveHint')} />
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
