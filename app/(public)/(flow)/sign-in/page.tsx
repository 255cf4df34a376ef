import { getTranslations } from 'next-intl/server';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Card } from '@/components/ui/card';

export async function generateMetadata() {
  const t = await getTranslations('signIn');
  return { title: t('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations('signIn');
  const { next } = await searchParams;
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t('title')}</h1>
      <p className="mb-6 text-muted">{t('lead')}</p>
      <SignInForm next={typeof next === 'string' ? next : undefined} />
    </Card>
  );
}
