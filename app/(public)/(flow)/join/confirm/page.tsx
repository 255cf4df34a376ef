import { getLocale, getTranslations } from 'next-intl/server';
import { ConfirmJoin } from '@/components/joining/confirm-join';
import { Card } from '@/components/ui/card';

export async function generateMetadata() {
  const t = await getTranslations('joining');
  return { title: t('confirmTitle'), referrer: 'no-referrer' as const, robots: { index: false } };
}

/** The e-mailed link lands here with its token in the fragment; GET changes nothing (the button POSTs it). */
export default async function ConfirmJoinPage() {
  const [t, locale] = await Promise.all([getTranslations('joining'), getLocale()]);
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">{t('confirmTitle')}</h1>
      <ConfirmJoin locale={locale} />
    </Card>
  );
}
