import { getTranslations } from 'next-intl/server';
import { UnsubscribeButton } from '@/components/auth/unsubscribe-button';
import { Card } from '@/components/ui/card';

export async function generateMetadata() {
  const t = await getTranslations('unsubscribe');
  return { title: t('title'), referrer: 'no-referrer' as const, robots: { index: false } };
}

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ u?: string }> }) {
  const t = await getTranslations('unsubscribe');
  const { u } = await searchParams;
  return (
    <Card className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t('title')}</h1>
      {typeof u === 'string' && u ? (
        <>
          <p className="mb-4">{t('lead')}</p>
          <UnsubscribeButton u={u} />
        </>
      ) : (
        <p role="alert">{t('invalid')}</p>
      )}
    </Card>
  );
}
