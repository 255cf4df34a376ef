import { getFormatter, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, EmptyState } from '@/components/ui/card';
import { linksIn, listDevMailbox } from '@/lib/dev-mailbox';
import { getCtx } from '@/lib/session';

export async function generateMetadata() {
  const t = await getTranslations('mailbox');
  return { title: t('title'), referrer: 'no-referrer' as const, robots: { index: false } };
}

export default async function DevMailboxPage() {
  const ctx = await getCtx();
  const messages = await listDevMailbox(ctx.db);
  if (!messages) notFound();
  const t = await getTranslations('mailbox');
  const format = await getFormatter();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <Link href="/dev/mailbox" className="text-sm font-semibold text-accent underline">
          {t('refresh')}
        </Link>
      </div>
      <p className="text-muted">{t('lead')}</p>
      {messages.length === 0 ? <EmptyState title={t('empty')} /> : null}
      <ol className="flex flex-col gap-4">
        {messages.map((m) => (
          <li key={m.id}>
            <Card>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="font-semibold">{t('to')}</dt>
                <dd data-testid="mail-to">{m.toEmail}</dd>
                <dt className="font-semibold">{t('subject')}</dt>
                <dd>{m.subject}</dd>
                <dt className="font-semibold">{t('received')}</dt>
                <dd>{format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'long' })}</dd>
              </dl>
              <h2 className="mt-3 text-sm font-semibold">{t('links')}</h2>
              <ul className="mb-3">
                {linksIn(m.text).map((href) => (
                  <li key={href} className="break-all">
                    <a href={href} className="text-accent underline">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
              {/* The message HTML is untrusted: shown in a frame with every sandbox restriction on. */}
              <iframe title={t('preview')} sandbox="" srcDoc={m.html} className="h-72 w-full rounded border border-line bg-white" />
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
