import { getTranslations } from 'next-intl/server';
import { ConfirmSignIn } from '@/components/auth/confirm-sign-in';
import { Card } from '@/components/ui/card';

export async function generateMetadata() {
  const t = await getTranslations('signIn');
  return { title: t('confirmTitle'), referrer: 'no-referrer' as const };
}

export default async function ConfirmPage() {
  const t = await getTranslations('signIn');
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">{t('confirmTitle')}</h1>
      <ConfirmSignIn />
    </Card>
  );
}
