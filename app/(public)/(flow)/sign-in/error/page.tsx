import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export async function generateMetadata() {
  const t = await getTranslations('signIn');
  return { title: t('errorTitle') };
}

export default async function SignInErrorPage() {
  const t = await getTranslations('signIn');
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t('errorTitle')}</h1>
      <p className="mb-6">{t('errorBody')}</p>
      <Link href="/sign-in" className={buttonClass('primary')}>
        {t('requestNew')}
      </Link>
    </Card>
  );
}
