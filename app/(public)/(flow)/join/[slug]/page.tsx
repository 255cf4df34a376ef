import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { JoinForm } from '@/components/joining/join-form';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { getJoinPage } from '@/lib/joining';
import { getCtx } from '@/lib/session';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata() {
  const t = await getTranslations('joining');
  return { title: t('pageTitle'), referrer: 'no-referrer' as const, robots: { index: false } };
}

/** Public (no session): ask to join a published statement while it is open for joining (S7). */
export default async function JoinPage({ params }: Props) {
  const { slug } = await params;
  const [ctx, locale, t, format] = await Promise.all([getCtx(), getLocale(), getTranslations('joining'), getFormatter()]);
  const page = await getJoinPage(ctx.db, slug, locale);
  if (!page) notFound();
  const back = `/${locale}/s/${encodeURIComponent(page.slug)}`;
  return (
    <Card className="mx-auto max-w-2xl">
      <nav className="mb-3 text-sm">
        <Link href={back} className="text-accent underline">
          {t('backToStatement')}
        </Link>
      </nav>
      <h1 className="mb-3 text-2xl font-bold break-words">{t('heading', { title: page.title })}</h1>
      {page.joiningOpen ? (
        <div className="flex flex-col gap-4">
          <p>{t('intro')}</p>
          {page.joinUntil ? (
            <p className="text-sm text-muted">
              {t('openUntil', { date: format.dateTime(page.joinUntil, { dateStyle: 'long', timeStyle: 'short' }) })}
            </p>
          ) : null}
          <JoinForm slug={page.slug} locale={locale} />
        </div>
      ) : (
        <div className="flex flex-col gap-4">
          <Alert tone="info">{t('closed')}</Alert>
          <p>
            <Link href={back} className="text-accent underline">
              {t('viewStatement')}
            </Link>
          </p>
        </div>
      )}
    </Card>
  );
}
