import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { devMailboxEnabled } from '@/lib/dev-mailbox';

export async function generateMetadata() {
  const t = await getTranslations('signIn');
  return { title: t('sentTitle') };
}

export default async function SentPage() {
  const t = await getTranslations('signIn');
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t('sentTitle')}</h1>
      <p className="mb-4">{t('sentBody')}</p>
      {devMailboxEnabled() ? (
        <div className="mb-4 rounded-md bg-accent-soft p-3 text-sm">
          <p className="mb-2">{t('sentDevHint')}</p>
          <Link href="/dev/mailbox" className="font-semibold text-accent underline">
            {t('openMailbox')}
          </Link>
        </div>
      ) : null}
      <Link href="/sign-in" className={buttonClass('secondary')}>
        {t('tryAgain')}
      </Link>
    </Card>
  );
}
